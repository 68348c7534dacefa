"""Password probing never creates more than the journey needs: one account per sign-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.demo.server import start_demo
from auditor.run_io import load_run
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e

PRESETS = Path(__file__).resolve().parents[2] / "auditor" / "journeys" / "presets"


@pytest.mark.parametrize("variant", ["inclusive", "exclusionary"])
def test_exactly_one_account_per_signup(variant: str, tmp_path: Path,
                                        browser_path: str) -> None:
    with start_demo(variant) as server:  # type: ignore[arg-type]
        result = run_cli("run", str(PRESETS / f"demo-{variant}.yml"),
                         "--base-url", server.base_url, "--mailbox", str(server.mailbox_dir),
                         "--out", str(tmp_path), "--browser-path", browser_path)
        accounts = server.account_count()
    assert result.returncode == 0, result.stdout + result.stderr
    run = load_run(tmp_path)
    (probe, *_) = run.journeys[0].probes
    rejected = [a for a in probe.attempts if a.phase == "server" and a.accepted is False]
    if variant == "exclusionary":
        assert len(rejected) >= 2  # weak candidates were really submitted, and refused
    assert accounts == 1
