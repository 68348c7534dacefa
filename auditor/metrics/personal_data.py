"""What a sign-up form asks for: each field's purpose, whether it is required, its autocomplete.

Pure helpers for :mod:`auditor.metrics.signup` (metrics.md §2.6, §2.7 P6, P8, P9):

- :func:`classify_field` gives a field its *category* (pseudonym, e-mail, password, date of
  birth, phone, address...). The autocomplete token decides first, because it is the purpose
  the page itself declares (WCAG 1.3.5); then the name, id, label and placeholder are matched
  against French and English word lists. Text is compared lower-cased and without accents, with
  ``_``, ``-``, ``.`` and camelCase split into words, so ``naissance_jour``, ``dateNaissance``
  and "Date de naissance" all read "naissance".
- :func:`required_marker` says whether a field is required and how we know it: the
  ``required`` / ``aria-required`` attribute, an asterisk or the word "obligatoire" in its name,
  or (for radio groups and unlabelled selects, whose own name is an option such as "Madame") a
  short line of the page text that names the same purpose and carries an asterisk.
- :func:`autocomplete_status` parses an ``autocomplete`` value the way the HTML autofill grammar
  reads it (``section-*``, ``shipping``/``billing`` and contact modifiers dropped, the last token
  is the field name) and compares it with the tokens the category expects.
- :func:`dlnuf_level` shapes the count of *extra required* pieces of information like DINUM's
  "Dites-le-nous une fois" indicator (observatoire ``indicator-levels.ts`` @1d4ea5b).

The baseline (workshop notes, metrics.md §2.6): pseudonym, e-mail, password, their
confirmations and the consent to the terms. A CAPTCHA, a one-time code and preferences such as
a newsletter box are neither baseline nor personal data; everything else is *extra*.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from auditor.models import FormField

Category = Literal[
    "pseudonym", "email", "email-confirmation", "password", "password-confirmation", "terms",
    "captcha", "one-time-code", "preference",
    "name", "gender", "birth-date", "phone", "address", "profession", "photo",
    "proof-document", "other",
]

#: The workshop's baseline: what taking part needs (pseudo, mail, mot de passe) plus the
#: confirmations (friction, counted by P7, not personal data) and the consent to the terms.
BASELINE: frozenset[str] = frozenset({
    "pseudonym", "email", "email-confirmation", "password", "password-confirmation", "terms",
})
#: Fields that are neither baseline nor personal data.
NOT_PERSONAL: frozenset[str] = frozenset({"captcha", "one-time-code", "preference"})
#: Categories whose several controls make one piece of information (a date of birth in three
#: selects, an address in four inputs): the DLNUF scale counts information, not inputs.
GROUPED_ITEMS: frozenset[str] = frozenset({
    "name", "gender", "birth-date", "phone", "address", "profession", "photo", "proof-document",
})

#: Plain names of the categories, English and French, for sentences and finding details.
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "pseudonym": ("pseudonym", "pseudonyme"),
    "email": ("e-mail address", "adresse e-mail"),
    "email-confirmation": ("e-mail confirmation", "confirmation de l'e-mail"),
    "password": ("password", "mot de passe"),
    "password-confirmation": ("password confirmation", "confirmation du mot de passe"),
    "terms": ("consent to the terms", "acceptation des conditions"),
    "captcha": ("CAPTCHA", "CAPTCHA"),
    "one-time-code": ("one-time code", "code à usage unique"),
    "preference": ("preference", "préférence"),
    "name": ("real name", "nom et prénom"),
    "gender": ("title or gender", "civilité ou genre"),
    "birth-date": ("date of birth or age", "date de naissance ou âge"),
    "phone": ("phone number", "numéro de téléphone"),
    "address": ("postal address", "adresse postale"),
    "profession": ("profession or organisation", "profession ou organisation"),
    "photo": ("photo", "photo"),
    "proof-document": ("proof document", "justificatif"),
    "other": ("other question", "autre question"),
}

#: Autofill field names of the HTML standard (WHATWG "autofill field" table), the vocabulary of
#: WCAG 1.3.5's "Input Purposes" list.
VALID_FIELD_NAMES: frozenset[str] = frozenset({
    "name", "honorific-prefix", "given-name", "additional-name", "family-name",
    "honorific-suffix", "nickname", "username", "new-password", "current-password",
    "one-time-code", "organization-title", "organization", "street-address", "address-line1",
    "address-line2", "address-line3", "address-level4", "address-level3", "address-level2",
    "address-level1", "country", "country-name", "postal-code", "cc-name", "cc-given-name",
    "cc-additional-name", "cc-family-name", "cc-number", "cc-exp", "cc-exp-month",
    "cc-exp-year", "cc-csc", "cc-type", "transaction-currency", "transaction-amount",
    "language", "bday", "bday-day", "bday-month", "bday-year", "sex", "url", "photo", "tel",
    "tel-country-code", "tel-national", "tel-area-code", "tel-local", "tel-local-prefix",
    "tel-local-suffix", "tel-extension", "email", "impp",
})
#: Tokens that may precede the field name and do not change its purpose.
_MODIFIERS = frozenset({"shipping", "billing", "home", "work", "mobile", "fax", "pager"})

_ADDRESS_TOKENS = frozenset({
    "street-address", "address-line1", "address-line2", "address-line3", "address-level1",
    "address-level2", "address-level3", "address-level4", "postal-code", "country",
    "country-name",
})
_TEL_TOKENS = frozenset(t for t in VALID_FIELD_NAMES if t.startswith("tel"))

#: Which tokens each category may carry (metrics.md §2.7 P6; WCAG 1.3.5 Input Purposes).
EXPECTED_TOKENS: dict[str, frozenset[str]] = {
    "pseudonym": frozenset({"nickname", "username"}),
    "email": frozenset({"email", "username"}),
    "email-confirmation": frozenset({"email", "username"}),
    "password": frozenset({"new-password"}),
    "password-confirmation": frozenset({"new-password"}),
    "one-time-code": frozenset({"one-time-code"}),
    "name": frozenset({"name", "given-name", "family-name", "additional-name",
                       "honorific-prefix", "honorific-suffix"}),
    "gender": frozenset({"sex", "honorific-prefix"}),
    "birth-date": frozenset({"bday", "bday-day", "bday-month", "bday-year"}),
    "phone": _TEL_TOKENS,
    "address": _ADDRESS_TOKENS,
    "profession": frozenset({"organization", "organization-title"}),
}
#: On a log-in form the password is the current one.
LOGIN_EXPECTED_TOKENS: dict[str, frozenset[str]] = {
    **EXPECTED_TOKENS,
    "password": frozenset({"current-password"}),
    "pseudonym": frozenset({"username", "email"}),
    "email": frozenset({"username", "email"}),
}

#: Category of each known token (the page's own declaration of purpose).
_TOKEN_CATEGORY: dict[str, Category] = {
    "nickname": "pseudonym", "username": "pseudonym", "email": "email",
    "new-password": "password", "current-password": "password",
    "one-time-code": "one-time-code", "sex": "gender", "honorific-prefix": "gender",
    "name": "name", "given-name": "name", "family-name": "name", "additional-name": "name",
    "honorific-suffix": "name", "bday": "birth-date", "bday-day": "birth-date",
    "bday-month": "birth-date", "bday-year": "birth-date", "organization": "profession",
    "organization-title": "profession", "photo": "photo",
    **{t: "phone" for t in _TEL_TOKENS},
    **{t: "address" for t in _ADDRESS_TOKENS},
}

# Word lists, matched on accent-free lower-case text (see :func:`normalise`). Order matters in
# :func:`classify_field`: e-mail before address ("adresse électronique"), pseudonym before name
# ("nom d'utilisateur"), postal code excluded from one-time codes.
CONFIRM_RE = re.compile(
    r"confirm|verif|repet|ressaisi|retap|re ?saisi|retype|re ?type|re ?enter|repeat|again"
    r"|encore|identique|deuxieme|second")
EMAIL_RE = re.compile(r"e ?mail|courriel|\bmel\b|adresse electronique|electronic mail")
PSEUDONYM_RE = re.compile(
    r"pseudo|nickname|user ?name|\blogin\b|identifiant|nom d.utilisateur|nom affiche"
    r"|display ?name|screen ?name|nom public")
OTP_RE = re.compile(
    r"one ?time|\botp\b|code (de |d.)?(verification|confirmation|validation|activation)"
    r"|(verification|confirmation|security|sms) code|code (recu|envoye)|\bcode\b")
POSTAL_RE = re.compile(r"code postal|postal|\bzip\b|\bcp\b")
CAPTCHA_FIELD_RE = re.compile(
    r"captcha|turnstile|\brobot\b|anti ?spam|anti ?robot|code de securite|security code"
    r"|verification de securite|security check|combien font|how much is")
GENDER_RE = re.compile(
    r"genre|sexe|civilite|gender|\bsex\b|\bmadame\b|\bmonsieur\b|\bmme\b|\bmrs?\b|\bms\b"
    r"|honorific")
BIRTH_RE = re.compile(
    r"naissance|\bage\b|birth|\bdob\b|\bnee? le\b|birthday|anniversaire|majeur|mineur"
    r"|\bans\b|years? old")
PHONE_RE = re.compile(
    r"telephone|\btel\b|mobile|portable|phone|\bcell|\bgsm\b|\bsms\b")
ADDRESS_RE = re.compile(
    r"adresse|address|code postal|postal|\bcp\b|\bzip|ville|commune|\bcity\b|\btown\b"
    r"|quartier|district|neighbou?rhood|\brue\b|\bvoie\b|street|complement|\bpays\b"
    r"|country|arrondissement|residence|domicile|\biris\b|lieu de vie")
NAME_RE = re.compile(
    r"\bnom\b|prenom|\bname\b|first ?name|last ?name|surname|given ?name|family ?name"
    r"|\bnoms?\b de famille|full ?name")
PROFESSION_RE = re.compile(
    r"profession|metier|emploi|occupation|\bjob\b|organisation|organization|entreprise"
    r"|company|employeur|employer|structure|association|fonction|\bcsp\b|socio ?prof")
TERMS_RE = re.compile(
    r"\bcgu\b|\bcgv\b|conditions|terms|j.accepte|i accept|i agree|accept|consent|rgpd|gdpr"
    r"|privacy|confidentialite|charte|reglement|donnees personnelles")
PREFERENCE_RE = re.compile(
    r"newsletter|lettre d.info|infolettre|actualit|notification|se souvenir|remember"
    r"|rester connecte|keep me|stay signed|m.informer|inform me")
PHOTO_RE = re.compile(r"photo|avatar|image de profil|profile (picture|image)|portrait")

#: Markers of a required field in its own name or hint.
REQUIRED_WORD_RE = re.compile(r"obligatoire|required|requis|mandatory")
OPTIONAL_WORD_RE = re.compile(r"optionnel|facultati|optional|non obligatoire|not required")

#: The regex that recognises each category in a line of page text (for the page-text fallback
#: of :func:`required_marker`).
CATEGORY_TEXT_RE: dict[str, re.Pattern[str]] = {
    "gender": GENDER_RE, "birth-date": BIRTH_RE, "phone": PHONE_RE, "address": ADDRESS_RE,
    "name": NAME_RE, "profession": PROFESSION_RE,
}

#: Personal-data categories in the order they are tried (gender before name: "civilité").
_PERSONAL_PATTERNS: tuple[tuple[Category, re.Pattern[str]], ...] = (
    ("gender", GENDER_RE), ("birth-date", BIRTH_RE), ("phone", PHONE_RE),
    ("address", ADDRESS_RE), ("name", NAME_RE), ("profession", PROFESSION_RE),
)

_SPLIT_RE = re.compile(r"[_\-.\[\]/:()]+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalise(text: str) -> str:
    """Lower-case, accent-free words: ``dateNaissance_jour`` -> ``date naissance jour``."""
    text = _CAMEL_RE.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").lower()
    return " ".join(_SPLIT_RE.sub(" ", text).split())


def field_text(field: FormField) -> str:
    """Everything that names a field, normalised: name, id, label, placeholder."""
    return normalise(" | ".join(
        part for part in (field.name, field.id, field.label, field.placeholder) if part))


def autocomplete_field_name(value: str) -> str:
    """The field name of an ``autocomplete`` value, ``"off"``, ``"on"`` or ``""``.

    ``"section-a shipping street-address"`` -> ``street-address``; ``"username webauthn"``
    -> ``username``; an unknown word is returned as it is, for :func:`autocomplete_status`.
    """
    tokens = [t for t in value.lower().split()
              if not t.startswith("section-") and t not in _MODIFIERS and t != "webauthn"]
    return tokens[-1] if tokens else ""


AutocompleteStatus = Literal["ok", "missing", "off", "wrong", "not_applicable"]

#: Controls where an autocomplete purpose does not apply (radio, checkbox, file) or that we do
#: not judge (a CAPTCHA answer, a preference box).
_NO_AUTOCOMPLETE_TYPES = frozenset({"radio", "checkbox", "file", "range", "color", "submit",
                                    "button", "image", "reset", "hidden", "contenteditable"})


def autocomplete_status(field: FormField, category: str, *, login: bool = False,
                        ) -> tuple[AutocompleteStatus, list[str]]:
    """How the field's autocomplete matches its category, and the tokens expected.

    ``missing`` covers no attribute, ``on`` and an empty value; ``off`` is reported apart
    because on a password it turns password managers away; ``wrong`` is a valid token of
    another purpose or a word that is no token at all.
    """
    expected_by = LOGIN_EXPECTED_TOKENS if login else EXPECTED_TOKENS
    expected = expected_by.get(category)
    if expected is None or field.type in _NO_AUTOCOMPLETE_TYPES:
        return "not_applicable", []
    token = autocomplete_field_name(field.autocomplete)
    tokens = sorted(expected)
    if token in ("", "on"):
        return "missing", tokens
    if token == "off":
        return "off", tokens
    if token in expected:
        return "ok", tokens
    return "wrong", tokens


def classify_field(field: FormField) -> Category:
    """The purpose of one field (see the module docstring for the order of the tests)."""
    text = field_text(field)
    ftype = field.type.lower()
    token = autocomplete_field_name(field.autocomplete)
    confirm = bool(CONFIRM_RE.search(text))
    if ftype == "file":
        return "photo" if PHOTO_RE.search(text) else "proof-document"
    if token == "one-time-code":
        return "one-time-code"
    if ftype == "password":
        return "password-confirmation" if confirm else "password"
    if CAPTCHA_FIELD_RE.search(text):
        return "captcha"
    if ftype in ("checkbox", "radio"):
        if TERMS_RE.search(text):
            return "terms"
        if PREFERENCE_RE.search(text):
            return "preference"
    by_token = _TOKEN_CATEGORY.get(token)
    if by_token is not None:
        if by_token == "pseudonym" and (ftype == "email" or EMAIL_RE.search(text)):
            by_token = "email"
        if by_token == "email" and confirm:
            return "email-confirmation"
        return by_token
    if ftype == "email" or EMAIL_RE.search(text):
        return "email-confirmation" if confirm else "email"
    if PSEUDONYM_RE.search(text):
        return "pseudonym"
    if OTP_RE.search(text) and not POSTAL_RE.search(text):
        return "one-time-code"
    if ftype == "tel":
        return "phone"
    for category, pattern in _PERSONAL_PATTERNS:
        if pattern.search(text):
            return category
    if ftype in ("checkbox", "radio"):
        return "preference" if not field.required else "other"
    return "other"


RequiredSource = Literal["attribute", "asterisk", "text", "page-text", ""]


def required_marker(field: FormField, category: str, page_text: str = "",
                    ) -> tuple[bool, RequiredSource]:
    """Whether the field is required, and what says so (see the module docstring)."""
    if field.required:
        return True, "attribute"
    own = " ".join(p for p in (field.label, field.placeholder, field.hint) if p)
    if OPTIONAL_WORD_RE.search(normalise(own)):
        return False, ""
    if "*" in own:
        return True, "asterisk"
    if REQUIRED_WORD_RE.search(normalise(own)):
        return True, "text"
    # A radio group or an unlabelled select names an option, not the question: look for a
    # short line of the page (the group's visible question) that names the same purpose.
    grouped = field.type in ("radio", "checkbox", "select") or field.label_source in ("", "none")
    pattern = CATEGORY_TEXT_RE.get(category)
    if grouped and pattern is not None and page_text:
        for line in page_text.splitlines():
            line = line.strip()
            if not line or len(line) > 80:
                continue
            norm = normalise(line)
            if pattern.search(norm) and ("*" in line or REQUIRED_WORD_RE.search(norm)):
                return True, "page-text"
    return False, ""


DlnufLevel = Literal["optimal", "partiel", "faible"]


def dlnuf_level(extra_required_items: int) -> tuple[DlnufLevel, int]:
    """The DLNUF-shaped level and the §2.9 points for a count of extra required items.

    DINUM: Optimal = "aucune ou une seule information est requise", Partiel = 2–4,
    Faible = more than 4. The §2.9 score (Proposed) still deducts 10 for one extra item.
    """
    if extra_required_items <= 0:
        return "optimal", 0
    if extra_required_items == 1:
        return "optimal", -10
    if extra_required_items <= 4:
        return "partiel", -25
    return "faible", -40


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def count_sentences(fields: int, screens: int, extra: int) -> tuple[str, str]:
    """The plain count sentence, English and French."""
    en = (f"The sign-up asks {_plural(fields, 'field', 'fields')} on "
          f"{_plural(screens, 'screen', 'screens')}; ")
    fr = (f"L'inscription demande {_plural(fields, 'champ', 'champs')} sur "
          f"{_plural(screens, 'écran', 'écrans')} ; ")
    if extra == 0:
        en += ("none of them asks for personal data beyond a pseudonym, an e-mail address "
               "and a password.")
        fr += ("aucun ne demande de donnée personnelle au-delà d'un pseudonyme, d'une adresse "
               "e-mail et d'un mot de passe.")
    else:
        en += (f"{extra} of them {'asks' if extra == 1 else 'ask'} for personal data that is "
               "not needed to take part.")
        fr += (f"{extra} {'demande' if extra == 1 else 'demandent'} des données personnelles "
               "qui ne sont pas nécessaires pour participer.")
    return en, fr
