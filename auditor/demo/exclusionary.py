"""The exclusionary variant: the same platform with the barriers real platforms put up.

Each barrier is listed, with the measure that must catch it, in the table of
`auditor/demo/__init__.py` and `README.md`. They are realistic, not caricatures: every one of
them is seen on live French participation or administration sites. All of them stay passable
for a patient user, so a scripted journey can go to the end and the auditor can count the cost.

The CAPTCHA is a fixed arithmetic question ("Combien font sept plus cinq ?", answer 12): like
reCAPTCHA's published test keys, this is a test instance, and a robot must be able to pass it.
"""

from __future__ import annotations

import datetime
import re
import string
from typing import Any

from auditor.demo.app import DemoApp, Route, Visit, route, safe_next
from auditor.demo.assets import (
    APP_JS_PATH,
    CDN_HOST,
    CDN_SCRIPT_PATH,
    FONT_CSS_PATH,
    FONTS_HOST,
    HERO_IMAGE_PATH,
    TRACKER_HOST,
    TRACKER_SCRIPT_PATH,
    VENDOR_JS_PATH,
)
from auditor.demo.content import CATEGORY_BY_SLUG
from auditor.demo.mailbox import write_mail
from auditor.demo.richtext import plain_text_to_html
from auditor.demo.store import Proposal
from auditor.demo.web import Response

CAPTCHA_ANSWER = "12"  # "Combien font sept plus cinq ?" -- fixed: this is a test instance
CONSENT_COOKIE = "consentement_cookies"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 12  # also the input's maxlength: NIST asks for at least 64
DESCRIPTION_MIN_LENGTH = 200  # enforced, never stated
PROOF_MAX_BYTES = 2 * 1024 * 1024
PROOF_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^0[1-9][0-9]{8}$")  # no spaces, no +33: the format is never stated
POSTCODE_RE = re.compile(r"^[0-9]{5}$")
COST_RE = re.compile(r"^[0-9]+$")  # "15 000" or "15000 €" is refused, without saying why

# Opaque messages: they name neither the field nor the fix (what WCAG 3.3.1 / 3.3.3 ask).
INPUT_ERROR = ("Erreur de saisie.", "Input error.")
PASSWORD_ERROR = ("Saisie invalide (code E-412).", "Invalid input (code E-412).")
EMAIL_TAKEN_ERROR = ("Erreur de saisie (code E-101).", "Input error (code E-101).")
CAPTCHA_ERROR = ("Erreur de saisie (code E-530).", "Input error (code E-530).")
LOGIN_ERROR = (
    "Identifiant ou mot de passe incorrect (code E-401).",
    "Incorrect identifier or password (code E-401).",
)
NOT_ACTIVATED_ERROR = ("Compte non activé (code E-203).", "Account not activated (code E-203).")
ACCESS_ERROR = (
    "Accès réservé aux utilisateurs authentifiés (code E-403).",
    "Access restricted to authenticated users (code E-403).",
)

WIZARD_KEY = "inscription"
VOTE_KEY = "vote_en_cours"
BIRTH_YEARS = tuple(range(2010, 1919, -1))


def password_acceptable(password: str) -> bool:
    """8 to 12 characters with upper case, lower case, digit and punctuation, no space.

    The kind of composition rule NIST SP 800-63B says not to impose (and a maximum under 64).
    """
    return (
        PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH
        and any(ch.isupper() for ch in password)
        and any(ch.islower() for ch in password)
        and any(ch.isdigit() for ch in password)
        and any(ch in string.punctuation for ch in password)
        and not any(ch.isspace() for ch in password)
    )


def _birth_date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


class ExclusionaryApp(DemoApp):
    """Pages of the exclusionary variant."""

    variant = "exclusionary"

    def routes(self) -> list[Route]:
        """URL map; the same paths serve French, and English under /en."""
        proposal = r"/propositions/(?P<proposal_id>\d+)"
        return [
            route("GET", r"/", self.home),
            route("GET", r"/inscription", self.identity_form),
            route("POST", r"/inscription", self.identity_submit),
            route("GET", r"/inscription/coordonnees", self.contact_form),
            route("POST", r"/inscription/coordonnees", self.contact_submit),
            route("GET", r"/inscription/justificatif", self.proof_form),
            route("POST", r"/inscription/justificatif", self.proof_submit),
            route("GET", r"/inscription/en-attente", self.pending),
            route("GET", r"/confirmer", self.confirm),
            route("GET", r"/connexion", self.login_form),
            route("POST", r"/connexion", self.login_submit),
            route("POST", r"/deconnexion", self.logout),
            route("GET", r"/mon-compte", self.account),
            route("GET", r"/propositions", self.proposal_list),
            route("GET", r"/propositions/nouvelle", self.proposal_form),
            route("POST", r"/propositions/nouvelle", self.proposal_submit),
            route("GET", proposal, self.proposal_page),
            route("GET", proposal + r"/voter", self.vote_choice),
            route("POST", proposal + r"/voter", self.vote_choice_submit),
            route("GET", proposal + r"/voter/recapitulatif", self.vote_summary),
            route("POST", proposal + r"/voter/valider", self.vote_validate),
            route("GET", proposal + r"/voter/confirmation", self.vote_done),
            route("GET", r"/api" + proposal, self.proposal_api),
        ]

    def page_context(self, visit: Visit) -> dict[str, Any]:
        """Third-party URLs (on the demo's own port), bundles and the cookie banner state."""
        port = self.port
        return {
            "show_consent": CONSENT_COOKIE not in visit.request.cookies,
            "font_css_url": f"http://{FONTS_HOST}:{port}{FONT_CSS_PATH}?family=Marianne+Exemple",
            "cdn_script_url": f"http://{CDN_HOST}:{port}{CDN_SCRIPT_PATH}",
            "tracker_script_url": f"http://{TRACKER_HOST}:{port}{TRACKER_SCRIPT_PATH}",
            "vendor_js": VENDOR_JS_PATH,
            "app_js": APP_JS_PATH,
            "hero_image": HERO_IMAGE_PATH,
            "error": None,
        }

    def _error(self, visit: Visit, message: tuple[str, str]) -> str:
        return visit.tr(*message)

    def _require_account(self, visit: Visit, back_to: str) -> Response | None:
        """Participation needs a logged-in, confirmed account; None when the user has one."""
        if visit.user is not None and visit.user.confirmed:
            return None
        visit.flash(self._error(visit, ACCESS_ERROR))
        return Response.redirect(visit.url("/connexion") + "?suite=" + visit.url(back_to))

    # --- home -----------------------------------------------------------------------------

    def home(self, visit: Visit) -> Response:
        """Administrative prose, a 1.3 MB hero image without alt text, the cookie wall."""
        return self.render(visit, "home.html", proposals=self.store.list_proposals()[:3])

    # --- sign-up wizard: identity -> contact details -> proof + CAPTCHA + terms ---------------

    def identity_form(self, visit: Visit) -> Response:
        """Step 1 of 3: civility, names, e-mail twice, password twice, date of birth."""
        return self.render(visit, "signup_identity.html", birth_years=BIRTH_YEARS)

    def identity_submit(self, visit: Visit) -> Response:
        """Validate step 1; on any error, one opaque message and every field wiped."""
        form = visit.request.form
        email = form.get("email").strip()
        password = form.get("mot_de_passe")
        error: tuple[str, str] | None = None
        birth = _birth_date(
            form.get("naissance_jour"), form.get("naissance_mois"), form.get("naissance_annee")
        )
        if not password_acceptable(password) or password != form.get("mot_de_passe_confirmation"):
            error = PASSWORD_ERROR
        elif (
            form.get("civilite") not in ("mme", "m")
            or not form.get("nom").strip()
            or not form.get("prenom").strip()
            or not form.get("pseudo").strip()
            or not EMAIL_RE.match(email)
            or email != form.get("email_confirmation").strip()
            or birth is None
            or birth >= datetime.date.today()
        ):
            error = INPUT_ERROR
        elif self.store.email_taken(email):
            error = EMAIL_TAKEN_ERROR
        if error is not None:
            # Nothing typed is sent back: the user starts the whole screen again (WCAG 3.3.7).
            return self.render(
                visit,
                "signup_identity.html",
                birth_years=BIRTH_YEARS,
                error=self._error(visit, error),
            )
        assert birth is not None
        visit.session.set(
            WIZARD_KEY,
            {
                "identite": {
                    "civilite": form.get("civilite"),
                    "nom": form.get("nom").strip(),
                    "prenom": form.get("prenom").strip(),
                    "pseudo": form.get("pseudo").strip(),
                    "email": email,
                    "mot_de_passe": password,
                    "naissance": birth.isoformat(),
                }
            },
        )
        return Response.redirect(visit.url("/inscription/coordonnees"))

    def _wizard(self, visit: Visit, *steps: str) -> dict[str, Any] | None:
        wizard = visit.session.data.get(WIZARD_KEY)
        if not isinstance(wizard, dict) or any(step not in wizard for step in steps):
            return None
        return wizard

    def contact_form(self, visit: Visit) -> Response:
        """Step 2 of 3: phone and postal address, all required."""
        if self._wizard(visit, "identite") is None:
            return Response.redirect(visit.url("/inscription"))
        return self.render(visit, "signup_contact.html")

    def contact_submit(self, visit: Visit) -> Response:
        """Validate step 2 (strict formats, never stated)."""
        wizard = self._wizard(visit, "identite")
        if wizard is None:
            return Response.redirect(visit.url("/inscription"))
        form = visit.request.form
        if (
            not PHONE_RE.match(form.get("telephone").strip())
            or not form.get("adresse").strip()
            or not POSTCODE_RE.match(form.get("code_postal").strip())
            or not form.get("commune").strip()
        ):
            return self.render(visit, "signup_contact.html", error=self._error(visit, INPUT_ERROR))
        wizard["coordonnees"] = {
            name: form.get(name).strip()
            for name in ("telephone", "adresse", "complement", "code_postal", "commune")
        }
        visit.session.set(WIZARD_KEY, wizard)
        return Response.redirect(visit.url("/inscription/justificatif"))

    def proof_form(self, visit: Visit) -> Response:
        """Step 3 of 3: proof of address upload, arithmetic CAPTCHA, terms of use."""
        if self._wizard(visit, "identite", "coordonnees") is None:
            return Response.redirect(visit.url("/inscription"))
        return self.render(visit, "signup_proof.html")

    def proof_submit(self, visit: Visit) -> Response:
        """Check the upload, the CAPTCHA and the terms; then create an unconfirmed account."""
        wizard = self._wizard(visit, "identite", "coordonnees")
        if wizard is None:
            return Response.redirect(visit.url("/inscription"))
        form = visit.request.form
        proof = form.files.get("justificatif")
        error: tuple[str, str] | None = None
        if (
            proof is None
            or proof.is_empty
            or len(proof.content) > PROOF_MAX_BYTES
            or not proof.filename.lower().endswith(PROOF_EXTENSIONS)
            or form.get("cgu") != "on"
        ):
            error = INPUT_ERROR
        elif form.get("captcha").strip() != CAPTCHA_ANSWER:
            error = CAPTCHA_ERROR
        if error is not None:
            return self.render(visit, "signup_proof.html", error=self._error(visit, error))
        assert proof is not None
        identity = wizard["identite"]
        if self.store.email_taken(identity["email"]):
            visit.session.pop(WIZARD_KEY)
            return self.render(
                visit,
                "signup_identity.html",
                birth_years=BIRTH_YEARS,
                error=self._error(visit, EMAIL_TAKEN_ERROR),
            )
        profile = {key: value for key, value in identity.items() if key not in ("mot_de_passe",)}
        profile.update(wizard["coordonnees"])
        profile["justificatif"] = {"fichier": proof.filename, "octets": len(proof.content)}
        user = self.store.create_user(
            identity["pseudo"],
            identity["email"],
            identity["mot_de_passe"],
            confirmed=False,
            profile=profile,
        )
        self._send_confirmation(visit, user.id, user.email)
        visit.session.pop(WIZARD_KEY)
        return Response.redirect(visit.url("/inscription/en-attente"))

    def _send_confirmation(self, visit: Visit, user_id: int, email: str) -> None:
        """Write the activation mail: the account is unusable until its link is opened."""
        token = self.store.new_confirmation_token(user_id)
        link = f"{self.base_url}{visit.url('/confirmer')}?token={token}"
        body = visit.tr(
            "Madame, Monsieur,\n\n"
            "Nous accusons réception de votre demande de création de compte sur la plateforme "
            "de participation citoyenne de la Ville de Villeneuve.\n\n"
            "Afin de finaliser votre inscription, veuillez cliquer sur le lien ci-dessous dans un "
            "délai de 48 heures :\n\n"
            f"{link}\n\n"
            "À défaut, votre demande sera supprimée conformément au RGPD.\n\n"
            "Ce message est généré automatiquement, merci de ne pas y répondre.\n",
            "Dear Sir or Madam,\n\n"
            "We acknowledge receipt of your account creation request on the citizen participation "
            "platform of the City of Villeneuve.\n\n"
            "In order to finalise your registration, please click on the link below within 48 "
            "hours:\n\n"
            f"{link}\n\n"
            "Failing this, your request will be deleted in accordance with the GDPR.\n\n"
            "This message is generated automatically, please do not reply.\n",
        )
        subject = visit.tr(
            "[Villeneuve] Activation de votre compte", "[Villeneuve] Activation of your account"
        )
        write_mail(self.mailbox_dir, email, subject, body)

    def pending(self, visit: Visit) -> Response:
        """'Check your mailbox': the context switch of e-mail confirmation."""
        return self.render(visit, "signup_pending.html")

    def confirm(self, visit: Visit) -> Response:
        """The mail's link: activates the account, then the user must log in again."""
        user = self.store.confirm(visit.request.query_value("token"))
        if user is None:
            response = self.render(
                visit,
                "message.html",
                heading=visit.tr("Activation du compte", "Account activation"),
                message=visit.tr(
                    "Lien invalide ou expiré (code E-440).", "Invalid or expired link (code E-440)."
                ),
                link=None,
            )
            response.status = 400
            return response
        return self.render(visit, "confirmed.html")

    # --- log-in ---------------------------------------------------------------------------

    def login_form(self, visit: Visit) -> Response:
        """Placeholder-only fields, paste blocked, autocomplete off."""
        suite = safe_next(visit.request.query_value("suite"), visit.url("/mon-compte"))
        return self.render(visit, "login.html", suite=suite)

    def login_submit(self, visit: Visit) -> Response:
        """Refuses unconfirmed accounts (code E-203) and wipes the fields on error."""
        form = visit.request.form
        suite = safe_next(form.get("suite"), visit.url("/mon-compte"))
        user = self.store.authenticate(form.get("identifiant"), form.get("mot_de_passe"))
        if user is None or not user.confirmed:
            message = LOGIN_ERROR if user is None else NOT_ACTIVATED_ERROR
            return self.render(visit, "login.html", suite=suite, error=self._error(visit, message))
        visit.login(user)
        return Response.redirect(suite)

    def logout(self, visit: Visit) -> Response:
        """Log out and go home."""
        visit.login(None)
        return Response.redirect(visit.url("/"))

    def account(self, visit: Visit) -> Response:
        """The personal space the log-in lands on."""
        if visit.user is None:
            return Response.redirect(visit.url("/connexion"))
        return self.render(visit, "account.html", profile=self.store.user_profile(visit.user.id))

    # --- proposals ------------------------------------------------------------------------

    def proposal_list(self, visit: Visit) -> Response:
        """Project cards with thumbnails lacking alt text."""
        return self.render(visit, "proposals.html", proposals=self.store.list_proposals())

    def proposal_form(self, visit: Visit) -> Response:
        """Unlabelled fields, a cost in an unstated format, an unstated minimum length."""
        refused = self._require_account(visit, "/propositions/nouvelle")
        if refused is not None:
            return refused
        return self.render(visit, "proposal_form.html")

    def proposal_submit(self, visit: Visit) -> Response:
        """Any error: 'Erreur de saisie.' and an empty form."""
        refused = self._require_account(visit, "/propositions/nouvelle")
        if refused is not None:
            return refused
        assert visit.user is not None
        form = visit.request.form
        title = form.get("intitule").strip()
        description = form.get("description").strip()
        category = form.get("categorie")
        if (
            not title
            or category not in CATEGORY_BY_SLUG
            or not form.get("localisation").strip()
            or not COST_RE.match(form.get("cout").strip())
            or len(description) < DESCRIPTION_MIN_LENGTH
            or form.get("competence") != "on"
        ):
            return self.render(visit, "proposal_form.html", error=self._error(visit, INPUT_ERROR))
        proposal_id = self.store.add_proposal(
            title, plain_text_to_html(description), visit.lang, category, visit.user.pseudonym
        )
        visit.flash(
            visit.tr(
                "Votre projet a bien été déposé. Il sera soumis à l'instruction technique des "
                "services compétents de la collectivité.",
                "Your project has been duly submitted. It will undergo the technical review of the "
                "competent departments of the local authority.",
            )
        )
        return Response.redirect(visit.url(f"/propositions/{proposal_id}"))

    def proposal_page(self, visit: Visit, proposal_id: str) -> Response:
        """The proposal; its vote button is rendered client-side after a fetch."""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return self.not_found(visit)
        return self.render(visit, "proposal.html", proposal=proposal)

    # --- vote: proposal -> choice + attestation -> summary -> final validation -------------

    def vote_choice(self, visit: Visit, proposal_id: str) -> Response:
        """Screen 1: for / against and a sworn statement of residence."""
        proposal, refused = self._vote_context(visit, proposal_id)
        if refused is not None:
            return refused
        assert proposal is not None
        assert visit.user is not None
        if self.store.vote_of(visit.user.id, proposal.id):
            return self._already_voted(visit, proposal.id)
        return self.render(visit, "vote_choice.html", proposal=proposal)

    def _vote_context(self, visit: Visit, proposal_id: str
                      ) -> tuple[Proposal | None, Response | None]:
        """The proposal of a vote screen, or the answer that stops it (404, log-in first)."""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return None, self.not_found(visit)
        return proposal, self._require_account(visit, f"/propositions/{proposal.id}/voter")

    def _already_voted(self, visit: Visit, proposal_id: int) -> Response:
        return self.render(
            visit,
            "message.html",
            heading=visit.tr("Vote", "Vote"),
            message=visit.tr(
                "Vote déjà enregistré (code E-409).", "Vote already recorded (code E-409)."
            ),
            link=visit.url(f"/propositions/{proposal_id}"),
        )

    def vote_choice_submit(self, visit: Visit, proposal_id: str) -> Response:
        """Keep the choice in the session and move on to the summary."""
        proposal, refused = self._vote_context(visit, proposal_id)
        if refused is not None:
            return refused
        assert proposal is not None
        form = visit.request.form
        choice = form.get("choix")
        if choice not in ("pour", "contre") or form.get("attestation") != "on":
            return self.render(
                visit, "vote_choice.html", proposal=proposal, error=self._error(visit, INPUT_ERROR)
            )
        visit.session.set(VOTE_KEY, {"proposition": proposal.id, "choix": choice})
        return Response.redirect(visit.url(f"/propositions/{proposal.id}/voter/recapitulatif"))

    def _pending_vote(self, visit: Visit, proposal_id: int) -> str | None:
        pending = visit.session.data.get(VOTE_KEY)
        if isinstance(pending, dict) and pending.get("proposition") == proposal_id:
            choice = pending.get("choix")
            return str(choice) if choice in ("pour", "contre") else None
        return None

    def vote_summary(self, visit: Visit, proposal_id: str) -> Response:
        """Screen 2: the summary and the 'Valider définitivement' button."""
        proposal, refused = self._vote_context(visit, proposal_id)
        if refused is not None:
            return refused
        assert proposal is not None
        choice = self._pending_vote(visit, proposal.id)
        if choice is None:
            return Response.redirect(visit.url(f"/propositions/{proposal.id}/voter"))
        return self.render(visit, "vote_summary.html", proposal=proposal, choice=choice)

    def vote_validate(self, visit: Visit, proposal_id: str) -> Response:
        """Record the vote, then screen 3: the confirmation."""
        proposal, refused = self._vote_context(visit, proposal_id)
        if refused is not None:
            return refused
        assert proposal is not None
        assert visit.user is not None
        choice = self._pending_vote(visit, proposal.id)
        if choice is None:
            return Response.redirect(visit.url(f"/propositions/{proposal.id}/voter"))
        visit.session.pop(VOTE_KEY)
        if not self.store.cast_vote(visit.user.id, proposal.id, choice):
            return self._already_voted(visit, proposal.id)
        return Response.redirect(visit.url(f"/propositions/{proposal.id}/voter/confirmation"))

    def vote_done(self, visit: Visit, proposal_id: str) -> Response:
        """'Votre vote a bien été pris en compte.'"""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return self.not_found(visit)
        if visit.user is None or not self.store.vote_of(visit.user.id, proposal.id):
            return Response.redirect(visit.url(f"/propositions/{proposal.id}"))
        receipt = f"VB-{datetime.date.today().year}-{visit.user.id:05d}-{proposal.id:03d}"
        return self.render(visit, "vote_done.html", proposal=proposal, receipt=receipt)
