"""The scoring engine: grades, caps, weights, not-applicable, needs-review, stable ids,
profile overrides. Small in-memory rules over stub indicators test the arithmetic; plain Runs
built with tests/unit/factories.py and the shipped rules test the whole chain."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from auditor.metrics.bundle import Measures, compute_measures
from auditor.models import FormField, Run
from auditor.scoring.engine import cap_grade, grade_for, journey_kind, score, step_label
from auditor.scoring.explain import explain_rule, list_indicators, list_rules
from auditor.scoring.indicators import INDICATORS, Indicator, IndicatorValue, Item
from auditor.scoring.rule_loader import RuleSet, load_rules
from auditor.scoring.rule_model import Profile, Rule, RuleOverride, ScoringOverride
from auditor.scoring.scorecard import Scorecard, Text
from tests.unit.factories import SITE, checkpoint, field, journey, rule, run, step

# --------------------------------------------------------------------------- grades


@pytest.mark.parametrize(("value", "grade"), [
    (100, "A"), (80, "A"), (79.99, "B"), (70, "B"), (55, "C"), (54.9, "D"), (40, "D"),
    (25, "E"), (10, "F"), (9.99, "G"), (0, "G"), (None, None),
])
def test_grades_use_greater_or_equal(value: float | None, grade: str | None) -> None:
    assert grade_for(value) == grade


def test_cap_keeps_the_worse_grade() -> None:
    assert cap_grade("A", "D") == "D"
    assert cap_grade("F", "D") == "F"
    assert cap_grade(None, "D") is None


# --------------------------------------------------------------------------- stub indicators

TEXT = {"fr": "x", "en": "x"}


def make_rule(rule_id: str, category: str, indicator: str, **extra: Any) -> Rule:
    data: dict[str, Any] = {
        "id": rule_id, "category": category, "indicator": indicator,
        "title": {"fr": f"Titre {rule_id}", "en": f"Title {rule_id}"},
        "scoring": {"type": "value", "pass_at": 50}, "weight": 1,
        "message": {"fr": "valeur {value}", "en": "value {value}"},
        "why": TEXT, "fix": TEXT, "references": [{"kind": "WCAG", "ref": "1.1.1"}],
    }
    data.update(extra)
    return Rule.model_validate(data)


@pytest.fixture
def stub() -> Iterator[dict[str, dict[str | None, IndicatorValue]]]:
    """Register ``test.*`` indicators whose values the test sets per journey id."""
    values: dict[str, dict[str | None, IndicatorValue]] = {}
    names = [f"test.{n}" for n in ("a", "b", "c", "d", "e")]
    for name in names:
        def read(measures: Measures, the_run: Run, journey_id: str | None,
                 name: str = name) -> IndicatorValue:
            by_journey = values.get(name, {})
            return by_journey.get(journey_id, by_journey.get("*", IndicatorValue(
                applicable=False)))
        INDICATORS[name] = Indicator(name=name, kind="number", description="test",
                                     unit=None, params=(), item_params=(), fn=read)
    yield values
    for name in names:
        INDICATORS.pop(name, None)


def two_journey_run() -> Run:
    return run(journey("sign-up", checkpoints=[checkpoint(0, journey_id="sign-up")]),
               journey("vote", checkpoints=[checkpoint(1, journey_id="vote")]))


@pytest.fixture(scope="module")
def empty_measures() -> Measures:
    return compute_measures(two_journey_run(), "fr")


def grades(card: Scorecard) -> dict[str, tuple[float | None, str | None, bool]]:
    return {g.headline: (g.score, g.grade, g.capped) for g in card.grades}


def test_category_means_and_normalised_inclusion(stub: dict[str, Any],
                                                 empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=100)}
    stub["test.b"] = {"*": IndicatorValue(value=0)}
    stub["test.c"] = {"*": IndicatorValue(value=40)}
    rules = [make_rule("rule-a", "accessibility", "test.a", weight=3),
             make_rule("rule-b", "accessibility", "test.b", weight=1),
             make_rule("rule-c", "language", "test.c")]
    card = score(empty_measures, two_journey_run(), rules)
    categories = {c.id: c for c in card.categories}
    assert categories["accessibility"].score == 75
    assert categories["language"].score == 40
    assert categories["signup"].score is None and categories["signup"].grade is None
    # (30 × 75 + 15 × 40) / 45: categories without a score do not count.
    inclusion = card.grades[0]
    assert inclusion.score == pytest.approx(63.33, abs=0.01)
    assert (inclusion.grade, inclusion.capped) == ("C", False)
    assert grades(card)["frugality"] == (None, None, False)


def test_not_applicable_and_review_weigh_nothing_but_stay_visible(
        stub: dict[str, Any], empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=80)}
    stub["test.b"] = {"*": IndicatorValue(applicable=False, note=Text(fr="rien", en="none"))}
    stub["test.c"] = {"*": IndicatorValue(value=2, items=[
        Item(key="color-contrast", url=f"{SITE}/a"), Item(key="region", url=f"{SITE}/b")])}
    rules = [make_rule("rule-a", "accessibility", "test.a"),
             make_rule("rule-b", "accessibility", "test.b", weight=50),
             make_rule("rule-c", "accessibility", "test.c", weight=0,
                       scoring={"type": "review"})]
    card = score(empty_measures, two_journey_run(), rules)
    accessibility = next(c for c in card.categories if c.id == "accessibility")
    assert accessibility.score == 80
    assert accessibility.rules_applied == 1 and accessibility.rules_not_applicable == 2
    outcomes = {(r.rule_id, r.journey_id): r.outcome for r in card.results}
    assert outcomes[("rule-b", "")] == "not_applicable"
    assert outcomes[("rule-b", "vote")] == "not_applicable"
    assert outcomes[("rule-c", "")] == "needs_review"
    assert not [f for f in card.findings if f.rule_id == "rule-c"]
    assert {f.rule_id for f in card.needs_review} == {"rule-c"}
    assert len(card.needs_review) == 4  # two items in each of two journeys


def test_blocking_caps_its_headline_at_d_with_a_reason(stub: dict[str, Any],
                                                      empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=95)}
    stub["test.b"] = {"sign-up": IndicatorValue(value=True),
                      "vote": IndicatorValue(applicable=False)}
    stub["test.c"] = {"*": IndicatorValue(value=90)}
    rules = [make_rule("rule-a", "accessibility", "test.a", weight=20),
             make_rule("paste-thing", "signup", "test.b", blocking=True,
                       scoring={"type": "boolean", "fail_when": True}),
             make_rule("rule-c", "frugality", "test.c")]
    card = score(empty_measures, two_journey_run(), rules)
    inclusion = card.grades[0]
    assert inclusion.score is not None and inclusion.score >= 55  # C before the cap...
    assert (inclusion.grade, inclusion.capped) == ("D", True)  # ...D after it
    assert inclusion.cap_reason is not None and "paste-thing" in inclusion.cap_reason.fr
    assert "capped at D" in inclusion.cap_reason.en
    assert grades(card)["frugality"] == (90, "A", False)
    by_journey = {j.journey_id: j for j in card.journeys}
    assert by_journey["sign-up"].grades[0].capped
    assert not by_journey["vote"].grades[0].capped
    blocking = [f for f in card.findings if f.blocking]
    assert [f.severity for f in blocking] == ["blocking"]
    assert card.findings[0] is not None and card.findings[0].blocking  # blocking first


def test_frugality_blocking_caps_only_frugality(stub: dict[str, Any],
                                                empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=100)}
    stub["test.b"] = {"*": IndicatorValue(value=0)}
    rules = [make_rule("rule-a", "accessibility", "test.a"),
             make_rule("rule-e", "frugality", "test.a", weight=10),
             make_rule("slow-thing", "frugality", "test.b", blocking=True)]
    card = score(empty_measures, two_journey_run(), rules)
    assert grades(card)["inclusion"] == (100, "A", False)
    frugality = card.grades[1]
    assert frugality.grade == "D" and frugality.capped


def test_journey_weights_and_min_aggregate(stub: dict[str, Any],
                                           empty_measures: Measures) -> None:
    stub["test.a"] = {"sign-up": IndicatorValue(value=100), "vote": IndicatorValue(value=30)}
    rules = [make_rule("rule-mean", "effort", "test.a"),
             make_rule("rule-min", "accessibility", "test.a", aggregate="min")]
    card = score(empty_measures, two_journey_run(), rules)
    platform = {r.rule_id: r for r in card.results if r.journey_id == ""}
    # metrics.md §3.4: sign-up 0.4, vote 0.3 → (0.4 × 100 + 0.3 × 30) / 0.7.
    assert platform["rule-mean"].score == 70
    assert platform["rule-min"].score == 30
    assert platform["rule-mean"].outcome == "fail"  # one journey failed


def test_applies_to_limits_journeys(stub: dict[str, Any], empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=10)}
    rules = [make_rule("vote-only", "effort", "test.a", applies_to=["vote"])]
    card = score(empty_measures, two_journey_run(), rules)
    assert {r.journey_id for r in card.results} == {"", "vote"}


def test_profile_overrides_thresholds_weights_and_selection(
        stub: dict[str, Any], empty_measures: Measures) -> None:
    stub["test.a"] = {"*": IndicatorValue(value=60)}
    stub["test.b"] = {"*": IndicatorValue(value=0)}
    rules = [make_rule("rule-a", "language", "test.a", scoring={"type": "value",
                                                                "pass_at": 80}),
             make_rule("rule-b", "language", "test.b")]
    base = score(empty_measures, two_journey_run(), rules)
    assert {r.rule_id: r.outcome for r in base.results if not r.journey_id} == {
        "rule-a": "fail", "rule-b": "fail"}
    lenient = Profile(id="lenient", title=Text(fr="Souple", en="Lenient"), overrides={
        "rule-a": RuleOverride(scoring=ScoringOverride(pass_at=50), weight=3),
        "rule-b": RuleOverride(enabled=False)})
    card = score(empty_measures, two_journey_run(), RuleSet.from_rules(rules), lenient)
    assert card.profile == "lenient"
    assert {r.rule_id: r.outcome for r in card.results if not r.journey_id} == {
        "rule-a": "pass"}
    assert next(c for c in card.categories if c.id == "language").score == 60
    excluded = Profile(id="few", title=Text(fr="Peu", en="Few"), exclude=["rule-*"])
    assert score(empty_measures, two_journey_run(), rules, excluded).results == []


# --------------------------------------------------------------------------- whole chain

HOST_A = "http://127.0.0.1:40183"
HOST_B = "http://127.0.0.1:51234"
#: Four distinct sentences of 13 to 14 words: fine by default (≤ 15), too long for strict (≤ 12).
LONG_FR = ("Les habitants peuvent proposer un projet pour leur quartier pendant tout le mois "
           "de mai. Chaque projet est ensuite étudié par les services de la ville avant "
           "le vote. Les projets retenus sont présentés sur cette page avec leur coût estimé. "
           "Vous pouvez soutenir autant de projets que vous voulez jusqu'à la fin de juin. ")


def signup_run(base: str = HOST_A, proposal_id: int = 12, *, paste_blocked: bool = True,
               prose: str = "", mode: str = "full-submit") -> Run:
    password = field("mot_de_passe", "Mot de passe", type="password", required=True)
    password = password.model_copy(update={
        "paste_blocked": paste_blocked, "paste_blocked_by": "listener" if paste_blocked else "",
        "autocomplete": "new-password"})
    fields: list[FormField] = [
        field("pseudo", "Pseudonyme", required=True).model_copy(
            update={"autocomplete": "nickname"}),
        field("email", "Adresse e-mail", type="email", required=True).model_copy(
            update={"autocomplete": "email"}),
        password]
    signup = journey(
        "sign-up", start_url=f"{base}/inscription",
        steps=[step(0, "fill", "label 'Pseudonyme'", typed_chars=7, url_before=f"{base}/"),
               step(1, "click", "button 'Créer mon compte'", navigated=True,
                    url_before=f"{base}/inscription", checkpoints=[1])],
        checkpoints=[
            checkpoint(0, journey_id="sign-up", url=f"{base}/inscription", trigger="start",
                       fields=fields, main_prose=prose, headings=["Créer un compte"],
                       violations=[rule("label", "critical", ["input[name=pseudo]"])]),
            checkpoint(1, journey_id="sign-up", step_index=1, url=f"{base}/bienvenue",
                       main_prose=prose)])
    for index, cp in enumerate(signup.checkpoints):
        cp.screenshot = f"screenshots/{index:03d}-sign-up.jpg"
    vote_url = f"{base}/propositions/{proposal_id}/voter"
    vote = journey(
        "vote", start_url=vote_url,
        steps=[step(0, "click", "button 'Soutenir'", url_before=vote_url)],
        checkpoints=[checkpoint(2, journey_id="vote", url=vote_url, trigger="start",
                                main_prose=prose,
                                violations=[rule("image-alt", "critical", ["img.hero"]),
                                            rule("color-contrast", "serious",
                                                 ["li:nth-child(3) > a"])])])
    the_run = run(signup, vote)
    the_run.target.base_url = base
    the_run.mode = mode  # type: ignore[assignment]
    return the_run


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return load_rules()


def test_paste_blocked_is_a_blocking_finding_with_its_sources(shipped: RuleSet) -> None:
    the_run = signup_run()
    card = score(compute_measures(the_run, "fr"), the_run, shipped, "default", "fr")
    paste = [f for f in card.findings if f.rule_id == "paste-blocked"]
    assert len(paste) == 1
    finding = paste[0]
    assert finding.severity == "blocking" and finding.journey_id == "sign-up"
    assert {(r.kind, r.ref) for r in finding.references} >= {("WCAG", "3.3.8")}
    assert "Mot de passe" in finding.message.fr
    assert finding.places and finding.places[0].selector
    assert finding.places[0].screenshot == "screenshots/000-sign-up.jpg"
    inclusion = card.grades[0]
    assert inclusion.capped and inclusion.grade in ("D", "E", "F", "G")
    assert inclusion.cap_reason is not None and "paste-blocked" in inclusion.cap_reason.en
    # Every message is filled: no {placeholder} left for a reader.
    texts = [t for f in card.findings for t in (f.message.fr, f.message.en)]
    texts += [t for r in card.results if r.detail for t in (r.detail.fr, r.detail.en)]
    assert not [t for t in texts if re.search(r"\{\w+\}", t)]


def test_same_page_paste_allowed_is_not_flagged(shipped: RuleSet) -> None:
    the_run = signup_run(paste_blocked=False)
    card = score(compute_measures(the_run, "fr"), the_run, shipped)
    assert not [f for f in card.findings if f.rule_id == "paste-blocked"]
    result = next(r for r in card.results if r.rule_id == "paste-blocked" and r.journey_id)
    assert result.outcome == "pass"


def test_finding_ids_are_stable_across_runs(shipped: RuleSet) -> None:
    first = signup_run(HOST_A, 12)
    second = signup_run(HOST_B, 57)
    ids_first = {f.id for f in score(compute_measures(first), first, shipped).findings}
    ids_second = {f.id for f in score(compute_measures(second), second, shipped).findings}
    assert ids_first and ids_first == ids_second
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids_first)
    # A different page is a different problem.
    third = signup_run(HOST_A, 12)
    third.journeys[1].checkpoints[0].url = f"{HOST_A}/projets/12/voter"
    ids_third = {f.id for f in score(compute_measures(third), third, shipped).findings}
    assert ids_third != ids_first


def test_strict_profile_is_harsher_on_the_same_measures(shipped: RuleSet) -> None:
    the_run = signup_run(prose=LONG_FR)
    measures = compute_measures(the_run, "fr")
    default = score(measures, the_run, shipped, "default")
    strict = score(measures, the_run, shipped, "strict")

    def outcome(card: Scorecard) -> str:
        return next(r.outcome for r in card.results
                    if r.rule_id == "sentence-length" and r.journey_id == "sign-up")

    assert (outcome(default), outcome(strict)) == ("pass", "fail")
    assert strict.profile == "strict"
    assert strict.grades[0].score is not None and default.grades[0].score is not None
    assert strict.grades[0].score < default.grades[0].score


def test_scorecard_carries_run_info_steps_facts_and_disclaimers(shipped: RuleSet) -> None:
    the_run = signup_run(mode="dry-run")
    card = score(compute_measures(the_run, "en"), the_run, shipped, None, "en",
                 run_path="out/run.json")
    assert card.lang == "en" and card.profile == "default"
    assert card.run.mode == "dry-run" and card.run.viewport == "1920×1080"
    assert card.run.run_path == "out/run.json"
    assert "EcoIndex implementation" in card.run.components
    assert "textstat" in card.run.components
    assert "Dry-run" in card.disclaimers[0].en
    assert any("EcoIndex" in d.en for d in card.disclaimers)
    assert any("Kandel" in d.en for d in card.disclaimers)
    signup = card.journeys[0]
    assert [s.label for s in signup.steps] == ["Start page", "Click “Créer mon compte”"]
    assert signup.steps[0].screenshot == "screenshots/000-sign-up.jpg"
    assert any("sign-up asks 3 fields" in f.en for f in signup.facts)
    assert json.loads(card.model_dump_json())["schema_version"] == "1.0"


def test_journey_kinds_and_step_labels() -> None:
    assert journey_kind(journey("inscription")) == "signup"
    assert journey_kind(journey("soutenir-un-projet")) == "vote"
    assert journey_kind(journey("deposer-une-idee")) == "proposal"
    assert journey_kind(journey("browse")) == "other"
    assert step_label("fill", "label 'Pseudonyme'", "fr") == "Remplir « Pseudonyme »"
    assert step_label("open_email_link", "mail to x", "en") == "Open the e-mail link"


def test_explain_texts(shipped: RuleSet) -> None:
    listing = list_rules(shipped, "strict", "en")
    assert "paste-blocked" in listing and "BLOCKING" in listing
    text = explain_rule(shipped, "sentence-length", "en")
    assert "default: ≤ 15" in text and "strict: ≤ 12" in text
    assert "https://www.w3.org/WAI/WCAG22/Techniques/general/G153" in text
    assert "signup.paste_blocked" in list_indicators()
    with pytest.raises(KeyError, match="did you mean 'paste-blocked'"):
        explain_rule(shipped, "paste-block")


@pytest.mark.parametrize("the_run", [signup_run(), run(), two_journey_run()],
                         ids=["signup-and-vote", "empty", "bare-journeys"])
def test_every_indicator_answers_for_each_scope(the_run: Run) -> None:
    measures = compute_measures(the_run, "fr")
    scopes: list[str | None] = [None, *(j.id for j in the_run.journeys)]
    for name, indicator in sorted(INDICATORS.items()):
        if name.startswith("test."):
            continue
        for journey_id in scopes:
            value = indicator(measures, the_run, journey_id)
            assert isinstance(value, IndicatorValue), name
            assert value.applicable or value.note is not None, (
                f"{name}/{journey_id}: not applicable without saying why")
