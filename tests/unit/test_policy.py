"""Policy files and their evaluation on plain scorecards: presets, ``file:line`` errors,
every assertion kind and scope, levels, exit codes, and the text and Markdown verdicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from auditor.metrics.bundle import Measures
from auditor.models import Run
from auditor.policy import (
    EXIT_BUDGET_FAILED,
    EXIT_JOURNEY_BROKEN,
    EXIT_OK,
    PolicyError,
    evaluate_policy,
    load_policy,
    parse_policy,
    policy_json_schema,
    preset_names,
    render_policy_markdown,
    render_policy_text,
)
from auditor.policy.evaluate import PolicyResult
from auditor.policy.loader import preset_path
from auditor.policy.measures import MEASURES
from auditor.policy.model import parse_limit
from auditor.scoring.scorecard import Scorecard
from tests.unit.policy_samples import (
    finding,
    journey_card,
    result,
    scorecard,
    small_measures,
    small_run,
)

TODAY = date(2026, 1, 15)


def outcomes(res: PolicyResult) -> dict[str, str]:
    return {b.id: b.outcome for b in res.budgets}


def evaluate(text: str, card: Scorecard | None = None, *, measures: Measures | None = None,
             run: Run | None = None) -> PolicyResult:
    """The verdict of a policy written inline on a plain scorecard."""
    return evaluate_policy(parse_policy(text, "policy.yml"), card or scorecard(), measures,
                           run, today=TODAY)


# --------------------------------------------------------------------------- presets, schema


def test_presets_ship_and_load() -> None:
    assert preset_names() == ["default", "strict", "warn-only"]
    default = load_policy("default")
    ids = [b.id for b in default.budgets]
    assert {"no-blocking-finding", "no-critical-axe-signup-vote", "inclusion-grade",
            "frugality-grade", "signup-required-fields", "page-weight", "no-paste-blocking",
            "no-cognitive-captcha"} <= set(ids)
    assert all(b.title is not None for b in default.budgets)
    page_weight = default.budget("page-weight")
    assert page_weight is not None and page_weight.max is not None
    assert page_weight.max.value == 1_000_000


def test_strict_extends_default_and_tightens() -> None:
    strict = load_policy("strict")
    default = load_policy("default")
    assert [b.id for b in default.budgets] == [b.id for b in strict.budgets][:len(default.budgets)]
    inclusion = strict.budget("inclusion-grade")
    assert inclusion is not None and inclusion.min_grade is not None
    assert inclusion.min_grade.grade == "B"
    assert all(b.level == "error" for b in strict.budgets if b.id != "no-third-party-request")
    assert strict.sources[0].endswith("default.yml")


def test_warn_only_turns_every_budget_into_a_warning() -> None:
    warn_only = load_policy("warn-only")
    assert {b.level for b in warn_only.budgets} == {"warn"}
    assert len(warn_only.budgets) == len(load_policy("default").budgets)


def test_presets_and_short_forms_validate_against_the_json_schema() -> None:
    schema = policy_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in preset_names():
        raw = yaml.safe_load(preset_path(name).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(raw)) == [], name
    short = {"title": "Ours", "budgets": [
        {"id": "a", "max_findings": 0, "scope": "platform", "title": "No finding"},
        {"id": "b", "max": {"measure": "weight.page_transferred_bytes", "value": "500 kB"},
         "scope": {"kind": "signup"}},
        {"id": "c", "max_findings": {"rules": "paste-*", "severity": "major"}}]}
    assert list(validator.iter_errors(short)) == []
    assert list(validator.iter_errors({"budgets": [{"id": "x", "rule": "y", "typo": 1}]}))
    measure_enum = schema["$defs"]["MeasureLimit"]["properties"]["measure"]["enum"]
    assert set(measure_enum) == set(MEASURES)


def test_sizes_accept_units() -> None:
    assert parse_limit("1 MB") == 1_000_000
    assert parse_limit("500 kB") == 500_000
    assert parse_limit("1,5 Mo") == 1_500_000
    assert parse_limit("1 MiB") == 1_048_576
    assert parse_limit(12) == 12
    with pytest.raises(ValueError):
        parse_limit("lots")


# --------------------------------------------------------------------------- errors


def errors_of(text: str, tmp_path: Path | None = None) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        if tmp_path is None:
            parse_policy(text, "policy.yml")
        else:
            file = tmp_path / "policy.yml"
            file.write_text(text, encoding="utf-8")
            load_policy(file)
    return caught.value.lines


def test_unknown_measure_suggests_the_right_one_with_its_line() -> None:
    lines = errors_of("budgets:\n  - id: a\n    max: {measure: effort.field_required, "
                      "value: 3}\n")
    assert lines == ["policy.yml:3: budgets[0].max.measure: unknown measure "
                     "'effort.field_required'; did you mean 'effort.fields_required'?"]


def test_unknown_key_and_bad_grade_are_reported_together() -> None:
    lines = errors_of("budgets:\n  - id: a\n    titel: x\n    rule: r\n"
                      "  - id: b\n    min_grade: {headline: inclusion, grade: H}\n")
    assert lines[0] == "policy.yml:3: unknown key 'titel' in budgets[0]; did you mean 'title'?"
    assert lines[1].startswith("policy.yml:6: budgets[1].min_grade.grade:")


def test_a_budget_needs_exactly_one_assertion() -> None:
    lines = errors_of("budgets:\n  - id: a\n    level: warn\n"
                      "  - id: b\n    rule: x\n    max_findings: 0\n")
    assert lines[0].startswith("policy.yml:2: ")
    assert "exactly one assertion" in lines[0] and "found: none" in lines[0]
    assert lines[1].startswith("policy.yml:4: ") and "found: max_findings, rule" in lines[1]


@pytest.mark.parametrize(("budget", "expected"), [
    ("scope: {step: 2}\n    max: {measure: weight.page_requests, value: 3}",
     "a step or checkpoint belongs to a journey"),
    ("scope: {journey: sign-up, step: 2}\n    max: {measure: effort.screens, value: 3}",
     "measured per journey, not per step"),
    ("scope: {journey: sign-up, step: 2}\n    min_grade: {headline: inclusion, grade: C}",
     "not per step"),
    ("scope: {journey: sign-up, step: 0}\n    max_findings: 0", "1 = first step"),
    ("scope: {journey: a, step: 1, checkpoint: b}\n    max_findings: 0",
     "either 'step' or 'checkpoint'"),
    ("min_grade: {grade: C}", "exactly one of 'headline'"),
    ("max: {measure: weight.page_transferred_bytes, value: 1 XB}", "'1 XB' is not a number"),
])
def test_scope_and_assertion_mistakes(budget: str, expected: str) -> None:
    lines = errors_of(f"budgets:\n  - id: a\n    {budget}\n")
    assert len(lines) == 1 and lines[0].startswith("policy.yml:"), lines
    assert expected in lines[0]


def test_duplicate_id_and_unmatched_level_name_their_lines() -> None:
    assert errors_of("budgets:\n  - id: a\n    rule: x\n  - id: a\n    rule: y\n") == [
        "policy.yml:4: budget id 'a' is used twice"]
    assert errors_of("extends: default\nlevels:\n  page-wieght: warn\n") == [
        "policy.yml:3: levels: 'page-wieght' matches no budget (did you mean 'page-weight'?)"]


def test_yaml_syntax_error_and_non_mapping() -> None:
    assert errors_of("budgets:\n  - id: a\n   level: warn\n")[0].startswith(
        "policy.yml:3: invalid YAML")
    assert errors_of("- a\n- b\n") == [
        "policy.yml:1: a policy file is a mapping of keys (title, extends, levels, budgets; "
        "see `auditor/policy/README.md`)"]


def test_missing_file_suggests_a_preset(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("defualt")
    assert "did you mean the preset 'default'?" in str(caught.value)
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nope.yml")
    assert "no such policy file" in str(caught.value)


def test_extends_a_file_relative_to_the_policy_and_detects_loops(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "budgets:\n  - id: base-rule\n    rule: paste-blocked\n", encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "ours.yml").write_text(
        "extends: ../base.yml\nlevels: {base-rule: warn}\nbaseline_tolerance: 0.1\n"
        "budgets:\n  - id: extra\n    max_findings: 2\n", encoding="utf-8")
    ours = load_policy(tmp_path / "team" / "ours.yml")
    assert [(b.id, b.level) for b in ours.budgets] == [("base-rule", "warn"),
                                                       ("extra", "error")]
    assert ours.id == "ours" and ours.baseline_tolerance == 0.1
    (tmp_path / "a.yml").write_text("extends: b.yml\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("extends: a.yml\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "a.yml")
    assert "'extends' makes a loop" in caught.value.lines[-1]
    assert caught.value.lines[0].startswith(f"{tmp_path / 'a.yml'}:1: extends 'b.yml'")


def test_a_child_replaces_a_budget_of_the_same_id_in_place() -> None:
    ours = parse_policy("extends: default\nbudgets:\n  - id: page-weight\n"
                        "    max: {measure: weight.page_transferred_bytes, value: 2 MB}\n")
    ids = [b.id for b in ours.budgets]
    assert ids == [b.id for b in load_policy("default").budgets]
    weight = ours.budget("page-weight")
    assert weight is not None and weight.max is not None and weight.max.value == 2_000_000
    assert weight.title is None  # replaced whole: the generated title says the new limit


# --------------------------------------------------------------------------- min_grade


GRADE_POLICY = """\
budgets:
  - id: inclusion
    min_grade: {headline: inclusion, grade: C}
  - id: access-journeys
    scope: {journey: "*"}
    min_grade: {category: accessibility, grade: C}
"""


def test_min_grade_platform_and_per_journey() -> None:
    card = scorecard(inclusion="D", journeys=[
        journey_card("sign-up", accessibility=40), journey_card("vote", accessibility=90)])
    res = evaluate(GRADE_POLICY, card)
    assert outcomes(res) == {"inclusion": "fail", "access-journeys": "fail"}
    inclusion = res.budgets[0]
    assert (inclusion.actual, inclusion.limit) == ("D", "C")
    assert inclusion.message.en == "The platform: Inclusion grade D, minimum C."
    assert inclusion.message.fr == "La plateforme : note Inclusion D, minimum C."
    journeys = res.budgets[1]
    assert [(c.where.journey_id, c.actual, c.passed) for c in journeys.checks] == [
        ("sign-up", "D", False), ("vote", "A", True)]
    assert res.failed and res.exit_code == EXIT_BUDGET_FAILED


def test_grade_equal_to_the_minimum_passes_and_missing_grade_is_not_applicable() -> None:
    res = evaluate(GRADE_POLICY, scorecard(inclusion="C", accessibility=None, journeys=[
        journey_card("sign-up", accessibility=None)]))
    assert outcomes(res) == {"inclusion": "pass", "access-journeys": "not_applicable"}
    assert not res.failed and res.exit_code == EXIT_OK


# --------------------------------------------------------------------------- max_findings


FINDINGS = [
    finding("b1", "paste-blocked", blocking=True, category="signup"),
    finding("m1", "label", journey="sign-up", step_index=1, checkpoint=1),
    finding("m2", "label", journey="vote", step_index=0),
    finding("n1", "long-sentences", severity="minor", category="language", journey="vote"),
    finding("i1", "help-contact", severity="info", category="effort"),
    finding("p1", "accessibility-statement", severity="positive", journey=""),
]


def test_max_findings_filters() -> None:
    res = evaluate("""\
budgets:
  - id: blocking
    max_findings: {limit: 0, blocking: true}
  - id: problems
    max_findings: 3
  - id: labels
    max_findings: {limit: 1, rules: [lab*]}
  - id: minor-language
    max_findings: {severity: minor, category: language}
  - id: info-counted-only-when-asked
    max_findings: {limit: 0, severity: [info]}
""", scorecard(findings=FINDINGS))
    assert outcomes(res) == {"blocking": "fail", "problems": "fail", "labels": "fail",
                             "minor-language": "fail", "info-counted-only-when-asked": "fail"}
    actual = {b.id: b.actual for b in res.budgets}
    assert actual == {"blocking": 1, "problems": 4, "labels": 2, "minor-language": 1,
                      "info-counted-only-when-asked": 1}
    blocking = res.budgets[0]
    assert blocking.checks[0].finding_ids == ["b1"]
    assert "Rules: paste-blocked." in blocking.message.en
    assert res.budgets[1].checks[0].message.en.endswith("Rules: label ×2, long-sentences, "
                                                        "paste-blocked.")


def test_max_findings_per_journey_and_per_step() -> None:
    res = evaluate("""\
budgets:
  - id: per-journey
    scope: {journey: "*"}
    max_findings: 1
  - id: signup-step-2
    scope: {journey: sign-up, step: 2}
    max_findings: 0
  - id: signup-checkpoint
    scope: {journey: sign-up, checkpoint: formulaire}
    max_findings: 0
  - id: vote-start
    scope: {kind: vote, step: start}
    max_findings: 0
""", scorecard(findings=FINDINGS, journeys=[journey_card("sign-up"), journey_card("vote")]),
                   run=small_run())
    per_journey = res.budgets[0]
    assert [(c.where.journey_id, c.actual, c.passed) for c in per_journey.checks] == [
        ("sign-up", 2, False), ("vote", 2, False)]
    assert res.budgets[1].checks[0].finding_ids == ["m1"]
    assert res.budgets[1].checks[0].message.en.startswith("Journey “sign-up”, step 2: 1 ")
    assert res.budgets[2].checks[0].finding_ids == ["m1"]  # checkpoint 1 is "formulaire"
    assert res.budgets[3].outcome == "pass"  # the vote findings are at step 1, not start


# --------------------------------------------------------------------------- rule


def test_rule_budget() -> None:
    card = scorecard(findings=FINDINGS, results=[
        result("paste-blocked", "fail", finding_ids=["b1"]),
        result("paste-blocked", "fail", journey="sign-up", finding_ids=["b1"]),
        result("captcha-cognitive", "pass"),
        result("show-password-missing", "not_applicable")])
    res = evaluate("""\
budgets:
  - id: paste
    rule: paste-blocked
  - id: paste-signup
    scope: {kind: signup}
    rule: paste-blocked
  - id: captcha
    rule: captcha-cognitive
  - id: toggle
    rule: show-password-missing
  - id: unknown
    rule: no-such-rule
""", card)
    assert outcomes(res) == {"paste": "fail", "paste-signup": "fail", "captcha": "pass",
                             "toggle": "not_applicable", "unknown": "not_applicable"}
    assert res.budgets[0].message.en == "The platform: rule “paste-blocked” fails."
    assert "not in this scorecard" in res.budgets[4].message.en


# --------------------------------------------------------------------------- measures


MEASURE_POLICY = """\
budgets:
  - id: page-weight
    max: {measure: weight.page_transferred_bytes, value: 1 MB}
  - id: critical-signup-vote
    scope: {kind: [signup, vote]}
    max: {measure: wcag.critical_rules, value: 0}
  - id: critical-platform
    max: {measure: wcag.critical_rules, value: 0}
  - id: critical-step
    scope: {journey: sign-up, step: start}
    max: {measure: wcag.critical_rules, value: 0}
  - id: ecoindex
    scope: {journey: vote}
    min: {measure: weight.page_ecoindex, value: 50}
  - id: fields
    scope: {kind: signup}
    max: {measure: effort.fields_required, value: 8}
"""


def test_measure_budgets_per_page_journey_and_platform() -> None:
    run = small_run()
    res = evaluate(MEASURE_POLICY, scorecard(), measures=small_measures(run), run=run)
    assert outcomes(res) == {"page-weight": "fail", "critical-signup-vote": "fail",
                             "critical-platform": "fail", "critical-step": "pass",
                             "ecoindex": "pass", "fields": "pass"}
    weight = res.budgets[0]
    assert [(c.where.journey_id, c.where.step_index, c.actual, c.passed)
            for c in weight.checks] == [("sign-up", -1, 300_000, True),
                                        ("sign-up", 1, 1_500_000, False),
                                        ("vote", -1, 200_000, True)]
    assert weight.actual == 1_500_000
    assert weight.message.en == ("Journey “sign-up”, step 2 (/inscription): page weight "
                                 "1.5 MB (at most 1 MB).")
    assert weight.message.fr == ("Parcours « sign-up », étape 2 (/inscription) : poids de la "
                                 "page 1,5 Mo (maximum 1 Mo).")
    critical = res.budgets[1]
    assert [(c.where.journey_id, c.actual) for c in critical.checks] == [("sign-up", 1),
                                                                         ("vote", 0)]
    assert [c.where.journey_id for c in res.budgets[2].checks] == [""]


def test_measure_budgets_without_measures_are_not_applicable() -> None:
    res = evaluate(MEASURE_POLICY, scorecard())
    assert set(outcomes(res).values()) == {"not_applicable"}
    assert res.budgets[0].message.en == "No measures given: this budget could not be checked."
    assert not res.failed


def test_a_scope_matching_no_journey_says_so() -> None:
    run = small_run()
    res = evaluate("budgets:\n  - id: a\n    scope: {kind: proposal}\n"
                   "    max: {measure: effort.screens, value: 3}\n",
                   scorecard(journeys=[journey_card("sign-up"), journey_card("vote")]),
                   measures=small_measures(run), run=run)
    assert res.budgets[0].outcome == "not_applicable"
    assert "No journey of this run matches (proposal journeys)" in res.budgets[0].message.en


# --------------------------------------------------------------------------- levels, exit


def test_levels_warn_and_off() -> None:
    res = evaluate("""\
budgets:
  - id: warned
    level: warn
    min_grade: {headline: inclusion, grade: A}
  - id: silenced
    level: off
    min_grade: {headline: inclusion, grade: A}
""")
    assert outcomes(res) == {"warned": "warn", "silenced": "off"}
    assert res.outcome == "warn" and not res.failed and res.exit_code == EXIT_OK
    assert [b.id for b in res.warnings] == ["warned"] and res.failures == []
    assert res.budgets[1].checks == []


def test_a_broken_journey_takes_precedence_in_the_exit_code() -> None:
    run = small_run(vote_status="failed")
    res = evaluate("budgets:\n  - id: a\n    min_grade: {headline: inclusion, grade: A}\n",
                   run=run)
    assert res.failed and res.broken_journeys == ["vote"]
    assert res.exit_code == EXIT_JOURNEY_BROKEN
    card = scorecard(journeys=[journey_card("sign-up", status="failed")])
    assert evaluate("budgets: []\n", card).exit_code == EXIT_JOURNEY_BROKEN


def test_generated_titles_when_the_policy_gives_none() -> None:
    res = evaluate("""\
budgets:
  - id: a
    scope: {kind: signup}
    max: {measure: effort.fields_required, value: 8}
  - id: b
    max_findings: {limit: 0, blocking: true}
  - id: c
    min_grade: {category: accessibility, grade: C}
""")
    titles = [(b.title.en, b.title.fr) for b in res.budgets]
    assert titles == [
        ("Fields to fill in: at most 8 (signup journeys)",
         "Champs à remplir : au plus 8 (parcours de type signup)"),
        ("At most 0 blocking finding(s)", "Au plus 0 constat(s) bloquants"),
        ("Accessibility grade C or better", "Note Accessibilité au moins C")]


# --------------------------------------------------------------------------- rendering


def test_text_and_markdown_name_the_failed_budgets_in_both_languages() -> None:
    card = scorecard(inclusion="E", findings=[
        finding("x1", "paste-blocked", blocking=True, category="signup",
                text="<img src=x onerror=alert(1)> @everyone | #12")])
    res = evaluate_policy(load_policy("default"), card, today=TODAY)
    text_en = render_policy_text(res, "en")
    assert text_en.splitlines()[0].startswith("Default policy (default): FAILED")
    assert "✗ FAIL    No blocking finding (someone cannot finish the journey) " \
           "[no-blocking-finding] — 1 / 0" in text_en
    assert "[inclusion-grade] — E / C" in text_en
    assert text_en.splitlines()[-1] == "Exit code: 1 (a budget failed)."
    text_fr = render_policy_text(res, "fr")
    assert text_fr.splitlines()[0].startswith("Politique par défaut (default) : ÉCHEC")
    assert "Code de sortie : 1 (un budget n'est pas tenu)." in text_fr
    markdown = render_policy_markdown(res, "en")
    assert "| ❌ fail | No blocking finding (someone cannot finish the journey) " \
           "(`no-blocking-finding`) | 1 | 0 | platform |" in markdown
    assert "#### Broken budgets" in markdown
    assert "<img" not in markdown and "@everyone" not in markdown
    assert "| ❌ échec |" in render_policy_markdown(res, "fr")


def test_result_serialises_to_json() -> None:
    res = evaluate_policy(load_policy("default"), scorecard(), today=TODAY)
    again = PolicyResult.model_validate_json(res.model_dump_json())
    assert again == res


def test_the_readme_documents_every_measure_and_preset_budget() -> None:
    readme = (Path(__file__).parents[2] / "auditor" / "policy" / "README.md").read_text(
        encoding="utf-8")
    for name in MEASURES:
        assert f"| `{name}` |" in readme, name
    for budget in load_policy("default").budgets:
        assert f"| `{budget.id}` |" in readme, budget.id


def test_unquoted_off_is_a_level_not_false() -> None:
    ours = parse_policy("extends: default\nlevels:\n  page-weight: off\n  no-tracker: off\n")
    levels = {b.id: b.level for b in ours.budgets}
    assert levels["page-weight"] == "off" and levels["no-tracker"] == "off"
