"""WCAG measures from the axe-core results of a run, mapped to WCAG success criteria and RGAA.

Entry point: :func:`measure_wcag` (``Run`` → :class:`WcagMeasures`). The smaller pure functions
(:func:`sc_from_tag`, :func:`level_of`, :func:`rule_mapping`, :func:`normalise_target`,
:func:`url_template`, :func:`screen_score`) are what the tests hit.

What is counted (metrics.md §5):

- per checkpoint, per journey and per run: violations by impact (minor … critical) and by level
  bucket (A, AA, "2.2" additions, AAA, best-practice, other), as **distinct rules** and as
  **nodes**; axe's ``incomplete`` ("needs review") is kept apart and never counted as a pass or a
  fail (§5.1, §5.4);
- **de-duplication**: the same rule on the same element of the same page template is one issue,
  with the list of places it was seen (key: rule id + target without ``:nth-child()`` indices +
  URL path with numeric / uuid segments replaced), so a header defect met on ten checkpoints of
  a template is one issue, not ten;
- **mapping**: WCAG SC from ``wcag###`` tags; RGAA tests from the ``RGAA-x.y.z`` tags axe-core
  ≥ 4.11 puts on its rules, falling back to the official RGAA 4.1 ↔ WCAG table
  (``auditor/data/rgaa_wcag_mapping.csv``) through the rule's WCAG SC when a rule has no RGAA
  tag (that fallback is broad: one SC can map to several criteria; it is marked as such);
- **score** (§5.4, Proposed): per screen, weights critical 10, serious 5, moderate 2, minor 1
  summed over distinct violated rules with a WCAG level tag (best-practice weighs 0), then
  ``100·exp(−penalty/25)``; a journey takes the minimum over its screens (RGAA process logic);
- **automated RGAA proxy rate** (§5.4) with its mandatory caveat label.

The two data files are read once from the package (static reference data, not run I/O).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.evidence import Evidence
from auditor.metrics.language import normalise_lang
from auditor.models import AxeNode, AxeRuleResult, Checkpoint, Impact, Run
from auditor.paths import data_file

# --------------------------------------------------------------------------- constants

IMPACTS: tuple[Impact, ...] = ("minor", "moderate", "serious", "critical")

#: §5.4 (Proposed): weight of one violated rule by its impact.
IMPACT_WEIGHTS: dict[str, int] = {"critical": 10, "serious": 5, "moderate": 2, "minor": 1}
#: §5.4: screen_score = 100 · exp(−penalty / SCORE_SCALE).
SCORE_SCALE = 25.0

Level = Literal["A", "AA", "2.2", "AAA", "best-practice", "other"]
LEVELS: tuple[Level, ...] = ("A", "AA", "2.2", "AAA", "best-practice", "other")
#: axe-core level tags (doc/API.md) → our buckets. WCAG 2.2 additions get their own bucket.
LEVEL_TAGS: dict[str, Level] = {
    "wcag2a": "A", "wcag21a": "A", "wcag2a-obsolete": "A",
    "wcag2aa": "AA", "wcag21aa": "AA",
    "wcag22a": "2.2", "wcag22aa": "2.2", "wcag22aaa": "2.2",
    "wcag2aaa": "AAA", "wcag21aaa": "AAA",
    "best-practice": "best-practice",
}
#: Buckets that carry a WCAG conformance level, hence a weight in the penalty.
WCAG_LEVELS: frozenset[Level] = frozenset({"A", "AA", "2.2", "AAA"})

#: Rules that, critical on a form control, block a sign-up or vote (§5.4 BLOCKING).
FORM_CONTROL_RULES: frozenset[str] = frozenset({
    "label", "button-name", "select-name", "aria-required-attr", "input-button-name",
    "aria-input-field-name", "aria-toggle-field-name", "input-image-alt",
})

RGAA_TOTAL_CRITERIA = 106

CAVEATS: tuple[str, ...] = (
    "Automated accessibility results are a partial proxy for a manual audit: axe-core finds "
    "part of the issues and covers few success criteria fully (metrics.md §5.1).",
    "'Needs review' (incomplete) items must be checked by hand; they are neither passes nor "
    "failures.",
)

_SC_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
_RGAA_TAG = re.compile(r"^RGAA-(\d+)\.(\d+)\.(\d+)$")
_SC_IN_TEXT = re.compile(r"\b(\d\.\d{1,2}\.\d{1,2})\b")
_NTH = re.compile(r":nth-(?:last-)?(?:child|of-type)\([^)]*\)")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_HEX_ID = re.compile(r"^(?=.*\d)[0-9a-f]{16,}$", re.I)
_NUMERIC = re.compile(r"^\d+$")
_NUMERIC_SLUG = re.compile(r"^\d+-.+$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class AxeRuleInfo:
    """One line of ``axe_rules_tags.txt``."""

    rule_id: str
    impact: str
    wcag_tags: tuple[str, ...]
    rgaa_tags: tuple[str, ...]
    experimental: bool


@lru_cache(maxsize=1)
def axe_rules() -> dict[str, AxeRuleInfo]:
    """axe-core's rules with their default impact and tags (format: metrics.md, top)."""
    rules: dict[str, AxeRuleInfo] = {}
    for line in data_file("axe_rules_tags.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        # Fields are separated by ONE space and may be empty: never split on runs of spaces.
        parts = line.split(" ")
        parts += [""] * (5 - len(parts))
        rule_id, impact, wcag, rgaa, flag = parts[:5]
        rules[rule_id] = AxeRuleInfo(
            rule_id=rule_id, impact=impact,
            wcag_tags=tuple(t for t in wcag.split(",") if t),
            rgaa_tags=tuple(t for t in rgaa.split(",") if t),
            experimental=flag == "EXP")
    return rules


@lru_cache(maxsize=1)
def rgaa_criteria_by_sc() -> dict[str, tuple[str, ...]]:
    """WCAG SC ("1.1.1") → RGAA 4.1 criteria ("1.1", "1.2", …), from the official table."""
    by_sc: dict[str, list[str]] = {}
    path = data_file("rgaa_wcag_mapping.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for sc in _SC_IN_TEXT.findall(row["wcag_sc"]):
                by_sc.setdefault(sc, [])
                if row["rgaa_criterion"] not in by_sc[sc]:
                    by_sc[sc].append(row["rgaa_criterion"])
    return {sc: tuple(criteria) for sc, criteria in by_sc.items()}


@lru_cache(maxsize=1)
def rgaa_criteria_count() -> int:
    """Number of RGAA criteria in the table (106 for RGAA 4.1)."""
    path = data_file("rgaa_wcag_mapping.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def messages_from_axe_locale(locale: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """Rule messages (``help``, ``description``) from an axe-core locale file (``fr.json``)."""
    rules = locale.get("rules", {})
    out: dict[str, dict[str, str]] = {}
    if isinstance(rules, dict):
        for rule_id, entry in rules.items():
            if isinstance(entry, dict):
                out[str(rule_id)] = {k: str(v) for k, v in entry.items()
                                     if k in ("help", "description")}
    return out


# --------------------------------------------------------------------------- mapping


def sc_from_tag(tag: str) -> str | None:
    """``wcag111`` → ``1.1.1``, ``wcag1412`` → ``1.4.12``; level tags and others → None."""
    match = _SC_TAG.match(tag)
    if not match:
        return None
    return ".".join(match.groups())


def level_of(tags: list[str] | tuple[str, ...]) -> Level:
    """The level bucket of a rule from its tags (axe: "one tag that indicates which WCAG
    version / level it belongs to, or … best-practice")."""
    if "best-practice" in tags:
        return "best-practice"
    for tag in tags:
        if tag in LEVEL_TAGS:
            return LEVEL_TAGS[tag]
    return "other"


class RuleMapping(_Model):
    """What one axe rule means in WCAG and RGAA terms."""

    rule_id: str
    level: Level
    wcag_sc: list[str]
    rgaa_tests: list[str] = Field(description="RGAA tests from axe's RGAA-x.y.z tags.")
    rgaa_criteria: list[str]
    rgaa_source: Literal["axe-tag", "wcag-mapping", "none"] = Field(
        description="axe-tag: exact; wcag-mapping: every RGAA criterion of the rule's WCAG "
                    "SC (broad); none: no RGAA counterpart (e.g. WCAG 2.2 SC, best practice).")
    experimental: bool = False


def rule_mapping(rule_id: str, tags: list[str] | tuple[str, ...] = ()) -> RuleMapping:
    """Map a rule to WCAG SC and RGAA. ``tags`` are the result's own tags (the axe version that
    ran); when empty, the shipped ``axe_rules_tags.txt`` is used."""
    info = axe_rules().get(rule_id)
    all_tags = list(tags)
    if not all_tags and info is not None:
        all_tags = [*info.wcag_tags, *info.rgaa_tags]
        if not info.wcag_tags:
            all_tags.append("best-practice")  # the data file leaves that tag out
    experimental = "experimental" in all_tags or bool(info and info.experimental)
    wcag_sc = [sc for sc in (sc_from_tag(t) for t in all_tags) if sc]
    rgaa_tests: list[str] = []
    for tag in all_tags:
        match = _RGAA_TAG.match(tag)
        if match and ".".join(match.groups()) not in rgaa_tests:
            rgaa_tests.append(".".join(match.groups()))
    source: Literal["axe-tag", "wcag-mapping", "none"]
    if rgaa_tests:
        criteria = list(dict.fromkeys(".".join(t.split(".")[:2]) for t in rgaa_tests))
        source = "axe-tag"
    else:
        table = rgaa_criteria_by_sc()
        criteria = list(dict.fromkeys(c for sc in wcag_sc for c in table.get(sc, ())))
        source = "wcag-mapping" if criteria else "none"
    return RuleMapping(rule_id=rule_id, level=level_of(all_tags), wcag_sc=wcag_sc,
                       rgaa_tests=rgaa_tests, rgaa_criteria=criteria, rgaa_source=source,
                       experimental=experimental)


@lru_cache(maxsize=1)
def rgaa_rules_by_criterion() -> dict[str, tuple[str, ...]]:
    """RGAA criterion → axe rules tagged with one of its tests (the proxy rate's universe)."""
    by_criterion: dict[str, list[str]] = {}
    for rule_id, info in axe_rules().items():
        for criterion in rule_mapping(rule_id, info.wcag_tags + info.rgaa_tags).rgaa_criteria:
            if info.rgaa_tags:
                by_criterion.setdefault(criterion, []).append(rule_id)
    return {c: tuple(rules) for c, rules in sorted(by_criterion.items(), key=_criterion_key)}


def _criterion_key(item: tuple[str, object]) -> tuple[int, ...]:
    return tuple(int(x) for x in item[0].split("."))


# --------------------------------------------------------------------------- de-duplication


def normalise_target(target: list[str]) -> str:
    """axe's target path without positional indices: ``li:nth-child(3) > a`` → ``li > a``.

    Frames / shadow roots (several selectors) are joined with `` >>> ``.
    """
    parts = [re.sub(r"\s+", " ", _NTH.sub("", selector)).strip() for selector in target]
    return " >>> ".join(parts)


def url_template(url: str) -> str:
    """Host and path with ids replaced: ``/proposals/42/edit`` → ``/proposals/{id}/edit``.

    Numeric segments → ``{id}``, ``42-my-title`` → ``{id}-{slug}``, UUIDs → ``{uuid}``, long hex
    → ``{hash}``; query and fragment are dropped: pages of one template share their defects.
    """
    parts = urlsplit(url)
    segments = []
    for segment in parts.path.split("/"):
        if _NUMERIC.match(segment):
            segment = "{id}"
        elif _UUID.match(segment):
            segment = "{uuid}"
        elif _HEX_ID.match(segment):
            segment = "{hash}"
        elif _NUMERIC_SLUG.match(segment):
            segment = "{id}-{slug}"
        segments.append(segment)
    path = "/".join(segments).rstrip("/") or "/"
    return f"{parts.netloc}{path}"


def _markup(html: str) -> str:
    """An element's markup with whitespace collapsed, to recognise a shared component."""
    return re.sub(r"\s+", " ", html).strip()


def issue_key(rule_id: str, target: list[str], url: str) -> str:
    """De-duplication key: rule + normalised target + URL template.

    On top of it, an element whose markup is identical on pages of other templates joins the
    issue first seen (see ``_IssueBook.shared``): a header defect is one issue with many places.
    """
    return f"{rule_id}|{normalise_target(target)}|{url_template(url)}"


# --------------------------------------------------------------------------- result models


class WcagIssue(_Model):
    """One de-duplicated issue (a rule on one element of one page template)."""

    kind: Literal["violation", "needs-review"]
    key: str
    rule_id: str
    impact: Impact | None
    level: Level
    wcag_sc: list[str]
    rgaa_criteria: list[str]
    rgaa_tests: list[str]
    rgaa_source: Literal["axe-tag", "wcag-mapping", "none"]
    help: str
    description: str
    message_lang: str = Field(description="Language of help/description: 'fr' when the "
                              "French axe messages were given and used, else 'en'.")
    help_url: str
    target: str = Field(description="Target without nth-child indices.")
    html: str = Field(description="HTML snippet of the first occurrence.")
    failure_summary: str = ""
    in_form: bool | None = Field(None, description="The element is inside a <form> (None: "
                                 "unknown, e.g. a run saved by an older version).")
    url_template: str
    occurrences: int
    places: list[Evidence]


class ViolationCounts(_Model):
    """Violations as distinct rules and as nodes, by impact and by level bucket."""

    rules: int
    nodes: int
    rules_by_impact: dict[str, int]
    nodes_by_impact: dict[str, int]
    rules_by_level: dict[str, int]
    nodes_by_level: dict[str, int]


class CheckpointWcag(_Model):
    """axe results of one checkpoint, counted."""

    checkpoint: int
    journey_id: str
    step_index: int
    name: str
    url: str
    measured: bool = Field(description="False when axe could not run on the page.")
    error: str = ""
    violations: ViolationCounts
    violated_rules: list[str]
    needs_review_rules: int
    needs_review_nodes: int
    passed_rules: int
    penalty: int
    screen_score: float | None


class RgaaProxy(_Model):
    """Automated RGAA proxy rate over a process (§5.4): never a conformance rate."""

    mapped_criteria: int = Field(description="RGAA criteria with at least one axe rule.")
    total_criteria: int
    applicable: int
    passed: int
    failed: int
    to_review: int = Field(description="Criteria with a 'needs review' rule and no "
                           "violation: excluded from the rate.")
    rate: float | None
    failed_criteria: list[str]
    passed_criteria: list[str]
    review_criteria: list[str]
    label_fr: str
    label_en: str
    note: str = ""


class ScopeWcag(_Model):
    """A journey, or the whole run: counts over de-duplicated issues and screen scores."""

    journey_id: str = Field(description="'' for the whole run.")
    screens_measured: int
    screens_not_measured: int
    violations: ViolationCounts = Field(description="rules: distinct rules; nodes: every "
                                        "node on every screen (before de-duplication).")
    issues: int = Field(description="De-duplicated violations.")
    issues_by_impact: dict[str, int]
    issues_by_level: dict[str, int]
    needs_review_rules: int
    needs_review_issues: int
    score: float | None = Field(description="Minimum screen score (RGAA process logic).")
    worst_checkpoint: int | None
    rgaa_proxy: RgaaProxy
    critical_on_form_controls: list[str] = Field(
        description="Keys of critical issues on form-control rules on pages with fields "
                    "(§5.4 BLOCKING candidates).")


class WcagMeasures(_Model):
    """Everything measure_wcag returns."""

    report_lang: str
    checkpoints: list[CheckpointWcag]
    journeys: list[ScopeWcag]
    run: ScopeWcag
    issues: list[WcagIssue]
    needs_review: list[WcagIssue]
    weights: dict[str, int]
    score_scale: float
    caveats: list[str]


# --------------------------------------------------------------------------- counting


def screen_score(penalty: float) -> float:
    """§5.4: 100 · exp(−penalty / 25), rounded to 2 decimals."""
    return round(100 * math.exp(-penalty / SCORE_SCALE), 2)


def _node_impact(node: AxeNode, rule: AxeRuleResult) -> Impact | None:
    return node.impact or rule.impact


def rule_impact(rule: AxeRuleResult) -> Impact | None:
    """The rule's impact; axe reports the highest impact of its failing checks."""
    if rule.impact:
        return rule.impact
    impacts = [n.impact for n in rule.nodes if n.impact]
    if impacts:
        return max(impacts, key=IMPACTS.index)
    info = axe_rules().get(rule.id)
    if info and info.impact in IMPACTS:
        return info.impact
    return None


def _empty_counts() -> dict[str, dict[str, int]]:
    return {
        "rules_by_impact": dict.fromkeys(IMPACTS, 0),
        "nodes_by_impact": dict.fromkeys(IMPACTS, 0),
        "rules_by_level": dict.fromkeys(LEVELS, 0),
        "nodes_by_level": dict.fromkeys(LEVELS, 0),
    }


def count_violations(rules: list[AxeRuleResult]) -> ViolationCounts:
    """Distinct rules and nodes, by impact and level, over a list of violated rules.

    A rule seen several times in ``rules`` (several screens) counts once, with its highest
    impact; its nodes all count.
    """
    counts = _empty_counts()
    distinct: dict[str, tuple[Impact | None, Level]] = {}
    nodes = 0
    for rule in rules:
        impact = rule_impact(rule)
        level = rule_mapping(rule.id, rule.tags).level
        previous = distinct.get(rule.id)
        if previous is None or (impact and (previous[0] is None or
                                            IMPACTS.index(impact) > IMPACTS.index(previous[0]))):
            distinct[rule.id] = (impact, level)
        for node in rule.nodes or []:
            nodes += 1
            node_impact = _node_impact(node, rule)
            if node_impact:
                counts["nodes_by_impact"][node_impact] += 1
            counts["nodes_by_level"][level] += 1
    for impact, level in distinct.values():
        if impact:
            counts["rules_by_impact"][impact] += 1
        counts["rules_by_level"][level] += 1
    return ViolationCounts(rules=len(distinct), nodes=nodes, **counts)


def penalty_of(rules: list[AxeRuleResult]) -> int:
    """§5.4: sum of impact weights over distinct violated rules with a WCAG level."""
    worst: dict[str, int] = {}
    for rule in rules:
        if rule_mapping(rule.id, rule.tags).level not in WCAG_LEVELS:
            continue
        impact = rule_impact(rule)
        weight = IMPACT_WEIGHTS.get(impact, 0) if impact else 0
        worst[rule.id] = max(worst.get(rule.id, 0), weight)
    return sum(worst.values())


# --------------------------------------------------------------------------- issues


@dataclass
class _IssueBook:
    """Issues keyed by :func:`issue_key`, in order of first sight."""

    kind: Literal["violation", "needs-review"]
    messages: dict[str, dict[str, str]] | None
    use_french: bool
    issues: dict[str, WcagIssue] = field(default_factory=dict)
    # rule + target + markup -> issue key: the same element with the same markup on pages of
    # other templates is one shared component (a header, a footer), counted once.
    shared: dict[str, str] = field(default_factory=dict)

    def add(self, rule: AxeRuleResult, checkpoint: Checkpoint) -> list[str]:
        keys: list[str] = []
        mapping = rule_mapping(rule.id, rule.tags)
        help_text, description, lang = rule.help, rule.description, "en"
        if self.use_french and self.messages and rule.id in self.messages:
            french = self.messages[rule.id]
            help_text = french.get("help", help_text)
            description = french.get("description", description)
            lang = "fr"
        nodes = rule.nodes or [AxeNode(target=[])]
        for node in nodes:
            component = f"{rule.id}|{normalise_target(node.target)}|{_markup(node.html)}"
            key = self.shared.setdefault(component,
                                         issue_key(rule.id, node.target, checkpoint.url))
            place = Evidence(journey_id=checkpoint.journey_id, step_index=checkpoint.step_index,
                             checkpoint=checkpoint.index, url=checkpoint.url,
                             selector=" >>> ".join(node.target), text=node.html,
                             detail=node.failure_summary)
            issue = self.issues.get(key)
            if issue is None:
                issue = WcagIssue(
                    kind=self.kind, key=key, rule_id=rule.id,
                    impact=_node_impact(node, rule) or rule_impact(rule), level=mapping.level,
                    wcag_sc=mapping.wcag_sc, rgaa_criteria=mapping.rgaa_criteria,
                    rgaa_tests=mapping.rgaa_tests, rgaa_source=mapping.rgaa_source,
                    help=help_text, description=description, message_lang=lang,
                    help_url=rule.help_url, target=normalise_target(node.target),
                    html=node.html, failure_summary=node.failure_summary,
                    in_form=node.in_form,
                    url_template=url_template(checkpoint.url), occurrences=0, places=[])
                self.issues[key] = issue
            issue.occurrences += 1
            issue.places.append(place)
            keys.append(key)
        return keys


# --------------------------------------------------------------------------- RGAA proxy


@dataclass
class _RuleSightings:
    """Which rules were violated / needed review / passed on the screens of a scope."""

    violated: set[str] = field(default_factory=set)
    review: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    rule_tags: dict[str, list[str]] = field(default_factory=dict)
    passes_unknown: bool = False

    def add(self, checkpoint: Checkpoint) -> None:
        axe = checkpoint.axe
        if axe.error:
            return
        for rule in axe.violations:
            self.violated.add(rule.id)
            self.rule_tags.setdefault(rule.id, rule.tags)
        for rule in axe.incomplete:
            self.review.add(rule.id)
            self.rule_tags.setdefault(rule.id, rule.tags)
        self.passed.update(axe.passed_rules)
        if axe.passes_count and not axe.passed_rules:
            self.passes_unknown = True


def rgaa_proxy(sightings: _RuleSightings) -> RgaaProxy:
    """§5.4 automated RGAA proxy over the screens of one process (or the run).

    A criterion fails if any of its rules has a violation on any screen; otherwise it is
    "to review" if any of its rules needs review, and passed if any of its rules passed. Rate =
    passed / (passed + failed); review items never count as pass or fail.
    """
    universe: dict[str, set[str]] = {c: set(r) for c, r in rgaa_rules_by_criterion().items()}
    # Rules of a newer axe may carry RGAA tags the data file lacks: honour the run's tags.
    for rule_id, tags in sorted(sightings.rule_tags.items()):
        mapping = rule_mapping(rule_id, tags)
        if mapping.rgaa_source == "axe-tag":
            for criterion in mapping.rgaa_criteria:
                universe.setdefault(criterion, set()).add(rule_id)
    failed, review, passed = [], [], []
    for criterion in sorted(universe, key=lambda c: tuple(int(x) for x in c.split("."))):
        rules = universe[criterion]
        if rules & sightings.violated:
            failed.append(criterion)
        elif rules & sightings.review:
            review.append(criterion)
        elif rules & sightings.passed:
            passed.append(criterion)
    mapped, total = len(universe), rgaa_criteria_count()
    decided = len(passed) + len(failed)
    note = ""
    rate: float | None = round(len(passed) / decided, 4) if decided else None
    if sightings.passes_unknown and not sightings.passed:
        rate = None
        note = "passed rule ids were not recorded: the rate cannot be computed"
    return RgaaProxy(
        mapped_criteria=mapped, total_criteria=total, applicable=decided + len(review),
        passed=len(passed), failed=len(failed), to_review=len(review), rate=rate,
        failed_criteria=failed, passed_criteria=passed, review_criteria=review,
        label_fr=f"taux automatique partiel ({mapped}/{total} critères), ne remplace pas un "
                 "audit RGAA",
        label_en=f"partial automated rate ({mapped}/{total} criteria), not an RGAA audit",
        note=note)


# --------------------------------------------------------------------------- per run


def measure_checkpoint(checkpoint: Checkpoint) -> CheckpointWcag:
    """Counts and score of one checkpoint."""
    axe = checkpoint.axe
    measured = axe.error is None
    violations = axe.violations if measured else []
    penalty = penalty_of(violations)
    return CheckpointWcag(
        checkpoint=checkpoint.index, journey_id=checkpoint.journey_id,
        step_index=checkpoint.step_index, name=checkpoint.name, url=checkpoint.url,
        measured=measured, error=axe.error or "",
        violations=count_violations(violations),
        violated_rules=list(dict.fromkeys(r.id for r in violations)),
        needs_review_rules=len({r.id for r in axe.incomplete}) if measured else 0,
        needs_review_nodes=sum(len(r.nodes) for r in axe.incomplete) if measured else 0,
        passed_rules=max(axe.passes_count, len(axe.passed_rules)),
        penalty=penalty,
        screen_score=screen_score(penalty) if measured else None)


def _has_user_fields(checkpoint: Checkpoint) -> bool:
    return any(f.visible and f.type not in ("submit", "button", "reset", "image", "hidden")
               for f in checkpoint.fields)


def _scope(journey_id: str, checkpoints: list[Checkpoint], summaries: list[CheckpointWcag],
           issues: dict[str, WcagIssue], review: dict[str, WcagIssue],
           keys: set[str], review_keys: set[str]) -> ScopeWcag:
    measured = [s for s in summaries if s.measured]
    violations = [r for c in checkpoints if c.axe.error is None for r in c.axe.violations]
    scope_issues = [issues[k] for k in issues if k in keys]
    by_impact = dict.fromkeys(IMPACTS, 0)
    by_level = dict.fromkeys(LEVELS, 0)
    for issue in scope_issues:
        if issue.impact:
            by_impact[issue.impact] += 1
        by_level[issue.level] += 1
    worst = min(measured, key=lambda s: (s.screen_score or 0, s.checkpoint), default=None)
    sightings = _RuleSightings()
    for checkpoint in checkpoints:
        sightings.add(checkpoint)
    with_fields = {c.index for c in checkpoints if _has_user_fields(c)}
    critical = [
        i.key for i in scope_issues
        if i.impact == "critical" and i.rule_id in FORM_CONTROL_RULES
        and any(p.checkpoint in with_fields for p in i.places)
        and i.in_form is not False  # outside any <form> (a header search): not the submit path
    ]
    return ScopeWcag(
        journey_id=journey_id,
        screens_measured=len(measured),
        screens_not_measured=len(summaries) - len(measured),
        violations=count_violations(violations),
        issues=len(scope_issues),
        issues_by_impact=by_impact,
        issues_by_level=by_level,
        needs_review_rules=len({review[k].rule_id for k in review if k in review_keys}),
        needs_review_issues=len(review_keys),
        score=worst.screen_score if worst else None,
        worst_checkpoint=worst.checkpoint if worst else None,
        rgaa_proxy=rgaa_proxy(sightings),
        critical_on_form_controls=critical)


def measure_wcag(run: Run, report_lang: str = "en",
                 messages: dict[str, dict[str, str]] | None = None) -> WcagMeasures:
    """WCAG measures of ``run``: per checkpoint, per journey, for the run, and the issues.

    ``messages``: rule id → ``{"help", "description"}`` in French (axe-core's ``locales/fr.json``,
    see :func:`messages_from_axe_locale`), used when ``report_lang`` is French (``fr``,
    ``fr-FR``…). Without it the messages stay as axe reported them.
    """
    lang = normalise_lang(report_lang) or "en"
    violations = _IssueBook("violation", messages, lang == "fr")
    review = _IssueBook("needs-review", messages, lang == "fr")
    summaries: list[CheckpointWcag] = []
    journeys: list[ScopeWcag] = []
    run_keys: set[str] = set()
    run_review_keys: set[str] = set()

    for journey in run.journeys:
        keys: set[str] = set()
        review_keys: set[str] = set()
        journey_summaries = []
        for checkpoint in journey.checkpoints:
            summary = measure_checkpoint(checkpoint)
            journey_summaries.append(summary)
            if summary.measured:
                for rule in checkpoint.axe.violations:
                    keys.update(violations.add(rule, checkpoint))
                for rule in checkpoint.axe.incomplete:
                    review_keys.update(review.add(rule, checkpoint))
        summaries.extend(journey_summaries)
        run_keys |= keys
        run_review_keys |= review_keys
        journeys.append(_scope(journey.id, journey.checkpoints, journey_summaries,
                               violations.issues, review.issues, keys, review_keys))

    return WcagMeasures(
        report_lang=lang,
        checkpoints=summaries,
        journeys=journeys,
        run=_scope("", run.checkpoints(), summaries, violations.issues, review.issues,
                   run_keys, run_review_keys),
        issues=list(violations.issues.values()),
        needs_review=list(review.issues.values()),
        weights=dict(IMPACT_WEIGHTS),
        score_scale=SCORE_SCALE,
        caveats=list(CAVEATS),
    )
