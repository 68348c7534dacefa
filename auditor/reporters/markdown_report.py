"""The Markdown summary: short enough for a pull-request comment or a CI job summary.

Grades with their change since a previous run, categories (folded), one line per journey, the
top problems (new ones marked), fixed problems (folded) and a link to the HTML report.

Every text reaches the page through :func:`auditor.reporters.markdown_text.md_escape` (the
template environment applies it to every expression), so a sentence of the audited site cannot
break a table, open a code span, inject HTML or notify ``@someone``. Only Markdown the reporter
writes itself is marked ``MdSafe``.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor import __version__
from auditor.reporters.i18n import Messages, format_signed, resolve_lang
from auditor.reporters.markdown_text import MdSafe, md_link_target
from auditor.reporters.selection import (
    CATEGORY_ORDER,
    HEADLINES,
    RunDiff,
    ScoreDelta,
    diff,
    headline_grade,
    problem_kinds,
)
from auditor.reporters.templating import markdown_environment
from auditor.scoring.scorecard import Finding, GradeCard, Scorecard

FIXED_SHOWN = 10


@dataclass
class GradeRow:
    name: str
    grade: str
    score: str
    change: MdSafe


@dataclass
class JourneyRow:
    title: str
    status: str
    grades: list[str]


@dataclass
class FindingLine:
    severity: str
    title: str
    message: str
    where: str
    similar: int
    new: bool


def _grade_text(grade: str | None) -> str:
    return grade or "–"


def _change(delta: ScoreDelta | None, t: Messages) -> MdSafe:
    """'+6 (D → C)', '−3', '=' or 'first measure': written by us, so no escaping needed."""
    if delta is None:
        return MdSafe("")
    if not delta.before_present:
        return MdSafe(t("markdown.first_run"))
    change = delta.change
    parts = []
    if change is not None and round(change) != 0:
        parts.append(format_signed(change, t.lang))
    if delta.grade_changed:
        parts.append(f"({_grade_text(delta.before_grade)} → {_grade_text(delta.after_grade)})")
    # Numbers, grade letters and catalog words only: nothing from the site, no escaping.
    return MdSafe(" ".join(parts) or t("markdown.unchanged"))


def _where(finding: Finding, titles: dict[str, str], t: Messages) -> str:
    journey = titles.get(finding.journey_id, finding.journey_id) if finding.journey_id \
        else t("report.platform")
    step = next((p.step_index for p in finding.places if p.step_index is not None), None)
    if step is None:
        return journey
    step_text = t("step.start") if step < 0 else t("step.number", number=step + 1)
    return f"{journey}, {step_text}"


def render_markdown(scorecard: Scorecard, previous: Scorecard | None = None,
                    html_link: str = "", lang: str | None = None,
                    max_findings: int = 10) -> str:
    """A short Markdown summary; with ``previous``, the changes since that run."""
    t = Messages(resolve_lang(scorecard, lang))
    changes: RunDiff | None = diff(scorecard, previous) if previous is not None else None

    def score(card: GradeCard | None) -> str:
        return t.score(card.score) if card and card.score is not None else t(
            "grade.not_scored")

    headlines = []
    for headline in HEADLINES:
        card = headline_grade(scorecard.grades, headline)
        headlines.append(GradeRow(
            t(f"headline.{headline}"), _grade_text(card.grade if card else None), score(card),
            _change(changes.headlines.get(headline) if changes else None, t)))
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    categories = []
    for category in sorted(scorecard.categories, key=lambda c: rank.get(c.id, 99)):
        categories.append(GradeRow(
            t.pick(category.title) or t.label("category", category.id),
            _grade_text(category.grade),
            t.score(category.score) if category.score is not None else t("grade.not_scored"),
            _change(changes.categories.get(category.id) if changes else None, t)))
    titles = {j.journey_id: j.title or j.journey_id for j in scorecard.journeys}
    journeys = []
    for journey in scorecard.journeys:
        grades = []
        for headline in HEADLINES:
            card = headline_grade(journey.grades, headline)
            grades.append(f"{_grade_text(card.grade if card else None)} ({score(card)})")
        journeys.append(JourneyRow(titles[journey.journey_id],
                                   t.label("status", journey.status), grades))
    kinds = problem_kinds(scorecard)
    lines = []
    for kind in kinds[:max_findings]:
        f = kind.finding
        lines.append(FindingLine(
            t.label("severity", "blocking" if f.blocking else f.severity), t.pick(f.title),
            t.pick(f.message), _where(f, titles, t), kind.similar,
            any(changes.is_new(x) for x in kind.findings) if changes else False))
    fixed = []
    if changes is not None:
        old_titles = {j.journey_id: j.title or j.journey_id
                      for j in previous.journeys} if previous else {}
        fixed = [(t.pick(f.title), _where(f, old_titles, t))
                 for f in changes.fixed[:FIXED_SHOWN]]
    run = scorecard.run
    footer = t("markdown.footer", tool=t("report.tool"), version=run.tool_version or __version__,
               axe=run.axe_version or "?", browser=run.browser_version or "?",
               persona=t.label("persona", run.persona), viewport=run.viewport,
               mode=t.label("mode", run.mode), date=t.date(run.started_at),
               profile=scorecard.profile)
    template = markdown_environment().get_template("summary.md.j2")
    text = template.render(
        t=t, target=run.target_name, headlines=headlines, categories=categories,
        journeys=journeys, journey_headers=[t(f"headline.{h}") for h in HEADLINES],
        lines=lines, more=max(0, len(kinds) - max_findings), changes=changes,
        fixed=fixed, fixed_more=max(0, len(changes.fixed) - FIXED_SHOWN) if changes else 0,
        html_link=MdSafe(md_link_target(html_link)) if html_link else "",
        footer=footer)
    # Templates leave blank-line runs where optional blocks are skipped; Markdown needs one.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
