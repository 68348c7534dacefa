"""Every shipped rule against its YAML cases (sqlfluff's std_rule_cases, one generic test).

Each rule file ``rules/<id>.yml`` has a case file ``tests/rule_cases/<id>.yml`` giving indicator
values and the outcome the rule must reach. The test ids are the rule ids, so
``pytest -k paste-blocked`` runs one rule. A rule without a case file, or whose cases miss a
kind of outcome it can reach (pass, fail, not applicable; needs review for review rules), fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.paths import shipped_dir
from auditor.scoring.engine import evaluate, judge
from auditor.scoring.indicators import IndicatorValue, Item
from auditor.scoring.rule_loader import load_rules
from auditor.scoring.rule_model import Rule
from tests.unit.factories import SITE, checkpoint, journey, run

CASES_DIR = Path(__file__).resolve().parent.parent / "rule_cases"
RULES = load_rules().rules
RULE_IDS = sorted(RULES)
CASE_KEYS = {"expect", "indicator", "score", "findings", "review_findings",
             "finding_severity", "blocking", "message_contains"}


def required_kinds(rule: Rule) -> set[str]:
    """The outcomes a rule can reach, so its cases must show each of them."""
    if rule.scoring.type == "review":
        return {"needs_review", "not_applicable"}
    if rule.scoring.type == "info" or rule.positive:
        return {"pass", "not_applicable"}
    return {"pass", "fail", "not_applicable"}


def indicator_value(raw: dict[str, Any]) -> IndicatorValue:
    """An IndicatorValue from a case; ``items: 3`` is shorthand for three distinct items."""
    data = dict(raw)
    items = data.pop("items", [])
    if isinstance(items, int):
        items = [{"key": f"item-{n}", "url": f"{SITE}/page/{n}"} for n in range(items)]
    data["items"] = [Item.model_validate(i) for i in items]
    return IndicatorValue.model_validate(data)


def load_cases(rule_id: str) -> dict[str, dict[str, Any]]:
    path = CASES_DIR / f"{rule_id}.yml"
    assert path.is_file(), f"rule '{rule_id}' has no case file {path}"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document.get("rule") == rule_id, f"{path}: 'rule' must be '{rule_id}'"
    cases = document.get("cases")
    assert isinstance(cases, dict) and cases, f"{path}: no cases"
    return cases


def sample_run() -> Any:
    return run(journey("signup", checkpoints=[checkpoint(0, url=f"{SITE}/inscription")]))


@pytest.mark.parametrize("rule_id", RULE_IDS, ids=RULE_IDS)
def test_rule_cases(rule_id: str) -> None:
    rule = RULES[rule_id]
    cases = load_cases(rule_id)
    kinds = {case["expect"] for case in cases.values()}
    missing = required_kinds(rule) - kinds
    assert not missing, f"{rule_id}: no case expecting {', '.join(sorted(missing))}"
    the_run = sample_run()
    for name, case in cases.items():
        unknown = set(case) - CASE_KEYS
        assert not unknown, f"{rule_id}/{name}: unknown case keys {sorted(unknown)}"
        value = indicator_value(case.get("indicator", {}))
        evaluation = evaluate(rule, value)
        where = f"{rule_id}/{name}"
        assert evaluation.outcome == case["expect"], (
            f"{where}: expected {case['expect']}, got {evaluation.outcome} "
            f"(score {evaluation.score})")
        if "score" in case:
            assert evaluation.score == pytest.approx(case["score"]), (
                f"{where}: expected score {case['score']}, got {evaluation.score}")
        judged = judge(rule, value, the_run, "signup")
        if "findings" in case:
            assert len(judged.findings) == case["findings"], (
                f"{where}: expected {case['findings']} finding(s), got {len(judged.findings)}")
        if "review_findings" in case:
            assert len(judged.review) == case["review_findings"], where
        if "finding_severity" in case:
            assert {f.severity for f in judged.findings} == {case["finding_severity"]}, where
        if "blocking" in case:
            assert judged.findings, f"{where}: a blocking case needs findings"
            assert all(f.blocking for f in judged.findings) == case["blocking"], where
        for lang, text in case.get("message_contains", {}).items():
            shown = [getattr(f.message, lang) for f in judged.findings]
            if judged.result.detail is not None:
                shown.append(getattr(judged.result.detail, lang))
            assert any(text in s for s in shown), f"{where}: '{text}' not in {shown}"


def test_every_case_file_has_a_rule() -> None:
    orphans = sorted(p.stem for p in CASES_DIR.glob("*.yml") if p.stem not in RULES)
    assert not orphans, f"case files without a rule: {orphans}"


def test_rule_ids_select_one_rule_each() -> None:
    """``pytest -k <rule-id>`` matches substrings: no id may sit inside another."""
    clashes = [(a, b) for a in RULE_IDS for b in RULE_IDS if a != b and a in b]
    assert not clashes, f"rule ids inside other ids: {clashes}"


def test_shipped_rules_cover_every_category_and_the_brief() -> None:
    categories = {r.category for r in RULES.values()}
    assert categories == {"accessibility", "signup", "effort", "language", "frugality"}
    blocking = {r.id for r in RULES.values() if r.blocking}
    assert {"paste-blocked", "captcha-cognitive", "form-control-critical"} <= blocking
    assert (shipped_dir("rules") / "profiles" / "default.yml").is_file()
    assert (shipped_dir("rules") / "profiles" / "strict.yml").is_file()
    for rule in RULES.values():
        assert rule.references, rule.id
        assert rule.why.fr and rule.why.en and rule.fix.fr and rule.fix.en, rule.id
