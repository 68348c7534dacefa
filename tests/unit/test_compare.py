"""``compare(old, new)`` on plain scorecards: grade deltas, new / fixed / still-present problems
(by id, then fuzzily), and the terminal, Markdown and JSON outputs."""

from __future__ import annotations

from auditor.policy import compare, render_comparison_markdown, render_comparison_text
from auditor.policy.compare import Comparison, grade_delta
from auditor.scoring.scorecard import Text
from tests.unit.policy_samples import finding, journey_card, scorecard
from tests.unit.scorecard_samples import previous_scorecard, sample_scorecard


def test_the_sample_run_against_its_previous_run() -> None:
    comparison = compare(previous_scorecard(), sample_scorecard())
    assert [f.id for f in comparison.fixed_findings] == ["captcha-cognitive-aa11bb"]
    assert [f.id for f in comparison.new_findings] == ["sentence-length-9e8d7c"]
    assert {p.new.id for p in comparison.persisting} == {
        "paste-blocked-3f9a1c", "label-77b2e0", "signup-extra-data-1c2d3e",
        "page-weight-5a6b7c"}  # info and positive findings are not problems
    inclusion = comparison.headlines[0]
    assert (inclusion.id, inclusion.old_grade, inclusion.new_grade) == ("inclusion", "E", "D")
    assert inclusion.grade_steps == 1 and inclusion.change == "better"
    assert inclusion.score_delta == 12.6
    frugality = comparison.headlines[1]
    assert frugality.change == "same" and frugality.score_delta == -0.2
    assert comparison.worse and comparison.better


def test_grade_delta_directions() -> None:
    title = Text(fr="Inclusion", en="Inclusion")
    assert grade_delta("headline", "inclusion", title, "C", "E", 60, 30).change == "worse"
    assert grade_delta("headline", "inclusion", title, "C", "E", 60, 30).grade_steps == -2
    assert grade_delta("headline", "inclusion", title, "C", "C", 56, 70).change == "better"
    assert grade_delta("headline", "inclusion", title, "C", "C", 60, 60.3).change == "same"
    assert grade_delta("headline", "inclusion", title, None, "B", None, 75).change == "added"
    assert grade_delta("headline", "inclusion", title, "B", None, 75, None).change == "removed"


def test_a_restyled_element_is_still_present_not_fixed_and_new() -> None:
    old = scorecard(findings=[finding("a1", "label", selector="form > div:nth-child(2) > "
                                      "input.css-1x2y3z")])
    new = scorecard(findings=[
        finding("a2", "label", selector="form > div:nth-child(5) > input.css-9q8w7e"),
        finding("b1", "placeholder-label", severity="major", selector="#ville")])
    comparison = compare(old, new)
    assert comparison.fixed_findings == []
    assert [f.id for f in comparison.new_findings] == ["b1"]
    assert [(p.old.id, p.new.id, p.fuzzy) for p in comparison.persisting] == [
        ("a1", "a2", True)]


def test_severity_changes_and_journey_deltas() -> None:
    old = scorecard(findings=[finding("x", "label", severity="minor")],
                    journeys=[journey_card("sign-up", inclusion="B"),
                              journey_card("vote", inclusion="C")])
    new = scorecard(findings=[finding("x", "label", severity="major")],
                    journeys=[journey_card("sign-up", inclusion="D", status="failed"),
                              journey_card("proposal")])
    comparison = compare(old, new)
    assert comparison.persisting[0].severity_change == "worse"
    assert comparison.worse and not comparison.better
    journeys = {j.journey_id: j for j in comparison.journeys}
    assert list(journeys) == ["sign-up", "vote", "proposal"]
    assert journeys["sign-up"].grades[0].change == "worse"
    assert (journeys["sign-up"].old_status, journeys["sign-up"].new_status) == ("completed",
                                                                                 "failed")
    assert journeys["vote"].new_status is None and journeys["vote"].grades[0].change == "removed"
    assert journeys["proposal"].grades[0].change == "added"


def test_notes_say_when_runs_are_not_comparable() -> None:
    comparison = compare(scorecard(profile="default", tool_version="0.1.0"),
                         scorecard(profile="strict", tool_version="0.2.0"))
    assert [n.en.split(" (")[0] for n in comparison.notes] == ["Different profiles",
                                                              "Different tool versions"]
    assert not comparison.worse and not comparison.better


def test_text_output_in_both_languages() -> None:
    comparison = compare(previous_scorecard(), sample_scorecard())
    text = render_comparison_text(comparison, "en")
    lines = text.splitlines()
    assert lines[0] == "Comparison: mixed — 1 new problem(s), 1 fixed, 4 still present."
    assert "  ▲ Inclusion: E (35.0) → D (47.6), +12.6 (better)" in lines
    assert "New problems (1):" in lines and "Fixed (1):" in lines
    assert any(line.startswith("  - [blocking] An image CAPTCHA with no alternative "
                               "(captcha-cognitive)") for line in lines)
    # the frugality category is the frugality headline: listed once
    assert sum(1 for line in lines if line.startswith("  = Frugality")) == 1
    french = render_comparison_text(comparison, "fr")
    assert french.splitlines()[0] == ("Comparaison : contrasté — 1 nouveau(x) problème(s), "
                                      "1 corrigé(s), 4 toujours présent(s).")
    assert "  ▲ Inclusion : E (35,0) → D (47,6), +12,6 (mieux)" in french
    assert "[bloquant] Un CAPTCHA d'images sans autre choix" in french


def test_markdown_output_escapes_site_text() -> None:
    nasty = "<script>alert(1)</script> | @everyone #12"
    old = scorecard()
    new = scorecard(findings=[finding("n1", "long-sentences", text=nasty)])
    markdown = render_comparison_markdown(compare(old, new), "en")
    assert markdown.startswith("### Comparison: worse — 1 new problem(s), 0 fixed")
    assert "| **Inclusion** | B (75.0) | B (75.0) | +0.0 | = same |" in markdown
    assert "<details><summary>New problems (1)</summary>" in markdown
    assert "<script>" not in markdown and "@everyone" not in markdown
    assert "&lt;script&gt;" in markdown
    assert "| Parcours | Inclusion | Sobriété | Nouveaux | Corrigés |" in \
        render_comparison_markdown(compare(old, new), "fr")


def test_comparison_json_round_trip() -> None:
    comparison = compare(previous_scorecard(), sample_scorecard())
    again = Comparison.model_validate_json(comparison.model_dump_json())
    assert again == comparison
