"""Measures on the demo platform: every seeded barrier is caught, the inclusive variant is not
flagged for it (issues 3 and 4), and re-scoring a saved run gives the live run's measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.metrics.bundle import Measures
from auditor.metrics.effort import JourneyEffort
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e

INC, EXC = "inclusive", "exclusionary"


def effort(measures: Measures, journey: str) -> JourneyEffort:
    return next(j for j in measures.effort.journeys if j.journey_id == journey)


def signup_ids(measures: Measures) -> set[str]:
    return {f.id for f in measures.signup.findings}


def prose(measures: Measures):  # type: ignore[no-untyped-def]
    return next(c.measures for c in measures.readability.overall if c.corpus == "main_prose")


# ---- issue 3: readability, effort, WCAG -------------------------------------------------

def test_rescoring_a_saved_run_gives_the_live_measures(demo_dir: Path, tmp_path: Path) -> None:
    for variant in (INC, EXC):
        folder = demo_dir / f"demo-{variant}"
        result = run_cli("score", str(folder / "run.json"), "--out", str(tmp_path / "m.json"))
        assert result.returncode == 0, result.stderr
        live = json.loads((folder / "measures.json").read_text())
        again = json.loads((tmp_path / "m.json").read_text())
        assert again == live


def test_exclusionary_reads_harder(demo_measures: dict[str, Measures]) -> None:
    inc, exc = prose(demo_measures[INC]), prose(demo_measures[EXC])
    assert inc.lang == exc.lang == "fr" and inc.size == exc.size == "ok"
    assert exc.mean_sentence_length > inc.mean_sentence_length + 5
    assert exc.flesch_reading_ease is not None and inc.flesch_reading_ease is not None
    assert exc.flesch_reading_ease < inc.flesch_reading_ease - 15


def test_long_administrative_sentences_are_listed(demo_measures: dict[str, Measures]) -> None:
    exc = prose(demo_measures[EXC])
    assert len(exc.long_sentences) >= 10
    assert all(s.words > 20 for s in exc.long_sentences)
    assert prose(demo_measures[INC]).long_sentences == []


def test_unexplained_acronyms(demo_measures: dict[str, Measures]) -> None:
    acronyms = {i.text for i in demo_measures[EXC].readability.microcopy_issues
                if i.rule == "unexplained-acronym"}
    assert {"CGU", "EPCI", "TTC"} <= acronyms  # RGPD is spelled out in the footer
    assert not {"PDF", "EN"} & acronyms
    assert not [i for i in demo_measures[INC].readability.microcopy_issues
                if i.rule == "unexplained-acronym"]


def test_opaque_error_messages_are_caught_by_the_microcopy_rules(
        demo_measures: dict[str, Measures]) -> None:
    issues = {(i.rule, i.text) for i in demo_measures[EXC].readability.microcopy_issues}
    assert ("error-fix-not-given", "Saisie invalide (code E-412).") in issues
    assert not [i for i in demo_measures[INC].readability.microcopy_issues
                if i.rule.startswith("error-")]


def test_multi_page_signup_costs_more_screens_fields_and_keys(
        demo_measures: dict[str, Measures]) -> None:
    inc, exc = effort(demo_measures[INC], "sign-up"), effort(demo_measures[EXC], "sign-up")
    assert inc.screens <= 3 and exc.screens >= 6
    assert inc.fields_required == 3 and exc.fields_required >= 12
    assert exc.keystrokes > 2 * inc.keystrokes
    novice = {k.persona: k.total_s for k in exc.klm}["novice"]
    assert novice > 2 * {k.persona: k.total_s for k in inc.klm}["novice"]


@pytest.mark.parametrize("switch", ["email", "upload", "captcha"])
def test_context_switches(demo_measures: dict[str, Measures], switch: str) -> None:
    kinds = [c.kind for c in effort(demo_measures[EXC], "sign-up").context_switch_list]
    assert switch in kinds
    assert effort(demo_measures[INC], "sign-up").context_switches == 0


def test_three_page_vote(demo_measures: dict[str, Measures]) -> None:
    assert effort(demo_measures[EXC], "vote").screens >= 4
    assert effort(demo_measures[INC], "vote").screens <= 2


@pytest.mark.parametrize("rule", ["label", "color-contrast", "image-alt", "link-name",
                                  "button-name", "meta-viewport", "select-name"])
def test_wcag_barriers_are_mapped(demo_measures: dict[str, Measures], rule: str) -> None:
    issues = [i for i in demo_measures[EXC].wcag.issues if i.rule_id == rule]
    assert issues and issues[0].wcag_sc
    assert not [i for i in demo_measures[INC].wcag.issues if i.rule_id == rule]


def test_wcag_deduplicates_the_header_defects(demo_measures: dict[str, Measures]) -> None:
    wcag = demo_measures[EXC].wcag
    logo = [i for i in wcag.issues if i.rule_id == "link-name"]
    # the unnamed logo link is on every page: one issue, many places
    assert max(len(i.places) for i in logo) >= 5
    assert demo_measures[INC].wcag.run.score == 100


def test_axe_messages_in_french(demo_measures: dict[str, Measures]) -> None:
    label = next(i for i in demo_measures[EXC].wcag.issues if i.rule_id == "label")
    assert label.message_lang == "fr" and "étiquette" in label.help.lower()


# ---- issue 4: sign-up friction, weight -------------------------------------------------

@pytest.mark.parametrize("finding", [
    "paste-blocked", "password-composition-rules", "password-max-length",
    "confirm-password-field", "confirm-email-field", "captcha-cognitive", "autocomplete-off",
    "extra-personal-data-required", "proof-document-required", "email-confirmation-required",
    "values-lost-after-error", "opaque-error-message", "show-password-missing"])
def test_signup_barrier_found(demo_measures: dict[str, Measures], finding: str) -> None:
    assert finding in signup_ids(demo_measures[EXC])
    assert finding not in signup_ids(demo_measures[INC])


def test_blocking_signup_findings(demo_measures: dict[str, Measures]) -> None:
    blocking = {f.id for f in demo_measures[EXC].signup.findings if f.blocking}
    assert {"paste-blocked", "captcha-cognitive"} <= blocking
    assert all(f.sources for f in demo_measures[EXC].signup.findings)
    assert demo_measures[INC].signup.score.score == 100
    assert demo_measures[EXC].signup.score.score == 0


def test_inclusive_has_the_better_ecoindex(demo_measures: dict[str, Measures]) -> None:
    inc, exc = demo_measures[INC].weight.ecoindex, demo_measures[EXC].weight.ecoindex
    assert inc.mean_score is not None and exc.mean_score is not None
    assert inc.mean_grade is not None and exc.mean_grade is not None
    assert inc.mean_grade < exc.mean_grade  # "A" sorts before "D"
    assert inc.mean_score > exc.mean_score + 20


def test_heavy_hero_image_and_scripts(demo_measures: dict[str, Measures]) -> None:
    heaviest = demo_measures[EXC].weight.heaviest
    assert any(h.resource_type == "image" and h.transferred_bytes > 1_000_000 for h in heaviest)
    assert any(h.resource_type == "script" and h.transferred_bytes > 500_000 for h in heaviest)
    assert max(h.transferred_bytes for h in demo_measures[INC].weight.heaviest) < 20_000


def test_third_parties_and_tracker(demo_measures: dict[str, Measures]) -> None:
    exc = demo_measures[EXC].weight
    hosts = {h.host for h in exc.hosts if h.third_party}
    assert {"cdn.tiers-exemple.test", "polices.tiers-exemple.test",
            "stats.pisteur-exemple.test"} <= hosts
    assert [t.host for t in exc.trackers] == ["stats.pisteur-exemple.test"]
    inc = demo_measures[INC].weight
    assert inc.totals.third_party_requests == 0 and inc.trackers == []


def test_bloated_dom(demo_measures: dict[str, Measures]) -> None:
    exc = demo_measures[EXC].weight.ecoindex
    inc = demo_measures[INC].weight.ecoindex
    assert exc.worst_screen_dom is not None and exc.worst_screen_dom > 1000
    assert inc.worst_screen_dom is not None and inc.worst_screen_dom < 300
