"""The GitHub Action's steps, run here as GitHub runs them.

action.yml calls ``bash auditor/ci/action_steps.sh <step>`` with the action's inputs as
``AUDIT_*`` environment variables and passes step outputs (``$GITHUB_OUTPUT``) on to later
steps. These tests do the same against the inclusive demo platform, started here on port 0,
with ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` pointing at temporary files, and a real
Chromium. Only ``install`` is run with a stand-in Python: a real ``pip install`` of the
checkout would replace the editable install of the test environment.

The ``check`` step calls ``auditor check`` (the CI policy command); the tests that follow it
(SARIF and JUnit written, summary from the policy, gate) need that command.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from auditor.demo.server import DemoServer, start_demo
from auditor.models import Run
from auditor.reporters.junit_report import render_junit
from auditor.reporters.sarif_report import render_sarif
from auditor.run_io import load_run
from auditor.scoring.scorecard import Scorecard
from tests.e2e.conftest import write_config

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "auditor" / "ci" / "action_steps.sh"
ACTION = ROOT / "action.yml"
PRESET = ROOT / "auditor" / "journeys" / "presets" / "demo-inclusive.yml"
SCHEMAS = ROOT / "tests" / "schemas"
STEPS = ("install", "browser", "audit", "check", "summary", "gate")


@dataclass
class Workspace:
    """A stand-in for a GitHub job: a workspace folder, the output and summary files."""

    path: Path
    base_env: dict[str, str]
    log: list[str] = field(default_factory=list)

    @property
    def output_file(self) -> Path:
        return self.path / "github_output.txt"

    @property
    def summary_file(self) -> Path:
        return self.path / "step_summary.md"

    def step(self, name: str, timeout: float = 600, **env: str
             ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
        """Run one step like action.yml does; returns the process and the outputs it set."""
        before = self.output_file.read_text() if self.output_file.exists() else ""
        result = subprocess.run(["bash", str(SCRIPT), name], cwd=self.path, text=True,
                                capture_output=True, timeout=timeout, check=False,
                                env={**self.base_env, **env})
        self.log.append(f"$ {name} → {result.returncode}\n{result.stdout}\n{result.stderr}")
        after = self.output_file.read_text() if self.output_file.exists() else ""
        return result, outputs(after[len(before):])


def outputs(text: str) -> dict[str, str]:
    """``key=value`` lines of $GITHUB_OUTPUT (single-line values, the last one wins)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value for key, value in pairs}


def job_env(path: Path, **env: str) -> dict[str, str]:
    """The environment of a step: no GitHub variables from an outer CI leak in."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "AUDIT_", "RUNNER_"))}
    return {**base, "AUDIT_PYTHON": sys.executable, "GITHUB_OUTPUT": str(path /
            "github_output.txt"), "GITHUB_STEP_SUMMARY": str(path / "step_summary.md"),
            "COLUMNS": "200", **env}


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    server = start_demo("inclusive")
    yield server
    server.stop()


@dataclass
class Audited:
    workspace: Workspace
    out: Path
    browser_outputs: dict[str, str]
    audit: subprocess.CompletedProcess[str]
    audit_outputs: dict[str, str]


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, demo: DemoServer) -> Audited:
    """browser then audit, with the inputs the demo workflow gives the action."""
    path = tmp_path_factory.mktemp("workspace")
    workspace = Workspace(path, job_env(path))
    found, browser_outputs = workspace.step("browser")
    assert found.returncode == 0, "\n".join(workspace.log)
    audit, audit_outputs = workspace.step(
        "audit", AUDIT_CONFIG=str(PRESET), AUDIT_BASE_URL=demo.base_url, AUDIT_OUT="results",
        AUDIT_BROWSER_PATH=browser_outputs.get("path", ""), AUDIT_FAIL_ON="error",
        AUDIT_URLS="", AUDIT_PROFILE="", AUDIT_LANG="")
    return Audited(workspace, path / "results", browser_outputs, audit, audit_outputs)


@dataclass
class Checked:
    audited: Audited
    check: subprocess.CompletedProcess[str]
    check_outputs: dict[str, str]
    summary: subprocess.CompletedProcess[str]
    gate: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def checked(audited: Audited) -> Checked:
    """check, summary and gate after the audit, outputs passed on as action.yml does."""
    assert audited.audit.returncode == 0, "\n".join(audited.workspace.log)
    workspace = audited.workspace
    check, check_outputs = workspace.step("check", AUDIT_OUT="results",
                                          AUDIT_POLICY="default", AUDIT_BASELINE="")
    summary, _ = workspace.step("summary", AUDIT_OUT="results")
    gate, _ = workspace.step(
        "gate", AUDIT_FAIL_ON="error",
        AUDIT_RUN_EXIT=audited.audit_outputs.get("exit-code", ""),
        AUDIT_POLICY_EXIT=check_outputs.get("policy-exit-code", ""),
        AUDIT_WARNINGS=check_outputs.get("warnings", ""))
    return Checked(audited, check, check_outputs, summary, gate)


# ---------------------------------------------------------------------- browser and audit


def test_browser_step_finds_one_and_says_which(audited: Audited) -> None:
    path = audited.browser_outputs["path"]
    assert Path(path).is_file() and os.access(path, os.X_OK)
    assert any("browser: " in line for line in audited.workspace.log)


def test_audit_step_writes_the_report_folder(audited: Audited) -> None:
    assert audited.audit.returncode == 0, "\n".join(audited.workspace.log)
    assert audited.audit_outputs["exit-code"] == "0"
    assert audited.audit_outputs["report-dir"] == "results"
    for name in ("run.json", "report.html", "summary.md", "scorecard.json"):
        assert (audited.out / name).is_file(), name
    run = load_run(audited.out)
    assert [j.status for j in run.journeys] == ["completed"] * 3
    assert run.target.config_path == str(PRESET)


def test_summary_step_writes_the_scorecard_summary(audited: Audited, tmp_path: Path) -> None:
    """Before (or without) the policy's verdict, the job summary shows the grades."""
    summary_file = tmp_path / "summary.md"
    results = tmp_path / "results"
    results.mkdir()
    (results / "summary.md").write_bytes((audited.out / "summary.md").read_bytes())
    result = subprocess.run(["bash", str(SCRIPT), "summary"], cwd=tmp_path, text=True,
                            capture_output=True, check=False, timeout=60,
                            env=job_env(tmp_path, AUDIT_OUT="results",
                                        GITHUB_STEP_SUMMARY=str(summary_file)))
    assert result.returncode == 0, result.stderr
    written = summary_file.read_text(encoding="utf-8")
    assert written == (audited.out / "summary.md").read_text(encoding="utf-8") + "\n"
    assert "Inclusion" in written
    # Without GITHUB_STEP_SUMMARY (a person running the step), it goes to standard output.
    printed = subprocess.run(["bash", str(SCRIPT), "summary"], cwd=tmp_path, text=True,
                             capture_output=True, check=False, timeout=60,
                             env={**job_env(tmp_path, AUDIT_OUT="results"),
                                  "GITHUB_STEP_SUMMARY": ""})
    assert printed.stdout == written


def test_summary_step_adds_the_policy_verdict(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "summary.md").write_text("## Inclusion et sobriété : Démo\n\ngrades\n")
    (results / "policy-summary.md").write_text("### Policy: passed\n")
    workspace = Workspace(tmp_path, job_env(tmp_path))
    result, _ = workspace.step("summary", AUDIT_OUT="results")
    assert result.returncode == 0, result.stderr
    assert workspace.summary_file.read_text() == (
        "## Inclusion et sobriété : Démo\n\ngrades\n\n### Policy: passed\n\n")
    # A policy summary that already holds the scorecard's is written alone.
    (results / "policy-summary.md").write_text(
        "## Inclusion et sobriété : Démo\n\ngrades\n\n### Policy: passed\n")
    workspace.summary_file.unlink()
    workspace.step("summary", AUDIT_OUT="results")
    assert workspace.summary_file.read_text().count("## Inclusion et sobriété") == 1
    # Nothing to show is a warning, not a failure.
    for name in ("summary.md", "policy-summary.md"):
        (results / name).unlink()
    empty, _ = workspace.step("summary", AUDIT_OUT="results")
    assert empty.returncode == 0 and "no Markdown summary" in empty.stderr


def test_sarif_and_junit_of_the_real_run_are_valid(audited: Audited) -> None:
    """The reporters on a real run (not only on hand-made scorecards)."""
    run: Run = load_run(audited.out)
    card = Scorecard.model_validate_json((audited.out / "scorecard.json").read_text())
    validate_sarif(render_sarif(card, run))
    root = validate_junit(render_junit(card, run))
    journey_suites = [s for s in root.findall("testsuite") if s.get("name", "").startswith(
        ("sign-up", "proposal", "vote"))]
    assert len(journey_suites) == 3
    steps = sum(len(j.steps) for j in run.journeys)
    assert sum(int(s.get("tests", "0")) for s in journey_suites) == steps + 3
    assert all(s.get("failures") == "0" for s in journey_suites)


def test_a_broken_journey_is_reported_then_fails_the_gate(demo: DemoServer,
                                                          tmp_path: Path) -> None:
    """Exit 3 from `auditor run` does not stop the action: the report is still published,
    and `gate` fails the job with 3 unless fail-on is never."""
    config = write_config(tmp_path / "broken.yml", {
        "version": 1, "name": "Broken", "base_url": demo.base_url,
        "journeys": [{"id": "home", "start": "/", "steps": [
            {"expect": {"text": "Ce texte n'existe nulle part"}, "timeout": 1}]}]})
    workspace = Workspace(tmp_path, job_env(tmp_path))
    audit, audit_outputs = workspace.step("audit", AUDIT_CONFIG=str(config), AUDIT_OUT="out")
    assert audit.returncode == 0, "\n".join(workspace.log)
    assert audit_outputs["exit-code"] == "3"
    assert (tmp_path / "out" / "report.html").is_file()
    assert "journey broke" in audit.stderr
    for fail_on, expected in (("error", 3), ("warn", 3), ("never", 0)):
        gate, _ = workspace.step("gate", AUDIT_FAIL_ON=fail_on, AUDIT_RUN_EXIT="3",
                                 AUDIT_POLICY_EXIT="0", AUDIT_WARNINGS="0")
        assert gate.returncode == expected, (fail_on, gate.stderr)


def test_urls_input_and_profile_and_language(demo: DemoServer, tmp_path: Path) -> None:
    """`urls` instead of a journey file; `profile` and `lang` re-render the reports."""
    workspace = Workspace(tmp_path, job_env(tmp_path))
    audit, audit_outputs = workspace.step(
        "audit", AUDIT_URLS=f"{demo.base_url}/\n  {demo.base_url}/propositions ",
        AUDIT_OUT="pages", AUDIT_PROFILE="strict", AUDIT_LANG="en")
    assert audit.returncode == 0, "\n".join(workspace.log)
    assert audit_outputs["exit-code"] == "0"
    run = load_run(tmp_path / "pages")
    assert [j.start_url for j in run.journeys] == [f"{demo.base_url}/",
                                                   f"{demo.base_url}/propositions"]
    card = json.loads((tmp_path / "pages" / "scorecard.json").read_text())
    assert (card["profile"], card["lang"]) == ("strict", "en")


# ---------------------------------------------------------------------- check, summary, gate


def test_check_step_writes_sarif_and_junit(checked: Checked) -> None:
    log = "\n".join(checked.audited.workspace.log)
    assert checked.check.returncode == 0, log
    out = checked.audited.out
    assert checked.check_outputs["policy-exit-code"] == "0"
    assert checked.check_outputs["sarif-file"] == "results/results.sarif"
    assert checked.check_outputs["junit-file"] == "results/junit.xml"
    assert checked.check_outputs["warnings"].isdigit()
    validate_sarif((out / "results.sarif").read_text(encoding="utf-8"))
    validate_junit((out / "junit.xml").read_text(encoding="utf-8"))


def test_summary_step_writes_the_job_summary(checked: Checked) -> None:
    assert checked.summary.returncode == 0, checked.summary.stderr
    text = checked.audited.workspace.summary_file.read_text(encoding="utf-8")
    out = checked.audited.out
    scorecard = (out / "summary.md").read_text(encoding="utf-8")
    verdict = (out / "policy-summary.md").read_text(encoding="utf-8")
    assert verdict.strip() and verdict in text
    assert text.count(scorecard.splitlines()[0]) == 1  # the grades, once


def test_gate_passes_the_inclusive_demo(checked: Checked) -> None:
    assert checked.gate.returncode == 0, "\n".join(checked.audited.workspace.log)
    assert "policy passed" in checked.gate.stdout


# ---------------------------------------------------------------------- no browser needed


@pytest.mark.parametrize(("fail_on", "run_exit", "policy_exit", "warnings", "expected"), [
    ("error", "0", "0", "0", 0),
    ("error", "0", "0", "2", 0),      # warnings do not fail by default
    ("warn", "0", "0", "2", 1),       # ... unless fail-on is warn
    ("warn", "0", "0", "0", 0),
    ("error", "0", "1", "0", 1),      # a budget failed
    ("never", "0", "1", "3", 0),      # report only
    ("error", "3", "0", "0", 3),      # a journey broke
    ("error", "3", "1", "0", 1),      # the policy's verdict comes first
    ("error", "0", "3", "0", 3),      # the policy saw the broken journey
    ("never", "3", "3", "0", 0),
    ("error", "0", "", "0", 2),       # check did not run: a usage error, not a pass
    ("never", "0", "2", "0", 2),      # check broke (bad policy file): not a verdict
    ("sometimes", "0", "0", "0", 2),  # bad input
    ("error", "0\n0", "0", "0", 2),   # an exit code that is not one
])
def test_gate_follows_the_policy(tmp_path: Path, fail_on: str, run_exit: str,
                                 policy_exit: str, warnings: str, expected: int) -> None:
    workspace = Workspace(tmp_path, job_env(tmp_path))
    gate, _ = workspace.step("gate", AUDIT_FAIL_ON=fail_on, AUDIT_RUN_EXIT=run_exit,
                             AUDIT_POLICY_EXIT=policy_exit, AUDIT_WARNINGS=warnings)
    assert gate.returncode == expected, gate.stdout + gate.stderr


def test_warnings_are_read_from_the_junit_budgets(tmp_path: Path) -> None:
    """`check` counts budgets at warn level from junit.xml for `fail-on: warn`; here with a
    stand-in `auditor` that writes a JUnit file as `auditor check` would."""
    fake = tmp_path / "fake_python"
    junit = ('<testsuites><testsuite name="budgets" tests="3" failures="0" errors="0">'
             '<properties><property name="pass" value="1"/><property name="warn" value="2"/>'
             '</properties></testsuite></testsuites>')
    fake.write_text(f"""#!/usr/bin/env bash
if [[ "$1 $2 $3" == "-m auditor check" ]]; then
  printf '%s' '{junit}' > "$AUDIT_OUT/junit.xml"; exit 0
fi
exec {sys.executable} "$@"
""")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "out").mkdir()
    workspace = Workspace(tmp_path, job_env(tmp_path, AUDIT_PYTHON=str(fake)))
    check, check_outputs = workspace.step("check", AUDIT_OUT="out")
    assert check.returncode == 0, check.stderr
    assert check_outputs["warnings"] == "2"
    assert check_outputs["policy-exit-code"] == "0"


def test_check_stops_on_a_usage_error(tmp_path: Path) -> None:
    """A bad policy file is not an audit result: the step fails at once (exit 2)."""
    fake = tmp_path / "fake_python"
    fake.write_text("#!/usr/bin/env bash\necho 'error: policy: no such preset' >&2\nexit 2\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    workspace = Workspace(tmp_path, job_env(tmp_path, AUDIT_PYTHON=str(fake)))
    check, check_outputs = workspace.step("check", AUDIT_OUT="out", AUDIT_POLICY="nope")
    assert check.returncode == 2
    assert check_outputs["policy-exit-code"] == "2"


def test_install_step_installs_the_action_checkout(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "fake_python"
    fake.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "{calls}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    workspace = Workspace(tmp_path, job_env(tmp_path, AUDIT_PYTHON=str(fake)))
    for action_path in (str(ROOT), ""):  # as the action sets it, then found from the script
        install, _ = workspace.step("install", AUDIT_ACTION_PATH=action_path)
        assert install.returncode == 0, install.stderr
    lines = calls.read_text().splitlines()
    pip = f"-m pip install --disable-pip-version-check --no-input --quiet {ROOT}"
    assert lines == [pip, "-m auditor --version", pip, "-m auditor --version"]


def test_usage_errors(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path, job_env(tmp_path))
    unknown, _ = workspace.step("deploy")
    assert unknown.returncode == 2 and "usage" in unknown.stderr
    nothing, _ = workspace.step("audit", AUDIT_CONFIG="", AUDIT_URLS="")
    assert nothing.returncode == 2 and "config" in nothing.stderr
    bad_fail_on, _ = workspace.step("audit", AUDIT_CONFIG="x.yml", AUDIT_FAIL_ON="always")
    assert bad_fail_on.returncode == 2 and "fail-on" in bad_fail_on.stderr
    missing, outputs_set = workspace.step("audit", AUDIT_CONFIG=str(tmp_path / "none.yml"))
    assert missing.returncode == 2
    assert outputs_set["exit-code"] == "2"
    no_browser, _ = workspace.step("browser", AUDIT_BROWSER_PATH=str(tmp_path / "chrome"))
    assert no_browser.returncode == 4 and "browser-path" in no_browser.stderr


def test_github_annotations_in_actions(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path, job_env(tmp_path, GITHUB_ACTIONS="true"))
    gate, _ = workspace.step("gate", AUDIT_POLICY_EXIT="1", AUDIT_RUN_EXIT="0")
    assert gate.returncode == 1
    assert gate.stdout.startswith("::error::the policy failed")


def test_action_yml_matches_the_script() -> None:
    """Every input documented and used; every step calls a step the script has, with the
    environment variables that step reads."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    expected_inputs = {"config", "urls", "base-url", "profile", "policy", "baseline", "lang",
                       "out", "python-version", "browser-path", "upload-report", "sarif",
                       "fail-on"}
    assert expected_inputs <= set(inputs)
    for name, spec in inputs.items():
        assert spec.get("description", "").strip(), name
        assert "default" in spec, name
    assert inputs["policy"]["default"] == "default"
    assert inputs["out"]["default"] == "audit-results"
    assert inputs["upload-report"]["default"] == "true"
    assert inputs["sarif"]["default"] == "false"
    assert inputs["fail-on"]["default"] == "error"
    text = ACTION.read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used == set(inputs), set(inputs) ^ used
    script = SCRIPT.read_text(encoding="utf-8")
    called = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        match = re.fullmatch(
            r'bash "\$\{\{ github\.action_path \}\}/auditor/ci/action_steps\.sh" (\w+)',
            step["run"].strip())
        assert match, step["run"]
        name = match.group(1)
        called.append(name)
        body = re.search(rf"^{name}\(\) \{{\n(.*?)^\}}", script, re.S | re.M)
        assert body, name
        read = set(re.findall(r"\$\{?(AUDIT_[A-Z_]+)", body.group(1))) - {"AUDIT_PYTHON"}
        if name in ("audit", "gate"):
            read.add("AUDIT_FAIL_ON")  # read through check_fail_on
        if name in ("audit", "check", "summary"):
            read.add("AUDIT_OUT")  # read through out_dir
        given = set(step.get("env", {}))
        assert read <= given, (name, read - given)
    assert called == ["install", "browser", "audit", "check", "summary", "gate"]
    uses = [step["uses"] for step in action["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python@v5", "actions/upload-artifact@v4",
                    "github/codeql-action/upload-sarif@v3"]


# ---------------------------------------------------------------------- helpers


def validate_sarif(text: str) -> dict[str, Any]:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    log: dict[str, Any] = json.loads(text)
    errors = list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log))
    assert not errors, [e.message for e in errors[:5]]
    for result in log["runs"][0]["results"]:
        for location in result.get("locations", []):
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert "://" not in uri or uri.startswith("file://"), uri
    return log


def validate_junit(text: str) -> ET.Element:
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text)
    return ET.fromstring(text.encode("utf-8"))
