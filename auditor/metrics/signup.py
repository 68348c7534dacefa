"""Password and sign-up friction: what signing up costs a person, read from a saved Run.

Entry point: :func:`measure_signup` (metrics.md §2, checks P1–P14 of §2.7, score of §2.9).

**Which forms count.** The sign-up journey is the journey whose id says so (``sign-up``,
``signup``, ``inscription``, ``register``...), else the first journey with a password field
whose autocomplete is ``new-password``, else one with two password fields in a form, else one
whose page title or headings say "inscription", "créer un compte", "sign up"... (metrics §2.7).
Its sign-up pages run from the first page that looks like sign-up to the last one; a wizard
spreads its fields over several pages, so fields are aggregated across pages by name (or id,
or label): a form re-rendered after an error adds no field and no screen. Log-in forms (one
password, ``current-password`` or a "Connexion" heading) and search boxes are left out. Every
other form with a password field in the run (a log-in form, typically) is reported apart in
``other_forms``, with the checks that apply to it.

**What is measured** (each with its sources, :data:`CATALOG`):

- password rules declared (``minlength``, ``maxlength``, ``pattern`` lookaheads, rule text in
  the hint or near the field) and found by the probe the runner ran before the real submit
  (:class:`~auditor.models.PasswordProbe`): accepted length range, composition enforced,
  silent truncation, each rejection message classified (length, composition, blocklist...,
  or *opaque* when it gives no reason);
- paste blocked, autocomplete tokens, show-password control, confirmation fields;
- CAPTCHA (:mod:`auditor.metrics.captcha`), e-mail / SMS confirmation, typed codes;
- personal data beyond pseudonym, e-mail and password (:mod:`auditor.metrics.personal_data`),
  required or optional, on the DLNUF-shaped scale, and proof documents;
- whether typed values survive a rejected submit (WCAG 3.3.7);
- an identity provider (FranceConnect...) offered as another way in.

**Score** (§2.9, Proposed): start at 100, add each finding's points once per id across the
sign-up and the other password forms (the worst occurrence counts), autocomplete deductions
capped at −15 together, then floor 0 and cap 100. Two rows are not in the §2.9 table and are
proposed here: values lost after an error (−10, a WCAG 3.3.7 failure) and opaque error
messages (−10, WCAG 3.3.1 / 3.3.3 and NIST's "SHALL provide the reason for rejection").
A check that could not be observed weighs nothing and is listed with status
``not_observed``; checks that need a server response report ``not_run_dry_run`` in dry-run
mode (metrics §0.3).

Everything is deterministic: lists follow the order of the run, findings the order of
:data:`CATALOG`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics import captcha as captcha_mod
from auditor.metrics.captcha import CaptchaObservation
from auditor.metrics.evidence import Evidence
from auditor.metrics.personal_data import (
    BASELINE,
    CATEGORY_NAMES,
    GROUPED_ITEMS,
    NOT_PERSONAL,
    AutocompleteStatus,
    Category,
    DlnufLevel,
    autocomplete_status,
    classify_field,
    count_sentences,
    dlnuf_level,
    field_text,
    normalise,
    required_marker,
)
from auditor.models import (
    Checkpoint,
    FormField,
    JourneyResult,
    PasswordProbe,
    ProbeAttempt,
    Run,
)

__all__ = [
    "CATALOG", "CheckResult", "ConfirmationObservation", "OtherPasswordForm", "PasswordRules",
    "PersonalDataSummary", "RejectionMessage", "ScoreLine", "SignupField", "SignupFinding",
    "SignupMeasures", "SignupScore", "Source", "classify_rejection", "measure_signup",
]

Severity = Literal["blocking", "major", "minor", "info", "positive"]
SourceKind = Literal["WCAG", "NIST", "CNIL", "RGAA", "DINUM", "W3C", "Workshop"]
CheckStatus = Literal["pass", "fail", "info", "not_observed", "not_run_dry_run",
                      "not_applicable"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- result models


class Source(_Model):
    """A reference a finding rests on."""

    kind: SourceKind
    ref: str = Field(description="Success criterion, section or deliberation number.")
    title: str
    url: str = ""


class SignupFinding(_Model):
    """One barrier (or one good practice) with its sources, evidence and score points."""

    id: str
    severity: Severity
    blocking: bool = Field(description="Stops some people from signing up at all.")
    title_en: str
    title_fr: str
    detail: str
    sources: list[Source]
    evidence: list[Evidence] = Field(default_factory=list)
    points: int = Field(description="§2.9 points: negative deduction, positive bonus.")
    form: str = Field("sign-up", description="'sign-up', or the other form it was found on.")


class SignupField(_Model):
    """One distinct field of the sign-up, aggregated over the pages that showed it."""

    key: str = Field(description="What identifies it across pages: name, #id or label.")
    category: Category
    label: str
    name: str
    type: str
    screen: int = Field(description="1-based screen (wizard page) where it first appears.")
    required: bool
    required_source: str = Field(description="attribute, asterisk, text, page-text or ''.")
    extra: bool = Field(description="Personal data beyond the workshop baseline.")
    autocomplete: str
    autocomplete_status: AutocompleteStatus
    expected_autocomplete: list[str]
    paste_blocked: bool | None
    paste_blocked_by: str
    checkpoints: list[int]
    evidence: Evidence


class PersonalDataSummary(_Model):
    """P8 / P9: how much the sign-up asks, on the DLNUF-shaped scale."""

    fields_total: int
    screens: int
    required_fields: int
    optional_fields: int
    extra_required_fields: int
    extra_optional_fields: int
    extra_required_items: list[str] = Field(description="Pieces of information (a date in "
                                            "three selects is one).")
    extra_optional_items: list[str]
    proof_documents: list[str]
    dlnuf_level: DlnufLevel
    points: int
    sentence_en: str
    sentence_fr: str


class RejectionMessage(_Model):
    """A probe candidate's rejection and what its message says."""

    candidate: str
    phase: Literal["client", "server"]
    length: int
    text: str
    reasons: list[str] = Field(description="min-length, max-length, length, composition, "
                               "pattern, blocklist, personal-info, mismatch, charset, "
                               "strength, opaque.")


class PasswordRules(_Model):
    """P1–P3: the password rules, declared and observed."""

    field_selector: str
    checkpoint: int
    declared_minlength: int | None
    declared_maxlength: int | None
    pattern: str
    pattern_classes: list[str] = Field(description="Classes a pattern lookahead requires.")
    stated_rules: list[str] = Field(description="Rule sentences found in the hint or nearby.")
    stated_classes: list[str]
    stated_min_length: int | None
    stated_max_length: int | None
    probed: bool
    server_tested: bool
    accepted_min_length: int | None = Field(description="Shortest accepted candidate, as "
                                            "kept; server phase when it ran, else browser.")
    accepted_max_length: int | None
    min_length: int | None = Field(description="Largest known lower bound of the minimum.")
    max_length: int | None = Field(description="Smallest known upper bound of the maximum.")
    composition_enforced: bool | None
    composition_evidence: list[str]
    truncates_silently: bool | None
    truncated_to: int | None
    blocklist_enforced: bool | None
    spaces_accepted: bool | None
    unicode_accepted: bool | None
    rejections: list[RejectionMessage]


class ConfirmationObservation(_Model):
    """P11: e-mail or SMS confirmation, and typed codes."""

    status: Literal["required", "not_required", "not_observed", "not_run_dry_run"]
    channels: list[Literal["email", "sms"]] = Field(default_factory=list)
    via: list[str] = Field(default_factory=list, description="open_email_link step, page "
                           "text, code field.")
    code_must_be_typed: bool | None = None
    blocks_participation: bool | None = Field(None, description="Proposing or voting waits "
                                              "for the confirmation; None: not observed.")
    detail: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class CheckResult(_Model):
    """One check of metrics.md §2.7, visible whatever its outcome."""

    id: str
    title: str
    status: CheckStatus
    finding_ids: list[str] = Field(default_factory=list)
    detail: str = ""


class OtherPasswordForm(_Model):
    """A form with a password field outside the sign-up (a log-in form, typically)."""

    kind: Literal["log-in", "password-change", "other"]
    journey_id: str
    checkpoint: int
    checkpoints: list[int]
    url: str
    form_index: int
    findings: list[SignupFinding]


class ScoreLine(_Model):
    """One finding's contribution to the score."""

    finding_id: str
    points: int = Field(description="What the finding carries.")
    applied: int = Field(description="What the score used (after caps and de-duplication).")
    form: str
    note: str = ""


class SignupScore(_Model):
    """The §2.9 password-friction score."""

    measured: bool
    score: int | None
    start: int = 100
    raw: int | None = Field(None, description="Before floor 0 and cap 100.")
    lines: list[ScoreLine] = Field(default_factory=list)
    blocking: bool = False
    blocking_findings: list[str] = Field(default_factory=list)
    not_observed: list[str] = Field(default_factory=list, description="Checks that weigh "
                                    "nothing because they were not observed or not run.")
    method: str = ("metrics.md §2.9 (Proposed): 100 minus the points of each finding id once "
                   "(worst occurrence), autocomplete capped at -15, +10 for an identity "
                   "provider, floor 0, cap 100; values-lost-after-error and "
                   "opaque-error-message (-10 each) are proposed additions")


class SignupMeasures(_Model):
    """Everything this module measures on a run."""

    mode: str
    journey_id: str | None
    journey_reason: str
    checkpoints: list[int] = Field(description="The sign-up pages.")
    fields: list[SignupField]
    personal_data: PersonalDataSummary | None
    password: PasswordRules | None
    captcha: CaptchaObservation
    confirmation: ConfirmationObservation
    identity_providers: list[str]
    show_password: Literal["present", "absent", "not_observed", "not_applicable"]
    show_password_source: str
    values_kept_after_error: bool | None
    checks: list[CheckResult]
    findings: list[SignupFinding]
    other_forms: list[OtherPasswordForm]
    score: SignupScore
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- sources

_U = "https://www.w3.org/WAI/WCAG22/Understanding/"
_NIST4 = "https://pages.nist.gov/800-63-4/sp800-63b.html"
_RGAA = "https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/"
WCAG_338 = Source(kind="WCAG", ref="3.3.8", title="Accessible Authentication (Minimum), "
                  "level AA", url=_U + "accessible-authentication-minimum.html")
WCAG_339 = Source(kind="WCAG", ref="3.3.9", title="Accessible Authentication (Enhanced), "
                  "level AAA", url=_U + "accessible-authentication-enhanced.html")
WCAG_337 = Source(kind="WCAG", ref="3.3.7", title="Redundant Entry, level A",
                  url=_U + "redundant-entry.html")
WCAG_135 = Source(kind="WCAG", ref="1.3.5", title="Identify Input Purpose, level AA",
                  url=_U + "identify-input-purpose.html")
WCAG_331 = Source(kind="WCAG", ref="3.3.1", title="Error Identification, level A",
                  url=_U + "error-identification.html")
WCAG_333 = Source(kind="WCAG", ref="3.3.3", title="Error Suggestion, level AA",
                  url=_U + "error-suggestion.html")
WCAG_111 = Source(kind="WCAG", ref="1.1.1", title="Non-text Content, level A",
                  url=_U + "non-text-content.html")
_NIST_REF = "SP 800-63B-4 §3.1.1.2 (rev. 3 §5.1.1.2)"
NIST_PASTE = Source(kind="NIST", ref=_NIST_REF, title="Verifiers SHALL allow the use of "
                    "password managers and SHOULD permit the 'paste' functionality", url=_NIST4)
NIST_COMPOSITION = Source(kind="NIST", ref=_NIST_REF, title="Verifiers SHALL NOT impose other "
                          "composition rules (SHOULD NOT in rev. 3)", url=_NIST4)
NIST_MAX = Source(kind="NIST", ref=_NIST_REF, title="SHOULD permit a maximum length of at "
                  "least 64 characters; SHALL verify the entire password (no truncation)",
                  url=_NIST4)
NIST_MIN = Source(kind="NIST", ref=_NIST_REF, title="SHALL require at least 8 characters (15 "
                  "for a password used alone, final rev. 4): more is not required", url=_NIST4)
NIST_SHOW = Source(kind="NIST", ref=_NIST_REF, title="SHOULD offer an option to display the "
                   "password while it is typed", url=_NIST4)
NIST_REASON = Source(kind="NIST", ref=_NIST_REF, title="SHALL provide the reason for "
                     "rejection of a password", url=_NIST4)
CNIL_2022 = Source(kind="CNIL", ref="Délibération n° 2022-100 du 21 juillet 2022",
                   title="Passwords: entropy ≥ 80 bits alone, e.g. 12 characters of 4 kinds, "
                   "or 14 characters with no special character required, or a 7-word "
                   "passphrase; composition is not required")
CNIL_MINIMISATION = Source(kind="CNIL", ref="RGPD art. 5.1.c", title="Minimisation: data "
                           "adequate, relevant and limited to what the purpose needs",
                           url="https://www.cnil.fr/fr/definition/minimisation")
RGAA_15 = Source(kind="RGAA", ref="1.5", title="CAPTCHA: une solution d'accès alternatif est-"
                 "elle présente ? (WCAG 1.1.1)", url=_RGAA)
RGAA_1113 = Source(kind="RGAA", ref="11.13", title="Finalité d'un champ de saisie "
                   "(WCAG 1.3.5)", url=_RGAA)
RGAA_1110 = Source(kind="RGAA", ref="11.10", title="Contrôle de saisie pertinent "
                   "(WCAG 3.3.1)", url=_RGAA)
RGAA_1111 = Source(kind="RGAA", ref="11.11", title="Suggestions de correction des erreurs "
                   "(WCAG 3.3.3)", url=_RGAA)
DINUM_DLNUF = Source(kind="DINUM", ref="Dites-le-nous une fois", title="Observatoire: "
                     "optimal = none or one piece of information asked; partiel = 2 to 4; "
                     "faible = more than 4",
                     url="https://github.com/DISIC/observatoire.numerique.gouv.fr")
DINUM_CAPTCHA = Source(kind="DINUM", ref="Captcha et accessibilité (2024)", title="Les "
                       "personnes handicapées ne sont pas des robots !",
                       url="https://design.numerique.gouv.fr/articles/"
                       "2024-11-28-captcha-et-accessibilite")
DINUM_AUTH = Source(kind="DINUM", ref="Observatoire, indicateur 'auth'", title="FranceConnect "
                    "or another identity provider offered",
                    url="https://github.com/DISIC/observatoire.numerique.gouv.fr")
W3C_CAPTCHA = Source(kind="W3C", ref="Inaccessibility of CAPTCHA (Group Note)",
                     title="Alternatives to visual Turing tests on the Web",
                     url="https://www.w3.org/TR/turingtest/")
WORKSHOP_BASELINE = Source(kind="Workshop", ref="ICPC workshop 2020, national consultation",
                           title="Sign-up asked only pseudonym, e-mail and password; more "
                           "would deter participants")
WORKSHOP_TRUST = Source(kind="Workshop", ref="ICPC workshop 2020, Mulhouse",
                        title="Participatory budget built on trust: no proof asked (Grenoble "
                        "asks a proof of address)")


@dataclass(frozen=True)
class Definition:
    """The fixed part of a finding: default severity, plain titles, sources."""

    severity: Severity
    title_en: str
    title_fr: str
    sources: tuple[Source, ...]


#: Every finding id, in report order.
CATALOG: dict[str, Definition] = {
    "paste-blocked": Definition(
        "blocking", "You cannot paste into the password field",
        "Impossible de coller dans le champ du mot de passe", (WCAG_338, NIST_PASTE)),
    "captcha-cognitive": Definition(
        "blocking", "A sum or a puzzle must be solved to get in",
        "Il faut résoudre un calcul ou une énigme pour entrer",
        (WCAG_338, RGAA_15, WCAG_111, W3C_CAPTCHA, DINUM_CAPTCHA)),
    "password-composition-rules": Definition(
        "major", "The password must mix capitals, digits or symbols",
        "Le mot de passe doit mélanger majuscules, chiffres ou symboles",
        (NIST_COMPOSITION, CNIL_2022)),
    "password-max-length": Definition(
        "minor", "Long passwords are not allowed", "Les mots de passe longs sont refusés",
        (NIST_MAX, CNIL_2022)),
    "password-min-length": Definition(
        "minor", "The password must be very long", "Le mot de passe doit être très long",
        (NIST_MIN,)),
    "show-password-missing": Definition(
        "minor", "No button to show the password", "Pas de bouton pour afficher le mot de passe",
        (NIST_SHOW, WCAG_338)),
    "autocomplete-off": Definition(
        "minor", "Password managers are turned away",
        "Les gestionnaires de mots de passe sont écartés", (WCAG_135, RGAA_1113, NIST_PASTE)),
    "autocomplete-missing": Definition(
        "minor", "The browser cannot fill in your details",
        "Le navigateur ne peut pas remplir vos informations", (WCAG_135, RGAA_1113)),
    "autocomplete-wrong": Definition(
        "minor", "A field tells the browser the wrong purpose",
        "Un champ annonce une mauvaise finalité au navigateur", (WCAG_135, RGAA_1113)),
    "confirm-password-field": Definition(
        "minor", "You must type the password twice", "Il faut taper le mot de passe deux fois",
        (WCAG_337,)),
    "confirm-email-field": Definition(
        "minor", "You must type the e-mail address twice",
        "Il faut taper l'adresse e-mail deux fois", (WCAG_337,)),
    "paste-blocked-other-field": Definition(
        "minor", "You cannot paste into a form field",
        "Impossible de coller dans un champ du formulaire", (WCAG_338, WCAG_337)),
    "captcha-present": Definition(
        "major", "A CAPTCHA test must be passed", "Il faut réussir un test CAPTCHA",
        (WCAG_338, WCAG_339, RGAA_15, W3C_CAPTCHA, DINUM_CAPTCHA)),
    "captcha-invisible": Definition(
        "info", "An invisible CAPTCHA checks visitors in the background",
        "Un CAPTCHA invisible surveille les visiteurs", (W3C_CAPTCHA, DINUM_CAPTCHA)),
    "email-confirmation-required": Definition(
        "minor", "You must open an e-mail to finish signing up",
        "Il faut ouvrir un e-mail pour finir l'inscription", (WCAG_338, WORKSHOP_BASELINE)),
    "sms-confirmation-required": Definition(
        "minor", "You must receive a text message to sign up",
        "Il faut recevoir un SMS pour s'inscrire", (WCAG_338, CNIL_MINIMISATION)),
    "confirmation-code-typed": Definition(
        "major", "A code must be copied by hand", "Un code doit être recopié à la main",
        (WCAG_338,)),
    "extra-personal-data-required": Definition(
        "major", "Personal details not needed to take part are required",
        "Des informations personnelles inutiles pour participer sont obligatoires",
        (CNIL_MINIMISATION, DINUM_DLNUF, WORKSHOP_BASELINE)),
    "proof-document-required": Definition(
        "major", "A proof document must be uploaded", "Il faut envoyer un justificatif",
        (CNIL_MINIMISATION, WORKSHOP_TRUST)),
    "extra-personal-data-optional": Definition(
        "minor", "Optional personal details are asked",
        "Des informations personnelles facultatives sont demandées",
        (CNIL_MINIMISATION, WORKSHOP_BASELINE)),
    "autocomplete-personal-data-missing": Definition(
        "minor", "Personal details cannot be filled in automatically",
        "Les informations personnelles ne peuvent pas être remplies automatiquement",
        (WCAG_135, RGAA_1113)),
    "values-lost-after-error": Definition(
        "major", "Everything typed is erased after an error",
        "Tout ce qui a été saisi est effacé après une erreur", (WCAG_337,)),
    "opaque-error-message": Definition(
        "major", "Error messages do not say what is wrong",
        "Les messages d'erreur ne disent pas ce qui ne va pas",
        (WCAG_331, WCAG_333, RGAA_1110, RGAA_1111, NIST_REASON)),
    "identity-provider-offered": Definition(
        "positive", "You can sign up with an existing account such as FranceConnect",
        "On peut s'inscrire avec un compte existant comme FranceConnect",
        (WCAG_338, DINUM_AUTH)),
}
_ORDER = {fid: n for n, fid in enumerate(CATALOG)}

# §2.9 points (Proposed) and the two proposed additions.
POINTS_PASTE = -30
POINTS_COMPOSITION = -20
POINTS_MAX_LENGTH, POINTS_MAX_LENGTH_UNDER_20 = -10, -20
POINTS_MIN_LENGTH = -5
POINTS_SHOW_PASSWORD = -10
POINTS_AUTOCOMPLETE_EACH, AUTOCOMPLETE_CAP = -5, -15
POINTS_CONFIRM_FIELD = -5
POINTS_CAPTCHA_VISIBLE, POINTS_CAPTCHA_INVISIBLE = -25, -5
POINTS_CONFIRMATION = -10
POINTS_CODE_TYPED = -15
POINTS_OPTIONAL_EACH = -2
POINTS_VALUES_LOST = -10  # proposed addition
POINTS_OPAQUE = -10  # proposed addition
POINTS_IDENTITY_PROVIDER = 10
AUTOCOMPLETE_IDS = frozenset({"autocomplete-missing", "autocomplete-off", "autocomplete-wrong"})

# --------------------------------------------------------------------------- text patterns
# All matched on normalise()d text: lower case, no accents, "_-." split into spaces.

SIGNUP_JOURNEY_IDS = frozenset({
    "sign-up", "signup", "sign_up", "inscription", "register", "registration",
    "creer-un-compte", "create-account", "creation-compte",
})
SIGNUP_PAGE_RE = re.compile(
    r"inscri|creer (un |mon |votre )?compte|creation (de |du |d.un )?compte|ouvrir un compte"
    r"|sign ?up|\bregist|create (an |your )?account|\betape \d|\bstep \d"
    r"|complet\w* (votre |mon |your )?profil")
LOGIN_PAGE_RE = re.compile(r"connexion|se connecter|connectez|identifiez|identification"
                           r"|log ?in|sign ?in|espace personnel")
SEARCH_RE = re.compile(r"\b(q|query|recherche|rechercher|search)\b")
PASSWORD_WORD_RE = re.compile(r"mot de passe|password|\bmdp\b|passphrase|phrase de passe")
TOGGLE_RE = re.compile(r"\b(afficher|montrer|voir|masquer|cacher|show|hide|reveal|display"
                       r"|unmask|demasquer)\b")
CLASS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("upper", re.compile(r"majuscule|capital|upper ?case")),
    ("lower", re.compile(r"minuscule|lower ?case")),
    ("digit", re.compile(r"chiffre|digit|\bnumbers?\b|numeral")),
    ("symbol", re.compile(r"caracteres? speci(al|aux)|special char|symbole|symbol|ponctuation"
                          r"|punctuation|non alphanum")),
)
REQUIREMENT_RE = re.compile(r"doit|doivent|devra|must|should|need|requir|exig|oblig|au moins"
                            r"|at least|minimum|conten|contain|comport|inclu|avec|with|dont")
PERMISSIVE_RE = re.compile(r"accept|autoris|allowed|permis|possible|facultati|optional"
                           r"|pas oblig|not required|no need|pas besoin|sans obligation")
MIN_LENGTH_TEXT_RE = re.compile(
    r"(?:au moins|minimum|at least|min) (?:de )?(\d+) (?:caracteres|characters|chars|signes)"
    r"|(\d+) (?:caracteres|characters|chars|signes) (?:au moins|minimum|or more|ou plus|min)"
    r"|(?:entre|between) (\d+) (?:et|and) \d+ (?:caracteres|characters)")
MAX_LENGTH_TEXT_RE = re.compile(
    r"(?:au plus|au maximum|maximum|at most|max|jusqu.a|up to) (?:de )?(\d+) "
    r"(?:caracteres|characters|chars|signes)"
    r"|(\d+) (?:caracteres|characters|chars|signes) (?:au plus|maximum|max|or fewer|ou moins)"
    r"|(?:entre|between) \d+ (?:et|and) (\d+) (?:caracteres|characters)")
TOO_SHORT_RE = re.compile(r"trop court|too short|allonger|lengthen|at least \d+ char"
                          r"|au moins \d+ caract|minimum (de )?\d+ caract|\d+ caracteres minimum")
TOO_LONG_RE = re.compile(r"trop long|too long|raccourcir|shorten|at most \d+ char"
                         r"|au plus \d+ caract|maximum (de )?\d+ caract|ne doit pas depasser"
                         r"|must not exceed|no more than \d+|\d+ caracteres maximum")
LENGTH_RE = re.compile(r"longueur|length|\d+ (caracteres|characters|chars)|entre \d+ et \d+"
                       r"|between \d+ and \d+")
BLOCKLIST_RE = re.compile(
    r"trop (courant|commun|frequent|repandu|simple|previsible)|\bcommon\b|compromis|breach"
    r"|fuite|divulgu|leaked|pwned|deja connu|facile a deviner|easy to guess|dictionnaire"
    r"|dictionary|liste noire|blacklist|blocklist|banned|predictable")
PERSONAL_INFO_RE = re.compile(r"contient (votre|le) (nom|pseudo|e ?mail|adresse)"
                              r"|contains your|similar to your|ressemble a votre"
                              r"|(votre|your) (nom|name|pseudo|e ?mail)")
MISMATCH_RE = re.compile(r"ne correspondent pas|ne sont pas identiques|do not match"
                         r"|don.t match|must match|doivent etre identiques|differ")
CHARSET_RE = re.compile(r"espaces? (ne sont pas|non|interdit|pas) ?autorise|spaces? (are )?"
                        r"not allowed|caracteres? (non autorise|interdit|invalide)"
                        r"|invalid characters?|accents?")
STRENGTH_RE = re.compile(r"trop faible|\bweak\b|pas assez (fort|securise|robuste)"
                         r"|not (strong|secure) enough|faible")
ERRORISH_RE = re.compile(r"erreur|error|invalide?|incorrect|echec|failed|impossible|refus"
                         r"|rejet|\bcode [a-z]{0,3} ?\d{2,}")
ERROR_CODE_RE = re.compile(r"\b[A-Z]{1,4}-?\d{2,5}\b")
FIELD_WORD_RE = re.compile(
    r"mot de passe|password|e ?mail|courriel|adresse|address|pseudo|\bnom\b|prenom|\bname\b"
    r"|telephone|phone|naissance|birth|\bdate\b|postal|commune|ville|city|captcha|calcul"
    r"|identifiant|username|fichier|\bfile\b|justificatif|document|conditions|\bcgu\b|terms"
    r"|\bchamp|\bfield|civilite")
REASON_WORD_RE = re.compile(
    r"\bdoit|doivent|must|should|veuillez|please|merci de|saisissez|entrez|\benter\b|choose"
    r"|choisissez|format|exemple|example|manquant|missing|obligatoire|required|\bvide\b|empty"
    r"|\btrop\b|\btoo\b|au moins|at least|\bdeja\b|already|utilise|taken|correspond|match"
    r"|caracteres|characters|majuscule|chiffre|non activ|not activ|expire")
EMAIL_CONFIRM_RE = re.compile(
    r"(confirm|verifi|valid|activ)\w*.{0,60}(adresse|e ?mail|courriel|boite|lien)"
    r"|check your (e ?mail|inbox)|verification (link|code)")
SMS_RE = re.compile(r"(\bsms\b|texto|text message|message texte).{0,80}(code|confirm|verif"
                    r"|valid)|(code|confirm|verif|valid)\w*.{0,80}(\bsms\b|texto|text message)")
NEGATION_RE = re.compile(r"(pas besoin|n.avez pas (besoin|a)|no need|don.t need|do not need"
                         r"|not need|\bsans\b|without|aucun)[^.]{0,40}$")
BLOCKS_RE = re.compile(
    r"(avant de|before (you )?(can )?|pour pouvoir|afin de pouvoir|to be able to)\W+"
    r"(\w+\W+){0,12}?(particip|vot|propos|depos|connect|publi|submit|sign in|log in|contribu"
    r"|soutenir|support)|compte (non|pas encore) activ|account (is )?not (yet )?activ")
NOT_ACTIVATED_RE = re.compile(r"non activ|not (yet )?activ|en attente de (confirmation"
                              r"|validation)|pending (confirmation|activation)")
IDP_RE = re.compile(r"france ?connect|s.identifier avec|se connecter avec|sign (in|up) with"
                    r"|log ?in with|continuer avec|continue with|connexion avec|inscri\w* avec"
                    r"|agent ?connect|pro ?connect|edu ?connect")
IDP_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("FranceConnect", re.compile(r"france ?connect")),
    ("AgentConnect / ProConnect", re.compile(r"agent ?connect|pro ?connect")),
    ("EduConnect", re.compile(r"edu ?connect")),
    ("Google", re.compile(r"\bgoogle\b")), ("Apple", re.compile(r"\bapple\b")),
    ("Facebook", re.compile(r"\bfacebook\b")), ("Microsoft", re.compile(r"\bmicrosoft\b")),
    ("GitHub", re.compile(r"\bgithub\b")), ("LinkedIn", re.compile(r"\blinkedin\b")),
)
IDP_HOST_RE = re.compile(r"franceconnect\.gouv\.fr|franceconnect\.fr|dev-franceconnect")

_CREDENTIAL = frozenset({"password", "password-confirmation", "one-time-code"})
_IDENTITY = frozenset({"pseudonym", "email", "email-confirmation", "password",
                       "password-confirmation"})
_NOT_EDITABLE = frozenset({"hidden", "submit", "button", "reset", "image"})


# --------------------------------------------------------------------------- small helpers


def _ev(cp: Checkpoint, *, selector: str = "", text: str = "", detail: str = "") -> Evidence:
    return Evidence(journey_id=cp.journey_id, step_index=cp.step_index, checkpoint=cp.index,
                    url=cp.url, selector=selector, text=text[:300], detail=detail)


def _headings(cp: Checkpoint) -> str:
    return normalise(" | ".join([cp.title, *cp.text.headings]))


def _usable(f: FormField) -> bool:
    return f.visible and not f.disabled and f.type not in _NOT_EDITABLE


def _page_forms(cp: Checkpoint) -> dict[int, list[FormField]]:
    forms: dict[int, list[FormField]] = {}
    for f in cp.fields:
        if _usable(f):
            forms.setdefault(f.form_index, []).append(f)
    return forms


def _is_search_form(fields: Sequence[FormField]) -> bool:
    return all(f.type == "search" or SEARCH_RE.search(field_text(f)) for f in fields)


def _is_login_form(fields: Sequence[FormField], cp: Checkpoint) -> bool:
    """One password field and the signs of a log-in: ``current-password``, or a "Connexion"
    page, or nothing but an identifier beside it. A sign-up page's only password form stays a
    sign-up form even with a wrong token (that is an autocomplete finding, not a log-in)."""
    passwords = [f for f in fields if f.type == "password"]
    if len(passwords) != 1:
        return False
    token = passwords[0].autocomplete.lower()
    if "new-password" in token:
        return False
    heading = _headings(cp)
    if SIGNUP_PAGE_RE.search(heading):
        password_forms = sum(any(f.type == "password" for f in fs)
                             for fs in _page_forms(cp).values())
        return "current-password" in token and password_forms > 1
    if "current-password" in token or LOGIN_PAGE_RE.search(heading):
        return True
    others = [f for f in fields if f.type not in ("password", "checkbox")]
    return len(others) <= 1


def _field_key(f: FormField) -> str:
    if f.name:
        return f.name.lower()
    if f.id:
        return "#" + f.id
    if f.label:
        return "label:" + normalise(f.label)
    return "selector:" + f.selector


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION_RE.search(text[max(0, start - 60):start]))


def _search_unnegated(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    for match in pattern.finditer(text):
        if not _negated(text, match.start()):
            return match
    return None


def _classes_in(text: str) -> list[str]:
    return [name for name, pattern in CLASS_WORDS if pattern.search(text)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- journey, forms


def find_signup_journey(run: Run) -> tuple[JourneyResult | None, str]:
    """The sign-up journey and why it was chosen (see the module docstring)."""
    for journey in run.journeys:
        if journey.id.lower() in SIGNUP_JOURNEY_IDS:
            return journey, f"journey id '{journey.id}'"
    for journey in run.journeys:
        for cp in journey.checkpoints:
            if any(f.type == "password" and "new-password" in f.autocomplete.lower()
                   and _usable(f) for f in cp.fields):
                return journey, f"password field with autocomplete new-password ({cp.url})"
    for journey in run.journeys:
        for cp in journey.checkpoints:
            for fields in _page_forms(cp).values():
                if sum(f.type == "password" for f in fields) >= 2:
                    return journey, f"two password fields in one form ({cp.url})"
    for journey in run.journeys:
        for cp in journey.checkpoints:
            if SIGNUP_PAGE_RE.search(_headings(cp)) and any(
                    f.type == "password" and _usable(f) for f in cp.fields):
                return journey, f"page title or heading says sign-up ({cp.url})"
    return None, "no journey looks like a sign-up"


@dataclass
class _Form:
    cp: Checkpoint
    index: int
    fields: list[FormField]


def _signup_forms(journey: JourneyResult) -> tuple[list[_Form], list[Checkpoint]]:
    """The sign-up forms of the journey, and its sign-up pages (first to last)."""
    cps = journey.checkpoints
    marks: list[int] = []
    for n, cp in enumerate(cps):
        forms = _page_forms(cp)
        signup_pw = any(any(f.type == "password" for f in fs) and not _is_login_form(fs, cp)
                        for fs in forms.values())
        if signup_pw or SIGNUP_PAGE_RE.search(_headings(cp)):
            marks.append(n)
    if not marks:
        marks = [n for n, cp in enumerate(cps)
                 if any(not _is_search_form(fs) and not _is_login_form(fs, cp)
                        for fs in _page_forms(cp).values())]
    if not marks:
        return [], []
    pages = cps[marks[0]:marks[-1] + 1]
    forms_out: list[_Form] = []
    for cp in pages:
        for index, fields in _page_forms(cp).items():
            if _is_search_form(fields) or _is_login_form(fields, cp):
                continue
            kept = [f for f in fields if not (f.type == "search" or (
                SEARCH_RE.search(field_text(f)) and not f.required))]
            if kept:
                forms_out.append(_Form(cp, index, kept))
    return forms_out, list(pages)


@dataclass
class _Agg:
    key: str
    first: FormField
    cp: Checkpoint
    category: Category
    screen: int
    required: bool
    required_source: str
    labels: list[str] = field(default_factory=list)
    checkpoints: list[int] = field(default_factory=list)
    paste_blocked: bool | None = None
    paste_blocked_by: str = ""


def _categories(fields: Sequence[FormField]) -> list[Category]:
    """Categories of one form's fields, with a second password / e-mail as confirmation."""
    cats = [classify_field(f) for f in fields]
    pairs: tuple[tuple[Category, Category], ...] = (
        ("password", "password-confirmation"), ("email", "email-confirmation"))
    for main, confirm in pairs:
        idx = [i for i, c in enumerate(cats) if c == main]
        if len(idx) >= 2 and confirm not in cats:
            for i in idx[1:]:
                cats[i] = confirm
    return cats


def _aggregate(forms: Sequence[_Form]) -> tuple[list[_Agg], set[int], int]:
    """Distinct fields across pages, the re-rendered checkpoints, and the screen count."""
    aggs: dict[str, _Agg] = {}
    rerendered: set[int] = set()
    screens = 0
    by_cp: dict[int, list[_Form]] = {}
    for form in forms:
        by_cp.setdefault(form.cp.index, []).append(form)
    for cp_forms in by_cp.values():
        cp = cp_forms[0].cp
        pairs = [(f, c) for form in cp_forms
                 for f, c in zip(form.fields, _categories(form.fields), strict=True)]
        keys = {_field_key(f) for f, _ in pairs}
        if keys and keys <= set(aggs):
            if cp.trigger in ("navigation", "url"):
                rerendered.add(cp.index)
        elif keys:
            screens += 1
        for f, category in pairs:
            key = _field_key(f)
            agg = aggs.get(key)
            if agg is None:
                required, source = required_marker(f, category, cp.text.full_text)
                agg = _Agg(key, f, cp, category, screens, required, source)
                aggs[key] = agg
            elif not agg.required:
                agg.required, agg.required_source = required_marker(
                    f, category, cp.text.full_text)
            if f.label and f.label not in agg.labels:
                agg.labels.append(f.label)
            if cp.index not in agg.checkpoints:
                agg.checkpoints.append(cp.index)
            if f.paste_blocked:
                if agg.paste_blocked_by in ("", "attribute"):
                    agg.paste_blocked_by = f.paste_blocked_by
                agg.paste_blocked = True
            elif f.paste_blocked is False and agg.paste_blocked is None:
                agg.paste_blocked = False
    return list(aggs.values()), rerendered, screens


def _agg_ev(agg: _Agg, detail: str = "") -> Evidence:
    return _ev(agg.cp, selector=agg.first.selector, text=" / ".join(agg.labels) or agg.key,
               detail=detail)


def _agg_label(agg: _Agg) -> str:
    return " / ".join(agg.labels) or agg.first.placeholder or agg.key


def _is_extra(category: str) -> bool:
    return category not in BASELINE and category not in NOT_PERSONAL


# --------------------------------------------------------------------------- findings


def _finding(fid: str, points: int, detail: str, evidence: Iterable[Evidence], *,
             severity: Severity | None = None, form: str = "sign-up",
             extra_sources: Sequence[Source] = ()) -> SignupFinding:
    definition = CATALOG[fid]
    sev = severity or definition.severity
    return SignupFinding(
        id=fid, severity=sev, blocking=sev == "blocking", title_en=definition.title_en,
        title_fr=definition.title_fr, detail=detail,
        sources=[*definition.sources, *extra_sources], evidence=list(evidence),
        points=points, form=form)


# Password rules ------------------------------------------------------------------------


_LOOKAHEAD_RE = re.compile(r"\(\?=([^()]*)\)")


def pattern_classes(pattern: str) -> list[str]:
    """Character classes a ``pattern`` requires through lookaheads, e.g. ``(?=.*[A-Z])``."""
    found: list[str] = []
    for body in _LOOKAHEAD_RE.findall(pattern):
        # "(?=.*X)": drop the ".*" that walks to X; what remains names the class.
        body = re.sub(r"\.\*\??|\.\+\??", "", body)
        if re.search(r"\[\^|\\W|\[:punct:\]|\\p\{P", body):
            found.append("symbol")  # a negated class ([^A-Za-z0-9]) or punctuation
            continue
        if re.search(r"A-Z|\\p\{Lu\}|\[:upper:\]", body):
            found.append("upper")
        if re.search(r"a-z|\\p\{Ll\}|\[:lower:\]", body):
            found.append("lower")
        if re.search(r"\\d|0-9|\[:digit:\]", body):
            found.append("digit")
        if re.search(r"\[[^\]]*[!@#$%&*?+=_.,;:~]", body):
            found.append("symbol")  # a class of listed symbols: [!@#$%]
    return list(dict.fromkeys(found))


def _pattern_bounds(pattern: str) -> tuple[int | None, int | None]:
    matches = list(re.finditer(r"\{(\d+),(\d*)\}", pattern))
    if not matches:
        return None, None
    last = matches[-1]  # the quantifier of the whole value comes last: ^(?=...).{8,64}$
    return int(last.group(1)), (int(last.group(2)) if last.group(2) else None)


def _stated_rules(texts: Iterable[str]) -> tuple[list[str], list[str], int | None, int | None]:
    """Rule sentences, required classes and stated bounds from hint or page text (P2)."""
    sentences: list[str] = []
    classes: list[str] = []
    min_len: int | None = None
    max_len: int | None = None
    for text in texts:
        for raw in re.split(r"[.;\n•]+", text):
            norm = normalise(raw)
            if not norm:
                continue
            stated = False
            found = _classes_in(norm)
            if found and REQUIREMENT_RE.search(norm) and not PERMISSIVE_RE.search(norm):
                classes.extend(found)
                stated = True
            for m in MIN_LENGTH_TEXT_RE.finditer(norm):
                value = int(next(g for g in m.groups() if g))
                min_len = max(min_len or 0, value)
                stated = True
            for m in MAX_LENGTH_TEXT_RE.finditer(norm):
                value = int(next(g for g in m.groups() if g))
                max_len = value if max_len is None else min(max_len, value)
                stated = True
            if stated and raw.strip() not in sentences:
                sentences.append(raw.strip())
    return sentences, list(dict.fromkeys(classes)), min_len, max_len


def classify_rejection(text: str, validity: Sequence[str] = (),
                       pattern_requires_classes: bool = False) -> list[str]:
    """Why a password was rejected, from its message and ValidityState flags (§2.8).

    The message alone decides whether a reason was *given*: a message that names none
    ("Saisie invalide (code E-412)", "Please match the requested format") is ``opaque``,
    and so is a rejection with no message at all.
    """
    norm = normalise(text)
    reasons: list[str] = []
    if norm:
        if BLOCKLIST_RE.search(norm):
            reasons.append("blocklist")
        if PERSONAL_INFO_RE.search(norm):
            reasons.append("personal-info")
        if MISMATCH_RE.search(norm):
            reasons.append("mismatch")
        if TOO_SHORT_RE.search(norm):
            reasons.append("min-length")
        if TOO_LONG_RE.search(norm):
            reasons.append("max-length")
        if LENGTH_RE.search(norm) and not {"min-length", "max-length"} & set(reasons):
            reasons.append("length")
        if _classes_in(norm):
            reasons.append("composition")
        if CHARSET_RE.search(norm):
            reasons.append("charset")
        if not reasons and STRENGTH_RE.search(norm):
            reasons.append("strength")
    opaque = not reasons or reasons == ["strength"]
    flags = set(validity)
    if "tooShort" in flags and "min-length" not in reasons:
        reasons.append("min-length")
    if "tooLong" in flags and "max-length" not in reasons:
        reasons.append("max-length")
    if "patternMismatch" in flags:
        reasons.append("composition" if pattern_requires_classes else "pattern")
    if opaque:
        reasons.append("opaque")
    return list(dict.fromkeys(reasons))


def _effective(a: ProbeAttempt) -> int:
    return a.kept_length if a.kept_length is not None else a.length


@dataclass
class _PasswordAnalysis:
    rules: PasswordRules
    findings: list[SignupFinding]
    declared_issue: bool
    stated_issue: bool
    client_issue: bool
    server_issue: bool
    opaque: list[tuple[str, Evidence]]


def _rule_texts(pw: _Agg) -> list[str]:
    """The hint, label and placeholder, and page lines that speak about the password."""
    texts = [pw.first.hint, pw.first.label, pw.first.placeholder]
    cp = pw.cp
    for item in [*cp.text.microcopy, *cp.text.main_prose.splitlines()]:
        if PASSWORD_WORD_RE.search(normalise(item)) and item not in texts:
            texts.append(item)
    return [t for t in texts if t]


def _analyse_password(pw: _Agg, probes: Sequence[PasswordProbe]) -> _PasswordAnalysis:
    f = pw.first
    pclasses = pattern_classes(f.pattern)
    pmin, pmax = _pattern_bounds(f.pattern)
    sentences, sclasses, smin, smax = _stated_rules(_rule_texts(pw))
    attempts = [a for p in probes for a in p.attempts]
    accepted = [a for a in attempts if a.accepted is True]
    rejected = [a for a in attempts if a.accepted is False]
    ev_field = _agg_ev(pw)
    probe_cp: dict[int, Evidence] = {}
    for p in probes:
        for a in p.attempts:
            probe_cp[id(a)] = Evidence(
                journey_id=p.journey_id, step_index=p.step_index, checkpoint=p.checkpoint,
                url=p.url, selector=p.field_selector or f.selector,
                text=f"{a.candidate} ({a.length} characters, {a.phase})",
                detail="; ".join(a.messages)[:300])

    rejections: list[RejectionMessage] = []
    reasons_of: dict[int, list[str]] = {}
    opaque: list[tuple[str, Evidence]] = []
    for a in rejected:
        texts = a.messages or [""]
        all_reasons: list[str] = []
        for text in texts:
            reasons = classify_rejection(text, a.validity, bool(pclasses))
            rejections.append(RejectionMessage(candidate=a.candidate, phase=a.phase,
                                               length=a.length, text=text, reasons=reasons))
            all_reasons.extend(reasons)
            if "opaque" in reasons:
                opaque.append((text or "(rejected with no message)", probe_cp[id(a)]))
        reasons_of[id(a)] = list(dict.fromkeys(all_reasons))

    # The server decides: once candidates were submitted, the browser's acceptance of a value
    # says nothing about the range the platform really takes.
    deciding = [a for a in accepted if a.phase == "server"] or [
        a for a in accepted if not any(b.phase == "server" for b in attempts)]
    acc_eff = [_effective(a) for a in deciding]
    truncated = [a for a in attempts if a.phase == "client" and a.kept_length is not None
                 and a.kept_length < a.length]
    truncated_to = min((a.kept_length for a in truncated if a.kept_length is not None),
                       default=None)

    # Bounds: the largest known lower bound of the minimum, the smallest upper bound of the max.
    lows = [v for v in (f.minlength, pmin, smin) if v]
    highs = [v for v in (f.maxlength, pmax, smax, truncated_to) if v]
    for a in rejected:
        reasons = reasons_of[id(a)]
        if "min-length" in reasons:
            lows.append(_effective(a) + 1)
        if "max-length" in reasons:
            highs.append(_effective(a) - 1)
        elif "length" in reasons and _effective(a) >= 64 and acc_eff \
                and max(acc_eff) < _effective(a):
            highs.append(_effective(a) - 1)
    min_length = max(lows) if lows else None
    max_length = min(highs) if highs else None

    # Composition: stated, declared, named by a message, or inferred from the probe.
    comp_evidence: list[str] = []
    comp_ev: list[Evidence] = []
    if pclasses:
        comp_evidence.append(f"pattern requires {', '.join(pclasses)}: {f.pattern}")
        comp_ev.append(_ev(pw.cp, selector=f.selector, text=f.pattern, detail="pattern"))
    if sclasses:
        comp_evidence.append(f"rule text requires {', '.join(sclasses)}")
        comp_ev.append(_ev(pw.cp, selector=f.selector, text=" ".join(sentences),
                           detail="stated rule"))
    for a in rejected:
        if "composition" in reasons_of[id(a)]:
            comp_evidence.append(f"{a.candidate} rejected ({a.phase}) with a message about "
                                 "character kinds")
            comp_ev.append(probe_cp[id(a)])
    # Inference, phase by phase (the browser accepting a value says nothing of the server):
    # an all-lowercase candidate rejected for no stated reason, although its length lies in
    # the accepted range, while a candidate mixing kinds was accepted.
    not_about_class = {"min-length", "max-length", "length", "blocklist", "personal-info",
                       "mismatch", "charset", "composition"}
    for phase in ("client", "server"):
        phase_ok = [a for a in accepted if a.phase == phase]
        mixed_ok = [a for a in phase_ok if set(a.classes) - {"lower"}]
        if not mixed_ok:
            continue
        lows_known = [_effective(a) for a in phase_ok] + [v for v in (f.minlength, smin) if v]
        lo, hi = min(lows_known), max(_effective(a) for a in phase_ok)
        for a in rejected:
            if a.phase != phase or set(a.classes) != {"lower"}:
                continue
            if not_about_class & set(reasons_of[id(a)]) or not lo <= _effective(a) <= hi:
                continue
            ok = mixed_ok[0]
            ok_name = ("the journey's own password" if ok.candidate == "journey"
                       else ok.candidate)
            comp_evidence.append(
                f"{a.candidate} (lowercase only, {_effective(a)} characters kept) rejected "
                f"({phase}) while {ok_name} (mixed kinds, {_effective(ok)} characters) was "
                "accepted: inferred")
            comp_ev.append(probe_cp[id(a)])
    composition: bool | None = bool(comp_evidence) if (attempts or pclasses or sclasses) \
        else None
    if composition is None and (f.pattern or sentences):
        composition = False

    blocklist: bool | None = None
    if any("blocklist" in reasons_of[id(a)] for a in rejected):
        blocklist = True
    elif any(a.candidate.lower().startswith("c_common") for a in deciding):
        blocklist = False
    spaces = _accepts(deciding, rejected, "space", reasons_of)
    unicode = _accepts(deciding, rejected, "non-ascii", reasons_of)

    rules = PasswordRules(
        field_selector=f.selector, checkpoint=pw.cp.index, declared_minlength=f.minlength,
        declared_maxlength=f.maxlength, pattern=f.pattern, pattern_classes=pclasses,
        stated_rules=sentences, stated_classes=sclasses, stated_min_length=smin,
        stated_max_length=smax, probed=bool(attempts),
        server_tested=any(p.server_tested for p in probes) or any(
            a.phase == "server" for a in attempts),
        accepted_min_length=min(acc_eff) if acc_eff else None,
        accepted_max_length=max(acc_eff) if acc_eff else None,
        min_length=min_length, max_length=max_length, composition_enforced=composition,
        composition_evidence=comp_evidence, truncates_silently=(
            bool(truncated) if any(a.phase == "client" for a in attempts) else None),
        truncated_to=truncated_to, blocklist_enforced=blocklist, spaces_accepted=spaces,
        unicode_accepted=unicode, rejections=rejections)

    findings: list[SignupFinding] = []
    if composition:
        findings.append(_finding(
            "password-composition-rules", POINTS_COMPOSITION,
            "The password must contain certain kinds of characters: "
            + "; ".join(comp_evidence) + ". NIST 800-63B forbids composition rules; the CNIL "
            "accepts length instead (14 characters, or a 7-word passphrase). Counted as "
            "friction, not as a CNIL breach.", comp_ev or [ev_field]))
    if max_length is not None and max_length < 64:
        points = POINTS_MAX_LENGTH_UNDER_20 if max_length < 20 else POINTS_MAX_LENGTH
        detail = (f"The password cannot be longer than {max_length} characters "
                  "(NIST: at least 64 should be allowed).")
        if truncated:
            detail += (f" Longer passwords are cut to {truncated_to} characters without a "
                       "message, so the password saved is not the one the person typed.")
        if max_length < 14:
            detail += (" This also rules out the CNIL's length-based option (14 characters "
                       "with no special character).")
        ev = [ev_field] + [probe_cp[id(a)] for a in truncated]
        findings.append(_finding("password-max-length", points, detail, ev,
                                 severity="major" if max_length < 20 else "minor"))
    if min_length is not None and min_length > 15:
        findings.append(_finding(
            "password-min-length", POINTS_MIN_LENGTH,
            f"The password must have at least {min_length} characters; NIST asks for 15 at "
            "most (8 with a second factor).", [ev_field]))
    declared_issue = bool(pclasses) or bool(f.maxlength and f.maxlength < 64) or bool(
        f.minlength and f.minlength > 15)
    stated_issue = bool(sclasses) or bool(smax and smax < 64) or bool(smin and smin > 15)

    def phase_issue(phase: str) -> bool:
        return any(
            a.phase == phase and ({"composition", "opaque"} & set(reasons_of[id(a)]))
            for a in rejected) or (phase == "client" and bool(truncated))

    return _PasswordAnalysis(rules, findings, declared_issue, stated_issue,
                             phase_issue("client"), phase_issue("server"), opaque)


def _accepts(accepted: Sequence[ProbeAttempt], rejected: Sequence[ProbeAttempt], kind: str,
             reasons_of: dict[int, list[str]]) -> bool | None:
    if any(kind in a.classes for a in accepted):
        return True
    if any(kind in a.classes and "charset" in reasons_of[id(a)] for a in rejected):
        return False
    return None


# Errors -------------------------------------------------------------------------------


def is_opaque_error(text: str) -> bool:
    """An error message that names neither the field nor the problem nor the fix."""
    norm = normalise(text)
    if not norm:
        return False
    errorish = ERRORISH_RE.search(norm) or ERROR_CODE_RE.search(text)
    return bool(errorish) and not FIELD_WORD_RE.search(norm) and not REASON_WORD_RE.search(norm)


# Show-password toggle -------------------------------------------------------------------


def _toggle_in(cp: Checkpoint) -> str:
    for item in cp.text.microcopy:
        norm = normalise(item)
        if TOGGLE_RE.search(norm) and (PASSWORD_WORD_RE.search(norm) or len(norm) <= 12):
            return item
    return ""


# Identity providers -------------------------------------------------------------------


def _identity_providers(cps: Iterable[Checkpoint]) -> tuple[list[str], list[Evidence]]:
    names: list[str] = []
    evidence: list[Evidence] = []
    for cp in cps:
        lines = [*cp.text.microcopy, *cp.text.full_text.splitlines()]
        for line in lines:
            norm = normalise(line)
            if not IDP_RE.search(norm):
                continue
            found = [name for name, pat in IDP_NAMES if pat.search(norm)] or ["unnamed provider"]
            new = [n for n in found if n not in names]
            if new:
                names.extend(new)
                evidence.append(_ev(cp, text=line.strip()))
        for request in cp.requests:
            if IDP_HOST_RE.search(request.url) and "FranceConnect" not in names:
                names.append("FranceConnect")
                evidence.append(_ev(cp, text=request.url, detail="request"))
    if len(names) > 1 and "unnamed provider" in names:
        names.remove("unnamed provider")
    return names, evidence


# Confirmation ---------------------------------------------------------------------------


def _confirmation(run: Run, journey: JourneyResult, after: Sequence[Checkpoint],
                  signup_pages: Sequence[Checkpoint], otp: Sequence[_Agg],
                  ) -> tuple[ConfirmationObservation, list[SignupFinding]]:
    channels: list[Literal["email", "sms"]] = []
    via: list[str] = []
    evidence: list[Evidence] = []
    blocks: bool | None = None
    step = next((s for s in journey.steps if s.kind == "open_email_link"), None)
    if step is not None:
        channels.append("email")
        via.append("open_email_link step")
        evidence.append(Evidence(journey_id=journey.id, step_index=step.index,
                                 url=step.url_after or step.url_before,
                                 text=f"step {step.index} (line {step.line}): open_email_link",
                                 detail=step.outcome))
    for cp in after:
        text = normalise(cp.text.main_prose + "\n" + cp.text.full_text)
        match = _search_unnegated(EMAIL_CONFIRM_RE, text)
        if match and "email" not in channels:
            channels.append("email")
        if match and "page text" not in via:
            via.append("page text")
            evidence.append(_ev(cp, text=_line_of(cp, match.group(0))))
        if BLOCKS_RE.search(text):
            blocks = True
    for cp in [*signup_pages, *after]:
        text = normalise(cp.text.main_prose + "\n" + "\n".join(cp.text.microcopy))
        match = _search_unnegated(SMS_RE, text)
        if match and "sms" not in channels:
            channels.append("sms")
            via.append("page text (SMS)")
            evidence.append(_ev(cp, text=_line_of(cp, match.group(0))))
    # Another journey refused for want of confirmation: participation is blocked.
    for other in run.journeys:
        if other.id == journey.id:
            continue
        for cp in other.checkpoints:
            if any(NOT_ACTIVATED_RE.search(normalise(e)) for e in cp.text.errors):
                blocks = True
                evidence.append(_ev(cp, text="; ".join(cp.text.errors)[:300],
                                    detail="another journey was refused: account not activated"))
    code_typed: bool | None = None
    findings: list[SignupFinding] = []
    if otp:
        via.append("code field")
        split = sum(1 for a in otp if a.first.maxlength == 1) >= 4
        no_autofill = [a for a in otp if "one-time-code" not in a.first.autocomplete.lower()]
        code_typed = split or bool(no_autofill)
        if code_typed:
            findings.append(_finding(
                "confirmation-code-typed", POINTS_CODE_TYPED,
                "A confirmation code must be copied by hand: "
                + ("it is split into single-character boxes; " if split else "")
                + ("the field does not declare autocomplete=one-time-code, so the browser "
                   "cannot fill it in. " if no_autofill else "")
                + "Understanding 3.3.8: a service that requires manual transcription of a "
                "verification code is not compliant.", [_agg_ev(a) for a in otp]))
    blocking_words = ("Proposing or voting waits for the confirmation."
                      if blocks else "Whether proposing or voting waits for it was not observed.")
    if "email" in channels:
        findings.append(_finding(
            "email-confirmation-required", POINTS_CONFIRMATION,
            "The person must leave the site, open their mailbox, find the message (maybe in "
            f"spam) and open its link ({', '.join(via)}). " + blocking_words,
            evidence, severity="major" if blocks else "minor"))
    if "sms" in channels:
        findings.append(_finding(
            "sms-confirmation-required", POINTS_CONFIRMATION,
            "A code is sent by text message: the person needs a mobile phone at hand and gives "
            "its number. " + blocking_words,
            [e for e in evidence if e.detail != "request"],
            severity="major" if blocks else "minor"))
    if channels or otp:
        status: Literal["required", "not_required", "not_observed", "not_run_dry_run"] = \
            "required"
        detail = f"Confirmation by {', '.join(channels) or 'code'}; {blocking_words.lower()}"
    elif run.mode == "dry-run":
        status, detail = "not_run_dry_run", "Needs the real submit (full-submit mode)."
    elif after:
        status, detail = "not_required", "No confirmation asked after the sign-up submit."
    else:
        status, detail = "not_observed", "No page after the sign-up submit was recorded."
    return ConfirmationObservation(status=status, channels=channels, via=via,
                                   code_must_be_typed=code_typed, blocks_participation=blocks,
                                   detail=detail, evidence=evidence), findings


def _line_of(cp: Checkpoint, normalised_match: str) -> str:
    for line in [*cp.text.main_prose.splitlines(), *cp.text.full_text.splitlines()]:
        if normalised_match[:30] in normalise(line):
            return line.strip()
    return normalised_match


# Captcha -------------------------------------------------------------------------------


def _captcha_findings(obs: CaptchaObservation, form: str = "sign-up") -> list[SignupFinding]:
    if not obs.present:
        return []
    ev = [t.evidence for t in obs.traces]
    kinds = ", ".join(dict.fromkeys(f"{t.provider} ({t.challenge})" for t in obs.traces))
    after = " It appears only after a first submit." if obs.appears_after_submit else ""
    if obs.cognitive and not obs.alternative_offered:
        return [_finding(
            "captcha-cognitive", POINTS_CAPTCHA_VISIBLE,
            f"CAPTCHA: {kinds}. Solving a sum, copying characters or a puzzle is a cognitive "
            "function test that no WCAG 3.3.8 exception covers, and no other way in was found "
            "on these pages (check by hand: an audio version that must be transcribed does "
            "not count)." + after, ev, form=form)]
    if obs.visible_challenge:
        alt = (" Another way in (an identity provider) is offered." if obs.alternative_offered
               else "")
        return [_finding(
            "captcha-present", POINTS_CAPTCHA_VISIBLE,
            f"CAPTCHA: {kinds}. Image selection is allowed at level AA (object recognition) "
            "but fails 3.3.9 (AAA) and stops many blind and low-vision people." + alt + after,
            ev, form=form)]
    return [_finding(
        "captcha-invisible", POINTS_CAPTCHA_INVISIBLE,
        f"CAPTCHA: {kinds}. No task is shown to most visitors, but a third-party script "
        "watches them (privacy, page weight), and some visitors still get a challenge.",
        ev, form=form)]


# Autocomplete --------------------------------------------------------------------------


def _autocomplete_findings(items: Sequence[tuple[_Agg, AutocompleteStatus, list[str]]],
                           form: str = "sign-up") -> list[SignupFinding]:
    findings: list[SignupFinding] = []
    groups: dict[str, list[tuple[_Agg, list[str]]]] = {}
    personal: list[tuple[_Agg, str]] = []
    for agg, status, expected in items:
        if status in ("ok", "not_applicable"):
            continue
        if agg.category in _IDENTITY:
            if status == "off" and agg.category in ("password", "password-confirmation"):
                fid = "autocomplete-off"
            elif status == "wrong":
                fid = "autocomplete-wrong"
            else:
                fid = "autocomplete-missing"
            groups.setdefault(fid, []).append((agg, expected))
        elif _is_extra(agg.category):
            personal.append((agg, status))
    texts = {
        "autocomplete-off": "autocomplete=\"off\" on the password: password managers and the "
                            "browser's strong-password suggestion are turned away",
        "autocomplete-missing": "no usable autocomplete token",
        "autocomplete-wrong": "an autocomplete token of another purpose",
    }
    for fid in ("autocomplete-off", "autocomplete-missing", "autocomplete-wrong"):
        group = groups.get(fid)
        if not group:
            continue
        fields = "; ".join(
            f"{_agg_label(a)} (autocomplete=\"{a.first.autocomplete}\", expected "
            f"{' or '.join(exp)})" for a, exp in group)
        findings.append(_finding(
            fid, POINTS_AUTOCOMPLETE_EACH * len(group),
            f"{texts[fid].capitalize()}: {fields}. Counted -5 per field, -15 at most for all "
            "autocomplete findings together.", [_agg_ev(a) for a, _ in group], form=form))
    if personal:
        fields = "; ".join(f"{_agg_label(a)} ({status})" for a, status in personal)
        findings.append(_finding(
            "autocomplete-personal-data-missing", 0,
            f"Fields about the person without the matching input purpose: {fields}. The "
            "browser cannot fill them in (WCAG 1.3.5); no score points, the data itself is "
            "counted by the personal-data findings.", [_agg_ev(a) for a, _ in personal],
            form=form))
    return findings


# Other password forms -------------------------------------------------------------------


def _other_forms(run: Run, signup_keys: set[tuple[int, int]], signup_probes: set[int],
                 ) -> list[OtherPasswordForm]:
    probes_at: dict[int, list[PasswordProbe]] = {}
    for j in run.journeys:
        for p in j.probes:
            if p.checkpoint is not None and id(p) not in signup_probes:
                probes_at.setdefault(p.checkpoint, []).append(p)
    seen: dict[tuple[str, tuple[str, ...]], OtherPasswordForm] = {}
    for journey in run.journeys:
        for cp in journey.checkpoints:
            for index, fields in _page_forms(cp).items():
                if (cp.index, index) in signup_keys or not any(
                        f.type == "password" for f in fields):
                    continue
                identity = (cp.url.split("?")[0].split("#")[0],
                            tuple(sorted(_field_key(f) for f in fields)))
                if identity in seen:
                    seen[identity].checkpoints.append(cp.index)
                    continue
                login = _is_login_form(fields, cp)
                kind: Literal["log-in", "password-change", "other"] = (
                    "log-in" if login else "password-change"
                    if sum(f.type == "password" for f in fields) >= 2 else "other")
                label = f"{kind} form, {cp.url}"
                seen[identity] = OtherPasswordForm(
                    kind=kind, journey_id=journey.id, checkpoint=cp.index,
                    checkpoints=[cp.index], url=cp.url, form_index=index,
                    findings=_other_form_findings(cp, fields, login, label,
                                                  probes_at.get(cp.index, [])))
    return list(seen.values())


def _other_form_findings(cp: Checkpoint, fields: Sequence[FormField], login: bool,
                         label: str, probes: Sequence[PasswordProbe]) -> list[SignupFinding]:
    aggs = [_Agg(_field_key(f), f, cp, c, 1, f.required, "", [f.label] if f.label else [],
                 [cp.index], f.paste_blocked, f.paste_blocked_by)
            for f, c in zip(fields, _categories(fields), strict=True)]
    findings: list[SignupFinding] = []
    blocked = [a for a in aggs if a.category in _CREDENTIAL and a.paste_blocked
               and a.paste_blocked_by != "attribute"]
    if blocked:
        findings.append(_finding(
            "paste-blocked", POINTS_PASTE,
            "Pasting is cancelled in: " + ", ".join(_agg_label(a) for a in blocked)
            + ". People who use a password manager or copy their password cannot log in "
            "that way (WCAG 3.3.8 failure).", [_agg_ev(a) for a in blocked], form=label))
    pw = [a for a in aggs if a.category == "password"]
    if pw and pw[0].first.maxlength is not None and pw[0].first.maxlength < 64:
        n = pw[0].first.maxlength
        findings.append(_finding(
            "password-max-length",
            POINTS_MAX_LENGTH_UNDER_20 if n < 20 else POINTS_MAX_LENGTH,
            f"maxlength={n} on the password: longer passwords are cut without a message.",
            [_agg_ev(pw[0])], severity="major" if n < 20 else "minor", form=label))
    toggles = [p.show_toggle for p in probes if p.show_toggle is not None]
    if pw and not (any(toggles) if toggles else _toggle_in(cp)):
        how = ("the probe found no control that reveals the password" if toggles else
               "no control named 'show' / 'afficher' next to the password (an icon with no "
               "accessible name does not count)")
        findings.append(_finding(
            "show-password-missing", POINTS_SHOW_PASSWORD, how[0].upper() + how[1:] + ".",
            [_agg_ev(pw[0])], form=label))
    items = [(a, *autocomplete_status(a.first, a.category, login=login)) for a in aggs]
    findings += _autocomplete_findings(items, form=label)
    findings += _captcha_findings(captcha_mod.observe([cp]), form=label)
    return sorted(findings, key=lambda f: _ORDER[f.id])


# --------------------------------------------------------------------------- score


def _score(findings: Sequence[SignupFinding], others: Sequence[OtherPasswordForm],
           measured: bool, not_observed: list[str]) -> SignupScore:
    if not measured:
        return SignupScore(measured=False, score=None, not_observed=not_observed)
    every = [*findings, *(f for o in others for f in o.findings)]
    best: dict[str, SignupFinding] = {}
    for f in every:
        kept = best.get(f.id)
        if kept is None or abs(f.points) > abs(kept.points):
            best[f.id] = f
    lines: list[ScoreLine] = []
    autocomplete_left = AUTOCOMPLETE_CAP
    for fid in sorted(best, key=lambda i: _ORDER[i]):
        f = best[fid]
        applied, note = f.points, ""
        repeats = sum(1 for g in every if g.id == fid)
        if repeats > 1:
            note = f"found on {repeats} forms, counted once (worst)"
        if fid in AUTOCOMPLETE_IDS:
            applied = max(f.points, autocomplete_left)
            autocomplete_left -= applied
            if applied != f.points:
                note = (note + "; " if note else "") + "autocomplete capped at -15"
        lines.append(ScoreLine(finding_id=fid, points=f.points, applied=applied, form=f.form,
                               note=note))
    raw = 100 + sum(line.applied for line in lines)
    blocking = [f.id for f in best.values() if f.blocking]
    return SignupScore(measured=True, score=max(0, min(100, raw)), raw=raw, lines=lines,
                       blocking=bool(blocking),
                       blocking_findings=sorted(blocking, key=lambda i: _ORDER[i]),
                       not_observed=not_observed)


# --------------------------------------------------------------------------- entry point


def _check(cid: str, title: str, status: CheckStatus, findings: Sequence[SignupFinding],
           ids: Iterable[str], detail: str = "") -> CheckResult:
    # A finding is listed under a check that found it: a passing P2 does not list a
    # composition rule that only the probe revealed. (P12's finding is a positive one.)
    listed = status == "fail" or (status == "pass" and cid == "P12")
    wanted = set(ids) if listed else set()
    found = [f.id for f in findings if f.id in wanted]
    return CheckResult(id=cid, title=title, status=status, finding_ids=found, detail=detail)


def measure_signup(run: Run) -> SignupMeasures:
    """Password and sign-up friction of a run (see the module docstring)."""
    journey, reason = find_signup_journey(run)
    forms, pages = _signup_forms(journey) if journey else ([], [])
    aggs, rerendered, screens = _aggregate(forms)
    signup_keys = {(form.cp.index, form.index) for form in forms}
    form_cp_indices = {form.cp.index for form in forms}
    selectors = {f.selector for form in forms for f in form.fields}
    # The runner may probe several forms of the journey (its log-in page too): keep the probes
    # that ran on a sign-up form; the others go to their own form.
    probes = [p for p in (journey.probes if journey else [])
              if (p.checkpoint is None or p.checkpoint in form_cp_indices)
              and (not p.field_selector or p.field_selector in selectors)]
    others = _other_forms(run, signup_keys, {id(p) for p in probes})
    dry = run.mode == "dry-run"
    notes: list[str] = []
    findings: list[SignupFinding] = []

    if journey is None or not aggs:
        if journey is not None:
            notes.append(f"journey '{journey.id}' was chosen ({reason}) but no sign-up form "
                         "was recorded on its pages")
        return _unmeasured(run, journey, reason, others, notes)

    form_cps = [c for c in pages if c.index in form_cp_indices]
    last_form = max(c.index for c in form_cps)
    after = [c for c in journey.checkpoints if c.index > last_form]
    pw_aggs = [a for a in aggs if a.category == "password"]
    otp = [a for a in aggs if a.category == "one-time-code"]
    for cp in after:  # a code asked on the page after the submit
        for fields in _page_forms(cp).values():
            for f, c in zip(fields, _categories(fields), strict=True):
                if c == "one-time-code":
                    otp.append(_Agg(_field_key(f), f, cp, c, screens, True, "", [f.label],
                                    [cp.index], f.paste_blocked, f.paste_blocked_by))

    # P4 paste ----------------------------------------------------------------------------
    credential = [a for a in [*aggs, *otp] if a.category in _CREDENTIAL]
    blocked = [a for a in credential if a.paste_blocked and a.paste_blocked_by != "attribute"]
    hinted = [a for a in credential if a.paste_blocked and a.paste_blocked_by == "attribute"]
    if blocked:
        findings.append(_finding(
            "paste-blocked", POINTS_PASTE,
            "A real paste is cancelled in: " + ", ".join(_agg_label(a) for a in blocked)
            + ". People who use a password manager, or who copy a password or a code, cannot "
            "fill these fields (Understanding 3.3.8: blocking paste fails).",
            [_agg_ev(a, a.paste_blocked_by) for a in blocked]))
    other_blocked = [a for a in aggs if a.category not in _CREDENTIAL and a.paste_blocked
                     and a.paste_blocked_by != "attribute"]
    if other_blocked:
        findings.append(_finding(
            "paste-blocked-other-field", 0,
            "Pasting is cancelled in: " + ", ".join(_agg_label(a) for a in other_blocked)
            + ". Allowing paste reduces the burden of account creation (Understanding 3.3.8); "
            "no score points.", [_agg_ev(a, a.paste_blocked_by) for a in other_blocked]))

    # P1–P3 password rules -----------------------------------------------------------------
    analysis = _analyse_password(pw_aggs[0], probes) if pw_aggs else None
    if analysis is not None:
        findings += analysis.findings

    # P5 show-password ---------------------------------------------------------------------
    show: Literal["present", "absent", "not_observed", "not_applicable"] = "not_applicable"
    show_source = ""
    if pw_aggs:
        toggles = [p.show_toggle for p in probes if p.show_toggle is not None]
        if toggles:
            show = "present" if any(toggles) else "absent"
            show_source = "probe clicked the control" if any(toggles) else \
                "probe found no control that reveals the password"
        else:
            cps_pw = [c for c in pages if c.index in pw_aggs[0].checkpoints]
            named = next((t for t in map(_toggle_in, cps_pw) if t), "")
            show = "present" if named else "absent"
            show_source = (f"control named '{named}' (not clicked)" if named else
                           "no control named show / afficher in the page's controls")
        if show == "absent":
            findings.append(_finding(
                "show-password-missing", POINTS_SHOW_PASSWORD,
                "Nothing lets the person see what they typed (" + show_source + "); an icon "
                "with no accessible name does not count.", [_agg_ev(pw_aggs[0])]))

    # P6 autocomplete ----------------------------------------------------------------------
    ac_items = [(a, *autocomplete_status(a.first, a.category)) for a in aggs]
    findings += _autocomplete_findings(ac_items)

    # P7 confirmation fields ---------------------------------------------------------------
    confirm_pw = [a for a in aggs if a.category == "password-confirmation"]
    if confirm_pw or any(p.confirm_fields > 0 for p in probes):
        findings.append(_finding(
            "confirm-password-field", POINTS_CONFIRM_FIELD,
            "The password must be typed a second time. WCAG 3.3.7 allows it (security "
            "exception), but it is extra work and a source of errors; a show-password button "
            "does the same job.",
            [_agg_ev(a) for a in confirm_pw or pw_aggs[:1]]))
    confirm_mail = [a for a in aggs if a.category == "email-confirmation"]
    if confirm_mail:
        findings.append(_finding(
            "confirm-email-field", POINTS_CONFIRM_FIELD,
            "The e-mail address must be typed a second time: "
            + ", ".join(_agg_label(a) for a in confirm_mail) + ".",
            [_agg_ev(a) for a in confirm_mail]))

    # P10 CAPTCHA, P12 identity provider ---------------------------------------------------
    idp_pages = [*pages, *(c for j in run.journeys for c in j.checkpoints
                           if any(c.index in o.checkpoints for o in others))]
    providers, idp_ev = _identity_providers(idp_pages)
    captcha = captcha_mod.observe(pages, rerendered=rerendered, alternative=bool(providers))
    findings += _captcha_findings(captcha)

    # P11 confirmation ---------------------------------------------------------------------
    confirmation, conf_findings = _confirmation(run, journey, after, pages, otp)
    findings += conf_findings

    # P8 / P9 personal data ----------------------------------------------------------------
    personal, pd_findings = _personal_data(aggs, screens)
    findings += pd_findings

    # P13 values kept ----------------------------------------------------------------------
    kept_flags = [p.values_kept_after_reject for p in probes
                  if p.values_kept_after_reject is not None]
    values_kept: bool | None = (all(kept_flags) if kept_flags else None)
    if values_kept is False:
        bad = [p for p in probes if p.values_kept_after_reject is False]
        findings.append(_finding(
            "values-lost-after-error", POINTS_VALUES_LOST,
            "After a rejected submit the other fields came back empty: everything must be "
            "typed again (WCAG 3.3.7, Understanding: submitted information is not cleared).",
            [Evidence(journey_id=p.journey_id, step_index=p.step_index,
                      checkpoint=p.checkpoint, url=p.url,
                      detail="probe: values_kept_after_reject = false") for p in bad]))

    # Opaque errors ------------------------------------------------------------------------
    opaque: list[tuple[str, Evidence]] = list(analysis.opaque) if analysis else []
    for cp in pages:
        for message in cp.text.errors:
            if is_opaque_error(message):
                opaque.append((message.strip(), _ev(cp, text=message.strip())))
    distinct: dict[str, Evidence] = {}
    for text, ev in opaque:
        distinct.setdefault(text, ev)
    if distinct:
        findings.append(_finding(
            "opaque-error-message", POINTS_OPAQUE,
            "Messages that say neither which field is wrong nor how to fix it: "
            + "; ".join(f"\"{t}\"" for t in distinct) + ".", list(distinct.values())))

    if providers:
        findings.append(_finding(
            "identity-provider-offered", POINTS_IDENTITY_PROVIDER,
            f"Another way in is offered: {', '.join(providers)}. It avoids a new password "
            "(WCAG 3.3.8 'alternative').", idp_ev))

    findings.sort(key=lambda f: _ORDER[f.id])
    checks = _checks(run, findings, analysis, probes, pw_aggs, hinted, show, show_source,
                     captcha, confirmation, providers, values_kept, rerendered, pages, personal)
    not_observed = [c.id for c in checks if c.status in ("not_observed", "not_run_dry_run")]
    if dry:
        notes.append("dry-run: the final submit was not made; server-side checks were not run "
                     "(metrics.md §0.3)")
    fields_out = [_field_out(a, status, expected) for a, status, expected in ac_items]
    return SignupMeasures(
        mode=run.mode, journey_id=journey.id, journey_reason=reason,
        checkpoints=[c.index for c in pages], fields=fields_out, personal_data=personal,
        password=analysis.rules if analysis else None, captcha=captcha,
        confirmation=confirmation, identity_providers=providers, show_password=show,
        show_password_source=show_source, values_kept_after_error=values_kept, checks=checks,
        findings=findings, other_forms=others,
        score=_score(findings, others, True, not_observed), notes=notes)


def _unmeasured(run: Run, journey: JourneyResult | None, reason: str,
                others: list[OtherPasswordForm], notes: list[str]) -> SignupMeasures:
    """No sign-up form: every sign-up check is not observed; other forms are still scored."""
    checks = [CheckResult(id=cid, title=title, status="not_observed",
                          detail="no sign-up form recorded") for cid, title in CHECK_TITLES]
    ids = [c.id for c in checks]
    return SignupMeasures(
        mode=run.mode, journey_id=journey.id if journey else None, journey_reason=reason,
        checkpoints=[], fields=[], personal_data=None, password=None,
        captcha=CaptchaObservation(present=False),
        confirmation=ConfirmationObservation(status="not_observed"), identity_providers=[],
        show_password="not_observed", show_password_source="", values_kept_after_error=None,
        checks=checks, findings=[], other_forms=others,
        score=_score([], others, bool(others), ids), notes=notes)


def _field_out(a: _Agg, status: AutocompleteStatus, expected: list[str]) -> SignupField:
    return SignupField(
        key=a.key, category=a.category, label=_agg_label(a), name=a.first.name,
        type=a.first.type, screen=a.screen, required=a.required,
        required_source=a.required_source, extra=_is_extra(a.category),
        autocomplete=a.first.autocomplete, autocomplete_status=status,
        expected_autocomplete=expected, paste_blocked=a.paste_blocked,
        paste_blocked_by=a.paste_blocked_by, checkpoints=a.checkpoints, evidence=_agg_ev(a))


def _personal_data(aggs: Sequence[_Agg], screens: int,
                   ) -> tuple[PersonalDataSummary, list[SignupFinding]]:
    extra = [a for a in aggs if _is_extra(a.category)]
    items: dict[str, list[_Agg]] = {}
    for a in extra:
        item = a.category if a.category in GROUPED_ITEMS else f"other:{a.key}"
        items.setdefault(item, []).append(a)

    def item_name(item: str, members: Sequence[_Agg]) -> str:
        if item.startswith("other:"):
            return _agg_label(members[0])
        return CATEGORY_NAMES[item][0]

    required_items = [item_name(i, m) for i, m in items.items() if any(a.required for a in m)]
    optional_items = [item_name(i, m) for i, m in items.items()
                      if not any(a.required for a in m)]
    proofs = [a for a in extra if a.category == "proof-document"]
    level, points = dlnuf_level(len(required_items))
    en, fr = count_sentences(len(aggs), screens, len(extra))
    summary = PersonalDataSummary(
        fields_total=len(aggs), screens=screens,
        required_fields=sum(a.required for a in aggs),
        optional_fields=sum(not a.required for a in aggs),
        extra_required_fields=sum(a.required for a in extra),
        extra_optional_fields=sum(not a.required for a in extra),
        extra_required_items=required_items, extra_optional_items=optional_items,
        proof_documents=[_agg_label(a) for a in proofs], dlnuf_level=level, points=points,
        sentence_en=en, sentence_fr=fr)
    findings: list[SignupFinding] = []
    req = [a for a in extra if a.required]
    if required_items:
        findings.append(_finding(
            "extra-personal-data-required", points,
            f"Required beyond pseudonym, e-mail and password: {', '.join(required_items)} "
            f"({_plural(len(required_items), 'piece')} of information in "
            f"{_plural(len(req), 'field')}). DLNUF-shaped level: {level} (DINUM counts 0 or 1 "
            f"as optimal; this score deducts 10 for one). {en}",
            [_agg_ev(a, f"required ({a.required_source})") for a in req],
            severity="minor" if len(required_items) == 1 else "major"))
    required_proofs = [a for a in proofs if a.required]
    if required_proofs:
        findings.append(_finding(
            "proof-document-required", 0,
            "A document must be uploaded: " + ", ".join(_agg_label(a) for a in required_proofs)
            + ". People without a scanner, a recent bill or a stable home are turned away; "
            "Mulhouse runs its participatory budget on trust. No extra points: it is counted "
            "in extra-personal-data-required.", [_agg_ev(a) for a in required_proofs]))
    opt = [a for a in extra if not a.required]
    if optional_items:
        findings.append(_finding(
            "extra-personal-data-optional", POINTS_OPTIONAL_EACH * len(optional_items),
            f"Optional but asked: {', '.join(optional_items)} (-2 per piece of information). "
            "Optional fields still look compulsory to many people.",
            [_agg_ev(a) for a in opt]))
    return summary, findings


CHECK_TITLES: tuple[tuple[str, str], ...] = (
    ("P1", "Declared password rules (minlength, maxlength, pattern)"),
    ("P2", "Rules stated in the hint or near the field"),
    ("P3-client", "Candidate passwords, browser-side validation"),
    ("P3-server", "Candidate passwords, server response"),
    ("P4", "Paste allowed in credential fields"),
    ("P5", "Show-password control"),
    ("P6", "Autocomplete tokens"),
    ("P7", "Confirm-password and confirm-e-mail fields"),
    ("P8", "Number of required fields"),
    ("P9", "Personal data beyond the baseline"),
    ("P10", "CAPTCHA"),
    ("P11", "E-mail or SMS confirmation"),
    ("P12", "FranceConnect or another identity provider"),
    ("P13", "Entered values kept after a rejected submit"),
    ("P14", "Participation without an account"),
)


def _checks(run: Run, findings: Sequence[SignupFinding], analysis: _PasswordAnalysis | None,
            probes: Sequence[PasswordProbe], pw_aggs: Sequence[_Agg], hinted: Sequence[_Agg],
            show: str, show_source: str, captcha: CaptchaObservation,
            confirmation: ConfirmationObservation, providers: Sequence[str],
            values_kept: bool | None, rerendered: set[int], pages: Sequence[Checkpoint],
            personal: PersonalDataSummary) -> list[CheckResult]:
    dry = run.mode == "dry-run"
    titles = dict(CHECK_TITLES)
    pw_ids = ("password-composition-rules", "password-max-length", "password-min-length")

    def status(fail: bool) -> CheckStatus:
        return "fail" if fail else "pass"

    out: list[CheckResult] = []
    na: CheckStatus = "not_applicable"
    if analysis is None:
        for cid in ("P1", "P2", "P3-client", "P3-server"):
            out.append(CheckResult(id=cid, title=titles[cid], status=na,
                                   detail="no password field in the sign-up"))
    else:
        r = analysis.rules
        out.append(_check("P1", titles["P1"], status(analysis.declared_issue), findings, pw_ids,
                          f"minlength={r.declared_minlength}, maxlength={r.declared_maxlength}, "
                          f"pattern={r.pattern!r}"))
        out.append(_check("P2", titles["P2"], status(analysis.stated_issue), findings, pw_ids,
                          " | ".join(r.stated_rules) or "no rule stated"))
        client = [a for p in probes for a in p.attempts if a.phase == "client"]
        server = [a for p in probes for a in p.attempts if a.phase == "server"]
        out.append(_check(
            "P3-client", titles["P3-client"],
            status(analysis.client_issue) if client else "not_observed", findings,
            (*pw_ids, "opaque-error-message"),
            f"{_plural(len(client), 'candidate')} typed" if client else "no probe recorded"))
        if server:
            out.append(_check("P3-server", titles["P3-server"], status(analysis.server_issue),
                              findings, (*pw_ids, "opaque-error-message"),
                              f"{_plural(len(server), 'candidate')} submitted"))
        else:
            out.append(CheckResult(id="P3-server", title=titles["P3-server"],
                                   status="not_run_dry_run" if dry else "not_observed",
                                   detail="not run (dry-run)" if dry else "no server attempt"))
    paste_detail = ("static onpaste attribute only (a hint, not proof) on: "
                    + ", ".join(_agg_label(a) for a in hinted)) if hinted else ""
    paste_tested = any(a.paste_blocked is not None for a in pw_aggs) or bool(hinted)
    paste_failed = any(f.id == "paste-blocked" for f in findings)
    p4: CheckStatus = status(paste_failed)
    if not (paste_tested or paste_failed):
        p4 = "not_observed" if pw_aggs else na
    out.append(_check("P4", titles["P4"], p4, findings,
                      ("paste-blocked", "paste-blocked-other-field"), paste_detail))
    out.append(_check("P5", titles["P5"],
                      na if show == "not_applicable" else status(show == "absent"), findings,
                      ("show-password-missing",), show_source))
    ac_ids = (*AUTOCOMPLETE_IDS, "autocomplete-personal-data-missing")
    out.append(_check("P6", titles["P6"], status(any(f.id in ac_ids for f in findings)),
                      findings, ac_ids))
    out.append(_check("P7", titles["P7"], status(any(
        f.id in ("confirm-password-field", "confirm-email-field") for f in findings)),
        findings, ("confirm-password-field", "confirm-email-field")))
    out.append(_check("P8", titles["P8"], "info", findings, (),
                      f"{personal.required_fields} required, {personal.optional_fields} "
                      f"optional, on {_plural(personal.screens, 'screen')}"))
    pd_ids = ("extra-personal-data-required", "proof-document-required",
              "extra-personal-data-optional")
    out.append(_check("P9", titles["P9"], status(any(f.id in pd_ids for f in findings)),
                      findings, pd_ids, personal.sentence_en))
    cap_ids = ("captcha-cognitive", "captcha-present", "captcha-invisible")
    out.append(_check("P10", titles["P10"], status(captcha.present), findings, cap_ids,
                      ", ".join(captcha.providers) or "none seen"))
    conf_ids = ("email-confirmation-required", "sms-confirmation-required",
                "confirmation-code-typed")
    confirmation_status: dict[str, CheckStatus] = {
        "required": "fail", "not_required": "pass", "not_observed": "not_observed",
        "not_run_dry_run": "not_run_dry_run"}
    conf_status = confirmation_status[confirmation.status]
    out.append(_check("P11", titles["P11"], conf_status, findings, conf_ids,
                      confirmation.detail))
    out.append(_check("P12", titles["P12"], "pass" if providers else "info", findings,
                      ("identity-provider-offered",),
                      ", ".join(providers) or "none offered (no deduction)"))
    if values_kept is not None:
        p13: CheckStatus = status(not values_kept)
        detail13 = "probe submitted a rejected value and read the other fields back"
    else:
        p13 = "not_run_dry_run" if dry else "not_observed"
        shown = [c.index for c in pages if c.text.errors and c.index in rerendered]
        detail13 = ("not run (dry-run)" if dry else
                    f"errors shown after a submit on checkpoint(s) {shown}, but whether the "
                    "values survived was not recorded" if shown else "no rejected submit")
    out.append(_check("P13", titles["P13"], p13, findings, ("values-lost-after-error",),
                      detail13))
    out.append(CheckResult(id="P14", title=titles["P14"], status="not_observed",
                           detail="manual check: can a visitor read, comment or vote without "
                           "an account?"))
    return out
