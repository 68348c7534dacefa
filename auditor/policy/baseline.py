"""The baseline: problems a team already knows about, so CI fails only on new ones.

A team adopting the tool on a live platform cannot fix 120 findings before its next pull
request. ``auditor baseline`` writes what the platform has today into a file the team commits;
from then on, findings that match an entry and budgets no worse than the accepted value are
reported as *known* and do not fail the build. Every entry carries a ``reason`` and an
optional ``expires`` date: past that date the entry stops suppressing, so "we will fix it
later" cannot last forever (the allowlists of Lullabot/playwright-drupal #105 with
``willBeFixedIn``, lighthouse-ci #216 asking to fail only on regression).

**Fuzzy matching.** IBM's checker matches xpath + rule exactly, so any DOM change makes every
known issue new again. Here a finding matches an entry when it has the same rule, the same
journey and the same page (URL path template, ids replaced), and either

- the same fingerprint (``Finding.id``), or
- a similar target: selectors compared after dropping ``:nth-child()`` / ``:nth-of-type()``
  indices and ids or classes made of generated names (``#field-12``, ``.css-1x2y3z``), with a
  ``difflib`` ratio ≥ 0.8, or
- a similar text (the sentence, label or snippet), ratio ≥ 0.85.

Matching is one to one: the best pairs first, so a second instance of a known problem (the
same defect on a new field) is new, not known. :mod:`auditor.policy.compare` uses the same
matching between two scorecards.

**Accepted budget breaches.** Findings are not the only thing a baseline must accept: an
existing platform may already be graded E, or weigh 1.2 MB per page. ``make_baseline`` given a
policy result records each broken budget check (grade, measure) with its value; evaluation
then reports that check as known while the value is no worse than the accepted one (within
the policy's ``baseline_tolerance`` for measures), and fails as soon as it gets worse.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import Field, ValidationError

from auditor.policy.loader import PolicyError, read_yaml, validation_lines
from auditor.policy.model import PROBLEM_SEVERITIES, Strict
from auditor.scoring.engine import GRADES
from auditor.scoring.indicators import path_template
from auditor.scoring.scorecard import Finding, Scorecard, Severity

if TYPE_CHECKING:
    from auditor.policy.evaluate import PolicyResult

BASELINE_VERSION: Literal[1] = 1
TARGET_RATIO = 0.8
TEXT_RATIO = 0.85
_EXCERPT = 200

_NTH = re.compile(r":nth-(?:last-)?(?:child|of-type)\([^)]*\)")
# An id or class token made by a build tool or a counter: it holds a digit (#field-12,
# .css-1x2y3z) or a CSS-in-JS prefix (.sc-aXZVg, .emotion-abc).
_TOKEN = re.compile(r"([#.])(-?[A-Za-z_][\w-]*)")
_GENERATED_PREFIX = re.compile(r"^(?:css|sc|jsx|svelte|emotion|chakra|mui|tw)-", re.IGNORECASE)


# --------------------------------------------------------------------------- matching


def normalise_selector(selector: str) -> str:
    """A selector without what changes when the page changes a little: positional indices and
    generated ids or classes. ``div.css-1x2y3z > li:nth-child(3) #f-12`` → ``div > li``."""

    def keep(match: re.Match[str]) -> str:
        name = match.group(2)
        if any(ch.isdigit() for ch in name) or _GENERATED_PREFIX.match(name):
            return ""
        return match.group(0)

    text = _NTH.sub("", selector)
    text = _TOKEN.sub(keep, text)
    text = re.sub(r"\s*([>+~])\s*", r" \1 ", text)
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """Lower case, whitespace collapsed: the same sentence re-wrapped is the same sentence."""
    return " ".join(text.lower().split())


def ratio(a: str, b: str) -> float:
    """``difflib`` similarity of two strings, 0 to 1."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Signature:
    """What identifies a finding across runs: rule, journey, page template, target, text."""

    fingerprint: str
    rule_id: str
    journey_id: str
    url_template: str
    target: str
    text: str


def signature_of(finding: Finding) -> Signature:
    """The signature of a finding: its first place stands for it (grouped findings list the
    same element or sentence first from one run to the next)."""
    place = next(iter(finding.places), None)
    url = place.url if place else ""
    target = place.selector if place else ""
    text = place.text if place and place.text else ("" if place else finding.evidence)
    return Signature(fingerprint=finding.id, rule_id=finding.rule_id,
                     journey_id=finding.journey_id,
                     url_template=path_template(url) if url else "",
                     target=target, text=" ".join(text.split())[:_EXCERPT])


def similarity(a: Signature, b: Signature) -> float | None:
    """How well two signatures match (1.0 for the same fingerprint), or None if they cannot
    be the same problem."""
    if a.fingerprint == b.fingerprint:
        return 1.0
    if (a.rule_id, a.journey_id, a.url_template) != (b.rule_id, b.journey_id, b.url_template):
        return None
    best: float | None = None
    target_a, target_b = normalise_selector(a.target), normalise_selector(b.target)
    if target_a and target_b:
        score = ratio(target_a, target_b)
        if score >= TARGET_RATIO:
            best = score
    text_a, text_b = normalise_text(a.text), normalise_text(b.text)
    if text_a and text_b:
        score = ratio(text_a, text_b)
        if score >= TEXT_RATIO:
            best = max(best or 0.0, score)
    return best


def match_signatures(current: Sequence[Signature], known: Sequence[Signature]
                     ) -> dict[int, tuple[int, bool]]:
    """One-to-one matching: ``{current index: (known index, fuzzy)}``.

    Same fingerprints pair first; then the remaining pairs by decreasing similarity, each
    side used once, so the closest entry wins and a second instance stays new."""
    pairs: dict[int, tuple[int, bool]] = {}
    used: set[int] = set()
    by_fingerprint: dict[str, list[int]] = {}
    for index, sig in enumerate(known):
        by_fingerprint.setdefault(sig.fingerprint, []).append(index)
    for index, sig in enumerate(current):
        for candidate in by_fingerprint.get(sig.fingerprint, []):
            if candidate not in used:
                pairs[index] = (candidate, False)
                used.add(candidate)
                break
    # Fuzzy candidates share rule, journey and page: compare only within those groups, so a
    # baseline of a thousand entries stays quick.
    groups: dict[tuple[str, str, str], list[int]] = {}
    for candidate, other in enumerate(known):
        if candidate not in used:
            groups.setdefault((other.rule_id, other.journey_id, other.url_template),
                              []).append(candidate)
    scored: list[tuple[float, int, int]] = []
    for index, sig in enumerate(current):
        if index in pairs:
            continue
        for candidate in groups.get((sig.rule_id, sig.journey_id, sig.url_template), []):
            score = similarity(sig, known[candidate])
            if score is not None:
                scored.append((score, index, candidate))
    for _score, index, candidate in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index in pairs or candidate in used:
            continue
        pairs[index] = (candidate, True)
        used.add(candidate)
    return pairs


# --------------------------------------------------------------------------- the file


class BaselineFinding(Strict):
    """A known finding: its signature, why it is accepted and until when."""

    fingerprint: str = Field(description="Finding.id when the entry was written.")
    rule_id: str
    journey_id: str = ""
    url_template: str = Field("", description="Page path with ids replaced, no host.")
    target: str = Field("", description="Selector of the element, as found.")
    text: str = Field("", description="Sentence, label or snippet (excerpt).")
    severity: Severity | None = None
    title: str = Field("", description="The finding's title, for people reading the file.")
    reason: str = Field(description="Why it is accepted for now.")
    expires: date | None = Field(None, description="Last day the entry suppresses the "
                                 "finding; from the next day the finding fails again.")
    added: date

    def signature(self) -> Signature:
        """The entry as a signature for matching."""
        return Signature(fingerprint=self.fingerprint, rule_id=self.rule_id,
                         journey_id=self.journey_id, url_template=self.url_template,
                         target=self.target, text=self.text)

    def expired(self, today: date) -> bool:
        """Past its expiry date."""
        return self.expires is not None and self.expires < today


class BaselineBreach(Strict):
    """A broken budget check accepted as it is: fails again if the value gets worse."""

    budget_id: str
    where: str = Field(description="'platform', 'journey:<id>' or 'journey:<id> page:<path>'.")
    accepted: int | float | str = Field(description="The value accepted (a grade letter or "
                                        "a number).")
    limit: int | float | str | None = None
    reason: str
    expires: date | None = None
    added: date

    def expired(self, today: date) -> bool:
        """Past its expiry date."""
        return self.expires is not None and self.expires < today


class Baseline(Strict):
    """A baseline file: known findings and accepted budget breaches."""

    version: Literal[1] = BASELINE_VERSION
    target: str = Field("", description="What was audited (informative).")
    created: date
    updated: date
    findings: list[BaselineFinding] = Field(default_factory=list)
    breaches: list[BaselineBreach] = Field(default_factory=list)

    def breach(self, budget_id: str, where: str) -> BaselineBreach | None:
        """The accepted breach of a budget at a place."""
        return next((b for b in self.breaches if b.budget_id == budget_id and b.where == where),
                    None)


HEADER = """\
# participation-auditor baseline: known findings and accepted budget breaches.
# Made by `auditor baseline`; commit it and review its changes like code.
# A finding matching an entry (same rule, journey and page; same fingerprint or a similar
# element or text) is reported as known and does not fail the policy. A breach entry accepts a
# broken budget while its value gets no worse. `expires` is the last day an entry counts.
# Give each entry a real `reason`. See auditor/policy/README.md.
"""


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; :class:`PolicyError` with ``file:line`` lines on bad input."""
    file = Path(path)
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError([f"{source}: no such baseline file (make one with `auditor "
                           "baseline`)"]) from None
    except (IsADirectoryError, UnicodeDecodeError) as exc:
        raise PolicyError([f"{source}:1: cannot read the baseline ({exc})"]) from None
    return parse_baseline(text, source)


def parse_baseline(text: str, source: str = "<baseline>") -> Baseline:
    """A baseline from YAML text."""
    root, raw = read_yaml(text, source)
    if not isinstance(raw, dict):
        raise PolicyError([f"{source}:1: a baseline file is a mapping (version, created, "
                           "updated, findings, breaches)"])
    try:
        return Baseline.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(validation_lines(exc, root, source, Baseline)) from None


class _PlainDumper(yaml.SafeDumper):
    """No ``&id001`` anchors: the same date object on many entries is written out each time."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_baseline(baseline: Baseline) -> str:
    """The YAML text of a baseline: header comment, entries in a stable order, so the diff of
    a pull request shows only what changed."""
    # mode "python" keeps dates as dates, so YAML writes them unquoted (2026-06-30).
    data = baseline.model_dump(mode="python", exclude_none=True)
    body = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     width=100)
    return HEADER + body


def save_baseline(baseline: Baseline | BaselineUpdate, path: str | Path) -> Path:
    """Write the baseline (or the baseline of an update) to ``path``; returns the path."""
    if isinstance(baseline, BaselineUpdate):
        baseline = baseline.baseline
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(file.name + ".tmp")
    temporary.write_text(dump_baseline(baseline), encoding="utf-8")
    temporary.replace(file)
    return file


# --------------------------------------------------------------------------- making one


@dataclass
class BaselineUpdate:
    """A new baseline and what changed against the previous one."""

    baseline: Baseline
    added: list[BaselineFinding] = field(default_factory=list)
    kept: list[BaselineFinding] = field(default_factory=list)
    removed: list[BaselineFinding] = field(default_factory=list)
    breaches_added: list[BaselineBreach] = field(default_factory=list)
    breaches_kept: list[BaselineBreach] = field(default_factory=list)
    breaches_removed: list[BaselineBreach] = field(default_factory=list)


def problem_findings(scorecard: Scorecard) -> list[Finding]:
    """Findings a baseline or a comparison is about: blocking, major, minor (info notes and
    good practices are not problems to accept)."""
    return [f for f in scorecard.findings if f.severity in PROBLEM_SEVERITIES]


def _entry(finding: Finding, lang: str, reason: str, expires: date | None, added: date
           ) -> BaselineFinding:
    sig = signature_of(finding)
    return BaselineFinding(
        fingerprint=sig.fingerprint, rule_id=sig.rule_id, journey_id=sig.journey_id,
        url_template=sig.url_template, target=sig.target, text=sig.text,
        severity=finding.severity, title=finding.title.en if lang == "en" else finding.title.fr,
        reason=reason, expires=expires, added=added)


def _entry_key(entry: BaselineFinding) -> tuple[str, str, str, str]:
    return (entry.journey_id, entry.rule_id, entry.url_template, entry.fingerprint)


def _breaches(result: PolicyResult, reason: str, expires: date | None, today: date
              ) -> list[BaselineBreach]:
    """Broken grade and measure checks of a policy result (findings budgets are covered by
    the finding entries; rule budgets by their findings)."""
    found: dict[tuple[str, str], BaselineBreach] = {}
    for budget in result.budgets:
        if budget.kind not in ("min_grade", "max", "min") or budget.outcome == "off":
            continue
        for check in budget.checks:
            if check.passed or check.actual is None:
                continue
            key = (budget.id, check.where.key())
            previous = found.get(key)
            if previous is not None and not _worse(budget.kind, check.actual,
                                                   previous.accepted):
                continue
            found[key] = BaselineBreach(budget_id=budget.id, where=key[1],
                                        accepted=_plain(check.actual),
                                        limit=_plain(check.limit),
                                        reason=reason, expires=expires, added=today)
    return list(found.values())


def _plain(value: float | str) -> int | float | str:
    """``4`` rather than ``4.0`` in the file: counts read as counts."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _worse(kind: str, value: float | str, than: float | str) -> bool:
    """Is ``value`` worse than ``than`` for this kind of assertion (no tolerance)?"""
    if kind == "min_grade":
        return (isinstance(value, str) and isinstance(than, str) and value in GRADES
                and than in GRADES and GRADES.index(value) > GRADES.index(than))
    if isinstance(value, str) or isinstance(than, str):
        return False
    return value < than if kind == "min" else value > than


def make_baseline(scorecard: Scorecard, reason: str, expires: date | None = None,
                  previous: Baseline | None = None, *, policy_result: PolicyResult | None = None,
                  today: date | None = None) -> BaselineUpdate:
    """The baseline of ``scorecard``: every problem finding, and (given ``policy_result``)
    every broken grade or measure budget.

    With ``previous``, entries still matching keep their reason, expiry and date added (their
    signature is refreshed to today's finding, so matching stays close as the page drifts);
    new findings get ``reason`` and ``expires``; entries matching nothing are dropped and
    listed in ``removed`` (fixed, or gone). Expired entries are kept as they are: renewing one
    is a decision, made by editing its ``expires`` by hand.
    """
    day = today or date.today()
    findings = problem_findings(scorecard)
    old_entries = list(previous.findings) if previous else []
    pairs = match_signatures([signature_of(f) for f in findings],
                             [e.signature() for e in old_entries])
    update = BaselineUpdate(baseline=Baseline(created=day, updated=day))
    entries: list[BaselineFinding] = []
    for index, finding in enumerate(findings):
        if index in pairs:
            old = old_entries[pairs[index][0]]
            entry = _entry(finding, scorecard.lang, old.reason, old.expires, old.added)
            update.kept.append(entry)
        else:
            entry = _entry(finding, scorecard.lang, reason, expires, day)
            update.added.append(entry)
        entries.append(entry)
    matched = {known for known, _fuzzy in pairs.values()}
    update.removed = [e for i, e in enumerate(old_entries) if i not in matched]

    breaches: list[BaselineBreach] = []
    if policy_result is not None:
        for breach in _breaches(policy_result, reason, expires, day):
            old_breach = previous.breach(breach.budget_id, breach.where) if previous else None
            if old_breach is not None:
                breach = breach.model_copy(update={"reason": old_breach.reason,
                                                   "expires": old_breach.expires,
                                                   "added": old_breach.added})
                update.breaches_kept.append(breach)
            else:
                update.breaches_added.append(breach)
            breaches.append(breach)
        if previous is not None:
            current = {(b.budget_id, b.where) for b in breaches}
            update.breaches_removed = [b for b in previous.breaches
                                       if (b.budget_id, b.where) not in current]
    elif previous is not None:
        # No policy result: accepted breaches cannot be re-checked, so they are kept as is.
        breaches = list(previous.breaches)
        update.breaches_kept = list(previous.breaches)

    update.baseline = Baseline(
        target=scorecard.run.target_name or scorecard.run.base_url,
        created=previous.created if previous else day, updated=day,
        findings=sorted(entries, key=_entry_key),
        breaches=sorted(breaches, key=lambda b: (b.budget_id, b.where)))
    return update


def render_baseline_update(update: BaselineUpdate, lang: str = "en") -> str:
    """What ``auditor baseline`` changed, in a few lines."""
    fr = lang == "fr"

    def entry_line(entry: BaselineFinding) -> str:
        where = entry.journey_id or ("plateforme" if fr else "platform")
        page = f" {entry.url_template}" if entry.url_template else ""
        return f"  - {entry.rule_id} ({where}{page}) {entry.title}".rstrip()

    base = update.baseline
    lines = [
        (f"Base de référence : {len(base.findings)} constat(s) connu(s), "
         f"{len(base.breaches)} dépassement(s) de budget accepté(s).") if fr else
        (f"Baseline: {len(base.findings)} known finding(s), {len(base.breaches)} accepted "
         "budget breach(es)."),
        (f"Ajoutés : {len(update.added)} ; gardés : {len(update.kept)} ; retirés (corrigés) : "
         f"{len(update.removed)}.") if fr else
        (f"Added: {len(update.added)}; kept: {len(update.kept)}; removed (fixed): "
         f"{len(update.removed)}."),
    ]
    if update.removed:
        lines.append("Retirés :" if fr else "Removed:")
        lines += [entry_line(e) for e in update.removed]
    if update.breaches_added or update.breaches_removed:
        lines.append((f"Dépassements ajoutés : {len(update.breaches_added)} ; retirés : "
                      f"{len(update.breaches_removed)}.") if fr else
                     (f"Breaches added: {len(update.breaches_added)}; removed: "
                      f"{len(update.breaches_removed)}."))
        lines += [f"  - {b.budget_id} ({b.where})" for b in update.breaches_removed]
    return "\n".join(lines)


__all__ = ["Baseline", "BaselineBreach", "BaselineFinding", "BaselineUpdate", "Signature",
           "dump_baseline", "load_baseline", "make_baseline", "match_signatures",
           "normalise_selector", "normalise_text", "parse_baseline", "problem_findings",
           "render_baseline_update", "save_baseline", "signature_of", "similarity"]
