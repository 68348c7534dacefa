"""Bad input of every kind: one clear line naming the file, line or step; the run is saved."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from auditor.run_io import load_run
from tests.e2e.conftest import run_cli, write_config
from tests.sites.server import SiteServer

pytestmark = pytest.mark.e2e


def closed_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_unreachable_base_url(tmp_path: Path, browser_path: str) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": f"http://127.0.0.1:{closed_port()}",
        "journeys": [{"id": "sign-up", "start": "/inscription", "steps": []},
                     {"id": "vote", "start": "/", "steps": []}]})
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"),
                     "--browser-path", browser_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stdout + result.stderr
    assert "sign-up: start page: cannot reach http://127.0.0.1:" in result.stdout
    assert "connection refused" in result.stdout
    run = load_run(tmp_path / "out")
    assert [j.status for j in run.journeys] == ["failed", "failed"]


def test_invalid_yaml(tmp_path: Path) -> None:
    config = tmp_path / "j.yml"
    config.write_text("base_url: http://127.0.0.1:1\njourneys:\n  - id: a\n    steps: [\n")
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert error_lines(result.stderr) == [f"error: {config}:5: invalid YAML: expected the node "
                                          "content, but found '<stream end>'"]
    assert not (tmp_path / "out").exists()


def test_unknown_step_kind(tmp_path: Path) -> None:
    config = tmp_path / "j.yml"
    config.write_text("base_url: http://127.0.0.1:1\njourneys:\n  - id: a\n    steps:\n"
                      "      - tap: {text: OK}\n")
    result = run_cli("validate", str(config))
    assert result.returncode == 2
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"error: {config}:5: unknown step kind 'tap'")


def test_element_never_found_keeps_earlier_results_and_next_journey(
        tmp_path: Path, browser_path: str, basic_site: SiteServer) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": basic_site.base_url,
        "step_timeout": 1,
        "journeys": [
            {"id": "sign-up", "start": "/index.html", "steps": [
                {"fill": {"label": "Pseudonyme", "value": "{{ identity.pseudonym }}"}},
                {"click": {"role": "button", "name": "Créer mon compte"}},
                {"expect": {"text": "jamais atteint"}}]},
            {"id": "vote", "start": "/merci.html", "steps": [
                {"expect": {"text": "Votre avis est enregistré"}}]}]})
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"),
                     "--browser-path", browser_path)
    assert result.returncode == 3
    line = next(n for n, text in enumerate(config.read_text().splitlines(), start=1)
                if "- click:" in text)
    assert (f"sign-up: step 2 (click button 'Créer mon compte', line {line}): click: button "
            "'Créer mon compte' not found or not usable after 1 s") in result.stdout
    run = load_run(tmp_path / "out")
    signup, vote = run.journeys
    assert signup.status == "failed" and signup.failed_step == 1
    assert [s.outcome for s in signup.steps] == ["ok", "failed", "skipped"]
    assert [c.trigger for c in signup.checkpoints] == ["start", "failure"]
    shot = tmp_path / "out" / signup.checkpoints[-1].screenshot
    assert shot.is_file() and shot.stat().st_size > 1000
    assert vote.status == "completed"


def test_page_that_never_finishes_loading(tmp_path: Path, browser_path: str,
                                          basic_site: SiteServer) -> None:
    config = write_config(tmp_path / "j.yml", {
        "base_url": basic_site.base_url, "navigation_timeout": 2,
        "journeys": [{"id": "slow", "start": "/slow", "steps": []},
                     {"id": "fine", "start": "/merci.html", "steps": []}]})
    result = run_cli("run", str(config), "--out", str(tmp_path / "out"),
                     "--browser-path", browser_path)
    assert result.returncode == 3
    assert "slow: start page: " in result.stdout
    assert "/slow did not finish loading within 2 s" in result.stdout
    run = load_run(tmp_path / "out")
    assert [j.status for j in run.journeys] == ["failed", "completed"]


def test_no_browser_is_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path / "j.yml", {"base_url": "http://127.0.0.1:1",
                                                "journeys": [{"id": "a"}]})
    result = run_cli("run", str(config), "--browser-path", str(tmp_path / "no-chrome"))
    assert result.returncode == 4
    assert error_lines(result.stderr) == [
        f"error: --browser-path {tmp_path / 'no-chrome'}: not an executable file"]
