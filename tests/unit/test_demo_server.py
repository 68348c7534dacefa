"""HTTP-level tests of the embedded demo platform (no browser).

Each test starts a real `DemoServer` on port 0 and talks to it with urllib, as a browser without
JavaScript would: the server-side behaviour the auditor's measures rely on (validation, values
kept or wiped, e-mail confirmation, vote counters, heavy assets, third-party hosts) is checked
here; what needs JavaScript (paste blocking, the client-rendered vote button, axe-core) is left
to the e2e tests.
"""

from __future__ import annotations

import email
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import Message
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor.demo import DemoServer, start_demo
from auditor.demo.forms import parse_form
from auditor.demo.richtext import sanitise_html

PRESETS = Path(__file__).resolve().parents[2] / "auditor" / "journeys" / "presets"
PROOF_PDF = PRESETS / "files" / "justificatif-domicile.pdf"
GOOD_PASSWORD = "Kp7!vRx2@mQa"  # the shape of the runner's generated identity password


@dataclass
class Page:
    """A fetched page: final URL after redirects, status, raw body and parsed HTML."""

    url: str
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def html(self) -> BeautifulSoup:
        return BeautifulSoup(self.body, "html.parser")

    @property
    def rendered(self) -> str:
        """The page's text as a reader gets it: entities decoded, whitespace collapsed."""
        return " ".join(self.html.get_text(" ").split())


class Client:
    """A cookie-keeping HTTP client that follows redirects (303 -> GET), like a browser."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=10) as response:
                return Page(response.url, response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Page(error.url, error.code, error.headers, error.read())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Page:
        return self._open(urllib.request.Request(self.base_url + path, headers=headers or {}))

    def post(self, path: str, fields: dict[str, str]) -> Page:
        data = urllib.parse.urlencode(fields).encode("utf-8")
        return self._open(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Page:
        boundary = "----demo-test-boundary-7d3a"
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + value.encode("utf-8")
                + b"\r\n"
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request)


@pytest.fixture
def inclusive() -> Iterator[DemoServer]:
    with start_demo("inclusive") as server:
        yield server


@pytest.fixture
def exclusionary() -> Iterator[DemoServer]:
    with start_demo("exclusionary") as server:
        yield server


def input_value(page: Page, name: str) -> str:
    """The value attribute the server rendered for a named input ('' when absent)."""
    element = page.html.find("input", attrs={"name": name})
    assert element is not None, f"no input named {name!r}"
    return str(element.get("value", ""))


# --- server lifecycle ------------------------------------------------------------------------


def test_start_demo_gives_a_live_url_and_mailbox_then_cleans_up() -> None:
    server = start_demo("inclusive")
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        assert server.variant == "inclusive"
        assert server.mailbox_dir.is_dir()
        assert Client(server.base_url).get("/").status == 200
    finally:
        server.stop()
    assert not server.mailbox_dir.exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.base_url + "/", timeout=2)
    server.stop()  # a second stop is harmless


def test_both_variants_run_side_by_side_on_different_ports() -> None:
    with start_demo("inclusive") as first, start_demo("exclusionary") as second:
        assert first.base_url != second.base_url
        assert (
            "Soutenir cette proposition" in Client(first.base_url).get("/propositions/1").rendered
        )
        assert "widget-vote" in Client(second.base_url).get("/propositions/1").text


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError):
        DemoServer("accessible")  # type: ignore[arg-type]


# --- pages and languages -----------------------------------------------------------------------

PUBLIC_PAGES = ["/", "/inscription", "/connexion", "/propositions", "/propositions/1"]


@pytest.mark.parametrize("variant", ["inclusive", "exclusionary"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_exists_in_french_and_english(variant: str, path: str) -> None:
    with start_demo(variant) as server:  # type: ignore[arg-type]
        client = Client(server.base_url)
        french = client.get(path)
        english = client.get("/en" + path)
    assert french.status == 200 and english.status == 200
    assert french.html.html is not None and english.html.html is not None
    assert french.html.html["lang"] == "fr"
    assert english.html.html["lang"] == "en"
    # A visible language switch points to the same page in the other language.
    assert french.html.find("a", href="/en" + (path if path != "/" else "/")) is not None
    assert english.html.find("a", href=path) is not None


def test_unknown_page_is_a_404(inclusive: DemoServer) -> None:
    page = Client(inclusive.base_url).get("/nulle-part")
    assert page.status == 404
    assert "Page introuvable" in page.rendered


# --- inclusive sign-up ---------------------------------------------------------------------------


def test_inclusive_sign_up_asks_three_fields_with_autocomplete_and_no_maxlength(
    inclusive: DemoServer,
) -> None:
    form = Client(inclusive.base_url).get("/inscription").html.find("form", action="/inscription")
    assert form is not None
    fields = [
        element
        for element in form.find_all(["input", "select", "textarea"])
        if element.get("type") != "hidden"
    ]
    assert [(f["name"], f["autocomplete"]) for f in fields] == [
        ("pseudonyme", "nickname"),
        ("email", "email"),
        ("mot_de_passe", "new-password"),
    ]
    for field in fields:
        label = form.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True)
    password = form.find("input", attrs={"name": "mot_de_passe"})
    assert password.get("maxlength") is None and password.get("onpaste") is None
    toggle = form.find("button", attrs={"aria-controls": password["id"]})
    assert toggle is not None and toggle["type"] == "button"
    assert toggle["aria-pressed"] == "false"
    assert toggle.get_text(strip=True) == "Afficher le mot de passe"


def test_inclusive_invalid_sign_up_keeps_values_and_names_the_field_and_fix(
    inclusive: DemoServer,
) -> None:
    page = Client(inclusive.base_url).post(
        "/inscription",
        {"pseudonyme": "Camille", "email": "camille@exemple.fr", "mot_de_passe": "court"},
    )
    assert page.status == 200 and page.url.endswith("/inscription")
    summary = page.html.find(attrs={"role": "alert"})
    assert summary is not None
    message = "Le mot de passe doit contenir au moins 8 caractères."
    assert message in summary.get_text()
    # Every value survives the rejected submit (WCAG 3.3.7).
    assert input_value(page, "pseudonyme") == "Camille"
    assert input_value(page, "email") == "camille@exemple.fr"
    assert input_value(page, "mot_de_passe") == "court"
    # The per-field message is linked to the field.
    password = page.html.find("input", attrs={"name": "mot_de_passe"})
    assert password["aria-invalid"] == "true"
    error_id = "mot-de-passe-erreur"
    assert error_id in password["aria-describedby"].split()
    error = page.html.find(id=error_id)
    assert error is not None and error.get_text(strip=True) == message
    # The fields that were right are not flagged.
    assert page.html.find("input", attrs={"name": "email"}).get("aria-invalid") is None


def test_inclusive_invalid_email_error_names_field_and_example(inclusive: DemoServer) -> None:
    page = Client(inclusive.base_url).post(
        "/inscription",
        {"pseudonyme": "Camille", "email": "camille-exemple.fr", "mot_de_passe": "tournesol"},
    )
    assert "L'adresse e-mail doit avoir la forme nom@exemple.fr." in page.rendered
    assert input_value(page, "mot_de_passe") == "tournesol"


def test_inclusive_english_errors_are_in_english(inclusive: DemoServer) -> None:
    page = Client(inclusive.base_url).post(
        "/en/inscription", {"pseudonyme": "", "email": "a@b.fr", "mot_de_passe": "12345678"}
    )
    assert page.html.html is not None and page.html.html["lang"] == "en"
    assert "The pseudonym is required." in page.rendered


def test_inclusive_sign_up_logs_in_at_once_without_email_confirmation(
    inclusive: DemoServer,
) -> None:
    client = Client(inclusive.base_url)
    # Passphrase with spaces and accents, no composition rule: accepted.
    page = client.post(
        "/inscription",
        {
            "pseudonyme": "Camille",
            "email": "camille@exemple.fr",
            "mot_de_passe": "été à la forêt verte",
        },
    )
    assert page.url.endswith("/bienvenue")
    status = page.html.find(attrs={"role": "status"})
    assert status is not None and "Votre compte est créé" in status.get_text()
    form = client.get("/propositions/nouvelle")
    assert form.url.endswith("/propositions/nouvelle")
    assert form.html.find("form", id="formulaire-proposition") is not None
    assert list(inclusive.mailbox_dir.iterdir()) == []
    # The same account can log in again with the full password.
    other = Client(inclusive.base_url)
    logged = other.post(
        "/connexion", {"email": "camille@exemple.fr", "mot_de_passe": "été à la forêt verte"}
    )
    assert "Vous êtes connecté." in logged.rendered


def test_inclusive_duplicate_email_is_explained(inclusive: DemoServer) -> None:
    fields = {"pseudonyme": "Camille", "email": "camille@exemple.fr", "mot_de_passe": "tournesol"}
    Client(inclusive.base_url).post("/inscription", fields)
    page = Client(inclusive.base_url).post("/inscription", fields | {"pseudonyme": "Camille2"})
    assert "Cette adresse e-mail a déjà un compte." in page.rendered


# --- inclusive proposals and votes ------------------------------------------------------------


def signed_up_inclusive(server: DemoServer) -> Client:
    client = Client(server.base_url)
    page = client.post(
        "/inscription",
        {"pseudonyme": "Karim", "email": "karim@exemple.fr", "mot_de_passe": "tournesol"},
    )
    assert page.url.endswith("/bienvenue")
    return client


def vote_count(page: Page, proposal_id: int) -> int:
    counter = page.html.find(id=f"compteur-{proposal_id}")
    assert counter is not None
    return int(counter["data-votes"])


def test_inclusive_vote_in_one_action_increments_the_counter(inclusive: DemoServer) -> None:
    client = signed_up_inclusive(inclusive)
    before = vote_count(client.get("/propositions/1"), 1)
    assert before == 12
    page = client.post("/propositions/1/soutenir", {"retour": "/propositions/1"})
    assert page.url.endswith("/propositions/1")
    status = page.html.find(attrs={"role": "status"})
    assert status is not None and "Votre soutien est enregistré" in status.get_text()
    assert vote_count(page, 1) == before + 1
    # One vote per person: a second click does not count twice.
    again = client.post("/propositions/1/soutenir", {"retour": "/propositions/1"})
    assert vote_count(again, 1) == before + 1
    assert "Vous soutenez déjà cette proposition." in again.rendered


def test_inclusive_vote_from_the_list_comes_back_to_the_list(inclusive: DemoServer) -> None:
    client = signed_up_inclusive(inclusive)
    page = client.post("/propositions/2/soutenir", {"retour": "/propositions"})
    assert urllib.parse.urlsplit(page.url).path == "/propositions"
    assert vote_count(page, 2) == 9


def test_inclusive_vote_needs_an_account(inclusive: DemoServer) -> None:
    client = Client(inclusive.base_url)
    page = client.post("/propositions/1/soutenir", {"retour": "/propositions/1"})
    assert "/connexion" in page.url
    assert vote_count(client.get("/propositions/1"), 1) == 12


def test_inclusive_proposal_is_published_with_sanitised_rich_text(inclusive: DemoServer) -> None:
    client = signed_up_inclusive(inclusive)
    page = client.post(
        "/propositions/nouvelle",
        {
            "titre": "Un jardin partagé",
            "description": '<p onclick="x()">Un <b>jardin</b><script>alert(1)</script></p>',
            "description_format": "html",
            "categorie": "nature",
        },
    )
    assert re.search(r"/propositions/\d+$", page.url)
    assert "Votre proposition est publiée" in page.rendered
    description = page.html.find("div", class_="description")
    assert description is not None
    assert str(description) == '<div class="description"><p>Un <strong>jardin</strong></p></div>'


def test_inclusive_invalid_proposal_keeps_values(inclusive: DemoServer) -> None:
    client = signed_up_inclusive(inclusive)
    page = client.post(
        "/propositions/nouvelle",
        {"titre": "Un jardin", "description": "", "description_format": "text", "categorie": ""},
    )
    assert input_value(page, "titre") == "Un jardin"
    alert = page.html.find(attrs={"role": "alert"})
    assert alert is not None
    assert "La description est obligatoire." in alert.get_text()
    assert "La catégorie est obligatoire." in alert.get_text()


def test_inclusive_pages_are_light_and_first_party_only(inclusive: DemoServer) -> None:
    client = Client(inclusive.base_url)
    total = 0
    for path in ("/", "/inscription", "/propositions"):
        page = client.get(path)
        total += len(page.body)
        for element in page.html.find_all(["script", "link", "img"]):
            url = element.get("src") or element.get("href") or ""
            assert not urllib.parse.urlsplit(url).netloc, f"third-party request: {url}"
    for asset in ("/static/inclusive.css", "/static/inclusive.js"):
        total += len(client.get(asset).body)
    assert total < 40_000
    assert not inclusive.base_url.endswith("/")


# --- exclusionary sign-up ------------------------------------------------------------------------

IDENTITY = {
    "civilite": "mme",
    "nom": "Dupont",
    "prenom": "Camille",
    "pseudo": "camille",
    "email": "camille@exemple.fr",
    "email_confirmation": "camille@exemple.fr",
    "mot_de_passe": GOOD_PASSWORD,
    "mot_de_passe_confirmation": GOOD_PASSWORD,
    "naissance_jour": "14",
    "naissance_mois": "07",
    "naissance_annee": "1985",
}
CONTACT = {
    "telephone": "0612345678",
    "adresse": "12 rue des Lilas",
    "complement": "",
    "code_postal": "47300",
    "commune": "Villeneuve",
}


def test_exclusionary_sign_up_form_carries_the_documented_barriers(
    exclusionary: DemoServer,
) -> None:
    page = Client(exclusionary.base_url).get("/inscription")
    html = page.html
    assert html.find(id="bandeau-cookies") is not None
    assert "Tout accepter" in html.find(id="bandeau-cookies").get_text()
    passwords = html.find_all("input", attrs={"type": "password"})
    assert len(passwords) == 2  # confirm-password field
    for password in passwords:
        assert password["maxlength"] == "12"
        assert password["onpaste"] == "return false"
        assert password["autocomplete"] == "off"
    assert html.find("input", attrs={"name": "email_confirmation"}) is not None
    for name in ("nom", "prenom", "pseudo", "email"):
        field = html.find("input", attrs={"name": name})
        assert field.get("id") is None and field["placeholder"].endswith("*")
        assert field["autocomplete"] == "off"
    assert html.find("select", attrs={"name": "naissance_annee"}) is not None
    # No hint states the composition rules anywhere on the page.
    assert not re.search(r"majuscule|chiffre|caractère spécial", page.text, re.IGNORECASE)


def test_exclusionary_password_without_special_character_gets_an_opaque_code_and_wipes_values(
    exclusionary: DemoServer,
) -> None:
    page = Client(exclusionary.base_url).post(
        "/inscription",
        IDENTITY | {"mot_de_passe": "Tournesol12", "mot_de_passe_confirmation": "Tournesol12"},
    )
    assert page.status == 200 and page.url.endswith("/inscription")
    alert = page.html.find(attrs={"role": "alert"})
    assert alert is not None and alert.get_text(strip=True) == "Saisie invalide (code E-412)."
    # The message names neither the field nor the rule, and everything typed is gone.
    assert "Dupont" not in page.text and "camille@exemple.fr" not in page.text
    for name in ("nom", "prenom", "pseudo", "email", "mot_de_passe"):
        assert input_value(page, name) == ""


@pytest.mark.parametrize(
    "password",
    ["tournesol", "Kp7!vRx2@mQa9", "pluie douce sur le jardin", "KP7!VRX2@MQA"],
)
def test_exclusionary_rejects_passwords_nist_would_accept(
    exclusionary: DemoServer, password: str
) -> None:
    page = Client(exclusionary.base_url).post(
        "/inscription",
        IDENTITY | {"mot_de_passe": password, "mot_de_passe_confirmation": password},
    )
    assert "Saisie invalide (code E-412)." in page.rendered


def test_exclusionary_other_errors_are_just_erreur_de_saisie(exclusionary: DemoServer) -> None:
    page = Client(exclusionary.base_url).post(
        "/inscription", IDENTITY | {"email_confirmation": "autre@exemple.fr"}
    )
    assert page.html.find(attrs={"role": "alert"}).get_text(strip=True) == "Erreur de saisie."


def walk_exclusionary_wizard(client: Client) -> Page:
    step2 = client.post("/inscription", IDENTITY)
    assert step2.url.endswith("/inscription/coordonnees"), step2.text
    step3 = client.post("/inscription/coordonnees", CONTACT)
    assert step3.url.endswith("/inscription/justificatif")
    assert "Combien font sept plus cinq ?" in step3.rendered
    files = {"justificatif": ("justificatif-domicile.pdf", PROOF_PDF.read_bytes())}
    return client.post_multipart("/inscription/justificatif", {"captcha": "12", "cgu": "on"}, files)


def test_exclusionary_wizard_needs_the_proof_of_address(exclusionary: DemoServer) -> None:
    client = Client(exclusionary.base_url)
    walk_exclusionary_wizard(client)  # first account goes through
    client = Client(exclusionary.base_url)
    client.post(
        "/inscription", IDENTITY | {"email": "b@exemple.fr", "email_confirmation": "b@exemple.fr"}
    )
    client.post("/inscription/coordonnees", CONTACT)
    page = client.post_multipart(
        "/inscription/justificatif", {"captcha": "12", "cgu": "on"}, {"justificatif": ("", b"")}
    )
    assert page.url.endswith("/inscription/justificatif")
    assert page.html.find(attrs={"role": "alert"}).get_text(strip=True) == "Erreur de saisie."


def test_exclusionary_captcha_must_be_answered(exclusionary: DemoServer) -> None:
    client = Client(exclusionary.base_url)
    client.post("/inscription", IDENTITY)
    client.post("/inscription/coordonnees", CONTACT)
    page = client.post_multipart(
        "/inscription/justificatif",
        {"captcha": "13", "cgu": "on"},
        {"justificatif": ("justificatif.pdf", PROOF_PDF.read_bytes())},
    )
    assert "Erreur de saisie (code E-530)." in page.rendered
    assert list(exclusionary.mailbox_dir.iterdir()) == []


def test_exclusionary_wizard_steps_cannot_be_skipped(exclusionary: DemoServer) -> None:
    page = Client(exclusionary.base_url).get("/inscription/justificatif")
    assert page.url.endswith("/inscription")


def test_exclusionary_confirmation_mail_gates_log_in_proposals_and_votes(
    exclusionary: DemoServer,
) -> None:
    client = Client(exclusionary.base_url)
    pending = walk_exclusionary_wizard(client)
    assert pending.url.endswith("/inscription/en-attente")
    assert "Un courriel de confirmation vous a été envoyé" in pending.rendered

    mails = sorted(exclusionary.mailbox_dir.glob("*.eml"))
    assert len(mails) == 1
    message = email.message_from_bytes(mails[0].read_bytes(), policy=policy.default)
    assert message["To"] == IDENTITY["email"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(
        re.escape(exclusionary.base_url) + r"/confirmer\?token=[\w-]+", body.get_content()
    )
    assert match is not None
    # The link is readable in the raw file too (8-bit body, no quoted-printable breaks).
    assert match.group(0).encode() in mails[0].read_bytes()

    # Before confirming: log-in refused, proposing and voting redirected to the log-in.
    refused = client.post(
        "/connexion", {"identifiant": IDENTITY["email"], "mot_de_passe": GOOD_PASSWORD}
    )
    assert "Compte non activé (code E-203)." in refused.rendered
    assert "/connexion" in client.get("/propositions/nouvelle").url
    assert "/connexion" in client.get("/propositions/1/voter").url

    confirmed = client.get(match.group(0).removeprefix(exclusionary.base_url))
    assert "Votre compte est activé" in confirmed.rendered
    # Confirming does not log in: the user must type e-mail and password again.
    assert "/connexion" in client.get("/propositions/nouvelle").url
    logged = client.post(
        "/connexion", {"identifiant": IDENTITY["email"], "mot_de_passe": GOOD_PASSWORD}
    )
    assert logged.url.endswith("/mon-compte")
    assert "Vous êtes connecté à votre espace personnel." in logged.rendered
    # A confirmation link works once.
    reused = client.get(match.group(0).removeprefix(exclusionary.base_url))
    assert reused.status == 400 and "E-440" in reused.rendered


def logged_in_exclusionary(server: DemoServer) -> Client:
    client = Client(server.base_url)
    walk_exclusionary_wizard(client)
    raw = sorted(server.mailbox_dir.glob("*.eml"))[-1].read_text(encoding="utf-8")
    token = re.search(r"/confirmer\?token=([\w-]+)", raw)
    assert token is not None
    client.get("/confirmer?token=" + token.group(1))
    client.post("/connexion", {"identifiant": IDENTITY["email"], "mot_de_passe": GOOD_PASSWORD})
    return client


def test_exclusionary_vote_takes_three_screens_and_counts(exclusionary: DemoServer) -> None:
    client = logged_in_exclusionary(exclusionary)
    assert '"votes": 12' in client.get("/api/propositions/1").text
    choice = client.get("/propositions/1/voter")
    assert choice.html.find("input", attrs={"name": "choix", "value": "pour"}) is not None
    # Without the sworn statement: opaque error.
    refused = client.post("/propositions/1/voter", {"choix": "pour"})
    assert "Erreur de saisie." in refused.rendered
    summary = client.post("/propositions/1/voter", {"choix": "pour", "attestation": "on"})
    assert summary.url.endswith("/propositions/1/voter/recapitulatif")
    assert "Valider définitivement" in summary.rendered
    done = client.post("/propositions/1/voter/valider", {})
    assert done.url.endswith("/propositions/1/voter/confirmation")
    assert "Votre vote a bien été pris en compte." in done.rendered
    assert '"votes": 13' in client.get("/api/propositions/1").text
    assert '"has_voted": true' in client.get("/api/propositions/1").text


def test_exclusionary_proposal_rejects_unstated_formats_and_wipes(exclusionary: DemoServer) -> None:
    client = logged_in_exclusionary(exclusionary)
    fields = {
        "intitule": "Des jeux d'eau pour l'été au square Hugo",
        "categorie": "cadre-de-vie",
        "localisation": "Square Victor-Hugo",
        "cout": "15 000",  # a space: refused, and nobody says why
        "description": "x" * 250,
        "competence": "on",
    }
    page = client.post("/propositions/nouvelle", fields)
    assert page.html.find(attrs={"role": "alert"}).get_text(strip=True) == "Erreur de saisie."
    assert input_value(page, "intitule") == ""
    published = client.post("/propositions/nouvelle", fields | {"cout": "15000"})
    assert "Votre projet a bien été déposé" in published.rendered
    assert re.search(r"/propositions/\d+$", published.url)


def test_exclusionary_vote_button_is_not_in_the_server_html(exclusionary: DemoServer) -> None:
    page = Client(exclusionary.base_url).get("/propositions/1")
    mount = page.html.find(id="widget-vote")
    assert mount is not None and not mount.contents
    assert ">Voter<" not in page.text


# --- weight and third parties --------------------------------------------------------------


def test_exclusionary_heavy_assets_weigh_over_a_megabyte_each_kind(
    exclusionary: DemoServer,
) -> None:
    client = Client(exclusionary.base_url)
    home = client.get("/")
    hero_src = home.html.find("img", class_="hero-image")["src"]
    hero = client.get(hero_src)
    assert hero.headers["Content-Type"] == "image/png"
    assert hero.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(hero.body) >= 1_000_000
    # Random pixels: compression would not help, the weight is real.
    assert len(zlib.compress(hero.body, 6)) > 0.95 * len(hero.body)

    scripts = [
        element["src"]
        for element in home.html.find_all("script", src=True)
        if element["src"].startswith("/")
    ]
    assert 2 <= len(scripts) <= 3
    bodies = [client.get(src, headers={"Accept-Encoding": "gzip"}) for src in scripts]
    for body in bodies:
        assert body.headers.get("Content-Encoding") is None
        assert body.headers["Content-Type"].startswith("text/javascript")
    assert sum(len(body.body) for body in bodies) >= 1_000_000


def test_exclusionary_pages_call_three_third_party_hosts_on_the_demo_port(
    exclusionary: DemoServer,
) -> None:
    client = Client(exclusionary.base_url)
    home = client.get("/")
    port = urllib.parse.urlsplit(exclusionary.base_url).port
    urls = [
        element.get("src") or element.get("href") or ""
        for element in home.html.find_all(["script", "link"])
    ]
    hosts = {urllib.parse.urlsplit(url).netloc for url in urls if url.startswith("http")}
    assert hosts == {
        f"cdn.tiers-exemple.test:{port}",
        f"polices.tiers-exemple.test:{port}",
        f"stats.pisteur-exemple.test:{port}",
    }
    # The server answers those host names itself (the runner maps *.test to 127.0.0.1).
    cdn = client.get("/js/carrousel-4.2.1.min.js", {"Host": f"cdn.tiers-exemple.test:{port}"})
    assert cdn.status == 200 and len(cdn.body) > 100_000
    font_css = client.get(
        "/css?family=Marianne+Exemple", {"Host": f"polices.tiers-exemple.test:{port}"}
    )
    assert "@font-face" in font_css.text
    pixel = client.get("/collect?p=/", {"Host": f"stats.pisteur-exemple.test:{port}"})
    assert pixel.headers["Content-Type"] == "image/gif" and pixel.body.startswith(b"GIF89a")
    # ...and only those: an unknown path on a third-party host is a 404, not the platform.
    assert client.get("/", {"Host": f"cdn.tiers-exemple.test:{port}"}).status == 404


def test_exclusionary_cookie_wall_disappears_once_consent_is_stored(
    exclusionary: DemoServer,
) -> None:
    client = Client(exclusionary.base_url)
    assert client.get("/").html.find(id="bandeau-cookies") is not None
    request = urllib.request.Request(
        exclusionary.base_url + "/", headers={"Cookie": "consentement_cookies=tout"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        html = BeautifulSoup(response.read(), "html.parser")
    assert html.find(id="bandeau-cookies") is None


# --- building blocks ----------------------------------------------------------------------------


def test_multipart_parser_keeps_binary_files_byte_for_byte() -> None:
    content = bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n"
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="captcha"\r\n\r\n12\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="nom"\r\n\r\nZo\xc3\xa9\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="justificatif"; filename="a \\"b\\".pdf"'
        b"\r\nContent-Type: application/pdf\r\n\r\n" + content + b"\r\n--XyZ--\r\n"
    )
    form = parse_form("multipart/form-data; boundary=XyZ", body)
    assert form.get("captcha") == "12"
    assert form.get("nom") == "Zoé"
    upload = form.files["justificatif"]
    assert upload.filename == 'a "b".pdf'
    assert upload.content == content


def test_urlencoded_parser_keeps_blank_and_repeated_values() -> None:
    form = parse_form("application/x-www-form-urlencoded", b"a=&b=1&b=2&c=%C3%A9t%C3%A9+x")
    assert form.has("a") and form.get("a") == ""
    assert form.getall("b") == ["1", "2"]
    assert form.get("c") == "été x"


def test_rich_text_sanitiser_drops_scripts_and_attributes() -> None:
    dirty = '<div style="x">Un <i>petit</i> <a href="javascript:x">lien</a><script>x()</script>'
    assert sanitise_html(dirty) == "<p>Un <em>petit</em> lien</p>"


def test_barrier_table_is_the_same_in_readme_and_docstring() -> None:
    import auditor.demo

    readme = (Path(auditor.demo.__file__).parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", readme, flags=re.MULTILINE)
    assert len(rows) >= 25
    docstring = " ".join((auditor.demo.__doc__ or "").split())
    for number, barrier in rows:
        start = " ".join(barrier.replace("**", "").replace("`", "").split())[:40]
        assert f"{number}. {start}" in docstring, f"barrier {number} missing from the docstring"
