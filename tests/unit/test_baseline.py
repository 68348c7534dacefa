"""The baseline: fuzzy matching that survives small page changes, known findings left out of
budgets, expired entries failing again, accepted budget breaches that fail when worse, and
the file's round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.policy import (
    EXIT_BUDGET_FAILED,
    EXIT_OK,
    PolicyError,
    evaluate_policy,
    load_baseline,
    load_policy,
    make_baseline,
    parse_policy,
    render_baseline_update,
    render_policy_text,
    save_baseline,
)
from auditor.policy.baseline import (
    Baseline,
    dump_baseline,
    match_signatures,
    normalise_selector,
    parse_baseline,
    signature_of,
    similarity,
)
from auditor.scoring.scorecard import Finding
from tests.unit.policy_samples import finding, scorecard, small_measures, small_run

TODAY = date(2026, 1, 15)
NO_BLOCKING = parse_policy("budgets:\n  - id: no-blocking\n"
                           "    max_findings: {limit: 0, blocking: true}\n"
                           "  - id: few-problems\n    max_findings: 1\n")


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(("selector", "normalised"), [
    ("form > div:nth-child(3) > input#email", "form > div > input#email"),
    ("ul li:nth-of-type(2) a", "ul li a"),
    ("div.css-1x2y3z > button.btn-primary", "div > button.btn-primary"),
    ("#field-12", ""),
    ("div.sc-aXZVg.card>input[name=\"cp\"]", "div.card > input[name=\"cp\"]"),
    ("input[name=\"mot_de_passe\"]", "input[name=\"mot_de_passe\"]"),
])
def test_selectors_lose_indices_and_generated_names(selector: str, normalised: str) -> None:
    assert normalise_selector(selector) == normalised


def test_a_finding_whose_selector_changed_slightly_still_matches() -> None:
    before = finding("aaa111", "label", selector="form > div:nth-child(3) > input.css-9f8e7d")
    after = finding("bbb222", "label", selector="form > div:nth-child(4) > input.css-1a2b3c")
    score = similarity(signature_of(after), signature_of(before))
    assert score is not None and score >= 0.8


def test_similar_text_matches_but_another_page_or_rule_does_not() -> None:
    before = finding("s1", "long-sentences", text="Les participants sont invités à exprimer "
                     "leur préférence dans le respect des modalités.")
    reworded = finding("s2", "long-sentences", text="Les participants sont invités à exprimer "
                       "leur préférence, dans le respect des modalités !")
    assert similarity(signature_of(reworded), signature_of(before)) is not None
    other_page = finding("s3", "long-sentences", path="/vote", text=before.places[0].text)
    other_rule = finding("s4", "sentence-length", text=before.places[0].text)
    other_journey = finding("s5", "long-sentences", journey="vote", text=before.places[0].text)
    for other in (other_page, other_rule, other_journey):
        assert similarity(signature_of(other), signature_of(before)) is None
    unrelated = finding("s6", "long-sentences", text="Votre vote est enregistré.")
    assert similarity(signature_of(unrelated), signature_of(before)) is None


def test_ids_on_the_page_do_not_matter_but_the_path_template_does() -> None:
    before = finding("p1", "label", path="/propositions/12", selector="#titre")
    after = finding("p2", "label", path="/propositions/40", selector="#titre")
    assert similarity(signature_of(after), signature_of(before)) == 1.0


def test_matching_is_one_to_one_and_prefers_the_same_id() -> None:
    known = [signature_of(finding("k1", "label", selector="form input.name")),
             signature_of(finding("k2", "label", selector="form input.email"))]
    current = [signature_of(finding("new", "label", selector="form input.name")),
               signature_of(finding("k2", "label", selector="form input.email")),
               signature_of(finding("twin", "label", selector="form input.name"))]
    pairs = match_signatures(current, known)
    assert pairs == {1: (1, False), 0: (0, True)}  # "twin" is a second instance: new


# --------------------------------------------------------------------------- making one


def test_make_baseline_adds_keeps_and_removes(tmp_path: Path) -> None:
    first = scorecard(findings=[
        finding("f1", "paste-blocked", blocking=True, category="signup",
                selector="input[name=\"mot_de_passe\"]"),
        finding("f2", "label", selector="#nom"),
        finding("info", "help-contact", severity="info"),
        finding("good", "accessibility-statement", severity="positive")])
    update = make_baseline(first, "adopting the tool", expires=date(2026, 6, 30),
                           today=date(2026, 1, 1))
    baseline = update.baseline
    assert [e.fingerprint for e in baseline.findings] == ["f2", "f1"]  # problems only, sorted
    assert {e.reason for e in baseline.findings} == {"adopting the tool"}
    assert baseline.findings[1].url_template == "/inscription"
    assert len(update.added) == 2 and not update.kept and not update.removed
    path = save_baseline(update, tmp_path / "baseline.yml")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# participation-auditor baseline")
    assert "&id" not in text and "expires: 2026-06-30" in text
    assert load_baseline(path) == baseline

    edited = baseline.model_copy(update={"findings": [
        e.model_copy(update={"reason": "ticket #42"}) if e.fingerprint == "f1" else e
        for e in baseline.findings]})
    second = scorecard(findings=[
        # same problem, selector changed a little: kept with its reason, fingerprint refreshed
        finding("f1-moved", "paste-blocked", blocking=True, category="signup",
                selector="input[name=\"mot_de_passe\"]:nth-child(2)"),
        finding("f3", "placeholder-label", selector="#prenom")])  # new
    update2 = make_baseline(second, "second pass", previous=edited, today=date(2026, 2, 1))
    by_rule = {e.rule_id: e for e in update2.baseline.findings}
    assert by_rule["paste-blocked"].reason == "ticket #42"
    assert by_rule["paste-blocked"].fingerprint == "f1-moved"
    assert by_rule["paste-blocked"].added == date(2026, 1, 1)
    assert by_rule["paste-blocked"].expires == date(2026, 6, 30)
    assert by_rule["placeholder-label"].reason == "second pass"
    assert [e.fingerprint for e in update2.removed] == ["f2"]
    assert update2.baseline.created == date(2026, 1, 1)
    assert update2.baseline.updated == date(2026, 2, 1)
    summary = render_baseline_update(update2, "en")
    assert "Added: 1; kept: 1; removed (fixed): 1." in summary and "label (sign-up" in summary
    assert "Ajoutés : 1 ; gardés : 1 ; retirés (corrigés) : 1." in render_baseline_update(
        update2, "fr")


def test_bad_baseline_file_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_baseline("version: 1\ncreated: 2026-01-01\nupdated: 2026-01-01\nfindings:\n"
                       "  - fingerprint: a\n    rule_id: r\n    added: 2026-01-01\n"
                       "    expires: someday\n", "baseline.yml")
    lines = caught.value.lines
    assert any(line.startswith("baseline.yml:5: missing required key 'reason'")
               for line in lines)
    assert any(line.startswith("baseline.yml:8: findings[0].expires:") for line in lines)
    with pytest.raises(PolicyError) as caught:
        load_baseline(tmp_path / "none.yml")
    assert "make one with `auditor baseline`" in str(caught.value)


# --------------------------------------------------------------------------- evaluating


def problems() -> list[Finding]:
    return [finding("b1", "paste-blocked", blocking=True, category="signup",
                    selector="input[name=\"mot_de_passe\"]"),
            finding("m1", "label", selector="form > div:nth-child(2) > input.css-aa11")]


def test_known_findings_do_not_count_and_new_ones_do() -> None:
    baseline = make_baseline(scorecard(findings=problems()), "known",
                             today=date(2026, 1, 1)).baseline
    assert evaluate_policy(NO_BLOCKING, scorecard(findings=problems()),
                           baseline=baseline, today=TODAY).exit_code == EXIT_OK
    changed = [problems()[0],
               finding("m1-new-id", "label", selector="form > div:nth-child(3) > input.css-bb22"),
               finding("b2", "captcha-cognitive", blocking=True, category="signup")]
    res = evaluate_policy(NO_BLOCKING, scorecard(findings=changed), baseline=baseline,
                          today=TODAY)
    assert {k.finding_id: k.fuzzy for k in res.known_findings} == {"b1": False,
                                                                   "m1-new-id": True}
    assert res.new_findings == ["b2"]
    blocking = res.budgets[0]
    assert blocking.outcome == "fail" and blocking.checks[0].finding_ids == ["b2"]
    assert blocking.checks[0].known_ids == ["b1"]
    assert ("1 new blocking finding(s), at most 0 allowed; 1 known to the baseline, not "
            "counted") in blocking.message.en
    # 3 problems for a limit of 1, but only 1 is new: broken by known ones only.
    assert res.budgets[1].outcome == "known" and res.budgets[1].actual == 1
    assert res.exit_code == EXIT_BUDGET_FAILED


def test_a_budget_broken_only_by_known_findings_is_known() -> None:
    baseline = make_baseline(scorecard(findings=problems()), "known",
                             today=date(2026, 1, 1)).baseline
    res = evaluate_policy(NO_BLOCKING, scorecard(findings=problems()), baseline=baseline,
                          today=TODAY)
    assert [b.outcome for b in res.budgets] == ["known", "known"]
    assert not res.failed
    text = render_policy_text(res, "en")
    assert "≈ KNOWN" in text and "Baseline: 2 known finding(s), 0 new." in text


def test_an_expired_entry_fails_again() -> None:
    baseline = make_baseline(scorecard(findings=problems()), "until spring",
                             expires=date(2026, 3, 31), today=date(2026, 1, 1)).baseline
    card = scorecard(findings=problems())
    on_the_day = evaluate_policy(NO_BLOCKING, card, baseline=baseline, today=date(2026, 3, 31))
    assert not on_the_day.failed  # the expiry date is the last day it counts
    after = evaluate_policy(NO_BLOCKING, card, baseline=baseline, today=date(2026, 4, 1))
    assert after.failed and after.exit_code == EXIT_BUDGET_FAILED
    assert [(r.kind, r.finding_id, r.reason) for r in after.expired_entries] == [
        ("finding", "b1", "until spring"), ("finding", "m1", "until spring")]
    assert after.known_findings == []
    assert "expired 2026-03-31" in render_policy_text(after, "en")
    assert "expirée le 2026-03-31" in render_policy_text(after, "fr")


def test_entries_matching_nothing_are_reported_stale() -> None:
    baseline = make_baseline(scorecard(findings=problems()), "known",
                             today=date(2026, 1, 1)).baseline
    res = evaluate_policy(NO_BLOCKING, scorecard(findings=problems()[:1]), baseline=baseline,
                          today=TODAY)
    assert [r.key for r in res.stale_entries] == ["m1"]
    assert "run `auditor baseline` to remove them" in render_policy_text(res, "en")


BREACH_POLICY = parse_policy("""\
baseline_tolerance: 0.05
budgets:
  - id: inclusion
    min_grade: {headline: inclusion, grade: C}
  - id: page-weight
    max: {measure: weight.page_transferred_bytes, value: 1 MB}
""")


def test_accepted_breaches_stay_known_until_they_get_worse() -> None:
    run = small_run(form_kb=1500)
    card = scorecard(inclusion="E")
    res = evaluate_policy(BREACH_POLICY, card, small_measures(run), run, today=TODAY)
    assert [b.outcome for b in res.budgets] == ["fail", "fail"]
    update = make_baseline(card, "legacy theme", policy_result=res, today=date(2026, 1, 1))
    assert [(b.budget_id, b.where, b.accepted) for b in update.baseline.breaches] == [
        ("inclusion", "platform", "E"),
        ("page-weight", "journey:sign-up page:/inscription", 1_500_000)]
    baseline = update.baseline

    same = evaluate_policy(BREACH_POLICY, card, small_measures(run), run, baseline=baseline,
                           today=TODAY)
    assert [b.outcome for b in same.budgets] == ["known", "known"]
    assert same.exit_code == EXIT_OK
    assert "Accepted by the baseline (E): legacy theme" in same.budgets[0].message.en

    # 3 % heavier is within the 5 % tolerance; one grade lower is not.
    run_heavier = small_run(form_kb=1545)
    slightly = evaluate_policy(BREACH_POLICY, card, small_measures(run_heavier), run_heavier,
                               baseline=baseline, today=TODAY)
    assert slightly.budgets[1].outcome == "known"
    worse_card = scorecard(inclusion="F")
    run_worse = small_run(form_kb=1700)
    worse = evaluate_policy(BREACH_POLICY, worse_card, small_measures(run_worse), run_worse,
                            baseline=baseline, today=TODAY)
    assert [b.outcome for b in worse.budgets] == ["fail", "fail"]
    assert "Worse than the value the baseline accepted (E)." in worse.budgets[0].message.en
    assert "(1.5 MB)" in worse.budgets[1].message.en

    # A page that was fine and now breaks is new, whatever the other pages' entries say.
    run_new_page = small_run(signup_kb=1200)
    new_page = evaluate_policy(BREACH_POLICY, card, small_measures(run_new_page), run_new_page,
                               baseline=baseline, today=TODAY)
    assert new_page.budgets[1].outcome == "fail"

    # Fixed: the breach is stale.
    run_fixed = small_run(form_kb=900)
    fixed = evaluate_policy(BREACH_POLICY, scorecard(inclusion="B"), small_measures(run_fixed),
                            run_fixed, baseline=baseline, today=TODAY)
    assert {r.key for r in fixed.stale_entries} == {
        "inclusion @ platform", "page-weight @ journey:sign-up page:/inscription"}


def test_expired_breaches_fail_again() -> None:
    run = small_run()
    card = scorecard(inclusion="E")
    res = evaluate_policy(BREACH_POLICY, card, small_measures(run), run, today=TODAY)
    baseline = make_baseline(card, "legacy", expires=date(2026, 1, 31), policy_result=res,
                             today=date(2026, 1, 1)).baseline
    later = evaluate_policy(BREACH_POLICY, card, small_measures(run), run, baseline=baseline,
                            today=date(2026, 2, 1))
    assert later.failed
    assert {r.key for r in later.expired_entries} == {
        "inclusion @ platform", "page-weight @ journey:sign-up page:/inscription"}


def test_make_baseline_without_a_policy_result_keeps_previous_breaches() -> None:
    run = small_run()
    card = scorecard(inclusion="E")
    res = evaluate_policy(BREACH_POLICY, card, small_measures(run), run, today=TODAY)
    first = make_baseline(card, "legacy", policy_result=res, today=TODAY).baseline
    second = make_baseline(card, "again", previous=first, today=TODAY)
    assert second.baseline.breaches == first.breaches


def test_default_policy_on_a_baselined_scorecard_exits_zero() -> None:
    card = scorecard(inclusion="E", findings=problems())
    policy = load_policy("default")
    before = evaluate_policy(policy, card, today=TODAY)
    assert before.exit_code == EXIT_BUDGET_FAILED
    update = make_baseline(card, "adoption", policy_result=before, today=TODAY)
    text = dump_baseline(update.baseline)
    after = evaluate_policy(policy, card, baseline=parse_baseline(text), today=TODAY)
    assert after.exit_code == EXIT_OK, render_policy_text(after)
    assert isinstance(update.baseline, Baseline)
