"""WCAG measures from axe results: counts, de-duplication, WCAG/RGAA mapping, scores (§5)."""

from __future__ import annotations

import math

import pytest

from auditor.metrics.wcag import (
    count_violations,
    issue_key,
    level_of,
    measure_checkpoint,
    measure_wcag,
    messages_from_axe_locale,
    normalise_target,
    penalty_of,
    rgaa_criteria_by_sc,
    rgaa_rules_by_criterion,
    rule_mapping,
    sc_from_tag,
    screen_score,
    url_template,
)
from auditor.models import Checkpoint, Run
from tests.unit import factories as f

# --------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(("tag", "sc"), [
    ("wcag111", "1.1.1"), ("wcag412", "4.1.2"), ("wcag1412", "1.4.12"), ("wcag258", "2.5.8"),
    ("wcag2aa", None), ("wcag21a", None), ("best-practice", None), ("RGAA-11.1.1", None),
])
def test_sc_from_tag(tag: str, sc: str | None) -> None:
    assert sc_from_tag(tag) == sc


@pytest.mark.parametrize(("tags", "level"), [
    (["wcag2a", "wcag412"], "A"),
    (["wcag21a"], "A"),
    (["wcag2aa", "wcag143"], "AA"),
    (["wcag21aa", "wcag135"], "AA"),
    (["wcag22aa", "wcag258"], "2.2"),
    (["wcag2aaa"], "AAA"),
    (["best-practice", "cat.keyboard"], "best-practice"),
    (["experimental"], "other"),
])
def test_level_buckets(tags: list[str], level: str) -> None:
    assert level_of(tags) == level


def test_rgaa_from_axe_tags() -> None:
    m = rule_mapping("label", f.RULE_TAGS["label"])
    assert (m.level, m.wcag_sc, m.rgaa_tests, m.rgaa_criteria, m.rgaa_source) == (
        "A", ["4.1.2"], ["11.1.1"], ["11.1"], "axe-tag")


def test_rgaa_falls_back_to_the_official_table_through_wcag() -> None:
    # An older axe without RGAA tags: 1.1.1 maps to the RGAA image criteria.
    m = rule_mapping("image-alt", ["cat.text-alternatives", "wcag2a", "wcag111"])
    assert m.rgaa_source == "wcag-mapping"
    assert {"1.1", "1.2", "1.3"} <= set(m.rgaa_criteria)
    assert set(m.rgaa_criteria) == set(rgaa_criteria_by_sc()["1.1.1"])


def test_wcag_22_rules_have_no_rgaa_counterpart() -> None:
    m = rule_mapping("target-size", f.RULE_TAGS["target-size"])
    assert (m.level, m.wcag_sc, m.rgaa_criteria, m.rgaa_source) == ("2.2", ["2.5.8"], [], "none")


def test_mapping_from_the_shipped_rule_list_when_tags_are_missing() -> None:
    m = rule_mapping("html-lang-valid")
    assert m.wcag_sc == ["3.1.1"] and m.rgaa_criteria == ["8.4"] and m.level == "A"
    assert rule_mapping("region").level == "best-practice"


def test_rgaa_proxy_universe_is_33_criteria() -> None:
    universe = rgaa_rules_by_criterion()
    assert len(universe) == 33
    assert "label" in universe["11.1"] and "color-contrast" in universe["3.2"]


# --------------------------------------------------------------------------- de-duplication


def test_normalise_target_and_url_template() -> None:
    assert normalise_target(["header > ul > li:nth-child(3) > a"]) == "header > ul > li > a"
    assert normalise_target(["iframe#map", "div:nth-of-type(2) > button"]) == (
        "iframe#map >>> div > button")
    assert url_template("https://x.fr/proposals/42/edit?page=2#c") == "x.fr/proposals/{id}/edit"
    assert url_template("https://x.fr/p/550e8400-e29b-41d4-a716-446655440000") == "x.fr/p/{uuid}"
    assert url_template("https://x.fr/processes/12-budget-2024/") == "x.fr/processes/{id}-{slug}"
    assert url_template("https://x.fr/") == "x.fr/"
    assert issue_key("label", ["li:nth-child(2) > input"], "https://x.fr/a/1") == (
        "label|li > input|x.fr/a/{id}")


def _header_defect_run() -> Run:  # the same header defect on three pages of one template
    contrast = f.rule("color-contrast", "serious", ["header > a:nth-child(2)"])
    pages = [
        f.checkpoint(i, url=f"{f.SITE}/proposals/{n}", violations=[contrast],
                     passed_rules=["image-alt"])
        for i, n in enumerate((1, 2, 3))
    ]
    signup = f.checkpoint(3, url=f"{f.SITE}/signup", violations=[contrast])
    return f.run(f.journey("vote", checkpoints=[*pages, signup]))


def test_same_defect_on_one_template_is_one_issue_with_its_places() -> None:
    result = measure_wcag(_header_defect_run())
    # the same header link, same markup, on /proposals/{id} and /signup: one shared component
    (header,) = result.issues
    assert header.url_template.endswith("/proposals/{id}")
    assert header.occurrences == 4
    assert [p.checkpoint for p in header.places] == [0, 1, 2, 3]
    assert header.places[1].url == f"{f.SITE}/proposals/2"
    assert header.places[3].url == f"{f.SITE}/signup"
    assert header.places[0].selector == "header > a:nth-child(2)"
    assert result.run.issues == 1
    assert result.run.violations.rules == 1
    assert result.run.violations.nodes == 4  # nodes before de-duplication


def test_same_selector_with_other_markup_on_another_template_is_another_issue() -> None:
    first = f.rule("image-alt", "critical", ["main > img"])
    other = first.model_copy(deep=True)
    other.nodes[0].html = '<img src="/autre.png">'
    third = first.model_copy(deep=True)
    third.nodes[0].html = '<img src="/inscription.png">'
    run = f.run(f.journey("vote", checkpoints=[
        f.checkpoint(0, url=f"{f.SITE}/proposals/1", violations=[first]),
        f.checkpoint(1, url=f"{f.SITE}/proposals/2", violations=[other]),
        f.checkpoint(2, url=f"{f.SITE}/signup", violations=[third])]))
    issues = measure_wcag(run).issues
    # one per template: /proposals/{id} (two pages, merged by template) and /signup
    assert [i.occurrences for i in issues] == [2, 1]


# --------------------------------------------------------------------------- counts, score


def _mixed_checkpoint(index: int = 0, **kw: object) -> Checkpoint:
    return f.checkpoint(
        index,
        violations=[
            f.rule("label", "critical", ["#pseudo", "#email"]),
            f.rule("color-contrast", "serious", ["p.hint", "a.more", "footer a"]),
            f.rule("region", "moderate", ["div.banner"]),
            f.rule("target-size", "minor", ["a.icon"]),
        ],
        incomplete=[f.rule("color-contrast", None, ["h1"])],
        passed_rules=["image-alt", "html-has-lang"],
        fields=[f.field("pseudo", "Pseudonyme", required=True)],
        **kw)  # type: ignore[arg-type]


def test_counts_by_impact_and_level_rules_versus_nodes() -> None:
    summary = measure_checkpoint(_mixed_checkpoint())
    v = summary.violations
    assert (v.rules, v.nodes) == (4, 7)
    assert v.rules_by_impact == {"minor": 1, "moderate": 1, "serious": 1, "critical": 1}
    assert v.nodes_by_impact == {"minor": 1, "moderate": 1, "serious": 3, "critical": 2}
    assert v.rules_by_level == {"A": 1, "AA": 1, "2.2": 1, "AAA": 0, "best-practice": 1,
                                "other": 0}
    assert v.nodes_by_level["AA"] == 3 and v.nodes_by_level["best-practice"] == 1
    # needs review is kept apart and does not lower the score
    assert (summary.needs_review_rules, summary.needs_review_nodes) == (1, 1)
    # best-practice weighs 0: critical 10 + serious 5 + minor 1
    assert summary.penalty == 16
    assert summary.screen_score == round(100 * math.exp(-16 / 25), 2) == 52.73


def test_score_formula() -> None:
    assert screen_score(0) == 100.0
    assert screen_score(25) == round(100 / math.e, 2)
    assert screen_score(1000) >= 0


def test_distinct_rules_count_once_with_their_highest_impact() -> None:
    rules = [f.rule("label", "serious", ["#a"]), f.rule("label", "critical", ["#b"])]
    counts = count_violations(rules)
    assert counts.rules == 1 and counts.rules_by_impact["critical"] == 1
    assert counts.nodes == 2
    assert penalty_of(rules) == 10


def test_incomplete_is_never_a_pass_or_a_fail() -> None:
    only_review = f.checkpoint(0, incomplete=[f.rule("color-contrast", None, ["h1", "h2"])],
                               passed_rules=["image-alt"])
    result = measure_wcag(f.run(f.journey("signup", checkpoints=[only_review])))
    assert result.issues == []
    assert [i.kind for i in result.needs_review] == ["needs-review", "needs-review"]
    assert result.checkpoints[0].screen_score == 100.0
    proxy = result.run.rgaa_proxy
    assert proxy.review_criteria == ["3.2"]
    assert "3.2" not in proxy.passed_criteria and "3.2" not in proxy.failed_criteria


def test_journey_score_is_the_minimum_and_unmeasured_pages_are_skipped() -> None:
    clean = f.checkpoint(0, url=f"{f.SITE}/", passed_rules=["label"])
    broken = _mixed_checkpoint(1, url=f"{f.SITE}/signup")
    failed = f.checkpoint(2, url=f"{f.SITE}/done", axe_error="axe timed out")
    result = measure_wcag(f.run(f.journey("signup", checkpoints=[clean, broken, failed])))
    [journey] = result.journeys
    assert journey.score == 52.73 and journey.worst_checkpoint == 1
    assert (journey.screens_measured, journey.screens_not_measured) == (2, 1)
    assert result.checkpoints[2].measured is False and result.checkpoints[2].screen_score is None
    assert journey.critical_on_form_controls == [f"label|#pseudo|{f.SITE[8:]}/signup",
                                                 f"label|#email|{f.SITE[8:]}/signup"]


def test_rgaa_proxy_rate_and_label() -> None:
    result = measure_wcag(f.run(f.journey("signup", checkpoints=[_mixed_checkpoint()])))
    proxy = result.run.rgaa_proxy
    # label violated → 11.1 fails; region (best practice, RGAA 9.2) violated → 9.2 fails;
    # color-contrast violated (and also needs review) → 3.2 fails; image-alt and
    # html-has-lang passed → 1.1 and 8.3 pass.
    assert proxy.failed_criteria == ["3.2", "9.2", "11.1"]
    assert proxy.passed_criteria == ["1.1", "8.3"]
    assert proxy.rate == 0.4
    assert proxy.mapped_criteria == 33 and proxy.total_criteria == 106
    assert proxy.label_fr == ("taux automatique partiel (33/106 critères), ne remplace pas un "
                              "audit RGAA")


def test_rgaa_proxy_cannot_be_computed_without_passed_rule_ids() -> None:
    cp = f.checkpoint(0, violations=[f.rule("label", "critical")])
    cp.axe.passes_count = 12  # counts recorded, ids not
    proxy = measure_wcag(f.run(f.journey("signup", checkpoints=[cp]))).run.rgaa_proxy
    assert proxy.rate is None and "cannot be computed" in proxy.note


def test_issue_carries_wcag_and_rgaa_mapping() -> None:
    result = measure_wcag(f.run(f.journey("signup", checkpoints=[_mixed_checkpoint()])))
    label = next(i for i in result.issues if i.rule_id == "label")
    assert (label.wcag_sc, label.rgaa_criteria, label.rgaa_tests) == (["4.1.2"], ["11.1"],
                                                                      ["11.1.1"])
    assert label.impact == "critical" and label.level == "A"
    assert label.help_url.endswith("/label")


def test_french_messages_when_the_report_is_french() -> None:
    locale = {"lang": "fr", "rules": {"label": {
        "description": "Vérifier que chaque élément de formulaire a une étiquette",
        "help": "Les éléments de formulaire doivent avoir une étiquette"}}}
    messages = messages_from_axe_locale(locale)
    run = f.run(f.journey("signup", checkpoints=[_mixed_checkpoint()]))
    fr = measure_wcag(run, report_lang="fr-FR", messages=messages)
    label = next(i for i in fr.issues if i.rule_id == "label")
    assert label.help == "Les éléments de formulaire doivent avoir une étiquette"
    assert label.message_lang == "fr"
    contrast = next(i for i in fr.issues if i.rule_id == "color-contrast")
    assert contrast.message_lang == "en"  # no French message given for it
    en = measure_wcag(run, report_lang="en", messages=messages)
    assert next(i for i in en.issues if i.rule_id == "label").help == "label help"


def test_measures_are_deterministic_and_serialisable() -> None:
    run = _header_defect_run()
    assert measure_wcag(run).model_dump_json() == measure_wcag(run).model_dump_json()
    restored = type(measure_wcag(run)).model_validate_json(measure_wcag(run).model_dump_json())
    assert restored == measure_wcag(run)


def test_critical_defect_outside_any_form_does_not_block_the_form() -> None:
    """A header search button without a name is a defect, not a broken sign-up form."""
    label = f.rule("label", "critical", ["#pseudo"])
    search = f.rule("button-name", "critical", [".btn-loupe"])
    label.nodes[0].in_form = True
    search.nodes[0].in_form = False
    run = f.run(f.journey("sign-up", checkpoints=[f.checkpoint(
        0, violations=[label, search], fields=[f.field("pseudo", "Pseudonyme", required=True)])]))
    result = measure_wcag(run)
    keys = result.run.critical_on_form_controls
    assert [next(i.rule_id for i in result.issues if i.key == k) for k in keys] == ["label"]
