"""The wheel carries what the tool needs at run time: rules/, reports_templates/, data files,
the in-page scripts, the demo platform and its journeys."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "--quiet", "--wheel-dir", str(out)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("participation_auditor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_rules_and_templates_ship_inside_the_wheel(wheel_names: set[str]) -> None:
    for folder in ("rules", "reports_templates"):
        shipped = {n for n in wheel_names if n.startswith(f"auditor/_shipped/{folder}/")}
        expected = {f"auditor/_shipped/{folder}/{p.relative_to(ROOT / folder)}"
                    for p in (ROOT / folder).rglob("*") if p.is_file()
                    and "__pycache__" not in p.parts}
        assert expected, f"{folder}/ is empty"
        assert expected <= shipped, sorted(expected - shipped)


def test_runtime_files_ship_inside_the_wheel(wheel_names: set[str]) -> None:
    for name in ("auditor/gatherers/snapshot.js", "auditor/data/rgaa_wcag_mapping.csv",
                 "auditor/data/axe-core-fr.json", "auditor/journeys/presets/demo-inclusive.yml",
                 "auditor/journeys/presets/demo-exclusionary.yml", "auditor/py.typed"):
        assert name in wheel_names, name
    assert any(n.startswith("auditor/demo/templates/") for n in wheel_names)
    assert any(n.startswith("auditor/journeys/presets/files/") for n in wheel_names)
    assert not any(n.startswith("tests/") for n in wheel_names)
