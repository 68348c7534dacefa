"""SARIF and JUnit reporters on hand-made scorecards and a small hand-made Run (no browser).

Both formats are checked against their published schemas, vendored in tests/schemas/ (see its
README for where they come from): SARIF 2.1.0 with jsonschema, JUnit with the Jenkins/Surefire
``junit-10.xsd`` through ``xmlschema``. Structural assertions with ``xml.etree`` run always, so
the counts (tests, failures, skipped) are checked even where ``xmlschema`` is missing.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jsonschema  # type: ignore[import-untyped]
import pytest

from auditor.models import JourneyResult, Run, StepResult, TargetInfo, ToolInfo
from auditor.reporters.i18n import UnknownLanguage
from auditor.reporters.junit_report import render_junit
from auditor.reporters.sarif_report import FINGERPRINT_KEY, SARIF_VERSION, render_sarif
from auditor.scoring.scorecard import Scorecard, Text
from tests.unit.scorecard_samples import (
    NASTY,
    SITE,
    WCAG_338,
    empty_scorecard,
    large_scorecard,
    nasty_scorecard,
    previous_scorecard,
    sample_scorecard,
)

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
CONFIG = "journeys/villeneuve.yml"

# RFC 3986 URI-reference: only these characters, and "%" only before two hex digits. GitHub's
# upload-sarif checks the "uri" / "uri-reference" formats, which jsonschema skips without the
# optional rfc3987 package.
StepOutcome = Literal["ok", "failed", "skipped"]
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


# ---------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def small_run(vote_fails_at: int | None = 0) -> Run:
    """The sample scorecard's three journeys as they ran: sign-up and proposal completed,
    the vote broke at its first step (its second step was then skipped)."""
    def step(index: int, kind: str, target: str, line: int, outcome: StepOutcome = "ok",
             error: str = "", ms: float = 250) -> StepResult:
        return StepResult(index=index, kind=kind, target=target, line=line,
                          outcome=outcome, error=error, duration_ms=ms,
                          url_before=f"{SITE}/page-{index}")

    sign_up = JourneyResult(
        id="sign-up", title="Inscription", start_url=f"{SITE}/inscription", status="completed",
        duration_ms=4321.5, steps=[
            step(0, "fill", "label 'Pseudonyme'", 12, ms=120.4),
            step(1, "fill", "label 'Confirmez le mot de passe'", 14, ms=98.76),
            step(2, "click", "button 'Créer mon compte'", 16, ms=1500)])
    proposal = JourneyResult(
        id="proposal", title="Proposition", start_url=f"{SITE}/propositions",
        status="completed", duration_ms=1000, steps=[step(0, "fill", "label 'Titre'", 24)])
    if vote_fails_at is None:
        vote = JourneyResult(id="vote", title="Vote", start_url=f"{SITE}/vote",
                             status="failed", error="start page: HTTP 502", duration_ms=80)
    else:
        vote = JourneyResult(
            id="vote", title="Vote", start_url=f"{SITE}/vote", status="failed",
            failed_step=vote_fails_at, duration_ms=10_500,
            error=f"step {vote_fails_at + 1} (click button 'Voter', line 31): no element "
                  "matches\nwaited 10 s",
            steps=[step(0, "click", "button 'Voter'", 31, "failed",
                        "no element matches button 'Voter'\nwaited 10 s", 10_000),
                   step(1, "expect", "text 'Merci'", 32, "skipped", ms=0)])
    return Run(tool=ToolInfo(version="0.1.0", axe_version="4.12.1"),
               target=TargetInfo(name="Villeneuve participe", base_url=SITE,
                                 config_path=CONFIG),
               started_at="2025-11-26T07:14:00+00:00", finished_at="2025-11-26T07:15:02+00:00",
               duration_ms=62_000.4, journeys=[sign_up, proposal, vote])


@dataclass
class Budget:
    """A stand-in for the policy engine's budget result (duck-typed by the reporter)."""

    id: str
    title: str | Text
    outcome: str
    message: str | Text = ""


@dataclass
class PolicyStandIn:
    budgets: list[Budget]


def policy(*outcomes: str) -> PolicyStandIn:
    return PolicyStandIn([Budget(f"budget-{i}", f"Budget {i}", outcome, f"{outcome} message")
                          for i, outcome in enumerate(outcomes)])


def sarif(card: Scorecard, validator: Any, run: Run | None = None, **options: Any
          ) -> dict[str, Any]:
    """Render, parse, validate against the schema and check every URI; return the log."""
    text = render_sarif(card, run, **options)
    assert text.endswith("\n")
    log: dict[str, Any] = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    for uri in _artifact_uris(log):
        assert URI_REFERENCE.fullmatch(uri), uri
    return log


def _artifact_uris(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("artifactLocation",) and isinstance(value, dict) and "uri" in value:
                yield value["uri"]
            elif key == "helpUri":
                yield value
            else:
                yield from _artifact_uris(value)
    elif isinstance(node, list):
        for item in node:
            yield from _artifact_uris(item)


def results_by_rule(log: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for result in log["runs"][0]["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
    return by_rule


# ---------------------------------------------------------------------- SARIF


CARDS = {"sample": sample_scorecard, "previous": previous_scorecard, "nasty": nasty_scorecard,
         "empty": empty_scorecard}


@pytest.mark.parametrize("name", sorted(CARDS))
@pytest.mark.parametrize("with_run", [True, False], ids=["run", "no-run"])
@pytest.mark.parametrize("options", [{}, {"locations": "page", "include_passes": True}],
                         ids=["default", "page-locations"])
def test_sarif_is_valid_sarif_2_1_0(name: str, with_run: bool, options: dict[str, Any],
                                    sarif_validator: Any) -> None:
    log = sarif(CARDS[name](), sarif_validator, small_run() if with_run else None, **options)
    assert log["version"] == SARIF_VERSION == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1


def test_sarif_of_many_findings_is_valid(tmp_path: Path, sarif_validator: Any) -> None:
    card = large_scorecard(tmp_path, findings=40, shots=2)
    log = sarif(card, sarif_validator, small_run())
    # 40 findings, one of them in 5 is "positive" (a good point): left out by default.
    assert len(log["runs"][0]["results"]) == 32 + len(card.needs_review)


def test_levels_and_kinds_follow_severity(sarif_validator: Any) -> None:
    by_rule = results_by_rule(sarif(sample_scorecard(), sarif_validator, small_run()))
    assert by_rule["paste-blocked"][0]["level"] == "error"  # blocking
    assert by_rule["label"][0]["level"] == "error"  # major
    assert by_rule["signup-extra-data"][0]["level"] == "error"  # major
    assert by_rule["sentence-length"][0]["level"] == "warning"  # minor
    assert by_rule["page-weight"][0]["level"] == "warning"  # minor
    assert by_rule["help-contact"][0]["level"] == "note"  # info
    assert all(r["kind"] == "fail" for rule in ("paste-blocked", "label", "help-contact")
               for r in by_rule[rule])
    # Needs review: SARIF's "review" kind, which requires level "none" (§3.27.10).
    review = by_rule["color-contrast"][0]
    assert (review["kind"], review["level"]) == ("review", "none")
    # Good points are not problems: left out unless asked for, then "pass".
    assert "autocomplete-valid" not in by_rule
    with_passes = results_by_rule(sarif(sample_scorecard(), sarif_validator, small_run(),
                                        include_passes=True))
    passed = with_passes["autocomplete-valid"][0]
    assert (passed["kind"], passed["level"]) == ("pass", "none")


def test_one_rule_descriptor_per_rule_used(sarif_validator: Any) -> None:
    log = sarif(sample_scorecard(), sarif_validator, small_run())
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "participation-auditor"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert run["tool"]["extensions"][0] == {
        "name": "axe-core", "version": "4.12.1",
        "informationUri": "https://github.com/dequelabs/axe-core"}
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted({r["ruleId"] for r in run["results"]})
    assert len(rule_ids) == len(set(rule_ids))
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    paste = rules["paste-blocked"]
    assert paste["shortDescription"]["text"] == "On ne peut pas coller le mot de passe"
    assert paste["fullDescription"]["text"].startswith("Les personnes qui ont du mal")
    assert paste["helpUri"] == WCAG_338.url
    assert paste["defaultConfiguration"]["level"] == "error"
    assert "Retirez le blocage du collage" in paste["help"]["text"]
    assert "WCAG 3.3.8" in paste["help"]["text"] and WCAG_338.url in paste["help"]["text"]
    assert f"]({WCAG_338.url})" in paste["help"]["markdown"]
    assert paste["help"]["markdown"].startswith("**Comment corriger**")
    tags = paste["properties"]["tags"]
    assert tags[:2] == ["signup", "inclusion"]
    assert "blocking" in tags and "wcag-3.3.8" in tags
    assert "nist-800-63b-§5.1.1.2" not in tags  # only criteria (WCAG, RGAA, RGESN) are tags
    assert rules["label"]["properties"]["tags"] == ["accessibility", "inclusion", "rgaa-11.1",
                                                    "wcag-4.1.2"]
    assert rules["page-weight"]["properties"]["headline"] == "frugality"
    assert rules["sentence-length"]["defaultConfiguration"]["level"] == "warning"
    # A rule without references still has a description and a help text.
    help_contact = rules["help-contact"]
    assert "helpUri" not in help_contact
    assert help_contact["help"]["text"] and help_contact["fullDescription"]["text"]


def test_partial_fingerprints_are_the_stable_finding_ids(sarif_validator: Any) -> None:
    now = sarif(sample_scorecard(), sarif_validator, small_run())["runs"][0]
    before = sarif(previous_scorecard(), sarif_validator, small_run())["runs"][0]

    def prints(run: dict[str, Any]) -> dict[str, str]:
        return {r["properties"]["findingId"]: r["partialFingerprints"][FINGERPRINT_KEY]
                for r in run["results"]}

    assert all(finding_id == fingerprint for finding_id, fingerprint in prints(now).items())
    shared = set(prints(now)) & set(prints(before))
    assert "paste-blocked-3f9a1c" in shared
    assert all(prints(now)[i] == prints(before)[i] for i in shared)
    # The analysis category (automationDetails.id up to its last "/") must not change from
    # one run to the next, or code scanning would never close fixed alerts.
    category_now = now["automationDetails"]["id"].rsplit("/", 1)[0]
    category_before = before["automationDetails"]["id"].rsplit("/", 1)[0]
    assert category_now == category_before == "participation-auditor/villeneuve-participe"
    assert now["automationDetails"]["id"] != before["automationDetails"]["id"]


def test_results_point_at_the_journey_step_and_carry_the_page(sarif_validator: Any) -> None:
    by_rule = results_by_rule(sarif(sample_scorecard(), sarif_validator, small_run()))
    paste = by_rule["paste-blocked"][0]
    (location,) = paste["locations"]
    physical = location["physicalLocation"]
    # The journey file, at the line of step index 1 (the step that reached the page).
    assert physical["artifactLocation"]["uri"] == CONFIG
    assert physical["region"] == {"startLine": 14}
    assert location["logicalLocations"] == [{"name": "#password-confirm", "kind": "element"}]
    props = location["properties"]
    assert props["pageUrl"] == f"{SITE}/inscription?etape=2"
    assert props["selector"] == "#password-confirm"
    assert props["text"] == "Confirmez le mot de passe"
    assert (props["journey"], props["step"], props["checkpoint"]) == ("sign-up", 1, 2)
    assert props["screenshot"] == "shots/sign-up-2.jpg"
    # The page and the element are in the message GitHub shows.
    text = paste["message"]["text"]
    assert text.startswith("Le champ « Confirmez le mot de passe » refuse le collage")
    assert f"{SITE}/inscription?etape=2" in text and "#password-confirm" in text
    assert "Inscription, Étape 2" in location["message"]["text"]
    assert paste["properties"]["blocking"] is True
    assert paste["properties"]["tags"] == ["wcag-3.3.8"]
    # Four places: the first is the location, the others related locations.
    label = by_rule["label"][0]
    assert len(label["locations"]) == 1 and len(label["relatedLocations"]) == 3
    assert [r["id"] for r in label["relatedLocations"]] == [1, 2, 3]
    assert label["properties"]["placeCount"] == 4
    # The start page (step -1) has no step line: the file, without a region.
    sentence = by_rule["sentence-length"][0]["locations"][0]
    assert sentence["physicalLocation"] == {"artifactLocation": {"uri": CONFIG}}
    assert sentence["logicalLocations"][0]["kind"] == "text"
    # A run-wide finding with no place still has a location (code scanning needs one).
    extra = by_rule["signup-extra-data"][0]
    assert extra["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == CONFIG


def test_no_location_has_a_web_uri_by_default(sarif_validator: Any) -> None:
    """GitHub rejects an upload whose absolute URIs are not file:// (codeql-action #754)."""
    for run in (small_run(), None):
        log = sarif(sample_scorecard(), sarif_validator, run)
        uris = [u for u in _artifact_uris(log["runs"][0]["results"])]
        assert uris
        assert not [u for u in uris if "://" in u and not u.startswith("file://")], uris
    # Without the run (no journey file): a relative pseudo-path of the page.
    by_rule = results_by_rule(sarif(sample_scorecard(), sarif_validator))
    uri = by_rule["paste-blocked"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "participer.villeneuve.example.fr/inscription"}
    weight = by_rule["page-weight"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert weight == {"uri": "participer.villeneuve.example.fr/"}


def test_absolute_journey_file_becomes_a_file_uri(sarif_validator: Any) -> None:
    run = small_run()
    run.target.config_path = "/home/runner/work/site/site/journeys/mon parcours.yml"
    by_rule = results_by_rule(sarif(sample_scorecard(), sarif_validator, run))
    location = by_rule["paste-blocked"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (
        "file:///home/runner/work/site/site/journeys/mon%20parcours.yml")


def test_page_locations_on_request(sarif_validator: Any) -> None:
    log = sarif(sample_scorecard(), sarif_validator, small_run(), locations="page")
    physical = results_by_rule(log)["paste-blocked"][0]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": f"{SITE}/inscription?etape=2"},
                        "region": {"snippet": {"text": "Confirmez le mot de passe"}}}


def test_invocation_says_whether_the_audit_went_through(sarif_validator: Any) -> None:
    run = sarif(sample_scorecard(), sarif_validator, small_run())["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False  # the vote journey broke
    assert invocation["startTimeUtc"] == "2025-11-26T07:14:00Z"
    assert invocation["endTimeUtc"] == "2025-11-26T07:15:02Z"
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].startswith("Vote")
    assert "no element matches" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 31}
    completed = small_run()
    completed.journeys = completed.journeys[:2]
    ok = sarif(sample_scorecard(), sarif_validator, completed)["runs"][0]["invocations"][0]
    assert ok["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in ok
    # Without the run, the scorecard's journey statuses tell.
    alone = sarif(sample_scorecard(), sarif_validator)["runs"][0]["invocations"][0]
    assert alone["executionSuccessful"] is False


def test_run_properties_and_language(sarif_validator: Any) -> None:
    run = sarif(sample_scorecard(), sarif_validator, small_run(), lang="en")["runs"][0]
    assert run["language"] == "en" and run["tool"]["driver"]["language"] == "en"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["grades"] == {"inclusion": "D", "frugality": "C"}
    assert run["properties"]["profile"] == "default"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["paste-blocked"]["shortDescription"]["text"] == "The password cannot be pasted"
    assert rules["paste-blocked"]["help"]["markdown"].startswith("**How to fix it**")
    with pytest.raises(UnknownLanguage):
        render_sarif(sample_scorecard(), lang="de")


def test_hostile_text_stays_text(sarif_validator: Any) -> None:
    log = sarif(nasty_scorecard(), sarif_validator, small_run())
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    title_rule = rules["page-title"]
    assert "helpUri" not in title_rule  # javascript: is no help link
    assert "<script>" not in title_rule["help"]["markdown"]
    assert "javascript:" not in title_rule["help"]["markdown"]
    nasty = results_by_rule(log)["page-title"][0]
    # Plain-text fields keep the text as it was (JSON escaping is the consumer's safety).
    assert NASTY in nasty["locations"][0]["properties"]["text"]
    assert nasty["partialFingerprints"][FINGERPRINT_KEY] == 'x"><script>alert(2)</script>'


# ---------------------------------------------------------------------- JUnit


def junit_tree(text: str) -> ET.Element:
    """Parse strictly, validate against junit-10.xsd when xmlschema is there, check counts."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    try:
        import xmlschema
    except ImportError:  # pragma: no cover - the structural checks below still run
        pass
    else:
        xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text)
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(len(c.findall("failure")) for c in cases),
            "errors": sum(len(c.findall("error")) for c in cases),
            "skipped": sum(len(c.findall("skipped")) for c in cases),
        }
        assert {k: int(suite.get(k, "-1")) for k in counts} == counts, suite.get("name")
        assert re.fullmatch(r"\d+\.\d{3}", suite.get("time", "")), suite.get("time")
        for case in cases:
            assert case.get("name") and case.get("classname")
            outcomes = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
            assert len(outcomes) <= 1, case.get("name")
        for key in totals:
            totals[key] += counts[key]
    assert {k: int(root.get(k, "-1")) for k in totals} == totals
    return root


def suites(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.get("name", ""): suite for suite in root.findall("testsuite")}


def test_junit_suites_journeys_budgets_findings() -> None:
    root = junit_tree(render_junit(sample_scorecard(), small_run(),
                                   policy("pass", "warn", "fail", "off")))
    assert list(suites(root)) == ["sign-up: Inscription", "proposal: Proposition",
                                  "vote: Vote", "budgets", "findings"]
    assert root.get("name") == "participation-auditor: Villeneuve participe"
    assert root.get("time") == "62.000"
    assert "skipped" not in root.attrib  # junit-10.xsd has no such attribute on testsuites


def test_junit_one_testcase_per_step() -> None:
    by_name = suites(junit_tree(render_junit(sample_scorecard(), small_run())))
    sign_up = by_name["sign-up: Inscription"]
    cases = sign_up.findall("testcase")
    assert [c.get("name") for c in cases] == [
        f"Page de départ · goto {SITE}/inscription",
        "Étape 1 · fill label 'Pseudonyme'",
        "Étape 2 · fill label 'Confirmez le mot de passe'",
        "Étape 3 · click button 'Créer mon compte'"]
    assert {c.get("classname") for c in cases} == {"sign-up"}
    assert [c.get("time") for c in cases[1:]] == ["0.120", "0.099", "1.500"]
    assert sign_up.get("time") == "4.322"
    assert sign_up.get("timestamp") == "2025-11-26T07:14:00"
    assert cases[1].findtext("system-out") == f"{CONFIG}:12"
    properties = {p.get("name"): p.get("value") for p in sign_up.iter("property")}
    assert properties == {"journey": "sign-up", "start_url": f"{SITE}/inscription",
                          "status": "completed"}
    vote = by_name["vote: Vote"]
    assert (vote.get("tests"), vote.get("failures"), vote.get("skipped")) == ("3", "1", "1")
    _, clicked, expected = vote.findall("testcase")
    failure = clicked.find("failure")
    assert failure is not None
    assert failure.get("type") == "step-failed"
    assert failure.get("message") == "no element matches button 'Voter'"
    assert failure.text is not None and "waited 10 s" in failure.text
    assert f"{CONFIG}:31" in failure.text
    skipped = expected.find("skipped")
    assert skipped is not None and skipped.get("message") == f"sautée ({CONFIG}:32)"


def test_junit_journey_broken_before_any_step() -> None:
    vote = suites(junit_tree(render_junit(sample_scorecard(),
                                          small_run(vote_fails_at=None))))["vote: Vote"]
    (start,) = vote.findall("testcase")
    failure = start.find("failure")
    assert failure is not None and failure.get("message") == "start page: HTTP 502"


def test_junit_budgets_from_a_duck_typed_policy_result() -> None:
    result = PolicyStandIn([
        Budget("inclusion-grade", Text(fr="Inclusion au moins C", en="Inclusion at least C"),
               "fail", Text(fr="Inclusion : D, il faut C", en="Inclusion: D, C needed")),
        Budget("page-weight", "Page weight ≤ 1 MB", "warn", "1.2 MB on the home page"),
        Budget("blocking", "No blocking finding", "pass"),
        Budget("ecoindex", "EcoIndex ≥ C", "off", "turned off in the policy"),
        Budget("vote-time", "Vote in 1 min", "not_applicable", "no vote journey"),
        Budget("label", "No unlabelled field", "known", "accepted until 2026-01-31"),
        Budget("odd", "Odd", "maybe")])
    budgets = suites(junit_tree(render_junit(sample_scorecard(), small_run(), result)))["budgets"]
    cases = {c.get("name"): c for c in budgets.findall("testcase")}
    failed = cases["inclusion-grade: Inclusion au moins C"].find("failure")
    assert failed is not None and failed.get("message") == "Inclusion : D, il faut C"
    warned = cases["page-weight: Page weight ≤ 1 MB"]
    assert warned.find("failure") is None  # a warning must not turn a pipeline red
    assert warned.findtext("system-out") == "warn: 1.2 MB on the home page"
    assert len(cases["blocking: No blocking finding"]) == 0
    off = cases["ecoindex: EcoIndex ≥ C"].find("skipped")
    assert off is not None and off.get("message") == "turned off in the policy"
    not_applicable = cases["vote-time: Vote in 1 min"].find("skipped")
    assert not_applicable is not None and not_applicable.get("message") == "no vote journey"
    known = cases["label: No unlabelled field"]
    assert known.find("failure") is None
    assert known.findtext("system-out") == "known: accepted until 2026-01-31"
    odd = cases["odd: Odd"].find("error")
    assert odd is not None and "maybe" in (odd.get("message") or "")
    counts = {p.get("name"): p.get("value") for p in budgets.iter("property")}
    assert counts == {"pass": "1", "warn": "1", "fail": "1", "off": "1", "known": "1",
                      "not_applicable": "1"}
    assert (budgets.get("tests"), budgets.get("failures"), budgets.get("errors"),
            budgets.get("skipped")) == ("7", "1", "1", "2")
    # English names when asked.
    english = suites(junit_tree(render_junit(sample_scorecard(), small_run(), result,
                                             lang="en")))["budgets"]
    assert "inclusion-grade: Inclusion at least C" in [
        c.get("name") for c in english.findall("testcase")]


def test_junit_without_policy_has_no_budget_suite() -> None:
    assert "budgets" not in suites(junit_tree(render_junit(sample_scorecard(), small_run())))
    empty = suites(junit_tree(render_junit(sample_scorecard(), small_run(), policy())))
    assert empty["budgets"].get("tests") == "0"


def test_junit_blocking_findings_are_failures() -> None:
    findings = suites(junit_tree(render_junit(sample_scorecard(), small_run())))["findings"]
    (case,) = findings.findall("testcase")  # the sample has one blocking finding
    assert case.get("name") == (
        "paste-blocked: On ne peut pas coller le mot de passe [paste-blocked-3f9a1c]")
    assert case.get("classname") == "findings.sign-up"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "blocking-finding"
    assert failure.text is not None
    assert "#password-confirm" in failure.text and "WCAG 3.3.8" in failure.text
    none_blocking = sample_scorecard().model_copy(update={"findings": [
        f for f in sample_scorecard().findings if not f.blocking]})
    (passing,) = suites(junit_tree(render_junit(none_blocking, small_run())))[
        "findings"].findall("testcase")
    assert len(passing) == 0 and passing.get("name") == "no blocking finding"


def test_junit_hostile_and_empty_input() -> None:
    card = nasty_scorecard()
    bad = card.findings[0].model_copy(update={
        "blocking": True, "message": Text(fr="bip \x07 \x00 fin", en="beep \x07 end")})
    card = card.model_copy(update={"findings": [bad, *card.findings[1:]]})
    text = render_junit(card, small_run())
    assert "\x07" not in text and "\x00" not in text
    root = junit_tree(text)
    messages = [f.get("message") for f in root.iter("failure")]
    assert "bip   fin" in messages
    empty = junit_tree(render_junit(empty_scorecard(), Run(
        tool=ToolInfo(version="0.1.0"), target=TargetInfo(base_url=SITE))))
    assert list(suites(empty)) == ["findings"]


def test_junit_budgets_from_the_policy_engine() -> None:
    """The real PolicyResult fits the duck type: one test per budget, counts that agree."""
    policy_engine = pytest.importorskip("auditor.policy")
    result = policy_engine.evaluate_policy(policy_engine.load_policy("default"),
                                           sample_scorecard(), None, small_run())
    budgets = suites(junit_tree(render_junit(sample_scorecard(), small_run(), result)))[
        "budgets"]
    assert int(budgets.get("tests", "0")) == len(result.budgets) > 0
    assert int(budgets.get("failures", "0")) == len(result.failures)
    assert budgets.get("errors") == "0"  # every outcome the engine gives is known here
    counts = {p.get("name"): int(p.get("value") or 0) for p in budgets.iter("property")}
    assert counts["warn"] == len(result.warnings)
    assert sum(counts.values()) == len(result.budgets)
