"""Policy × scorecard (× measures, run, baseline) → pass / warn / fail per budget.

Pure: nothing is printed, nothing exits, the clock is read only when ``today`` is not given.
The CLI turns :attr:`PolicyResult.exit_code` into the process exit code.

How a budget is checked:

1. Its **scope** becomes a list of places: the platform, each journey it selects (by id glob
   or kind), or each page of the selected step. A measure that exists only per page
   (``weight.page_transferred_bytes``) is checked on every page in scope.
2. Each place gives a **check**: the actual value, the limit, passed or not. Places with no
   value (a grade not computed, a measure not taken there) give no check; a budget with no
   check at all is *not applicable* (and says why).
3. With a **baseline**, known findings do not count in ``max_findings`` budgets; a failed
   ``rule`` whose findings are all known is known; a broken grade or measure whose value is no
   worse than the accepted one is known. Expired entries suppress nothing.
4. The budget's **outcome**: ``off`` (level off, not checked), ``fail`` (a check broken, level
   error), ``warn`` (a check broken, level warn), ``known`` (broken only where the baseline
   accepts it), ``pass``, or ``not_applicable``.

Exit codes (the CLI's, documented in auditor/policy/README.md): 0 budgets met, 1 a budget
failed, 3 a journey broke (it takes precedence: budgets of a journey that did not finish are
measured on part of it), 2 usage or configuration error (raised as :class:`PolicyError`
before any evaluation).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field

from auditor.metrics.bundle import Measures
from auditor.models import JourneyResult, Run
from auditor.policy.baseline import (
    Baseline,
    BaselineBreach,
    match_signatures,
    signature_of,
)
from auditor.policy.measures import MEASURES, MeasureDef, MeasurePoint
from auditor.policy.model import (
    AssertionKind,
    Budget,
    Level,
    MaxFindings,
    MeasureLimit,
    Policy,
    Strict,
    Where,
)
from auditor.scoring.engine import CATEGORY_TITLES, GRADES, HEADLINE_TITLES, journey_kind
from auditor.scoring.indicators import duration, format_number, path_of, size_text
from auditor.scoring.rule_model import JourneyKind
from auditor.scoring.scorecard import (
    CategoryScore,
    Finding,
    GradeCard,
    JourneyCard,
    Scorecard,
    Text,
)

EXIT_OK = 0
EXIT_BUDGET_FAILED = 1
EXIT_USAGE = 2
EXIT_JOURNEY_BROKEN = 3

BudgetOutcome = Literal["pass", "warn", "fail", "off", "known", "not_applicable"]


# --------------------------------------------------------------------------- result models


class BudgetCheck(Strict):
    """One place a budget was checked at."""

    where: Where
    actual: float | str | None = Field(description="Grade letter, number or rule outcome.")
    limit: float | str
    passed: bool
    known: bool = Field(False, description="Broken, but accepted by the baseline.")
    accepted: float | str | None = Field(None, description="The value the baseline "
                                         "accepted, when an entry exists.")
    finding_ids: list[str] = Field(default_factory=list, description="Findings counted.")
    known_ids: list[str] = Field(default_factory=list, description="Known findings, not "
                                 "counted.")
    message: Text


class BudgetResult(Strict):
    """A budget's outcome, with every check behind it."""

    id: str
    title: Text
    level: Level
    kind: AssertionKind
    outcome: BudgetOutcome
    scope: Text = Field(description="The scope in words.")
    limit: float | str
    actual: float | str | None = Field(None, description="The worst checked value.")
    unit: str = ""
    checks: list[BudgetCheck] = Field(default_factory=list)
    message: Text
    why: Text | None = None


class KnownFinding(Strict):
    """A finding the baseline accepts."""

    finding_id: str
    rule_id: str
    journey_id: str
    fingerprint: str = Field(description="The baseline entry's fingerprint.")
    fuzzy: bool = Field(description="Matched by a similar target or text, not the same id.")
    reason: str
    expires: date | None = None


class BaselineRef(Strict):
    """A baseline entry, for the expired and stale lists."""

    kind: Literal["finding", "budget"]
    key: str = Field(description="Fingerprint, or 'budget-id @ where'.")
    rule_id: str = ""
    journey_id: str = ""
    reason: str
    expires: date | None = None
    finding_id: str = Field("", description="The current finding it matched, if any.")


class PolicyResult(Strict):
    """The verdict of a policy on one run."""

    policy_id: str
    policy_title: Text
    sources: list[str] = Field(default_factory=list)
    today: date
    baseline_used: bool = False
    outcome: Literal["pass", "warn", "fail"]
    failed: bool
    exit_code: int
    budgets: list[BudgetResult]
    new_findings: list[str] = Field(default_factory=list, description="Problem findings "
                                    "not in the baseline (all of them without one).")
    known_findings: list[KnownFinding] = Field(default_factory=list)
    expired_entries: list[BaselineRef] = Field(default_factory=list, description="Expired "
                                               "entries that matched: their problem counts "
                                               "again.")
    stale_entries: list[BaselineRef] = Field(default_factory=list, description="Entries "
                                             "matching nothing today: fixed, or gone.")
    broken_journeys: list[str] = Field(default_factory=list)

    @property
    def failures(self) -> list[BudgetResult]:
        """Budgets that fail the build."""
        return [b for b in self.budgets if b.outcome == "fail"]

    @property
    def warnings(self) -> list[BudgetResult]:
        """Budgets broken at level warn."""
        return [b for b in self.budgets if b.outcome == "warn"]

    @property
    def known(self) -> list[BudgetResult]:
        """Budgets broken only where the baseline accepts it."""
        return [b for b in self.budgets if b.outcome == "known"]


# --------------------------------------------------------------------------- wording


def T(fr: str, en: str) -> Text:  # noqa: N802 - reads like a literal
    """A bilingual text."""
    return Text(fr=fr, en=en)


def where_text(where: Where) -> Text:
    """``la plateforme`` / ``parcours « sign-up », étape 2 (/inscription)``."""
    if not where.journey_id:
        return T("la plateforme", "the platform")
    fr = f"parcours « {where.journey_id} »"
    en = f"journey “{where.journey_id}”"
    if where.step_index is not None:
        if where.step_index < 0:
            fr += ", page de départ"
            en += ", start page"
        else:
            fr += f", étape {where.step_index + 1}"
            en += f", step {where.step_index + 1}"
    if where.url:
        fr += f" ({path_of(where.url)})"
        en += f" ({path_of(where.url)})"
    return T(fr, en)


def format_value(value: float | str | None, unit: str, lang: str) -> str:
    """A figure as a reader writes it: ``1,2 Mo``, ``45 s``, ``17``, ``oui``."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "bytes":
        return size_text(value, lang)
    if unit == "seconds":
        return duration(value, lang)
    if unit == "flag":
        return format_number(bool(value), lang)
    if float(value).is_integer():
        return format_number(int(value), lang)
    return format_number(round(value, 1), lang)


def _both(value: float | str | None, unit: str) -> Text:
    return T(format_value(value, unit, "fr"), format_value(value, unit, "en"))


def _grade_target(budget: Budget) -> Text:
    grade = budget.min_grade
    assert grade is not None
    if grade.headline is not None:
        return HEADLINE_TITLES[grade.headline]
    assert grade.category is not None
    return CATEGORY_TITLES[grade.category]


def _filter_text(spec: MaxFindings) -> Text:
    parts_fr: list[str] = []
    parts_en: list[str] = []
    if spec.blocking is True:
        parts_fr.append("bloquants")
        parts_en.append("blocking")
    elif spec.blocking is False:
        parts_fr.append("non bloquants")
        parts_en.append("non-blocking")
    if list(spec.severity) != ["blocking", "major", "minor"] and spec.blocking is None:
        parts_fr.append("/".join(SEVERITY_WORDS[s].fr + "(s)" for s in spec.severity))
        parts_en.append("/".join(spec.severity))
    if spec.rules:
        parts_fr.append("des règles " + ", ".join(spec.rules))
        parts_en.append("from rules " + ", ".join(spec.rules))
    if spec.category:
        parts_fr.append("en " + ", ".join(spec.category))
        parts_en.append("in " + ", ".join(spec.category))
    return T(" ".join(parts_fr), " ".join(parts_en))


SEVERITY_WORDS: dict[str, Text] = {
    "blocking": Text(fr="bloquant", en="blocking"), "major": Text(fr="majeur", en="major"),
    "minor": Text(fr="mineur", en="minor"), "info": Text(fr="info", en="info"),
    "positive": Text(fr="positif", en="positive"),
}


def default_title(budget: Budget) -> Text:
    """A title when the policy gives none, from the assertion itself."""
    scope_fr = "" if budget.scope.is_platform else f" ({budget.scope.describe('fr')})"
    scope_en = "" if budget.scope.is_platform else f" ({budget.scope.describe('en')})"
    if budget.min_grade is not None:
        target = _grade_target(budget)
        grade = budget.min_grade.grade
        return T(f"Note {target.fr} au moins {grade}{scope_fr}",
                 f"{target.en} grade {grade} or better{scope_en}")
    if budget.max_findings is not None:
        spec = budget.max_findings
        what = _filter_text(spec)
        return T(f"Au plus {spec.limit} constat(s) {what.fr}{scope_fr}".replace("  ", " "),
                 f"At most {spec.limit} {what.en} finding(s){scope_en}".replace("  ", " "))
    if budget.rule is not None:
        return T(f"La règle {budget.rule} est respectée{scope_fr}",
                 f"Rule {budget.rule} passes{scope_en}")
    limit = budget.max or budget.min
    assert limit is not None
    measure = MEASURES[limit.measure]
    sign_fr, sign_en = ("au plus", "at most") if budget.max else ("au moins", "at least")
    value = _both(limit.value, measure.unit)
    return T(f"{measure.title.fr[0].upper()}{measure.title.fr[1:]} : {sign_fr} {value.fr}"
             f"{scope_fr}",
             f"{measure.title.en[0].upper()}{measure.title.en[1:]}: {sign_en} {value.en}"
             f"{scope_en}")


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class _Journey:
    id: str
    kind: JourneyKind
    card: JourneyCard | None
    result: JourneyResult | None


@dataclass
class _Context:
    scorecard: Scorecard
    measures: Measures | None
    run: Run | None
    journeys: list[_Journey]
    checkpoint_names: dict[int, str]
    known: dict[str, KnownFinding]
    baseline: Baseline | None
    today: date
    tolerance: float
    expired_breaches: list[BaselineRef]


def _journeys(scorecard: Scorecard, measures: Measures | None, run: Run | None
              ) -> list[_Journey]:
    """Journeys of the run (or of the scorecard when no run is given), with their kind."""
    cards = {c.journey_id: c for c in scorecard.journeys}
    out = []
    if run is not None:
        for journey in run.journeys:
            out.append(_Journey(journey.id, journey_kind(journey, measures),
                                cards.get(journey.id), journey))
        seen = {j.id for j in out}
        extra = [c for c in scorecard.journeys if c.journey_id not in seen]
    else:
        extra = list(scorecard.journeys)
    for card in extra:
        stand_in = JourneyResult(id=card.journey_id, title=card.title, start_url="")
        out.append(_Journey(card.journey_id, journey_kind(stand_in, measures), card, None))
    return out


def _selected(ctx: _Context, budget: Budget) -> list[_Journey]:
    scope = budget.scope
    return [j for j in ctx.journeys
            if (scope.journey is None or fnmatch.fnmatchcase(j.id, scope.journey))
            and (not scope.kind or j.kind in scope.kind)]


def _in_step(ctx: _Context, budget: Budget, step_index: int | None,
             checkpoints: Sequence[int]) -> bool:
    """Does a page (or a finding's place) belong to the budget's step or checkpoint?"""
    scope = budget.scope
    if scope.step is not None:
        return step_index == scope.step_index
    if scope.checkpoint is not None:
        return any(ctx.checkpoint_names.get(c) == scope.checkpoint for c in checkpoints)
    return True


# --------------------------------------------------------------------------- assertions


def _grade_of(budget: Budget, grades: Sequence[GradeCard], categories: Sequence[CategoryScore]
              ) -> str | None:
    spec = budget.min_grade
    assert spec is not None
    if spec.headline is not None:
        card = next((g for g in grades if g.headline == spec.headline), None)
        return card.grade if card else None
    found = next((c for c in categories if c.id == spec.category), None)
    return found.grade if found else None


def _accepted(ctx: _Context, budget: Budget, where: Where) -> BaselineBreach | None:
    """The baseline's accepted breach for this budget and place (expired ones are listed
    and ignored)."""
    if ctx.baseline is None:
        return None
    breach = ctx.baseline.breach(budget.id, where.key())
    if breach is None:
        return None
    if breach.expired(ctx.today):
        ctx.expired_breaches.append(BaselineRef(
            kind="budget", key=f"{breach.budget_id} @ {breach.where}", reason=breach.reason,
            expires=breach.expires))
        return None
    return breach


def _no_worse(kind: AssertionKind, actual: float | str, accepted: float | str,
              tolerance: float) -> bool:
    """Is ``actual`` within what the baseline accepted (measures with a relative tolerance,
    so a page weighing 0.3 % more from one run to the next is not a regression)?"""
    if kind == "min_grade":
        if not (isinstance(actual, str) and isinstance(accepted, str)):
            return False
        if actual not in GRADES or accepted not in GRADES:
            return False
        return GRADES.index(actual) <= GRADES.index(accepted)
    if isinstance(actual, str) or isinstance(accepted, str):
        return False
    slack = abs(accepted) * tolerance + 1e-9
    return actual <= accepted + slack if kind == "max" else actual >= accepted - slack


def _with_baseline(ctx: _Context, budget: Budget, check: BudgetCheck) -> BudgetCheck:
    """A broken grade or measure check, looked up in the baseline's accepted breaches."""
    if check.passed or check.actual is None:
        return check
    breach = _accepted(ctx, budget, check.where)
    if breach is None:
        return check
    known = _no_worse(budget.kind, check.actual, breach.accepted, ctx.tolerance)
    accepted = _both(breach.accepted, _unit(budget))
    if known:
        suffix = T(f" Accepté par la base de référence ({accepted.fr}) : {breach.reason}",
                   f" Accepted by the baseline ({accepted.en}): {breach.reason}")
    else:
        suffix = T(f" Pire que la valeur acceptée par la base de référence ({accepted.fr}).",
                   f" Worse than the value the baseline accepted ({accepted.en}).")
    return check.model_copy(update={
        "known": known, "accepted": breach.accepted,
        "message": T(check.message.fr + suffix.fr, check.message.en + suffix.en)})


def _check_min_grade(ctx: _Context, budget: Budget) -> list[BudgetCheck]:
    spec = budget.min_grade
    assert spec is not None
    target = _grade_target(budget)
    places: list[tuple[Where, str | None]] = []
    if budget.scope.is_platform:
        places.append((Where(), _grade_of(budget, ctx.scorecard.grades,
                                          ctx.scorecard.categories)))
    else:
        for journey in _selected(ctx, budget):
            if journey.card is not None:
                places.append((Where(journey_id=journey.id),
                               _grade_of(budget, journey.card.grades,
                                         journey.card.categories)))
    checks = []
    for where, grade in places:
        if grade is None:
            continue
        passed = GRADES.index(grade) <= GRADES.index(spec.grade)
        at = where_text(where)
        message = T(f"{at.fr[0].upper()}{at.fr[1:]} : note {target.fr} {grade}, minimum "
                    f"{spec.grade}.",
                    f"{at.en[0].upper()}{at.en[1:]}: {target.en} grade {grade}, minimum "
                    f"{spec.grade}.")
        checks.append(_with_baseline(ctx, budget, BudgetCheck(
            where=where, actual=grade, limit=spec.grade, passed=passed, message=message)))
    return checks


def _finding_selected(spec: MaxFindings, finding: Finding) -> bool:
    if finding.severity not in spec.severity and not (spec.blocking and finding.blocking):
        return False
    if spec.blocking is not None and finding.blocking != spec.blocking:
        return False
    if spec.rules and not any(fnmatch.fnmatchcase(finding.rule_id, p) for p in spec.rules):
        return False
    return not spec.category or finding.category in spec.category


def _finding_in_step(ctx: _Context, budget: Budget, finding: Finding) -> bool:
    return any(_in_step(ctx, budget, p.step_index,
                        [p.checkpoint] if p.checkpoint is not None else [])
               for p in finding.places)


def _count_message(where: Where, new: int, known: int, limit: int, what: Text) -> Text:
    at = where_text(where)
    fr = (f"{at.fr[0].upper()}{at.fr[1:]} : {new} constat(s) {what.fr} "
          f"{'nouveau(x) ' if known else ''}pour un maximum de {limit}").replace("  ", " ")
    en = (f"{at.en[0].upper()}{at.en[1:]}: {new} {'new ' if known else ''}{what.en} "
          f"finding(s), at most {limit} allowed").replace("  ", " ")
    if known:
        fr += f" ; {known} déjà connu(s) de la base de référence, non compté(s)"
        en += f"; {known} known to the baseline, not counted"
    return T(fr + ".", en + ".")


def _check_max_findings(ctx: _Context, budget: Budget) -> list[BudgetCheck]:
    spec = budget.max_findings
    assert spec is not None
    chosen = [f for f in ctx.scorecard.findings if _finding_selected(spec, f)]
    groups: list[tuple[Where, list[Finding]]] = []
    if budget.scope.is_platform:
        groups.append((Where(), chosen))
    else:
        for journey in _selected(ctx, budget):
            mine = [f for f in chosen if f.journey_id == journey.id]
            where = Where(journey_id=journey.id)
            if budget.scope.is_step:
                mine = [f for f in mine if _finding_in_step(ctx, budget, f)]
                where = Where(journey_id=journey.id, step_index=budget.scope.step_index,
                              checkpoint_name=budget.scope.checkpoint or "")
            groups.append((where, mine))
    what = _filter_text(spec)
    checks = []
    for where, findings in groups:
        new = [f for f in findings if f.id not in ctx.known]
        known = [f.id for f in findings if f.id in ctx.known]
        message = _count_message(where, len(new), len(known), spec.limit, what)
        if len(new) > spec.limit:
            rules = _rule_counts(new)
            message = T(f"{message.fr} Règles : {rules}.", f"{message.en} Rules: {rules}.")
        checks.append(BudgetCheck(
            where=where, actual=len(new), limit=spec.limit, passed=len(new) <= spec.limit,
            known=len(findings) > spec.limit >= len(new), finding_ids=[f.id for f in new],
            known_ids=known, message=message))
    return checks


def _rule_counts(findings: Sequence[Finding], most: int = 6) -> str:
    """``form-control-critical ×9, paste-blocked``: which rules the counted findings come
    from, most frequent first, so a reader knows where to look."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    text = ", ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in ranked[:most])
    if len(ranked) > most:
        text += ", …"
    return text


def _check_rule(ctx: _Context, budget: Budget) -> list[BudgetCheck]:
    rule_id = budget.rule
    assert rule_id is not None
    if budget.scope.is_platform:
        wanted: list[tuple[Where, str]] = [(Where(), "")]
    else:
        wanted = [(Where(journey_id=j.id), j.id) for j in _selected(ctx, budget)]
    # A rule result lists its review items too; only findings are problems to know about.
    finding_ids = {f.id for f in ctx.scorecard.findings}
    checks = []
    for where, journey_id in wanted:
        result = next((r for r in ctx.scorecard.results
                       if r.rule_id == rule_id and r.journey_id == journey_id), None)
        if result is None or result.outcome in ("not_applicable", "needs_review"):
            continue
        passed = result.outcome != "fail"
        problem_ids = [i for i in result.finding_ids if i in finding_ids]
        known_ids = [i for i in problem_ids if i in ctx.known]
        new_ids = [i for i in problem_ids if i not in ctx.known]
        at = where_text(where)
        outcome_fr = {"pass": "respectée", "fail": "non respectée"}.get(result.outcome,
                                                                       result.outcome)
        outcome_en = {"pass": "passes", "fail": "fails"}.get(result.outcome, result.outcome)
        message = T(f"{at.fr[0].upper()}{at.fr[1:]} : règle « {rule_id} » {outcome_fr}.",
                    f"{at.en[0].upper()}{at.en[1:]}: rule “{rule_id}” {outcome_en}.")
        if not passed and known_ids and not new_ids:
            message = T(message.fr + " Ses constats sont tous connus de la base de référence.",
                        message.en + " Its findings are all known to the baseline.")
        checks.append(BudgetCheck(
            where=where, actual=result.outcome, limit="pass", passed=passed,
            known=not passed and bool(known_ids) and not new_ids,
            finding_ids=new_ids, known_ids=known_ids, message=message))
    return checks


def _measure_points(ctx: _Context, budget: Budget, measure: MeasureDef) -> list[MeasurePoint]:
    """The figures a measure budget checks, by its scope and the measure's levels."""
    measures = ctx.measures
    assert measures is not None
    scope = budget.scope
    journeys = ctx.journeys if scope.is_platform else _selected(ctx, budget)
    if scope.is_step or measure.per_page_only:
        assert measure.page is not None
        return [p for j in journeys for p in measure.page(measures, j.id)
                if _in_step(ctx, budget, p.step_index, p.checkpoints)]
    if scope.is_platform and measure.run is not None:
        return [MeasurePoint(value=measure.run(measures))]
    if measure.journey is not None:
        return [MeasurePoint(value=measure.journey(measures, j.id), journey_id=j.id)
                for j in journeys]
    assert measure.run is not None
    return [MeasurePoint(value=measure.run(measures))]


def _check_measure(ctx: _Context, budget: Budget) -> list[BudgetCheck]:
    limit: MeasureLimit | None = budget.max or budget.min
    assert limit is not None
    measure = MEASURES[limit.measure]
    is_max = budget.max is not None
    checks = []
    for point in _measure_points(ctx, budget, measure):
        if point.value is None:
            continue
        where = Where(journey_id=point.journey_id, step_index=point.step_index,
                      checkpoint=point.checkpoint, checkpoint_name=point.name, url=point.url)
        passed = point.value <= limit.value if is_max else point.value >= limit.value
        at = where_text(where)
        actual = _both(point.value, measure.unit)
        bound = _both(limit.value, measure.unit)
        sign_fr, sign_en = ("maximum", "at most") if is_max else ("minimum", "at least")
        message = T(f"{at.fr[0].upper()}{at.fr[1:]} : {measure.title.fr} {actual.fr} "
                    f"({sign_fr} {bound.fr}).",
                    f"{at.en[0].upper()}{at.en[1:]}: {measure.title.en} {actual.en} "
                    f"({sign_en} {bound.en}).")
        checks.append(_with_baseline(ctx, budget, BudgetCheck(
            where=where, actual=point.value, limit=limit.value, passed=passed,
            message=message)))
    return checks


# --------------------------------------------------------------------------- budgets


def _not_applicable_reason(ctx: _Context, budget: Budget) -> Text:
    if budget.kind in ("max", "min") and ctx.measures is None:
        return T("Mesures absentes : ce budget n'a pas pu être vérifié.",
                 "No measures given: this budget could not be checked.")
    if not budget.scope.is_platform and not _selected(ctx, budget):
        return T(f"Aucun parcours de ce passage ne correspond ({budget.scope.describe('fr')}).",
                 f"No journey of this run matches ({budget.scope.describe('en')}).")
    if budget.rule is not None and not any(r.rule_id == budget.rule
                                           for r in ctx.scorecard.results):
        return T(f"La règle « {budget.rule} » n'est pas dans ce tableau de bord (profil "
                 f"{ctx.scorecard.profile}).",
                 f"Rule “{budget.rule}” is not in this scorecard (profile "
                 f"{ctx.scorecard.profile}).")
    return T("Rien à vérifier dans ce périmètre (valeur non mesurée ou sans objet).",
             "Nothing to check in this scope (not measured, or not applicable).")


def _worst(budget: Budget, checks: Sequence[BudgetCheck]) -> BudgetCheck:
    """The check that explains the outcome: a new failure first, then a known one, then the
    closest to its limit."""

    def badness(check: BudgetCheck) -> tuple[int, float]:
        rank = 0 if not check.passed and not check.known else 1 if not check.passed else 2
        value = check.actual
        if isinstance(value, str):
            magnitude = float(GRADES.index(value)) if value in GRADES else 0.0
        else:
            magnitude = float(value or 0)
        if budget.kind == "min":
            magnitude = -magnitude
        return (rank, -magnitude)

    return min(checks, key=badness)


def _unit(budget: Budget) -> str:
    limit = budget.max or budget.min
    if limit is not None:
        return MEASURES[limit.measure].unit
    if budget.kind == "max_findings":
        return "count"
    return ""


def evaluate_budget(ctx: _Context, budget: Budget) -> BudgetResult:
    """One budget's outcome in this context."""
    title = budget.title or default_title(budget)
    limit: float | str
    if budget.min_grade is not None:
        limit = budget.min_grade.grade
    elif budget.max_findings is not None:
        limit = budget.max_findings.limit
    elif budget.rule is not None:
        limit = "pass"
    else:
        measured = budget.max or budget.min
        assert measured is not None
        limit = measured.value
    scope = T(budget.scope.describe("fr"), budget.scope.describe("en"))
    bound = budget.max or budget.min
    if bound is not None and (MEASURES[bound.measure].per_page_only or budget.scope.is_step):
        # Checked page by page: say so, or "the platform: 2.7 MB" reads as a total.
        scope = T(f"{scope.fr}, chaque page", f"{scope.en}, each page")
    base = {"id": budget.id, "title": title, "level": budget.level, "kind": budget.kind,
            "scope": scope, "limit": limit, "unit": _unit(budget), "why": budget.why}
    if budget.level == "off":
        return BudgetResult(**base, outcome="off",
                            message=T("Budget désactivé (off).", "Budget turned off."))
    checks: list[BudgetCheck]
    if budget.kind == "min_grade":
        checks = _check_min_grade(ctx, budget)
    elif budget.kind == "max_findings":
        checks = _check_max_findings(ctx, budget)
    elif budget.kind == "rule":
        checks = _check_rule(ctx, budget)
    elif ctx.measures is None:
        checks = []
    else:
        checks = _check_measure(ctx, budget)
    if not checks:
        return BudgetResult(**base, outcome="not_applicable",
                            message=_not_applicable_reason(ctx, budget))
    broken = [c for c in checks if not c.passed and not c.known]
    outcome: BudgetOutcome
    if broken:
        outcome = "fail" if budget.level == "error" else "warn"
    elif any(c.known for c in checks):
        outcome = "known"
    else:
        outcome = "pass"
    worst = _worst(budget, checks)
    message = worst.message
    if len(broken) > 1:
        message = T(f"{message.fr} (+{len(broken) - 1} autre(s) endroit(s))",
                    f"{message.en} (+{len(broken) - 1} other place(s))")
    return BudgetResult(**base, outcome=outcome, actual=worst.actual, checks=checks,
                        message=message)


def _known_findings(scorecard: Scorecard, baseline: Baseline | None, today: date
                    ) -> tuple[dict[str, KnownFinding], list[BaselineRef], list[BaselineRef]]:
    """Findings the baseline accepts, expired entries that matched, and stale entries."""
    if baseline is None:
        return {}, [], []
    findings = list(scorecard.findings)
    entries = list(baseline.findings)
    pairs = match_signatures([signature_of(f) for f in findings],
                             [e.signature() for e in entries])
    known: dict[str, KnownFinding] = {}
    expired: list[BaselineRef] = []
    for index, (entry_index, fuzzy) in sorted(pairs.items()):
        finding, entry = findings[index], entries[entry_index]
        if entry.expired(today):
            expired.append(BaselineRef(kind="finding", key=entry.fingerprint,
                                       rule_id=entry.rule_id, journey_id=entry.journey_id,
                                       reason=entry.reason, expires=entry.expires,
                                       finding_id=finding.id))
            continue
        known[finding.id] = KnownFinding(finding_id=finding.id, rule_id=finding.rule_id,
                                         journey_id=finding.journey_id,
                                         fingerprint=entry.fingerprint, fuzzy=fuzzy,
                                         reason=entry.reason, expires=entry.expires)
    matched = {entry_index for entry_index, _ in pairs.values()}
    stale = [BaselineRef(kind="finding", key=e.fingerprint, rule_id=e.rule_id,
                         journey_id=e.journey_id, reason=e.reason, expires=e.expires)
             for i, e in enumerate(entries) if i not in matched]
    return known, expired, stale


def _broken_journeys(scorecard: Scorecard, run: Run | None) -> list[str]:
    if run is not None:
        return [j.id for j in run.journeys if j.status != "completed"]
    return [c.journey_id for c in scorecard.journeys if c.status not in ("completed", "")]


def evaluate_policy(policy: Policy, scorecard: Scorecard, measures: Measures | None = None,
                    run: Run | None = None, baseline: Baseline | None = None,
                    today: date | None = None) -> PolicyResult:
    """Check every budget of ``policy`` against one run's scorecard (and measures, run).

    ``measures`` and ``run`` may be ``None`` (a saved scorecard alone): measure budgets are
    then not applicable, journey kinds come from the journeys' names. ``today`` (default: the
    real date) decides which baseline entries have expired.
    """
    day = today or date.today()
    known, expired, stale = _known_findings(scorecard, baseline, day)
    names = {c.index: c.name for c in run.checkpoints()} if run is not None else {}
    ctx = _Context(scorecard=scorecard, measures=measures, run=run,
                   journeys=_journeys(scorecard, measures, run), checkpoint_names=names,
                   known=known, baseline=baseline, today=day,
                   tolerance=policy.baseline_tolerance, expired_breaches=[])
    budgets = [evaluate_budget(ctx, b) for b in policy.budgets]
    if baseline is not None:
        used = {(b.id, c.where.key()) for b in budgets for c in b.checks if not c.passed}
        stale += [BaselineRef(kind="budget", key=f"{b.budget_id} @ {b.where}",
                              reason=b.reason, expires=b.expires)
                  for b in baseline.breaches if (b.budget_id, b.where) not in used]
    expired += list({r.key: r for r in ctx.expired_breaches}.values())
    failed = any(b.outcome == "fail" for b in budgets)
    broken = _broken_journeys(scorecard, run)
    outcome: Literal["pass", "warn", "fail"] = (
        "fail" if failed else "warn" if any(b.outcome == "warn" for b in budgets) else "pass")
    problems = [f.id for f in scorecard.findings if f.severity in ("blocking", "major", "minor")]
    return PolicyResult(
        policy_id=policy.id, policy_title=policy.title, sources=policy.sources, today=day,
        baseline_used=baseline is not None, outcome=outcome, failed=failed,
        exit_code=(EXIT_JOURNEY_BROKEN if broken else
                   EXIT_BUDGET_FAILED if failed else EXIT_OK),
        budgets=budgets, new_findings=[i for i in problems if i not in known],
        known_findings=list(known.values()), expired_entries=expired, stale_entries=stale,
        broken_journeys=broken)


__all__ = ["EXIT_BUDGET_FAILED", "EXIT_JOURNEY_BROKEN", "EXIT_OK", "EXIT_USAGE",
           "BaselineRef", "BudgetCheck", "BudgetOutcome", "BudgetResult", "KnownFinding",
           "PolicyResult", "default_title", "evaluate_budget", "evaluate_policy",
           "format_value", "where_text"]
