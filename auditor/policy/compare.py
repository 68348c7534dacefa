"""Two scorecards side by side: what got fixed, what is new, how every grade moved.

``auditor compare OLD NEW`` answers the question a reviewer asks of a pull request ("did this
make the platform harder to use, or heavier?") and a maintainer asks between two releases.
Findings are paired by id first, then by the baseline's fuzzy matching (same rule, journey and
page; similar element or text), so a re-styled field is "still present", not "fixed + new".
Only problems are compared (blocking, major, minor): info notes and good practices are not
something to fix.

Grade deltas are given per headline (inclusion, frugality), per category and per journey; a
grade step is a letter (C → D is −1); the score delta is in points out of 100. Pure: the
renderers return text, the JSON is ``Comparison.model_dump_json()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from auditor.policy.baseline import match_signatures, problem_findings, signature_of
from auditor.policy.evaluate import SEVERITY_WORDS
from auditor.policy.model import Strict
from auditor.reporters.markdown_text import md_escape
from auditor.scoring.engine import CATEGORY_TITLES, GRADES, HEADLINE_TITLES, SEVERITY_ORDER
from auditor.scoring.scorecard import (
    CategoryScore,
    Finding,
    Grade,
    GradeCard,
    Scorecard,
    Severity,
    Text,
)

Change = Literal["better", "worse", "same", "added", "removed"]


class GradeDelta(Strict):
    """How one grade moved between two runs."""

    kind: Literal["headline", "category"]
    id: str = Field(description="inclusion, frugality, or a category id.")
    title: Text
    old_grade: Grade | None = None
    new_grade: Grade | None = None
    old_score: float | None = None
    new_score: float | None = None
    score_delta: float | None = Field(None, description="new − old, points out of 100.")
    grade_steps: int | None = Field(None, description="Letters gained (+) or lost (−).")
    change: Change


class FindingRef(Strict):
    """A finding as the comparison lists it."""

    id: str
    rule_id: str
    severity: Severity
    blocking: bool = False
    journey_id: str = ""
    title: Text
    url_template: str = ""
    target: str = ""
    text: str = ""


class PersistingFinding(Strict):
    """A finding present in both runs."""

    old: FindingRef
    new: FindingRef
    fuzzy: bool = Field(description="Paired by a similar target or text, not the same id.")
    severity_change: Literal["better", "worse", "same"]


class JourneyDelta(Strict):
    """One journey's grades and findings across the two runs."""

    journey_id: str
    title: str = ""
    old_status: str | None = None
    new_status: str | None = None
    grades: list[GradeDelta] = Field(default_factory=list)
    categories: list[GradeDelta] = Field(default_factory=list)
    new_findings: int = 0
    fixed_findings: int = 0


class RunRef(Strict):
    """Which run a side of the comparison is."""

    target_name: str
    started_at: str
    tool_version: str
    profile: str


class Comparison(Strict):
    """The difference between an old and a new scorecard."""

    old: RunRef
    new: RunRef
    headlines: list[GradeDelta]
    categories: list[GradeDelta]
    journeys: list[JourneyDelta]
    new_findings: list[FindingRef]
    fixed_findings: list[FindingRef]
    persisting: list[PersistingFinding]
    worse: bool = Field(description="A grade fell, or a problem appeared: what CI may gate on.")
    better: bool = Field(description="A grade rose, or a problem was fixed.")
    notes: list[Text] = Field(default_factory=list, description="Why figures may not be "
                              "comparable (other profile, other tool version).")


# --------------------------------------------------------------------------- building


def _step(grade: Grade | None) -> int | None:
    return None if grade is None else GRADES.index(grade)


def grade_delta(kind: Literal["headline", "category"], ident: str, title: Text,
                old_grade: Grade | None, new_grade: Grade | None, old_score: float | None,
                new_score: float | None) -> GradeDelta:
    """The move of one grade; ``added``/``removed`` when only one side has a grade."""
    change: Change
    steps: int | None = None
    if old_grade is None and new_grade is None:
        change = "same"
    elif old_grade is None:
        change = "added"
    elif new_grade is None:
        change = "removed"
    else:
        old_step, new_step = _step(old_grade), _step(new_grade)
        assert old_step is not None and new_step is not None
        steps = old_step - new_step
        delta = (new_score or 0) - (old_score or 0)
        change = ("better" if steps > 0 else "worse" if steps < 0 else
                  # Same letter: the score says which way it went, half a point either way
                  # being noise (rounding, a timing).
                  "better" if delta >= 0.5 else "worse" if delta <= -0.5 else "same")
    score_delta = (round(new_score - old_score, 2)
                   if old_score is not None and new_score is not None else None)
    return GradeDelta(kind=kind, id=ident, title=title, old_grade=old_grade,
                      new_grade=new_grade, old_score=old_score, new_score=new_score,
                      score_delta=score_delta, grade_steps=steps, change=change)


def _headlines(old: Sequence[GradeCard], new: Sequence[GradeCard]) -> list[GradeDelta]:
    out = []
    for headline in ("inclusion", "frugality"):
        before = next((g for g in old if g.headline == headline), None)
        after = next((g for g in new if g.headline == headline), None)
        if before is None and after is None:
            continue
        out.append(grade_delta("headline", headline, HEADLINE_TITLES[headline],
                               before.grade if before else None,
                               after.grade if after else None,
                               before.score if before else None,
                               after.score if after else None))
    return out


def _categories(old: Sequence[CategoryScore], new: Sequence[CategoryScore]
                ) -> list[GradeDelta]:
    out = []
    for category in CATEGORY_TITLES:
        before = next((c for c in old if c.id == category), None)
        after = next((c for c in new if c.id == category), None)
        if before is None and after is None:
            continue
        out.append(grade_delta("category", category, CATEGORY_TITLES[category],
                               before.grade if before else None,
                               after.grade if after else None,
                               before.score if before else None,
                               after.score if after else None))
    return out


def finding_ref(finding: Finding) -> FindingRef:
    """The comparison's view of a finding."""
    sig = signature_of(finding)
    return FindingRef(id=finding.id, rule_id=finding.rule_id, severity=finding.severity,
                      blocking=finding.blocking, journey_id=finding.journey_id,
                      title=finding.title, url_template=sig.url_template, target=sig.target,
                      text=sig.text)


def _severity_change(old: Finding, new: Finding) -> Literal["better", "worse", "same"]:
    before, after = SEVERITY_ORDER[old.severity], SEVERITY_ORDER[new.severity]
    return "worse" if after < before else "better" if after > before else "same"


def _notes(old: Scorecard, new: Scorecard) -> list[Text]:
    notes = []
    if old.profile != new.profile:
        notes.append(Text(
            fr=f"Profils différents ({old.profile} → {new.profile}) : les notes ne se "
               "comparent pas directement.",
            en=f"Different profiles ({old.profile} → {new.profile}): grades are not directly "
               "comparable."))
    if old.run.tool_version != new.run.tool_version:
        notes.append(Text(
            fr=f"Versions de l'outil différentes ({old.run.tool_version} → "
               f"{new.run.tool_version}) : des règles ont pu changer.",
            en=f"Different tool versions ({old.run.tool_version} → {new.run.tool_version}): "
               "rules may have changed."))
    if old.run.axe_version != new.run.axe_version:
        notes.append(Text(
            fr=f"Versions d'axe-core différentes ({old.run.axe_version} → "
               f"{new.run.axe_version}).",
            en=f"Different axe-core versions ({old.run.axe_version} → "
               f"{new.run.axe_version})."))
    return notes


def _run_ref(card: Scorecard) -> RunRef:
    return RunRef(target_name=card.run.target_name or card.run.base_url,
                  started_at=card.run.started_at, tool_version=card.run.tool_version,
                  profile=card.profile)


def compare(old: Scorecard, new: Scorecard) -> Comparison:
    """What changed from ``old`` to ``new``: grade deltas, new, fixed and persisting
    problems."""
    old_findings, new_findings = problem_findings(old), problem_findings(new)
    pairs = match_signatures([signature_of(f) for f in new_findings],
                             [signature_of(f) for f in old_findings])
    persisting = [PersistingFinding(old=finding_ref(old_findings[o]),
                                    new=finding_ref(new_findings[n]), fuzzy=fuzzy,
                                    severity_change=_severity_change(old_findings[o],
                                                                     new_findings[n]))
                  for n, (o, fuzzy) in sorted(pairs.items())]
    matched_old = {o for o, _ in pairs.values()}
    added = [finding_ref(f) for i, f in enumerate(new_findings) if i not in pairs]
    fixed = [finding_ref(f) for i, f in enumerate(old_findings) if i not in matched_old]

    journeys = []
    old_cards = {c.journey_id: c for c in old.journeys}
    new_cards = {c.journey_id: c for c in new.journeys}
    for journey_id in [*old_cards, *(j for j in new_cards if j not in old_cards)]:
        before, after = old_cards.get(journey_id), new_cards.get(journey_id)
        either = after or before
        journeys.append(JourneyDelta(
            journey_id=journey_id, title=either.title if either else "",
            old_status=before.status if before else None,
            new_status=after.status if after else None,
            grades=_headlines(before.grades if before else [], after.grades if after else []),
            categories=_categories(before.categories if before else [],
                                   after.categories if after else []),
            new_findings=sum(1 for f in added if f.journey_id == journey_id),
            fixed_findings=sum(1 for f in fixed if f.journey_id == journey_id)))

    headlines = _headlines(old.grades, new.grades)
    categories = _categories(old.categories, new.categories)
    all_grades = [*headlines, *categories, *(g for j in journeys for g in
                                            [*j.grades, *j.categories])]
    worse = bool(added) or any(g.change == "worse" for g in all_grades) or any(
        p.severity_change == "worse" for p in persisting)
    better = bool(fixed) or any(g.change == "better" for g in all_grades) or any(
        p.severity_change == "better" for p in persisting)
    return Comparison(old=_run_ref(old), new=_run_ref(new), headlines=headlines,
                      categories=categories, journeys=journeys, new_findings=added,
                      fixed_findings=fixed, persisting=persisting, worse=worse, better=better,
                      notes=_notes(old, new))


# --------------------------------------------------------------------------- rendering


def _t(text: Text, lang: str) -> str:
    return text.fr if lang == "fr" else text.en


def _lang(lang: str) -> str:
    return "fr" if lang.lower().startswith("fr") else "en"


CHANGE_WORDS: dict[str, Text] = {
    "better": Text(fr="mieux", en="better"), "worse": Text(fr="moins bien", en="worse"),
    "same": Text(fr="inchangé", en="same"), "added": Text(fr="nouveau", en="new"),
    "removed": Text(fr="disparu", en="gone"),
}
CHANGE_SYMBOL = {"better": "▲", "worse": "▼", "same": "=", "added": "+", "removed": "−"}


def _number(value: float | None, lang: str, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


def _shown(headlines: Sequence[GradeDelta], categories: Sequence[GradeDelta]
           ) -> list[GradeDelta]:
    """Headlines then categories, without the frugality category: it *is* the frugality
    headline, and showing it twice reads like two different figures."""
    names = {h.id for h in headlines}
    return [*headlines, *(c for c in categories if c.id not in names)]


def _delta_text(delta: GradeDelta, lang: str) -> str:
    """``Inclusion: E (39.8) → C (61.2), +21.4, better``."""
    old = f"{delta.old_grade or '—'} ({_number(delta.old_score, lang)})"
    new = f"{delta.new_grade or '—'} ({_number(delta.new_score, lang)})"
    sep = " : " if lang == "fr" else ": "
    moved = f", {_number(delta.score_delta, lang, signed=True)}" if delta.score_delta is not None \
        else ""
    return (f"{CHANGE_SYMBOL[delta.change]} {_t(delta.title, lang)}{sep}{old} → {new}{moved} "
            f"({_t(CHANGE_WORDS[delta.change], lang)})")


def _finding_line(ref: FindingRef, lang: str) -> str:
    where = " · ".join(p for p in (ref.journey_id, ref.url_template, ref.target or ref.text)
                       if p)
    severity = _t(SEVERITY_WORDS[ref.severity], lang)
    return f"[{severity}] {_t(ref.title, lang)} ({ref.rule_id}){' — ' + where if where else ''}"


def _summary(comparison: Comparison, lang: str) -> str:
    fr = lang == "fr"
    new, fixed = len(comparison.new_findings), len(comparison.fixed_findings)
    still = len(comparison.persisting)
    if fr:
        verdict = ("moins bien" if comparison.worse and not comparison.better else
                   "mieux" if comparison.better and not comparison.worse else
                   "contrasté" if comparison.worse else "inchangé")
        return (f"Comparaison : {verdict} — {new} nouveau(x) problème(s), {fixed} corrigé(s), "
                f"{still} toujours présent(s).")
    verdict = ("worse" if comparison.worse and not comparison.better else
               "better" if comparison.better and not comparison.worse else
               "mixed" if comparison.worse else "unchanged")
    return (f"Comparison: {verdict} — {new} new problem(s), {fixed} fixed, {still} still "
            "present.")


def render_comparison_text(comparison: Comparison, lang: str = "en", *, limit: int = 20
                           ) -> str:
    """The comparison for a terminal: summary, grade moves, then new and fixed problems (at
    most ``limit`` of each)."""
    lang = _lang(lang)
    fr = lang == "fr"
    old, new = comparison.old, comparison.new
    lines = [_summary(comparison, lang),
             f"{'Avant :' if fr else 'Before:'} {old.target_name} {old.started_at} "
             f"({old.profile}, {old.tool_version})",
             f"{'Après :' if fr else 'After:'} {new.target_name} {new.started_at} "
             f"({new.profile}, {new.tool_version})"]
    lines += [f"  {_t(n, lang)}" for n in comparison.notes]
    lines.append("Notes :" if fr else "Grades:")
    lines += [f"  {_delta_text(d, lang)}" for d in _shown(comparison.headlines,
                                                           comparison.categories)]
    for journey in comparison.journeys:
        moved = [d for d in _shown(journey.grades, journey.categories) if d.change != "same"]
        status = ""
        if journey.old_status != journey.new_status:
            status = f" [{journey.old_status or '—'} → {journey.new_status or '—'}]"
        label = "Parcours" if fr else "Journey"
        lines.append(f"{label} {journey.journey_id}{status}{' :' if fr else ':'} "
                     f"+{journey.new_findings} / "
                     f"−{journey.fixed_findings}")
        lines += [f"  {_delta_text(d, lang)}" for d in moved]
    for title, refs in ((("Nouveaux problèmes", "New problems"), comparison.new_findings),
                        (("Corrigés", "Fixed"), comparison.fixed_findings)):
        if not refs:
            continue
        lines.append(f"{title[0] if fr else title[1]} ({len(refs)}){' :' if fr else ':'}")
        lines += [f"  + {_finding_line(r, lang)}" if title[1] == "New problems" else
                  f"  - {_finding_line(r, lang)}" for r in refs[:limit]]
        if len(refs) > limit:
            lines.append(f"  … +{len(refs) - limit}")
    changed = [p for p in comparison.persisting if p.severity_change != "same"]
    if changed:
        lines.append("Gravité changée :" if fr else "Severity changed:")
        lines += [f"  {_t(SEVERITY_WORDS[p.old.severity], lang)} → "
                  f"{_t(SEVERITY_WORDS[p.new.severity], lang)} : {_finding_line(p.new, lang)}"
                  for p in changed[:limit]]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Site or journey text as literal Markdown (no HTML, no mention, no broken table)."""
    return md_escape(text, limit=600)


def render_comparison_markdown(comparison: Comparison, lang: str = "en", *, limit: int = 30
                               ) -> str:
    """The comparison for a pull-request comment: grade table, journeys, then collapsible
    lists of new and fixed problems."""
    lang = _lang(lang)
    fr = lang == "fr"
    lines = [f"### {_cell(_summary(comparison, lang))}", ""]
    lines += [f"> {_cell(_t(n, lang))}" for n in comparison.notes]
    if comparison.notes:
        lines.append("")
    header = ("| | Avant | Après | Écart | Évolution |" if fr else
              "| | Before | After | Delta | Change |")
    lines += [header, "|---|---|---|---|---|"]
    for delta in _shown(comparison.headlines, comparison.categories):
        name = _cell(_t(delta.title, lang))
        if delta.kind == "headline":
            name = f"**{name}**"
        lines.append(f"| {name} | {delta.old_grade or '—'} "
                     f"({_number(delta.old_score, lang)}) | {delta.new_grade or '—'} "
                     f"({_number(delta.new_score, lang)}) | "
                     f"{_number(delta.score_delta, lang, signed=True)} | "
                     f"{CHANGE_SYMBOL[delta.change]} {_t(CHANGE_WORDS[delta.change], lang)} |")
    if comparison.journeys:
        lines += ["", "#### " + ("Parcours" if fr else "Journeys"), ""]
        lines += [("| Parcours | Inclusion | Sobriété | Nouveaux | Corrigés |" if fr else
                   "| Journey | Inclusion | Frugality | New | Fixed |"), "|---|---|---|---|---|"]
        for journey in comparison.journeys:
            cells = []
            for headline in ("inclusion", "frugality"):
                moved = next((g for g in journey.grades if g.id == headline), None)
                cells.append("—" if moved is None else
                             f"{moved.old_grade or '—'} → {moved.new_grade or '—'} "
                             f"{CHANGE_SYMBOL[moved.change]}")
            lines.append(f"| {_cell(journey.journey_id)} | {cells[0]} | {cells[1]} | "
                         f"{journey.new_findings} | {journey.fixed_findings} |")
    for title, refs in ((("Nouveaux problèmes", "New problems"), comparison.new_findings),
                        (("Problèmes corrigés", "Fixed problems"),
                         comparison.fixed_findings)):
        if not refs:
            continue
        lines += ["", f"<details><summary>{title[0] if fr else title[1]} ({len(refs)})"
                  "</summary>", ""]
        lines += [f"- {_cell(_finding_line(r, lang))}" for r in refs[:limit]]
        if len(refs) > limit:
            lines.append(f"- … +{len(refs) - limit}")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


__all__ = ["Comparison", "FindingRef", "GradeDelta", "JourneyDelta", "PersistingFinding",
           "RunRef", "compare", "finding_ref", "grade_delta", "render_comparison_markdown",
           "render_comparison_text"]
