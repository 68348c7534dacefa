"""SARIF 2.1.0: the scorecard's findings as a static-analysis log, for GitHub code scanning
and any SARIF viewer.

One SARIF ``run`` per audit run. ``tool.driver.rules`` holds one reporting descriptor per rule
that produced a finding (title, who is hindered and why, how to fix, sources, tags such as the
category and the WCAG success criteria), each ``result`` one finding:

- ``level``: blocking and major → ``error``, minor → ``warning``, info → ``note``. Items "for a
  person to check" (``Scorecard.needs_review``) are ``kind: review`` and good points (only with
  ``include_passes``) ``kind: pass``; SARIF §3.27.10 requires ``level: none`` for both;
- ``partialFingerprints`` carries the finding's stable id, so code scanning keeps one alert per
  problem from one run to the next instead of guessing from file contents;
- ``properties`` and ``logicalLocations`` carry the page URL, the CSS selector, the sentence,
  the journey and the step.

Where a result points. The brief was "the page URL as ``artifactLocation.uri``", but GitHub
rejects the whole upload when a location's absolute URI has another scheme than the checkout's
``file://`` (github/codeql-action#754; GitHub's "SARIF support" page: "the upload is
rejected"). So by default (``locations="source"``) a result points at what the team owns and
GitHub can annotate: the journey file and the line of the step that reached the page; for a
list of URLs (no journey file) it points at a relative pseudo-path built from the page address
(``127.0.0.1_8765/inscription``), which GitHub accepts and shows as "not in the repository".
The page URL itself is always in the message, the location message and the properties.
``locations="page"`` gives the brief's shape (the page URL as the artifact, the element or
sentence as the region snippet) for viewers that are not GitHub.

Pure: ``Scorecard`` (and optionally the ``Run`` for the journey file and step lines) → text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import quote, unquote, urlsplit

from auditor import __version__
from auditor.models import Run
from auditor.reporters.i18n import Messages, resolve_lang
from auditor.reporters.markdown_text import md_escape, md_link_target
from auditor.scoring.scorecard import Finding, Place, Reference, Scorecard

JsonObject = dict[str, Any]
ResultKind = Literal["fail", "pass", "review"]
LocationStyle = Literal["source", "page"]

SARIF_VERSION = "2.1.0"
#: The OASIS-published schema (errata 01); tests validate against the vendored copy.
SARIF_SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                    "sarif-schema-2.1.0.json")
TOOL_NAME = "participation-auditor"
INFORMATION_URI = "https://github.com/participation-auditor/participation-auditor"
AXE_URI = "https://github.com/dequelabs/axe-core"
#: Versioned key: if the id recipe ever changes, a new key keeps old alerts from matching.
FINGERPRINT_KEY = "participationAuditorFindingId/v1"
#: GitHub takes everything before the last "/" of automationDetails.id as the analysis
#: category: it must stay the same from run to run for alerts to be matched and closed.
AUTOMATION_PREFIX = "participation-auditor"
#: GitHub shows at most 10 locations per result; the other places stay in scorecard.json.
MAX_RELATED_LOCATIONS = 9

_LEVEL_RANK = {"none": 0, "note": 1, "warning": 2, "error": 3}
#: References worth a tag (``wcag-3.3.8``, ``rgaa-11.1``): success criteria and criteria only,
#: not "WCAG 2.2" (the standard's version) or "RGAA processus".
_CRITERION = {"WCAG": re.compile(r"\d+\.\d+\.\d+"), "RGAA": re.compile(r"\d+\.\d+"),
              "RGESN": re.compile(r"\d+\.\d+")}


def render_sarif(scorecard: Scorecard, run: Run | None = None, lang: str | None = None, *,
                 include_passes: bool = False, locations: LocationStyle = "source") -> str:
    """The scorecard as a SARIF 2.1.0 log (JSON text ending with a newline).

    ``run`` gives the journey file and the line of each step (result locations) and the run's
    errors (invocation notifications); without it results point at page pseudo-paths.
    ``lang`` picks the language of the texts (default: the scorecard's).
    ``include_passes`` adds good points as ``kind: pass`` results; they are left out by
    default because code scanning would list them among the alerts.
    """
    t = Messages(resolve_lang(scorecard, lang))
    builder = _LogBuilder(scorecard, run, t, locations)
    entries: list[tuple[Finding, ResultKind]] = []
    for finding in scorecard.findings:
        if finding.severity == "positive" and not finding.blocking:
            if include_passes:
                entries.append((finding, "pass"))
        else:
            entries.append((finding, "fail"))
    entries.extend((finding, "review") for finding in scorecard.needs_review)
    log = builder.log(entries)
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def finding_level(finding: Finding) -> str:
    """SARIF level of a problem: blocking and major → error, minor → warning, else note."""
    if finding.blocking or finding.severity in ("blocking", "major"):
        return "error"
    return "warning" if finding.severity == "minor" else "note"


class _LogBuilder:
    """Holds what every result needs (language, journey file, step lines) while building."""

    def __init__(self, scorecard: Scorecard, run: Run | None, t: Messages,
                 style: LocationStyle) -> None:
        self.scorecard = scorecard
        self.run = run
        self.t = t
        self.style = style
        self.source_uri = _source_uri(run.target.config_path) if run else None
        self.step_lines: dict[tuple[str, int], int] = {}
        self.journey_titles = {j.journey_id: j.title or j.journey_id
                               for j in scorecard.journeys}
        if run is not None:
            for journey in run.journeys:
                self.journey_titles.setdefault(journey.id, journey.title or journey.id)
                for step in journey.steps:
                    if step.line:
                        self.step_lines[(journey.id, step.index)] = step.line
        self.headlines = {c.id: c.headline for c in scorecard.categories}

    # ------------------------------------------------------------------ the log

    def log(self, entries: list[tuple[Finding, ResultKind]]) -> JsonObject:
        rule_ids = sorted({finding.rule_id for finding, _ in entries})
        rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
        rules = [self.rule(rule_id, [(f, k) for f, k in entries if f.rule_id == rule_id])
                 for rule_id in rule_ids]
        info = self.scorecard.run
        driver: JsonObject = {
            "name": TOOL_NAME,
            "version": info.tool_version or __version__,
            "informationUri": INFORMATION_URI,
            "language": self.t.lang,
            "rules": rules,
        }
        tool: JsonObject = {"driver": driver}
        if info.axe_version:
            # axe-core is the engine behind the accessibility findings: cite its version.
            tool["extensions"] = [{"name": "axe-core", "version": info.axe_version,
                                   "informationUri": AXE_URI}]
        run: JsonObject = {
            "tool": tool,
            "invocations": [self.invocation()],
            "automationDetails": {"id": self.automation_id()},
            "language": self.t.lang,
            "columnKind": "unicodeCodePoints",
            "results": [self.result(f, kind, rule_index[f.rule_id]) for f, kind in entries],
            "properties": self.run_properties(),
        }
        return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}

    def run_properties(self) -> JsonObject:
        info = self.scorecard.run
        properties: JsonObject = {
            "target": info.target_name,
            "baseUrl": info.base_url,
            "profile": self.scorecard.profile,
            "mode": info.mode,
            "persona": info.persona,
            "viewport": info.viewport,
            "browser": info.browser_version,
            "scorecardSchemaVersion": self.scorecard.schema_version,
            "grades": {g.headline: g.grade for g in self.scorecard.grades},
        }
        return {key: value for key, value in properties.items() if value not in ("", None)}

    def automation_id(self) -> str:
        info = self.scorecard.run
        target = _slug(info.target_name) or _slug(urlsplit(info.base_url).hostname or "")
        instance = _utc(info.started_at) or "run"
        return f"{AUTOMATION_PREFIX}/{target or 'target'}/{instance}"

    def invocation(self) -> JsonObject:
        """Did the audit itself go through? A journey that broke means it did not."""
        notifications: list[JsonObject] = []
        started = self.scorecard.run.started_at
        finished = ""
        if self.run is not None:
            started = self.run.started_at or started
            finished = self.run.finished_at
            for journey in self.run.journeys:
                if journey.status != "failed":
                    continue
                place = Place(journey_id=journey.id, step_index=journey.failed_step)
                notifications.append({
                    "level": "error",
                    "message": {"text": self.journey_failure(journey.id, journey.error)},
                    "locations": [{"physicalLocation": self.source_physical(place)}]})
            notifications.extend({"level": "error", "message": {"text": error}}
                                 for error in self.run.errors)
            ok = all(j.status == "completed" for j in self.run.journeys) and not self.run.errors
        else:
            ok = all(j.status == "completed" for j in self.scorecard.journeys)
            notifications.extend(
                {"level": "error", "message": {"text": self.journey_failure(j.journey_id)}}
                for j in self.scorecard.journeys if j.status == "failed")
        invocation: JsonObject = {"executionSuccessful": ok}
        if _utc(started):
            invocation["startTimeUtc"] = _utc(started)
        if _utc(finished):
            invocation["endTimeUtc"] = _utc(finished)
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        return invocation

    def journey_failure(self, journey_id: str, error: str = "") -> str:
        """'Vote – stopped: step 2 (click …): timeout' for the invocation's notifications."""
        text = (f"{self.journey_titles.get(journey_id, journey_id)} – "
                f"{self.t.label('status', 'failed')}")
        return f"{text}{self.t('report.colon')} {error}" if error else text

    # ------------------------------------------------------------------ rules

    def rule(self, rule_id: str, entries: list[tuple[Finding, ResultKind]]) -> JsonObject:
        """One reporting descriptor from the findings of one rule (they share its texts)."""
        findings = [f for f, _ in entries]
        first = findings[0]
        t = self.t
        title = t.pick(first.title)
        why = next((t.pick(f.why) for f in findings if f.why is not None), "")
        fix = t.pick(first.fix)
        references = _unique_references(r for f in findings for r in f.references)
        levels = [finding_level(f) if kind == "fail" else "note" for f, kind in entries]
        descriptor: JsonObject = {
            "id": rule_id,
            "shortDescription": {"text": title or rule_id},
            "fullDescription": {"text": why or title or rule_id},
            "help": {"text": self.help_text(fix, why, references),
                     "markdown": self.help_markdown(fix, why, references)},
            "defaultConfiguration": {"level": max(levels, key=_LEVEL_RANK.__getitem__)},
        }
        help_uri = next((r.url for r in references if _is_web(r.url)), "")
        if help_uri:
            descriptor["helpUri"] = _as_uri(help_uri)
        headline = self.headline(first)
        tags = [first.category, headline]
        if any(f.blocking for f in findings):
            tags.append("blocking")
        tags.extend(_criterion_tags(references))
        descriptor["properties"] = {"tags": _distinct(tags), "category": first.category,
                                    "headline": headline,
                                    "blocking": any(f.blocking for f in findings)}
        return descriptor

    def headline(self, finding: Finding) -> str:
        return self.headlines.get(finding.category,
                                  "frugality" if finding.category == "frugality" else "inclusion")

    def help_text(self, fix: str, why: str, references: list[Reference]) -> str:
        t = self.t
        colon = t("report.colon")
        lines = [f"{t('finding.fix')}{colon} {fix}"] if fix else []
        if why:
            lines.append(f"{t('finding.why')}{colon} {why}")
        if references:
            cited = "; ".join(_reference_label(r) + (f" <{r.url}>" if _is_web(r.url) else "")
                              for r in references)
            lines.append(f"{t('finding.sources')}{colon} {cited}")
        return "\n".join(lines) or self.t("report.none")

    def help_markdown(self, fix: str, why: str, references: list[Reference]) -> str:
        """Markdown for the alert page. Rule texts are ours, but axe-derived ones quote page
        markup (``<label for>``): escaped like every other text, never trusted as Markdown."""
        t = self.t
        colon = t("report.colon")
        blocks = []
        if fix:
            blocks.append(f"**{t('finding.fix')}**{colon} {md_escape(fix, 2000)}")
        if why:
            blocks.append(f"**{t('finding.why')}**{colon} {md_escape(why, 2000)}")
        if references:
            items = []
            for reference in references:
                label = md_escape(_reference_label(reference), 300)
                items.append(f"- [{label}]({md_link_target(reference.url)})"
                             if _is_web(reference.url) else f"- {label}")
            blocks.append(f"**{t('finding.sources')}**\n\n" + "\n".join(items))
        return "\n\n".join(blocks) or md_escape(t("report.none"))

    # ------------------------------------------------------------------ results

    def result(self, finding: Finding, kind: ResultKind, rule_index: int) -> JsonObject:
        places = finding.places or [Place(journey_id=finding.journey_id)]
        locations = [self.location(place, finding) for place in places]
        where = self.where(places[0], finding)
        text = self.t.pick(finding.message) or self.t.pick(finding.title)
        result: JsonObject = {
            "ruleId": finding.rule_id,
            "ruleIndex": rule_index,
            "kind": kind,
            # SARIF §3.27.10: any kind other than "fail" SHALL have level "none".
            "level": finding_level(finding) if kind == "fail" else "none",
            "message": {"text": f"{text} ({where})" if where else text},
            "locations": locations[:1],
            "partialFingerprints": {FINGERPRINT_KEY: finding.id},
        }
        related = locations[1:1 + MAX_RELATED_LOCATIONS]
        if related:
            result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(related, 1)]
        properties: JsonObject = {
            "findingId": finding.id,
            "severity": finding.severity,
            "blocking": finding.blocking,
            "category": finding.category,
            "headline": self.headline(finding),
        }
        if finding.journey_id:
            properties["journey"] = finding.journey_id
        if finding.evidence:
            properties["evidence"] = finding.evidence
        if len(places) > 1:
            properties["placeCount"] = len(places)
        tags = _criterion_tags(finding.references)
        if tags:
            properties["tags"] = tags
        result["properties"] = properties
        return result

    def location(self, place: Place, finding: Finding) -> JsonObject:
        journey_id = place.journey_id or finding.journey_id
        if self.style == "page" and _is_web(place.url):
            physical: JsonObject = {"artifactLocation": {"uri": _as_uri(place.url)}}
            snippet = place.text or place.selector
            if snippet:
                physical["region"] = {"snippet": {"text": snippet}}
        else:
            physical = self.source_physical(place, journey_id)
        location: JsonObject = {"physicalLocation": physical}
        if place.selector:
            location["logicalLocations"] = [{"name": place.selector, "kind": "element"}]
        elif place.text:
            location["logicalLocations"] = [{"name": _shorten(place.text, 200), "kind": "text"}]
        where = self.where(place, finding)
        if where:
            location["message"] = {"text": where}
        properties: JsonObject = {
            "pageUrl": place.url,
            "selector": place.selector,
            "text": place.text,
            "journey": journey_id,
            "step": place.step_index,
            "checkpoint": place.checkpoint,
            "screenshot": place.screenshot,
        }
        properties = {k: v for k, v in properties.items() if v not in ("", None)}
        if properties:
            location["properties"] = properties
        return location

    def source_physical(self, place: Place, journey_id: str = "") -> JsonObject:
        """The journey file at the step's line, else a pseudo-path of the page (see module)."""
        journey_id = place.journey_id or journey_id
        if self.source_uri is not None:
            physical: JsonObject = {"artifactLocation": {"uri": self.source_uri}}
            line = (self.step_lines.get((journey_id, place.step_index))
                    if place.step_index is not None else None)
            if line:
                physical["region"] = {"startLine": line}
            return physical
        uri = (_page_path(place.url) or _page_path(self.scorecard.run.base_url)
               or "participation-audit")
        return {"artifactLocation": {"uri": uri}}

    def where(self, place: Place, finding: Finding) -> str:
        """'Sign-up, Step 2 · Page: URL · Element: selector', in the report language."""
        t = self.t
        colon = t("report.colon")
        journey_id = place.journey_id or finding.journey_id
        parts = []
        journey = self.journey_titles.get(journey_id, journey_id) if journey_id else ""
        if place.step_index is not None:
            step = (t("step.start") if place.step_index < 0
                    else t("step.number", number=place.step_index + 1))
            journey = f"{journey}, {step}" if journey else step
        if journey:
            parts.append(journey)
        if place.url:
            parts.append(f"{t('finding.page')}{colon} {place.url}")
        if place.selector:
            parts.append(f"{t('finding.element')}{colon} {place.selector}")
        elif place.text:
            parts.append(f"{t('finding.sentence')}{colon} {_shorten(place.text, 200)}")
        return " · ".join(parts)


# ---------------------------------------------------------------------- helpers


def _source_uri(config_path: str) -> str | None:
    """The journey file as a URI reference: relative paths stay relative (GitHub reads them
    from the repository root), absolute ones become ``file://`` URIs (GitHub makes them
    relative to the checkout)."""
    if not config_path:
        return None
    path = PurePosixPath(config_path.replace("\\", "/"))
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _page_path(url: str) -> str | None:
    """``http://127.0.0.1:8765/inscription?e=2`` → ``127.0.0.1_8765/inscription``: a relative
    path (no scheme, no colon in the first segment) that code scanning accepts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname + (f"_{port}" if port else "")
    return quote(unquote(host + (parts.path or "/")), safe="/")


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def _as_uri(url: str) -> str:
    """Spaces and non-ASCII characters percent-encoded, so the text is a valid RFC 3986 URI."""
    return quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~")


def _utc(iso: str) -> str:
    """An ISO 8601 time as SARIF wants it (UTC, ``Z``); '' when there is none to convert."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slug(text: str) -> str:
    """'Démo — variante inclusive' → 'demo-variante-inclusive' (stable analysis category)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _reference_label(reference: Reference) -> str:
    label = f"{reference.kind} {reference.ref}".strip()
    return f"{label} – {reference.title}" if reference.title else label


def _criterion_tags(references: Iterable[Reference]) -> list[str]:
    """``WCAG 3.3.8`` → ``wcag-3.3.8``: filterable in code scanning (no spaces)."""
    tags = []
    for reference in references:
        pattern = _CRITERION.get(reference.kind.strip().upper())
        if pattern is not None and pattern.fullmatch(reference.ref.strip()):
            tags.append(f"{reference.kind.strip().lower()}-{reference.ref.strip()}")
    return _distinct(tags)


def _unique_references(references: Iterable[Reference]) -> list[Reference]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for reference in references:
        key = (reference.kind, reference.ref)
        if key not in seen:
            seen.add(key)
            unique.append(reference)
    return unique


def _distinct(values: Iterable[str]) -> list[str]:
    """Tags in first-seen order without repeats (SARIF property-bag tags are a set)."""
    return list(dict.fromkeys(v for v in values if v))
