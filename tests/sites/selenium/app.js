// Client-side behaviour of the test form: a late submit button, the chosen file's name, and
// the editor's text copied into the form on submit.
setTimeout(() => {
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Publier";
  document.getElementById("actions").append(button);
}, 300);
document.getElementById("piece").addEventListener("change", (event) => {
  const file = event.target.files[0];
  document.getElementById("fichier").textContent = file ? "Fichier joint : " + file.name : "";
});
document.getElementById("idee").addEventListener("submit", () => {
  document.getElementById("texte").value = document.getElementById("editeur").innerText.trim();
});
