"""JUnit XML: the run as test results, for CI test reports (GitLab, Jenkins, Bitbucket, Azure).

Peers were asked for this again and again (pa11y #276, pa11y-ci #241: "Bitbucket needs
JUnit"). The layout follows the common Jenkins/Surefire schema (``junit-10.xsd``, which the
tests validate against), so every CI that reads JUnit reads this:

- one ``testsuite`` per journey, one ``testcase`` per step (plus the start page): a failed
  step is a ``failure`` with the step's error, a step not reached is ``skipped``, ``time`` is
  the step's duration. Test names hold no line number, so a test keeps its history when the
  journey file is edited;
- a ``budgets`` suite when a policy result is given: one test per budget, ``fail`` →
  failure, ``off`` and ``not_applicable`` → skipped, ``warn`` → passed with the warning in
  ``system-out`` (JUnit has no "warning" state, and a warning must not turn a pipeline red),
  ``known`` (broken only where the baseline accepts it) → passed, saying so. Its
  ``properties`` count the outcomes so a CI script can read them (the action's ``fail-on:
  warn`` reads ``warn``);
- a ``findings`` suite: one failed test per blocking finding (named with its stable id), or
  one passing test when there is none, so the suite always exists for CI trend charts.

The policy result is duck-typed: anything with ``budgets``, each having ``id``, ``title``,
``outcome`` (one of :data:`BUDGET_OUTCOMES`) and ``message`` (text or FR/EN ``Text``), as
``auditor.policy``'s ``PolicyResult`` has. Reporters never import the policy engine: the
import direction is policy → reporters' inputs, never the other way.

Pure: ``Scorecard`` + ``Run`` (+ policy result) → text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from auditor.models import JourneyResult, Run, StepResult
from auditor.reporters.i18n import Messages, pick, resolve_lang
from auditor.scoring.scorecard import Finding, Scorecard, Text

#: Characters XML 1.0 forbids even escaped; text from audited pages may hold them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The policy engine's budget outcomes (auditor/policy/evaluate.py ``BudgetOutcome``).
BUDGET_OUTCOMES = ("pass", "warn", "fail", "off", "known", "not_applicable")


@dataclass
class _Case:
    """One testcase before it becomes XML (counts are needed before the suite element)."""

    name: str
    classname: str
    seconds: float | None = None
    failure: tuple[str, str, str] | None = None  # (type, message, body)
    error: tuple[str, str, str] | None = None
    skipped: str | None = None
    output: str = ""


@dataclass
class _Suite:
    name: str
    cases: list[_Case] = field(default_factory=list)
    seconds: float | None = None
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return sum(1 for c in self.cases if c.failure is not None)

    @property
    def errors(self) -> int:
        return sum(1 for c in self.cases if c.error is not None)

    @property
    def skipped(self) -> int:
        return sum(1 for c in self.cases if c.skipped is not None)


def render_junit(scorecard: Scorecard, run: Run, policy_result: object | None = None,
                 lang: str | None = None) -> str:
    """JUnit XML of the run's journeys, the policy's budgets (if given) and blocking findings.

    ``lang`` picks the language of test names and messages (default: the scorecard's); it
    should stay the same from run to run, since CI matches tests by name.
    """
    t = Messages(resolve_lang(scorecard, lang))
    config = run.target.config_path
    suites = [_journey_suite(journey, config, t) for journey in run.journeys]
    if policy_result is not None:
        suites.append(_budget_suite(policy_result, t))
    suites.append(_findings_suite(scorecard.findings, t))
    timestamp = _timestamp(run.started_at or scorecard.run.started_at)
    root = ET.Element("testsuites", {
        "name": f"participation-auditor: {scorecard.run.target_name or run.target.name}",
        "tests": str(sum(len(s.cases) for s in suites)),
        "failures": str(sum(s.failures for s in suites)),
        "errors": str(sum(s.errors for s in suites)),
        "time": _seconds(run.duration_ms / 1000),
    })
    for index, suite in enumerate(suites):
        root.append(_suite_element(suite, index, timestamp))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


# ---------------------------------------------------------------------- journeys


def _journey_suite(journey: JourneyResult, config: str, t: Messages) -> _Suite:
    """The start page, then every recorded step; a journey that never ran is one skip."""
    title = f"{journey.id}: {journey.title}" if journey.title else journey.id
    suite = _Suite(name=title, seconds=journey.duration_ms / 1000,
                   properties={"journey": journey.id, "start_url": journey.start_url,
                               "status": journey.status})
    start = _Case(name=f"{t('step.start')} · goto {journey.start_url}", classname=journey.id)
    if journey.status == "not_run":
        start.skipped = t.label("status", "not_run")
    elif journey.status == "failed" and journey.failed_step is None:
        # The start page itself could not be reached: no step ran.
        start.failure = ("journey-failed", _first_line(journey.error), journey.error)
    suite.cases.append(start)
    for step in journey.steps:
        suite.cases.append(_step_case(journey, step, config, t))
    return suite


def _step_case(journey: JourneyResult, step: StepResult, config: str, t: Messages) -> _Case:
    what = f"{step.kind} {step.target}".strip()
    case = _Case(name=f"{t('step.number', number=step.index + 1)} · {what}",
                 classname=journey.id, seconds=step.duration_ms / 1000)
    where = f"{config}:{step.line}" if config and step.line else (
        f"line {step.line}" if step.line else "")
    if step.outcome == "failed":
        details = [step.error or journey.error]
        if where:
            details.append(where)
        if step.url_before:
            details.append(f"{t('finding.page')}{t('report.colon')} {step.url_before}")
        case.failure = ("step-failed", _first_line(step.error or journey.error),
                        "\n".join(details))
    elif step.outcome == "skipped":
        case.skipped = t.label("step_outcome", "skipped") + (
            f" ({where})" if where else "")
    elif where:
        case.output = where
    return case


# ---------------------------------------------------------------------- budgets


def _budget_suite(policy_result: object, t: Messages) -> _Suite:
    suite = _Suite(name="budgets")
    counts = dict.fromkeys(BUDGET_OUTCOMES, 0)
    budgets: Iterable[Any] = getattr(policy_result, "budgets", None) or []
    for budget in budgets:
        budget_id = str(getattr(budget, "id", "") or "budget")
        title = _text(getattr(budget, "title", ""), t)
        outcome = str(getattr(budget, "outcome", "")).lower()
        message = _text(getattr(budget, "message", ""), t)
        case = _Case(name=f"{budget_id}: {title}" if title else budget_id, classname="budgets")
        if outcome == "fail":
            case.failure = ("budget-failed", _first_line(message) or budget_id, message)
        elif outcome == "warn":
            case.output = f"warn: {message}" if message else "warn"
        elif outcome in ("off", "not_applicable"):
            case.skipped = message or outcome
        elif outcome == "known":
            case.output = f"known: {message}" if message else "known"
        elif outcome == "pass":
            case.output = message
        else:
            # An outcome this reporter does not know is shown, never silently passed.
            case.error = ("unknown-outcome", f"unknown budget outcome {outcome!r}", message)
        if outcome in counts:
            counts[outcome] += 1
        suite.cases.append(case)
    suite.properties = {outcome: str(count) for outcome, count in counts.items()}
    return suite


def _text(value: object, t: Messages) -> str:
    """A budget's title or message: plain text, a FR/EN ``Text`` or anything with fr/en."""
    if isinstance(value, Text):
        return t.pick(value)
    if hasattr(value, "fr") and hasattr(value, "en"):
        return pick(Text(fr=str(value.fr), en=str(value.en)), t.lang)
    return "" if value is None else str(value)


# ---------------------------------------------------------------------- findings


def _findings_suite(findings: list[Finding], t: Messages) -> _Suite:
    suite = _Suite(name="findings")
    for finding in findings:
        if not finding.blocking:
            continue
        title = t.pick(finding.title)
        message = t.pick(finding.message)
        body = [message, f"{t('finding.fix')}{t('report.colon')} {t.pick(finding.fix)}"]
        for place in finding.places[:10]:
            where = " · ".join(p for p in (place.url, place.selector or place.text) if p)
            if where:
                body.append(f"- {where}")
        if finding.references:
            body.append(f"{t('finding.sources')}{t('report.colon')} " + "; ".join(
                f"{r.kind} {r.ref}".strip() for r in finding.references))
        suite.cases.append(_Case(
            name=f"{finding.rule_id}: {title} [{finding.id}]",
            classname=f"findings.{finding.journey_id or 'platform'}",
            failure=("blocking-finding", _first_line(message) or title, "\n".join(body))))
    if not suite.cases:
        suite.cases.append(_Case(name="no blocking finding", classname="findings"))
    return suite


# ---------------------------------------------------------------------- XML


def _suite_element(suite: _Suite, index: int, timestamp: str) -> ET.Element:
    attributes = {
        "name": _clean(suite.name),
        "tests": str(len(suite.cases)),
        "failures": str(suite.failures),
        "errors": str(suite.errors),
        "skipped": str(suite.skipped),
        "id": str(index),
    }
    if suite.seconds is not None:
        attributes["time"] = _seconds(suite.seconds)
    else:
        attributes["time"] = _seconds(sum(c.seconds or 0 for c in suite.cases))
    if timestamp:
        attributes["timestamp"] = timestamp
    element = ET.Element("testsuite", attributes)
    if suite.properties:
        properties = ET.SubElement(element, "properties")
        for name, value in suite.properties.items():
            ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for case in suite.cases:
        testcase = ET.SubElement(element, "testcase", {
            "name": _clean(case.name), "classname": _clean(case.classname)})
        if case.seconds is not None:
            testcase.set("time", _seconds(case.seconds))
        for tag, outcome in (("failure", case.failure), ("error", case.error)):
            if outcome is not None:
                kind, message, text = outcome
                child = ET.SubElement(testcase, tag, {"type": kind, "message": _clean(message)})
                child.text = _clean(text)
        if case.skipped is not None:
            ET.SubElement(testcase, "skipped", {"message": _clean(case.skipped)})
        if case.output:
            ET.SubElement(testcase, "system-out").text = _clean(case.output)
    return element


def _clean(text: str) -> str:
    """Text XML 1.0 can carry: forbidden control characters dropped (escaping is ET's job)."""
    return _XML_INVALID.sub("", text)


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _seconds(value: float) -> str:
    """Seconds with three decimals: Surefire's time pattern allows no more."""
    return f"{max(value, 0):.3f}"


def _timestamp(iso: str) -> str:
    """ISO 8601 in UTC without offset, as JUnit producers write it (``2025-11-26T07:14:00``)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")
