"""What the reports pick out of a scorecard, the same way in every format.

The "top problems" of the HTML summary, of the Markdown comment and the order of the CSV all
come from here, so a mediator, an agency and a developer read the same list in the same order.
Pure functions: a Scorecard in, plain values out; nothing here mutates the scorecard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.scoring.scorecard import (
    CategoryId,
    CategoryScore,
    Finding,
    GradeCard,
    Headline,
    Scorecard,
)

#: Most serious first. ``positive`` (a good practice found) is not a problem at all.
SEVERITY_ORDER: dict[str, int] = {"blocking": 0, "major": 1, "minor": 2, "info": 3,
                                  "positive": 4}
PROBLEM_SEVERITIES = frozenset({"blocking", "major", "minor"})
HEADLINES: tuple[Headline, ...] = ("inclusion", "frugality")
CATEGORY_ORDER: tuple[CategoryId, ...] = ("accessibility", "signup", "effort", "language",
                                          "frugality")


def severity_rank(finding: Finding) -> tuple[int, int]:
    """Sort key: blocking findings first (whatever their severity label), then by severity."""
    return (0 if finding.blocking else 1, SEVERITY_ORDER.get(finding.severity, 9))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by seriousness; equal ones keep the scorecard's order (stable sort)."""
    return sorted(findings, key=severity_rank)


def is_problem(finding: Finding) -> bool:
    """A finding a person must act on (not a good practice, not a mere note)."""
    return finding.blocking or finding.severity in PROBLEM_SEVERITIES


@dataclass(frozen=True)
class TopProblem:
    """One kind of problem (a rule) with every finding of it, most serious first."""

    findings: list[Finding]

    @property
    def finding(self) -> Finding:
        return self.findings[0]

    @property
    def similar(self) -> int:
        """Other findings of the same rule (other pages, fields, journeys)."""
        return len(self.findings) - 1

    @property
    def journey_ids(self) -> list[str]:
        return list(dict.fromkeys(f.journey_id for f in self.findings))


def problem_kinds(scorecard: Scorecard) -> list[TopProblem]:
    """Problems grouped by rule, the most serious kind first.

    The engine reports one finding per rule and page, so a missing button label on five
    screens would otherwise fill a "top five" with one problem: a top list names five
    *different* problems and says how often each occurs.
    """
    by_rule: dict[str, list[Finding]] = {}
    for finding in ordered(f for f in scorecard.findings if is_problem(f)):
        by_rule.setdefault(finding.rule_id, []).append(finding)
    return [TopProblem(items) for items in by_rule.values()]


def top_problems(scorecard: Scorecard, limit: int) -> list[TopProblem]:
    """The ``limit`` most serious kinds of problem of the run."""
    return problem_kinds(scorecard)[:limit]


def headline_grade(grades: Iterable[GradeCard], headline: Headline) -> GradeCard | None:
    return next((g for g in grades if g.headline == headline), None)


def category_by_id(categories: Iterable[CategoryScore], category: str) -> CategoryScore | None:
    return next((c for c in categories if c.id == category), None)


def findings_by_journey(scorecard: Scorecard) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by journey, in the journeys' order; run-wide ones ('') first.

    A finding whose journey is not among the journey cards still gets its own group, so no
    finding can silently drop out of the report.
    """
    order = [""] + [j.journey_id for j in scorecard.journeys]
    for finding in scorecard.findings:
        if finding.journey_id not in order:
            order.append(finding.journey_id)
    groups = [(journey_id, ordered(f for f in scorecard.findings
                                   if f.journey_id == journey_id)) for journey_id in order]
    return [(journey_id, items) for journey_id, items in groups if items]


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(prefix: str, value: str) -> str:
    """An HTML id from an arbitrary value (a finding id, a journey id from a YAML file)."""
    cleaned = _ID_UNSAFE.sub("-", value).strip("-")[:80]
    return f"{prefix}-{cleaned or 'x'}"


@dataclass(frozen=True)
class ScoreDelta:
    """How one grade or category moved since the previous run."""

    before_score: float | None
    after_score: float | None
    before_grade: str | None
    after_grade: str | None
    before_present: bool = True  # False: the previous run had no such grade or category

    @property
    def change(self) -> float | None:
        if self.before_score is None or self.after_score is None:
            return None
        return self.after_score - self.before_score

    @property
    def grade_changed(self) -> bool:
        return self.before_grade != self.after_grade


@dataclass
class RunDiff:
    """Changes from a previous scorecard to this one, matched by stable ids."""

    headlines: dict[str, ScoreDelta] = field(default_factory=dict)
    categories: dict[str, ScoreDelta] = field(default_factory=dict)
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    persisting: int = 0

    def is_new(self, finding: Finding) -> bool:
        return any(f.id == finding.id for f in self.new)


def diff(current: Scorecard, previous: Scorecard) -> RunDiff:
    """Grades and scores per headline and category, and problems new / fixed (by Finding.id).

    Good practices (``positive``) and notes are left out of new / fixed: a good practice that
    disappears is not a fixed problem.
    """
    result = RunDiff()
    for headline in HEADLINES:
        now = headline_grade(current.grades, headline)
        before = headline_grade(previous.grades, headline)
        result.headlines[headline] = ScoreDelta(
            before.score if before else None, now.score if now else None,
            before.grade if before else None, now.grade if now else None,
            before_present=before is not None or now is None)
    for category in current.categories:
        old = category_by_id(previous.categories, category.id)
        result.categories[category.id] = ScoreDelta(
            old.score if old else None, category.score, old.grade if old else None,
            category.grade, before_present=old is not None)
    now_ids = {f.id for f in current.findings if is_problem(f)}
    before_ids = {f.id for f in previous.findings if is_problem(f)}
    result.new = ordered(f for f in current.findings if is_problem(f) and f.id not in before_ids)
    result.fixed = ordered(f for f in previous.findings
                           if is_problem(f) and f.id not in now_ids)
    result.persisting = len(now_ids & before_ids)
    return result
