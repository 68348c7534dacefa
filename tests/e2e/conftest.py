"""End-to-end fixtures: a real Chromium, the demo platform and test sites, all on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from auditor.browser import find_browser
from auditor.metrics.bundle import Measures
from auditor.models import Run
from auditor.run_io import load_run
from tests.sites.server import SiteServer


@pytest.fixture(scope="session")
def browser_path() -> str:
    """The browser every e2e test drives. No browser is a failure, never a skip."""
    return find_browser().path


@pytest.fixture(scope="session")
def basic_site() -> Iterator[SiteServer]:
    site = SiteServer("basic")
    yield site
    site.stop()


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300
            ) -> subprocess.CompletedProcess[str]:
    """Run the installed ``auditor`` command as a user would."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, env=env, check=False)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, browser_path: str) -> Path:
    """``auditor demo`` once for the session, as a user runs it: both variants, three
    journeys each. Returns the output directory (demo-inclusive/, demo-exclusionary/)."""
    out = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "--out", str(out), "--browser-path", browser_path)
    assert result.returncode == 0, result.stdout + result.stderr
    (out / "cli-output.txt").write_text(result.stdout)
    return out


@pytest.fixture(scope="session")
def demo_runs(demo_dir: Path) -> dict[str, Run]:
    """The two saved runs of ``auditor demo``."""
    return {v: load_run(demo_dir / f"demo-{v}") for v in ("inclusive", "exclusionary")}


@pytest.fixture(scope="session")
def demo_measures(demo_dir: Path) -> dict[str, Measures]:
    """The measures ``auditor demo`` wrote beside each run (measures.json)."""
    return {v: Measures.model_validate_json(
        (demo_dir / f"demo-{v}" / "measures.json").read_text()) for v in
        ("inclusive", "exclusionary")}


def write_config(path: Path, config: dict[str, object]) -> Path:
    """Write a journey file as a person would (block-style YAML)."""
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path
