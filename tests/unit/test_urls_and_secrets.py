"""First/third-party classification and the redaction that keeps secrets out of every output."""

from __future__ import annotations

from auditor.journeys.identity import make_identity, make_password
from auditor.journeys.schema import IdentityConfig
from auditor.journeys.templating import TemplateContext
from auditor.urls import Redactor, is_third_party, join_url, registrable_domain


def test_registrable_domain() -> None:
    assert registrable_domain("www.decidim.barcelona") == "decidim.barcelona"
    assert registrable_domain("participez.paris.fr") == "paris.fr"
    assert registrable_domain("www.service-public.gouv.fr") == "service-public.gouv.fr"
    assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
    assert registrable_domain("127.0.0.1") == "127.0.0.1"
    assert registrable_domain("localhost") == "localhost"


def test_third_party() -> None:
    site = "http://127.0.0.1:8000/"
    assert not is_third_party("http://127.0.0.1:8000/static/app.js", site)
    assert is_third_party("http://cdn.tiers-exemple.test:8000/lib.js", site)
    assert not is_third_party("data:image/png;base64,xx", site)
    assert not is_third_party("https://static.paris.fr/x.css", "https://participez.paris.fr/")


def test_join_url() -> None:
    assert join_url("http://h:1", "/a/b") == "http://h:1/a/b"
    assert join_url("http://h:1/base/", "c") == "http://h:1/base/c"
    assert join_url("http://h:1", "https://other/x") == "https://other/x"


def test_redactor_removes_secret_in_every_spelling() -> None:
    redactor = Redactor(["Kp7!vRx2@mQa"])
    assert redactor.text('{"v": "Kp7!vRx2@mQa"}') == '{"v": "REDACTED"}'
    assert "Kp7" not in redactor.url("http://h/next?pw=Kp7%21vRx2%40mQa&p=camille")
    assert "p=camille" in redactor.url("http://h/next?pw=Kp7%21vRx2%40mQa&p=camille")
    assert redactor.text("value=&quot;a&lt;b&gt;c&quot;") == "value=&quot;a&lt;b&gt;c&quot;"


def test_redactor_blanks_credential_parameters_and_mail_tokens() -> None:
    redactor = Redactor()
    assert redactor.url("http://h/confirmer?token=abc123&lang=fr") == \
        "http://h/confirmer?token=REDACTED&lang=fr"
    redactor.secrets_in_link("http://h/activate/9f8e7d6c5b4a3f2e1d0c")
    assert redactor.text("GET /activate/9f8e7d6c5b4a3f2e1d0c") == "GET /activate/REDACTED"


def test_identity_password_has_every_class_and_is_hidden_from_repr() -> None:
    for _ in range(50):
        password = make_password(12)
        assert len(password) == 12
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)
    identity = make_identity(IdentityConfig(email_domain="exemple.test"))
    assert identity.email.endswith("@exemple.test")
    assert identity.password not in repr(identity)
    assert make_identity().email != make_identity().email


def test_templates_mark_secrets() -> None:
    identity = make_identity()
    context = TemplateContext(identity, {"API_TOKEN": "tok-123456"})
    assert context.render("{{ identity.email }}").secret is False
    rendered = context.render("{{identity.password}}")
    assert rendered.text == identity.password and rendered.secret
    assert context.render("Bearer {{ env.API_TOKEN }}").text == "Bearer tok-123456"
    assert {"tok-123456", identity.password} <= context.secrets
