"""The runner on a small local site: checkpoints, observations, client-side changes, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.run_io import load_run
from tests.e2e.conftest import run_cli, write_config
from tests.sites.server import SiteServer

pytestmark = pytest.mark.e2e


def test_checkpoint_records_every_observation(tmp_path: Path, browser_path: str,
                                              basic_site: SiteServer) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": basic_site.base_url,
        "journeys": [{"id": "sign-up", "start": "/index.html", "steps": [
            {"fill": {"label": "Pseudonyme", "value": "{{ identity.pseudonym }}"}},
            {"fill": {"label": "Mot de passe", "value": "{{ identity.password }}"}},
            {"click": {"role": "button", "name": "Envoyer"}},
            {"expect": {"text": "Votre avis est enregistré"}},
            {"goto": "/index.html"},
            {"click": {"role": "button", "name": "Afficher la suite"}},
            {"wait_for": {"css": "#late"}},
            {"checkpoint": "suite-affichee"}]}]})
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"),
                     "--browser-path", browser_path)
    assert result.returncode == 0, result.stdout + result.stderr
    run = load_run(tmp_path / "out")
    assert run.tool.axe_version >= "4.12" and run.browser.version
    (journey,) = run.journeys
    triggers = [(c.trigger, c.step_index) for c in journey.checkpoints]
    # The client-side change lands in a 'url' snapshot; the named checkpoint right after it
    # sees the same page state and reuses that snapshot under its name.
    assert triggers == [("start", -1), ("navigation", 2), ("navigation", 4), ("url", 6)]
    assert journey.steps[7].checkpoints == [journey.checkpoints[-1].index]
    start = journey.checkpoints[0]
    assert start.lang == "fr" and start.title == "Site de test"
    assert start.dom_element_count > 10
    assert any(r.resource_type == "document" and r.transferred_bytes > 500
               for r in start.requests)
    assert [f.label for f in start.fields] == ["Pseudonyme", "Mot de passe"]
    pseudo = start.fields[0]
    assert pseudo.required and pseudo.autocomplete == "nickname" and pseudo.paste_blocked is False
    assert "Cette page sert aux tests." in start.text.main_prose
    assert "Accueil" not in start.text.main_prose  # header excluded
    assert "Pseudonyme" in start.text.microcopy
    assert start.axe.passes_count > 0
    assert (tmp_path / "out" / start.screenshot).is_file()
    fill = journey.steps[0]
    assert fill.typed_chars == len(run.identity.pseudonym) if run.identity else False
    assert journey.steps[1].secret and journey.steps[1].value == "{{ identity.password }}"
    assert journey.checkpoints[-1].name == "suite-affichee"
    assert "Chargé plus tard" in journey.checkpoints[-1].text.main_prose


def test_passwords_never_reach_the_output(tmp_path: Path, browser_path: str,
                                          basic_site: SiteServer) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": basic_site.base_url,
        "journeys": [{"id": "echo", "start": "/index.html", "steps": [
            {"fill": {"label": "Mot de passe", "value": "{{ identity.password }}"}},
            {"fill": {"label": "Pseudonyme", "value": "{{ env.AUDIT_SECRET_NOTE }}"}},
            {"goto": "/echo-secret?mdp=PLACEHOLDER"},
            {"expect": {"text": "le texte absent {{ identity.password }}"}}]}]})
    import os
    os.environ["AUDIT_SECRET_NOTE"] = "note-tres-secrete"
    try:
        result = run_cli("run", str(config), "--out", str(tmp_path / "out"),
                         "--browser-path", browser_path)
    finally:
        del os.environ["AUDIT_SECRET_NOTE"]
    assert result.returncode == 3
    run = load_run(tmp_path / "out")
    assert run.identity is not None
    texts = [p.read_text() for p in (tmp_path / "out").rglob("*.json")]
    texts += [result.stdout, result.stderr]
    for text in texts:
        assert "note-tres-secrete" not in text
    assert run.identity.password_length == 12


def test_selenium_driver_from_the_command_line(tmp_path: Path, browser_path: str,
                                               basic_site: SiteServer) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": basic_site.base_url,
        "journeys": [{"id": "sign-up", "start": "/index.html", "steps": [
            {"fill": {"label": "Pseudonyme", "value": "{{ identity.pseudonym }}"}},
            {"click": {"role": "button", "name": "Envoyer"}},
            {"expect": {"text": "Votre avis est enregistré"}}]}]})
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"), "--driver", "selenium",
                     "--browser-path", browser_path)
    assert result.returncode == 0, result.stdout + result.stderr
    run = load_run(tmp_path / "out")
    assert run.browser.driver == "selenium"
    assert [c.trigger for c in run.journeys[0].checkpoints] == ["start", "navigation"]
    assert run.journeys[0].checkpoints[0].axe.passes_count > 0
    bad = run_cli("run", str(config), "--driver", "firefox")
    assert bad.returncode == 2 and "choose playwright or selenium" in bad.stderr
