"""The inclusive variant: the workshop's baseline of a sign-up that excludes no one.

Three fields (pseudonym, e-mail, password), trust instead of proof of address, no e-mail
confirmation, password rules limited to a minimum length of 8 (NIST SP 800-63B), errors that
name the field and the fix and keep what was typed (WCAG 3.3.1, 3.3.3, 3.3.7), a one-click
vote, short plain sentences, light pages with no third party. Every page must pass axe-core with
zero violations: the tests of the auditor use it as the "nothing to flag" reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from auditor.demo.app import DemoApp, Route, Visit, route, safe_next
from auditor.demo.content import CATEGORY_BY_SLUG
from auditor.demo.richtext import plain_text_to_html, sanitise_html, visible_text
from auditor.demo.web import Response

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN_LENGTH = 8
# No practical maximum (NIST: allow at least 64); the cap only guards the hash function.
PASSWORD_MAX_LENGTH = 1024
TITLE_MAX_LENGTH = 120

# Every message names the field and the fix (WCAG 3.3.1 Error Identification, 3.3.3 Error
# Suggestion), in short plain sentences: French first, then English.
MESSAGES: dict[str, tuple[str, str]] = {
    "pseudonym_missing": (
        "Le pseudonyme est obligatoire. Choisissez un nom, par exemple Camille.",
        "The pseudonym is required. Choose a name, for example Camille.",
    ),
    "pseudonym_too_long": (
        "Le pseudonyme doit faire 40 caractères au plus.",
        "The pseudonym must be 40 characters or fewer.",
    ),
    "pseudonym_taken": (
        "Ce pseudonyme est déjà pris. Choisissez un autre pseudonyme.",
        "This pseudonym is already taken. Choose another pseudonym.",
    ),
    "email_missing": (
        "L'adresse e-mail est obligatoire. Elle sert à vous connecter.",
        "The e-mail address is required. You use it to log in.",
    ),
    "email_malformed": (
        "L'adresse e-mail doit avoir la forme nom@exemple.fr.",
        "The e-mail address must look like name@example.com.",
    ),
    "email_taken": (
        "Cette adresse e-mail a déjà un compte. Connectez-vous avec elle.",
        "This e-mail address already has an account. Log in with it.",
    ),
    "password_too_short": (
        "Le mot de passe doit contenir au moins 8 caractères.",
        "The password must contain at least 8 characters.",
    ),
    "password_too_long": (
        "Le mot de passe doit contenir moins de 1024 caractères.",
        "The password must contain fewer than 1024 characters.",
    ),
    "login_failed": (
        "L'adresse e-mail ou le mot de passe est incorrect. Vérifiez les deux champs.",
        "The e-mail address or the password is wrong. Check both fields.",
    ),
    "title_missing": (
        "Le titre est obligatoire. Écrivez votre idée en quelques mots.",
        "The title is required. Write your idea in a few words.",
    ),
    "title_too_long": (
        "Le titre doit faire 120 caractères au plus. Raccourcissez-le.",
        "The title must be 120 characters or fewer. Make it shorter.",
    ),
    "description_missing": (
        "La description est obligatoire. Expliquez votre idée en quelques phrases.",
        "The description is required. Explain your idea in a few sentences.",
    ),
    "category_missing": (
        "La catégorie est obligatoire. Choisissez-en une dans la liste.",
        "The category is required. Choose one from the list.",
    ),
}


@dataclass(frozen=True)
class FieldError:
    """A server-side validation error: which field (its id) and a message naming the fix."""

    field_id: str
    message: str

    @classmethod
    def make(cls, visit: Visit, field_id: str, key: str) -> FieldError:
        """The error `key` of MESSAGES, in the page language, attached to a field."""
        return cls(field_id, visit.tr(*MESSAGES[key]))


def _count_label(visit: Visit, count: int) -> str:
    return visit.tr(
        f"{count} soutien" if count == 1 else f"{count} soutiens",
        f"{count} supporter" if count == 1 else f"{count} supporters",
    )


class InclusiveApp(DemoApp):
    """Pages of the inclusive variant."""

    variant = "inclusive"
    compress_text = True

    def routes(self) -> list[Route]:
        """URL map; the same paths serve French, and English under /en."""
        proposal = r"/propositions/(?P<proposal_id>\d+)"
        return [
            route("GET", r"/", self.home),
            route("GET", r"/inscription", self.signup_form),
            route("POST", r"/inscription", self.signup_submit),
            route("GET", r"/bienvenue", self.welcome),
            route("GET", r"/connexion", self.login_form),
            route("POST", r"/connexion", self.login_submit),
            route("POST", r"/deconnexion", self.logout),
            route("GET", r"/propositions", self.proposal_list),
            route("GET", r"/propositions/nouvelle", self.proposal_form),
            route("POST", r"/propositions/nouvelle", self.proposal_submit),
            route("GET", proposal, self.proposal_page),
            route("POST", proposal + r"/soutenir", self.support),
            route("GET", r"/api" + proposal, self.proposal_api),
        ]

    def page_context(self, visit: Visit) -> dict[str, Any]:
        """Counter wording shared by the list and the proposal page."""
        return {"count_label": lambda count: _count_label(visit, count)}

    # --- home and account -------------------------------------------------------------------

    def home(self, visit: Visit) -> Response:
        """The consultation explained in short sentences."""
        return self.render(visit, "home.html")

    def signup_form(self, visit: Visit) -> Response:
        """Three fields, nothing more."""
        return self.render(visit, "signup.html", values={}, errors=[])

    def _signup_errors(
        self, visit: Visit, pseudonym: str, email: str, password: str
    ) -> list[FieldError]:
        errors: list[FieldError] = []
        if not pseudonym:
            errors.append(FieldError.make(visit, "pseudonyme", "pseudonym_missing"))
        elif len(pseudonym) > 40:
            errors.append(FieldError.make(visit, "pseudonyme", "pseudonym_too_long"))
        elif self.store.pseudonym_taken(pseudonym):
            errors.append(FieldError.make(visit, "pseudonyme", "pseudonym_taken"))
        if not email:
            errors.append(FieldError.make(visit, "email", "email_missing"))
        elif not EMAIL_RE.match(email):
            errors.append(FieldError.make(visit, "email", "email_malformed"))
        elif self.store.email_taken(email):
            errors.append(FieldError.make(visit, "email", "email_taken"))
        if len(password) < PASSWORD_MIN_LENGTH:
            errors.append(FieldError.make(visit, "mot-de-passe", "password_too_short"))
        elif len(password) > PASSWORD_MAX_LENGTH:
            errors.append(FieldError.make(visit, "mot-de-passe", "password_too_long"))
        return errors

    def signup_submit(self, visit: Visit) -> Response:
        """Validate on the server; on error re-render with every value kept (WCAG 3.3.7)."""
        form = visit.request.form
        pseudonym = form.get("pseudonyme").strip()
        email = form.get("email").strip()
        password = form.get("mot_de_passe")
        errors = self._signup_errors(visit, pseudonym, email, password)
        if errors:
            # The password is kept too: retyping it is the effort WCAG 3.3.7 asks to spare.
            values = {"pseudonyme": pseudonym, "email": email, "mot_de_passe": password}
            return self.render(visit, "signup.html", values=values, errors=errors)
        user = self.store.create_user(pseudonym, email, password, confirmed=True)
        visit.login(user)  # usable at once: no e-mail confirmation
        visit.flash(
            visit.tr(
                "Votre compte est créé. Vous êtes connecté.",
                "Your account is created. You are logged in.",
            )
        )
        return Response.redirect(visit.url("/bienvenue"))

    def welcome(self, visit: Visit) -> Response:
        """What to do next, right after sign-up."""
        if visit.user is None:
            return Response.redirect(visit.url("/inscription"))
        return self.render(visit, "welcome.html")

    def login_form(self, visit: Visit) -> Response:
        """Log-in form; `suite` is where to go back after logging in."""
        suite = safe_next(visit.request.query_value("suite"), visit.url("/propositions"))
        return self.render(visit, "login.html", values={}, errors=[], suite=suite)

    def login_submit(self, visit: Visit) -> Response:
        """Check e-mail and password; the error says which fix to try."""
        form = visit.request.form
        email = form.get("email").strip()
        password = form.get("mot_de_passe")
        suite = safe_next(form.get("suite"), visit.url("/propositions"))
        user = self.store.authenticate(email, password)
        if user is None:
            errors = [FieldError.make(visit, "email", "login_failed")]
            values = {"email": email, "mot_de_passe": password}
            return self.render(visit, "login.html", values=values, errors=errors, suite=suite)
        visit.login(user)
        visit.flash(visit.tr("Vous êtes connecté.", "You are logged in."))
        return Response.redirect(suite)

    def logout(self, visit: Visit) -> Response:
        """Log out and go home."""
        visit.login(None)
        visit.flash(visit.tr("Vous êtes déconnecté.", "You are logged out."))
        return Response.redirect(visit.url("/"))

    # --- proposals ------------------------------------------------------------------------

    def proposal_list(self, visit: Visit) -> Response:
        """Every proposal, each with its one-click support button."""
        proposals = self.store.list_proposals()
        supported = {
            p.id for p in proposals if visit.user and self.store.vote_of(visit.user.id, p.id)
        }
        return self.render(visit, "proposals.html", proposals=proposals, supported=supported)

    def _require_login(self, visit: Visit, back_to: str, message: str) -> Response:
        visit.flash(message)
        return Response.redirect(visit.url("/connexion") + "?suite=" + visit.url(back_to))

    def proposal_form(self, visit: Visit) -> Response:
        """Title, rich-text description and category."""
        if visit.user is None:
            return self._require_login(
                visit,
                "/propositions/nouvelle",
                visit.tr("Connectez-vous pour proposer une idée.", "Log in to suggest an idea."),
            )
        values = {"titre": "", "description": "", "description_format": "text", "categorie": ""}
        return self.render(visit, "proposal_form.html", values=values, errors=[])

    def proposal_submit(self, visit: Visit) -> Response:
        """Publish at once and show the proposal with a success message."""
        if visit.user is None:
            return self._require_login(
                visit,
                "/propositions/nouvelle",
                visit.tr("Connectez-vous pour proposer une idée.", "Log in to suggest an idea."),
            )
        form = visit.request.form
        title = form.get("titre").strip()
        body_format = form.get("description_format", "text")
        raw_body = form.get("description")
        body_html = (
            sanitise_html(raw_body) if body_format == "html" else plain_text_to_html(raw_body)
        )
        category = form.get("categorie")
        errors: list[FieldError] = []
        if not title:
            errors.append(FieldError.make(visit, "titre", "title_missing"))
        elif len(title) > TITLE_MAX_LENGTH:
            errors.append(FieldError.make(visit, "titre", "title_too_long"))
        if not visible_text(body_html):
            errors.append(FieldError.make(visit, "description", "description_missing"))
        if category not in CATEGORY_BY_SLUG:
            errors.append(FieldError.make(visit, "categorie", "category_missing"))
        if errors:
            values = {
                "titre": title,
                "description": body_html if body_format == "html" else raw_body,
                "description_format": "html" if body_format == "html" else "text",
                "categorie": category,
            }
            return self.render(visit, "proposal_form.html", values=values, errors=errors)
        proposal_id = self.store.add_proposal(
            title, body_html, visit.lang, category, visit.user.pseudonym
        )
        visit.flash(
            visit.tr(
                "Votre proposition est publiée. Merci pour votre idée !",
                "Your proposal is published. Thank you for your idea!",
            )
        )
        return Response.redirect(visit.url(f"/propositions/{proposal_id}"))

    def proposal_page(self, visit: Visit, proposal_id: str) -> Response:
        """One proposal, its counter and its support button."""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return self.not_found(visit)
        supported = bool(visit.user and self.store.vote_of(visit.user.id, proposal.id))
        return self.render(visit, "proposal.html", proposal=proposal, supported=supported)

    def support(self, visit: Visit, proposal_id: str) -> Response:
        """The vote in one action: record it and come back to the same page."""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return self.not_found(visit)
        back_to = visit.request.form.get("retour")
        if back_to not in ("/propositions", f"/propositions/{proposal.id}"):
            back_to = f"/propositions/{proposal.id}"
        if visit.user is None:
            return self._require_login(
                visit,
                back_to,
                visit.tr(
                    "Connectez-vous pour soutenir une proposition.", "Log in to support a proposal."
                ),
            )
        if self.store.cast_vote(visit.user.id, proposal.id, "soutien"):
            count = proposal.votes + 1
            visit.flash(
                visit.tr(
                    f"Merci ! Votre soutien est enregistré. "
                    f"Cette proposition a maintenant {_count_label(visit, count)}.",
                    f"Thank you! Your support is saved. "
                    f"This proposal now has {_count_label(visit, count)}.",
                )
            )
        else:
            visit.flash(
                visit.tr(
                    "Vous soutenez déjà cette proposition.", "You already support this proposal."
                )
            )
        anchor = f"#proposition-{proposal.id}" if back_to == "/propositions" else ""
        return Response.redirect(visit.url(back_to) + anchor)
