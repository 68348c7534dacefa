/* Exclusionary variant: the real client code, appended to the generated app bundle.
   Barriers implemented here (see the table in auditor/demo/__init__.py):
   - paste (and drop) blocked on password and confirmation fields (WCAG 3.3.8, NIST 800-63B);
   - the cookie wall, dismissed only by a click (it covers the page until then);
   - the vote counter and "Voter" button rendered client-side after a fetch (React-like), so a
     runner that does not wait for it finds no button. */
(function () {
  "use strict";

  function blockPaste(event) {
    event.preventDefault();
  }

  function renderVoteWidget(mount, proposal) {
    var english = proposal.lang === "en";
    var box = document.createElement("div");
    box.className = "vote-box";
    var count = document.createElement("p");
    count.className = "vote-compteur";
    var number = document.createElement("span");
    number.className = "vote-nombre";
    number.textContent = String(proposal.votes);
    count.appendChild(number);
    count.appendChild(document.createTextNode(english ? " votes for" : " votes pour"));
    box.appendChild(count);
    if (proposal.has_voted) {
      var done = document.createElement("p");
      done.className = "vote-fait";
      done.textContent = english ? "You have voted on this project." : "Vous avez voté pour ce projet.";
      box.appendChild(done);
    } else {
      var link = document.createElement("a");
      link.className = "btn-voter";
      link.href = proposal.vote_url;
      link.textContent = english ? "Vote" : "Voter";
      box.appendChild(link);
    }
    mount.appendChild(box);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=password], input[data-no-paste]").forEach(function (input) {
      input.addEventListener("paste", blockPaste);
      input.addEventListener("drop", blockPaste);
    });

    var banner = document.getElementById("bandeau-cookies");
    if (banner) {
      banner.querySelectorAll("[data-consentement]").forEach(function (control) {
        control.addEventListener("click", function (event) {
          event.preventDefault();
          document.cookie = "consentement_cookies=" + control.getAttribute("data-consentement") +
            "; path=/; max-age=15552000; SameSite=Lax";
          banner.remove();
          document.body.classList.remove("consent-open");
        });
      });
    }

    var mount = document.getElementById("widget-vote");
    if (mount) {
      fetch(mount.getAttribute("data-api"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (proposal) { renderVoteWidget(mount, proposal); });
    }
  });
})();
