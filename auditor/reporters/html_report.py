"""The HTML report: one self-contained, accessible, light file.

Summary first (the two grades, the top five problems in plain words, each journey as a strip of
step thumbnails), then the details: by journey (every finding with its fix and its sources),
by rule, what a person must check, and the method (versions, persona, mode, date, limits).

What the file practises (and ``tests/e2e/test_html_report_a11y.py`` checks in Chromium):

- one file, no request: CSS inlined, charts as inline SVG, screenshots as ``data:`` thumbnails
  embedded once each (later uses link to the first); no script at all, and a
  Content-Security-Policy that would block one (``default-src 'none'``; the style sheet is
  allowed by its SHA-256 hash, so no ``style=`` attribute is used anywhere);
- nothing from the audited site is trusted: Jinja autoescape is on, links are made only from
  ``http(s)`` addresses, and data never becomes a template;
- axe-core finds no violation: landmarks, one ``h1``, heading levels in order, skip link,
  tables with captions and header cells, ``lang`` = report language, 7:1 text contrast.

This module turns the Scorecard into small view objects in document order (so the first use
of a screenshot is where its thumbnail goes); the template only lays them out.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from auditor import __version__
from auditor.paths import shipped_dir
from auditor.reporters.i18n import Messages, resolve_lang
from auditor.reporters.selection import (
    CATEGORY_ORDER,
    HEADLINES,
    anchor,
    findings_by_journey,
    headline_grade,
    is_problem,
    ordered,
    top_problems,
)
from auditor.reporters.svg_charts import Bar, category_bars, grade_badge
from auditor.reporters.templating import html_environment
from auditor.reporters.thumbnails import Thumbnail, Thumbnails
from auditor.scoring.scorecard import (
    CategoryScore,
    Finding,
    GradeCard,
    JourneyCard,
    Place,
    Reference,
    RuleResult,
    Scorecard,
)

TOP_COUNT = 5
#: A finding lists at most this many places; the rest are counted (all are in scorecard.json).
#: A shared header link flagged on every screen would otherwise fill pages of the report.
PLACES_MAX = 25
#: Quoted snippets (a sentence, an element's HTML) are cut to this many characters here; the
#: whole text stays in scorecard.json and the CSV.
QUOTE_MAX = 160


@lru_cache(maxsize=1)
def report_css() -> str:
    """The style sheet, as shipped (read once)."""
    css = (shipped_dir("reports_templates") / "report.css").read_text(encoding="utf-8")
    if "</" in css:  # would end the <style> element early
        raise ValueError("report.css must not contain '</'")
    return css


def content_security_policy(css: str) -> str:
    """A policy allowing only this style sheet and ``data:`` images: no script, no request."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'; "
            "base-uri 'none'; form-action 'none'")


def safe_href(url: str) -> str | None:
    """``url`` if it is an absolute http(s) address, else ``None`` (shown as text only).

    ``javascript:``, ``data:`` or relative addresses from a scorecard never become links.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


# --- view objects ------------------------------------------------------------------------


@dataclass
class ShotUse:
    """A screenshot at one place of the report: its thumbnail (first use) or a link to it."""

    anchor: str
    label: str
    thumb: Thumbnail | None = None


@dataclass
class StepView:
    anchor: str
    title: str
    label: str
    outcome: str
    outcome_label: str
    url: str
    shot: ShotUse | None
    page_title: str = ""


@dataclass
class HeadlineView:
    headline: str
    name: str
    help: str
    score_text: str
    badge: Markup
    cap: str


@dataclass
class CategoryRow:
    name: str
    headline: str
    weight: str
    score: str
    grade: str
    applied: int
    not_applicable: int


@dataclass
class StepRef:
    """A step named in a finding's place; ``anchor`` links to its screenshot shown elsewhere."""

    label: str
    anchor: str = ""


@dataclass
class PlaceView:
    """One element or sentence of a finding, with every step and page where it shows.

    The same header link flagged on ten screens is one line naming ten steps, not ten lines.
    """

    steps: list[StepRef]
    urls: list[str]
    selector: str
    text: str
    figures: list[ShotUse]


@dataclass
class ReferenceView:
    label: str
    title: str
    href: str | None


@dataclass
class FindingView:
    anchor: str
    rule_id: str
    severity: str
    severity_label: str
    blocking: bool
    category: str
    journey: str
    title: str
    message: str
    fix: str
    why: str
    evidence: str
    places: list[PlaceView]
    references: list[ReferenceView]
    places_hidden: int = 0


@dataclass
class TopView:
    """A line of the summary's top problems: the worst finding of a rule, and how common."""

    finding: FindingView
    similar: int
    journeys: str


@dataclass
class RuleGroupView:
    """The findings of one rule in one journey: what they share is said once.

    The scoring engine emits one finding per rule and page (e.g. one per axe rule and screen);
    their fix, "who is hindered" and sources are the same, so repeating them 30 times would
    make the report long to read and heavy to send. A group of one is shown as a plain finding.
    """

    anchor: str
    title: str
    severity: str
    severity_label: str
    blocking: bool
    category: str
    rule_id: str
    fix: str
    why: str
    references: list[ReferenceView]
    items: list[FindingView]


@dataclass
class JourneyView:
    anchor: str
    title: str
    status: str
    status_label: str
    grades: list[tuple[str, Markup, str]]  # name, small badge, score text
    facts: list[str]
    steps: list[StepView]
    categories: list[CategoryRow]


@dataclass
class FindingGroup:
    anchor: str
    title: str
    journey: JourneyView | None
    problems: list[RuleGroupView]
    positives: list[FindingView]
    notes: list[RuleGroupView]


@dataclass
class RuleRow:
    rule: str
    rule_id: str
    category: str
    scope: str
    outcome: str
    outcome_label: str
    score: str
    weight: str
    value: str
    detail: str
    findings_anchor: str
    findings_count: int


@dataclass
class ReportView:
    lang: str
    t: Messages
    css: Markup
    csp: str
    target: str
    date: str
    mode: str
    profile: str
    headlines: list[HeadlineView]
    chart: Markup
    categories: list[CategoryRow]
    top: list[TopView]
    journeys: list[JourneyView]
    groups: list[FindingGroup]
    rules: list[RuleRow]
    review: list[RuleGroupView]
    review_count: int
    run_rows: list[tuple[str, str]]
    versions: list[tuple[str, str]]
    limits: list[str]
    finding_count: int
    tool_version: str
    schema_version: str
    base_url_href: str | None = None


class _Anchors:
    """Unique HTML ids: sanitised values can collide, so a counter settles ties."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, value: str) -> str:
        base = anchor(prefix, value)
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


class _Shots:
    """Embeds each screenshot once; later uses point at the first one."""

    def __init__(self, thumbnails: Thumbnails) -> None:
        self.thumbnails = thumbnails
        self.placed: dict[str, ShotUse] = {}

    def use(self, path: str, anchor_id: str, label: str) -> ShotUse | None:
        if not path:
            return None
        if path in self.placed:
            first = self.placed[path]
            return ShotUse(first.anchor, first.label, None)
        thumb = self.thumbnails.get(path)
        if thumb is None:
            return None
        self.placed[path] = ShotUse(anchor_id, label, thumb)
        return self.placed[path]


class _Builder:
    """Builds the ReportView in document order."""

    def __init__(self, scorecard: Scorecard, run_dir: Path | None, t: Messages) -> None:
        self.sc = scorecard
        self.t = t
        self.anchors = _Anchors()
        self.shots = _Shots(Thumbnails(run_dir))
        self.journey_cards = {j.journey_id: j for j in scorecard.journeys}
        self.journey_anchor = {j.journey_id: self.anchors.make("j", j.journey_id)
                               for j in scorecard.journeys}
        # Findings and checks to review may share an id: each list gets its own anchors.
        self.finding_anchor = {f.id: self.anchors.make("f", f.id) for f in scorecard.findings}
        self.review_anchor = {f.id: self.anchors.make("r", f.id)
                              for f in scorecard.needs_review}
        self.step_anchor: dict[tuple[str, int], str] = {}
        self.rule_titles: dict[str, str] = {}
        for finding in [*scorecard.findings, *scorecard.needs_review]:
            self.rule_titles.setdefault(finding.rule_id, t.pick(finding.title))

    # small helpers ------------------------------------------------------------------------

    def category_name(self, category_id: str, categories: list[CategoryScore] | None = None
                      ) -> str:
        for category in categories or self.sc.categories:
            if category.id == category_id:
                return self.t.pick(category.title) or self.t.label("category", category_id)
        return self.t.label("category", category_id)

    def journey_title(self, journey_id: str) -> str:
        if not journey_id:
            return self.t("report.platform")
        card = self.journey_cards.get(journey_id)
        return (card.title or card.journey_id) if card else journey_id

    def step_title(self, journey_id: str, step_index: int | None) -> str:
        """'Start page' / 'Step 3: Click "Sign up"' (step indexes count from 0, people from 1)."""
        if step_index is None:
            return ""
        if step_index < 0:
            return self.t("step.start")
        title = self.t("step.number", number=step_index + 1)
        card = self.journey_cards.get(journey_id)
        label = next((s.label for s in card.steps if s.step_index == step_index), "") \
            if card else ""
        return self.t("step.with_label", step=title, label=label) if label else title

    def score_text(self, score: float | None) -> str:
        if score is None:
            return self.t("grade.not_scored")
        return self.t("grade.score", score=self.t.score(score))

    def headline(self, card: GradeCard | None, headline: str, svg_id: str, size: int = 112,
                 with_scale: bool = True) -> tuple[Markup, str]:
        name = self.t(f"headline.{headline}")
        grade = card.grade if card else None
        title = (self.t("grade.badge_title", headline=name, grade=grade) if grade
                 else self.t("grade.badge_title_none", headline=name))
        badge = grade_badge(grade, title, svg_id, size=size, with_scale=with_scale)
        return badge, self.score_text(card.score if card else None)

    def category_rows(self, categories: list[CategoryScore]) -> list[CategoryRow]:
        rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
        rows = []
        for c in sorted(categories, key=lambda c: rank.get(c.id, 99)):
            rows.append(CategoryRow(
                name=self.t.pick(c.title) or self.t.label("category", c.id),
                headline=self.t(f"headline.{c.headline}"),
                weight=self.t.number(c.weight), score=self.t.score(c.score),
                grade=c.grade or self.t("grade.none"), applied=c.rules_applied,
                not_applicable=c.rules_not_applicable))
        return rows

    # views --------------------------------------------------------------------------------

    def headlines(self) -> list[HeadlineView]:
        views = []
        for headline in HEADLINES:
            card = headline_grade(self.sc.grades, headline)
            badge, score = self.headline(card, headline, f"badge-{headline}")
            cap = ""
            if card is not None and card.capped:
                # cap_reason is a whole sentence ("Grade capped at D: ..."), shown as is.
                cap = self.t.pick(card.cap_reason) or self.t("grade.capped_plain")
            views.append(HeadlineView(headline, self.t(f"headline.{headline}"),
                                      self.t(f"headline_help.{headline}"), score, badge, cap))
        return views

    def chart(self) -> Markup:
        rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
        bars = []
        for c in sorted(self.sc.categories, key=lambda c: rank.get(c.id, 99)):
            value = (self.t("categories.bar_value", score=self.t.score(c.score),
                            grade=c.grade or self.t("grade.none"))
                     if c.score is not None else self.t("categories.bar_value_none"))
            bars.append(Bar(self.t.pick(c.title) or self.t.label("category", c.id), c.score,
                            c.grade, value))
        description = "; ".join(
            self.t("categories.bar_desc", name=bar.label, score=bar.value_text) for bar in bars)
        return category_bars(bars, self.t("categories.chart_title"), description, "chart-cat")

    def journey(self, card: JourneyCard) -> JourneyView:
        journey_anchor = self.journey_anchor[card.journey_id]
        steps = []
        for step in card.steps:
            step_anchor = self.anchors.make("s", f"{card.journey_id}-{step.step_index}")
            self.step_anchor.setdefault((card.journey_id, step.step_index), step_anchor)
            title = (self.t("step.start") if step.step_index < 0
                     else self.t("step.number", number=step.step_index + 1))
            shot_label = f"{self.journey_title(card.journey_id)}, {title}"
            shot = self.shots.use(step.screenshot, step_anchor, shot_label)
            steps.append(StepView(step_anchor, title, step.label, step.outcome,
                                  self.t.label("step_outcome", step.outcome), step.url, shot,
                                  step.page_title))
        grades = []
        for headline in HEADLINES:
            grade_card = headline_grade(card.grades, headline)
            badge, score = self.headline(grade_card, headline, f"{journey_anchor}-{headline}",
                                         size=44, with_scale=False)
            grades.append((self.t(f"headline.{headline}"), badge, score))
        return JourneyView(journey_anchor, card.title or card.journey_id, card.status,
                           self.t.label("status", card.status), grades,
                           [self.t.pick(f) for f in card.facts], steps,
                           self.category_rows(card.categories))

    def url_text(self, url: str) -> str:
        """A page's address as shown: path and query on the audited site, else in full."""
        parts, base = urlsplit(url), urlsplit(self.sc.run.base_url)
        if parts.netloc and parts.netloc == base.netloc:
            return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return url

    def places(self, finding: Finding) -> tuple[list[PlaceView], int]:
        """The finding's places, merged by element / sentence, at most PLACES_MAX of them."""
        merged: dict[tuple[str, str], list[Place]] = {}
        for place in finding.places:
            merged.setdefault((place.selector, place.text), []).append(place)
        views = []
        for index, ((selector, text), places) in enumerate(merged.items()):
            if index >= PLACES_MAX:
                break
            steps: list[StepRef] = []
            urls: list[str] = []
            figures: list[ShotUse] = []
            for place in places:
                journey_id = place.journey_id or finding.journey_id
                step = self.step_title(journey_id, place.step_index)
                label = ", ".join(x for x in (self.journey_title(journey_id), step) if x)
                shot = self.shots.use(place.screenshot,
                                      self.anchors.make("shot", f"{finding.id}-{index}"), label)
                if shot is not None and shot.thumb is not None:
                    figures.append(shot)
                ref = StepRef(step or (self.t("step.screenshot") if shot else ""),
                              shot.anchor if shot is not None and shot.thumb is None else "")
                if ref.label and ref not in steps:
                    steps.append(ref)
                url = self.url_text(place.url)
                if url and url not in urls:
                    urls.append(url)
            quote = text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX - 1].rstrip() + "…"
            views.append(PlaceView(steps, urls, selector, quote, figures))
        return views, max(0, len(merged) - PLACES_MAX)

    def reference(self, ref: Reference) -> ReferenceView:
        return ReferenceView(f"{ref.kind} {ref.ref}".strip(), ref.title, safe_href(ref.url))

    def finding(self, finding: Finding, with_places: bool = True, review: bool = False
                ) -> FindingView:
        anchors = self.review_anchor if review else self.finding_anchor
        places, hidden = self.places(finding) if with_places else ([], 0)
        return FindingView(
            anchor=anchors[finding.id], rule_id=finding.rule_id,
            severity=finding.severity,
            severity_label=self.t.label("severity", "blocking" if finding.blocking
                                        else finding.severity),
            blocking=finding.blocking, category=self.category_name(finding.category),
            journey=self.journey_title(finding.journey_id), title=self.t.pick(finding.title),
            message=self.t.pick(finding.message), fix=self.t.pick(finding.fix),
            why=self.t.pick(finding.why), evidence=finding.evidence,
            places=places, references=[self.reference(r) for r in finding.references],
            places_hidden=hidden)

    def rule_groups(self, findings: list[Finding], scope: str, review: bool = False
                    ) -> list[RuleGroupView]:
        """``findings`` (already in order of seriousness) grouped by rule, first seen first."""
        by_rule: dict[str, list[Finding]] = {}
        for finding in findings:
            by_rule.setdefault(finding.rule_id, []).append(finding)
        groups = []
        for rule_id, items in by_rule.items():
            views = [self.finding(f, review=review) for f in items]
            first = views[0]
            if len(views) == 1:
                anchor_id = first.anchor
            else:
                anchor_id = self.anchors.make("g", f"{scope}-{rule_id}")
            group = RuleGroupView(anchor_id, first.title, first.severity,
                                  first.severity_label, first.blocking, first.category,
                                  rule_id, "", "", [], views)
            if len(views) > 1:
                # Say once what every finding of the rule shares; keep what differs per item.
                if len({v.fix for v in views}) == 1:
                    group.fix = first.fix
                if len({v.why for v in views}) == 1:
                    group.why = first.why
                if all(v.references == first.references for v in views):
                    group.references = first.references
                for view in views:
                    view.fix = "" if group.fix else view.fix
                    view.why = "" if group.why else view.why
                    view.references = [] if group.references else view.references
            groups.append(group)
        return groups

    def rule_rows(self) -> list[RuleRow]:
        # A rule's scopes side by side: by category, then rule, then platform and journeys.
        rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
        scopes = {j: i for i, j in enumerate(["", *self.journey_cards])}
        results = sorted(self.sc.results, key=lambda r: (
            rank.get(r.category, 99), r.rule_id, scopes.get(r.journey_id, 99)))
        return [self.rule_row(result) for result in results]

    def rule_row(self, result: RuleResult) -> RuleRow:
        value = result.value
        if isinstance(value, float):
            # Up to two decimals, trailing zeros dropped: 38.2 → "38,2", 4.0 → "4".
            value_text = self.t.number(value, 0 if value.is_integer() else 2)
            if not value.is_integer():
                value_text = value_text.rstrip("0")
        elif value is None:
            value_text = ""
        else:
            value_text = str(value)
        targets = [self.finding_anchor.get(i) or self.review_anchor.get(i)
                   for i in result.finding_ids]
        found = [x for x in targets if x]
        return RuleRow(
            rule=self.rule_titles.get(result.rule_id, result.rule_id), rule_id=result.rule_id,
            category=self.category_name(result.category),
            scope=self.journey_title(result.journey_id), outcome=result.outcome,
            outcome_label=self.t.label("outcome", result.outcome),
            score=self.t.score(result.score), weight=self.t.number(result.weight, 1 if
                                                                  result.weight % 1 else 0),
            value=value_text, detail=self.t.pick(result.detail),
            findings_anchor=found[0] if found else "", findings_count=len(found))

    def run_rows(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        run = self.sc.run
        t = self.t
        rows = [
            (t("method.target"), run.target_name),
            (t("method.address"), run.base_url),
            (t("method.date"), t.date(run.started_at)),
            (t("method.mode"), t.label("mode", run.mode)),
            (t("method.persona"), t.label("persona", run.persona)),
            (t("method.viewport"), run.viewport),
            (t("method.throttling"), run.throttling or "–"),
            (t("method.profile"), self.sc.profile),
            (t("method.protocol"), run.protocol or "–"),
        ]
        versions = [
            (t("method.tool"), f"participation-auditor {run.tool_version}"),
            (t("method.axe"), run.axe_version or "–"),
            (t("method.browser"), run.browser_version or "–"),
            *sorted(run.components.items()),
        ]
        return rows, versions

    def build(self) -> ReportView:
        t = self.t
        headlines = self.headlines()
        chart = self.chart()
        top = [TopView(self.finding(kind.finding, with_places=False), kind.similar,
                       ", ".join(self.journey_title(j) for j in kind.journey_ids))
               for kind in top_problems(self.sc, TOP_COUNT)]
        journeys = [self.journey(card) for card in self.sc.journeys]
        by_id = {j.anchor: j for j in journeys}
        groups = []
        for journey_id, findings in findings_by_journey(self.sc):
            group_anchor = self.journey_anchor.get(journey_id) or self.anchors.make(
                "j", journey_id or "platform")
            groups.append(FindingGroup(
                group_anchor + "-details", self.journey_title(journey_id),
                by_id.get(group_anchor),
                self.rule_groups([f for f in findings if is_problem(f)], journey_id),
                [self.finding(f) for f in findings if f.severity == "positive"],
                self.rule_groups([f for f in findings
                                  if not is_problem(f) and f.severity != "positive"],
                                 journey_id)))
        # Journeys without any finding still get their section (grades, categories).
        grouped = {g.journey.anchor for g in groups if g.journey}
        for journey in journeys:
            if journey.anchor not in grouped:
                groups.append(FindingGroup(journey.anchor + "-details", journey.title, journey,
                                           [], [], []))
        review = self.rule_groups(ordered(self.sc.needs_review), "review", review=True)
        run_rows, versions = self.run_rows()
        return ReportView(
            lang=t.lang, t=t, css=Markup(report_css()),
            csp=content_security_policy(report_css()), target=self.sc.run.target_name,
            date=t.date(self.sc.run.started_at), mode=t.label("mode", self.sc.run.mode),
            profile=self.sc.profile, headlines=headlines, chart=chart,
            categories=self.category_rows(self.sc.categories), top=top, journeys=journeys,
            groups=groups, rules=self.rule_rows(), review=review,
            review_count=len(self.sc.needs_review), run_rows=run_rows,
            versions=versions,
            # The scorecard's own disclaimers when it has some (the engine knows what it
            # measured); the catalog's standing ones otherwise, so limits are always stated.
            limits=[t.pick(d) for d in self.sc.disclaimers] or [
                t("method.proxy_accessibility"), t("method.proxy_language"),
                t("method.proxy_frugality"), t("grade.scale_note"), t("grade.blocking_cap")],
            finding_count=len(self.sc.findings), tool_version=__version__,
            schema_version=self.sc.schema_version,
            base_url_href=safe_href(self.sc.run.base_url))


def build_view(scorecard: Scorecard, run_dir: Path | None, lang: str | None = None
               ) -> ReportView:
    """The report's view objects (exposed for tests and for other HTML-like reporters)."""
    messages = Messages(resolve_lang(scorecard, lang))
    return _Builder(scorecard, run_dir, messages).build()


def render_html(scorecard: Scorecard, run_dir: Path | None, lang: str | None = None) -> str:
    """The HTML report of ``scorecard``; screenshots are read from ``run_dir`` if given.

    ``lang`` ``None`` → the scorecard's own language. Missing screenshots are skipped.
    """
    view = build_view(scorecard, run_dir, lang)
    template = html_environment().get_template("report.html.j2")
    return template.render(v=view, t=view.t)
