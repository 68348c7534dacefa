/* Inclusive variant: small progressive enhancements; every form also works without JavaScript.
   1. "Afficher le mot de passe": a real toggle button (aria-pressed, aria-controls).
   2. The proposal description becomes a keyboard-accessible rich-text editor: a contenteditable
      role="textbox" labelled by the field label, with a toolbar of real buttons. */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  function t(fr, en) { return english ? en : fr; }

  document.querySelectorAll("button.toggle-password").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
  });

  var textarea = document.querySelector(".rich-text textarea");
  if (!textarea || typeof document.execCommand !== "function") { return; }
  var field = textarea.closest(".rich-text");
  var label = field.querySelector("label");
  var format = field.querySelector("input[name=description_format]");
  var form = textarea.form;

  var editor = document.createElement("div");
  editor.className = "editor";
  editor.contentEditable = "true";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  editor.setAttribute("aria-required", "true");
  editor.setAttribute("aria-labelledby", label.id);
  ["aria-describedby", "aria-invalid"].forEach(function (name) {
    if (textarea.hasAttribute(name)) { editor.setAttribute(name, textarea.getAttribute(name)); }
  });
  if (textarea.dataset.format === "html") {
    editor.innerHTML = textarea.value; /* already sanitised by the server */
  } else {
    textarea.value.split(/\n{2,}/).forEach(function (block) {
      if (!block.trim()) { return; }
      var paragraph = document.createElement("p");
      paragraph.textContent = block;
      editor.appendChild(paragraph);
    });
  }

  var toolbar = document.createElement("div");
  toolbar.className = "toolbar";
  toolbar.setAttribute("role", "group");
  toolbar.setAttribute("aria-label", t("Mise en forme du texte", "Text formatting"));
  var commands = [
    ["bold", t("Gras", "Bold")],
    ["italic", t("Italique", "Italic")],
    ["insertUnorderedList", t("Liste à puces", "Bulleted list")]
  ];
  var buttons = commands.map(function (command) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = command[1];
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", "description");
    /* Keep the caret in the editor when the button is clicked with a mouse. */
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () {
      editor.focus();
      document.execCommand(command[0], false);
      refresh();
    });
    toolbar.appendChild(button);
    return button;
  });
  function refresh() {
    buttons.forEach(function (button, index) {
      var on = document.activeElement === editor && document.queryCommandState(commands[index][0]);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  document.addEventListener("selectionchange", refresh);

  var hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = textarea.name;
  textarea.replaceWith(hidden);
  editor.id = "description";
  hidden.after(toolbar, editor);
  label.removeAttribute("for");
  label.addEventListener("click", function () { editor.focus(); });
  document.execCommand("defaultParagraphSeparator", false, "p");

  form.addEventListener("submit", function () {
    hidden.value = editor.innerHTML;
    format.value = "html";
  });
})();
