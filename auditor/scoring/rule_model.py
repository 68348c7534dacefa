"""What a rule file and a profile file may contain: the pydantic models behind ``rules/``.

A rule is *policy as data* (architecture.md, "Judge"): it reads one named indicator
(:mod:`auditor.scoring.indicators`), turns its value into a 0–100 score with bands or a
threshold, and says in plain French and English what is wrong, why it matters and how to fix it,
with the sources it rests on. A mediator or an agency can read, cite and tune it without Python.
Model: Lighthouse CI assertions and presets; sqlfluff's one-file-per-rule with its test cases.

Scoring kinds (``scoring.type``):

- ``bands``: the first band whose ``max`` (value ≤ max) or ``min`` (value ≥ min) holds gives the
  score; ``otherwise`` when none holds. For "lower is better" write ``max`` bands in ascending
  order, for "higher is better" ``min`` bands in descending order.
- ``boolean``: the value equal to ``fail_when`` scores ``fail_score``, any other value 100.
- ``value``: the value itself, times ``scale``, clamped to 0–100 (a score the measure already
  computed, such as the §5.4 screen score, or a rate 0–1 with ``scale: 100``).
- ``per_item``: 100 minus ``per_item`` points for each item beyond ``allowed``, floored at
  ``floor``; the count is the number of items, or the value when it is a number.
- ``review``: items are things a person must check by hand; they never pass nor fail and
  weigh nothing ("needs review"), but stay visible.
- ``info``: context that is reported and never scored (heaviest resources, a statement found).

The result passes when its score is at least ``pass_at``. A failing result produces one finding
per item of the indicator (each WCAG issue, each long sentence...), or one finding for the rule.
A ``positive`` rule reports a good practice: findings when it passes, "not applicable" (no
bonus, no penalty) when it does not.

Profiles select rules (``rules`` / ``exclude`` with shell-style patterns) and override a rule's
weight, blocking flag, severity, journeys and scoring thresholds; ``extends`` inherits another
profile. Category weights, journey weights and the blocking cap are profile settings too
(metrics.md §3.4, §6.1).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.scoring.scorecard import CategoryId, Grade, Reference, Text

#: Kebab-case ids (architecture.md "Naming"): ``paste-blocked``, ``sentence-length``.
RULE_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_RULE_ID_RE = re.compile(RULE_ID_PATTERN)

JourneyKind = Literal["signup", "proposal", "vote", "other"]
JOURNEY_KINDS: tuple[JourneyKind, ...] = ("signup", "proposal", "vote", "other")
ScoringType = Literal["bands", "boolean", "value", "per_item", "review", "info"]
FindingSeverity = Literal["major", "minor", "info", "positive"]
Scope = Literal["journey", "run"]
Aggregate = Literal["mean", "min"]

#: Placeholders every message may use; indicators add their own (see ``auditor rules explain``).
COMMON_PLACEHOLDERS: frozenset[str] = frozenset({
    "value", "count", "threshold", "score", "journey", "page", "unit",
})

#: metrics.md §6.1: A ≥ 80, B ≥ 70, C ≥ 55, D ≥ 40, E ≥ 25, F ≥ 10, else G (with ``>=``).
DEFAULT_GRADE_THRESHOLDS: dict[str, float] = {
    "A": 80, "B": 70, "C": 55, "D": 40, "E": 25, "F": 10,
}
#: metrics.md §6.1 category weights of the Inclusion headline (frugality is its own headline).
DEFAULT_CATEGORY_WEIGHTS: dict[str, float] = {
    "accessibility": 30, "signup": 20, "effort": 20, "language": 15, "frugality": 15,
}
#: metrics.md §3.4: sign-up 0.4, proposal 0.3, vote 0.3 when journeys are averaged.
DEFAULT_JOURNEY_WEIGHTS: dict[str, float] = {
    "signup": 0.4, "proposal": 0.3, "vote": 0.3, "other": 0.3,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Band(_Strict):
    """One band: ``max`` (value ≤ max) or ``min`` (value ≥ min) gives ``score``."""

    max: float | None = Field(None, description="The band holds when value <= max.")
    min: float | None = Field(None, description="The band holds when value >= min.")
    score: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if (self.max is None) == (self.min is None):
            raise ValueError("a band has exactly one of 'max' or 'min'")
        return self


class Scoring(_Strict):
    """How an indicator value becomes a 0–100 score (see the module docstring)."""

    type: ScoringType
    bands: list[Band] = Field(default_factory=list)
    otherwise: float = Field(0, ge=0, le=100, description="bands: score when no band holds.")
    fail_when: bool = Field(True, description="boolean: the value that fails.")
    fail_score: float = Field(0, ge=0, le=100, description="boolean: score of a failure.")
    scale: float = Field(1, gt=0, description="value: multiply the value by this.")
    per_item: float = Field(10, ge=0, description="per_item: points lost per item.")
    allowed: int = Field(0, ge=0, description="per_item: items allowed before any loss.")
    floor: float = Field(0, ge=0, le=100, description="per_item: lowest score.")
    pass_at: float = Field(100, ge=0, le=100, description="A score >= pass_at passes.")
    threshold: float | None = Field(None, description="The limit shown as {threshold}; by "
                                    "default derived from the bands, allowed or pass_at.")
    unit: Text | None = Field(None, description="Unit of the value, for {unit} and explain.")

    @model_validator(mode="after")
    def _coherent(self) -> Scoring:
        if self.type == "bands" and not self.bands:
            raise ValueError("scoring type 'bands' needs at least one band")
        if self.type != "bands" and self.bands:
            raise ValueError(f"'bands' is only for scoring type 'bands', not '{self.type}'")
        return self


class ScoringOverride(_Strict):
    """The scoring settings a profile may change (same meaning as in :class:`Scoring`)."""

    bands: list[Band] | None = None
    otherwise: float | None = Field(None, ge=0, le=100)
    fail_when: bool | None = None
    fail_score: float | None = Field(None, ge=0, le=100)
    scale: float | None = Field(None, gt=0)
    per_item: float | None = Field(None, ge=0)
    allowed: int | None = Field(None, ge=0)
    floor: float | None = Field(None, ge=0, le=100)
    pass_at: float | None = Field(None, ge=0, le=100)
    threshold: float | None = None


class Rule(_Strict):
    """One rule file, ``rules/<id>.yml``."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Kebab-case noun; the file name.")
    title: Text = Field(description="Short, plain title.")
    category: CategoryId
    indicator: str = Field(description="The named value the rule reads, e.g. "
                           "'signup.paste_blocked' (`auditor rules list` shows them).")
    scope: Scope = Field("journey", description="journey: judged for each journey, the "
                         "platform result aggregates them; run: judged once for the run.")
    applies_to: list[JourneyKind] = Field(default_factory=list, description="Journey kinds "
                                          "judged (signup, proposal, vote, other); empty: all.")
    aggregate: Aggregate = Field("mean", description="How journey results make the platform "
                                 "result: weighted mean (journey weights) or min (RGAA "
                                 "process logic).")
    scoring: Scoring
    weight: float = Field(ge=0, description="Weight inside its category.")
    blocking: bool = Field(False, description="A failure caps the headline grade (metrics.md "
                           "§6.1: at D).")
    severity: FindingSeverity = Field("major", description="Severity of a failing finding "
                                      "(blocking rules give 'blocking').")
    positive: bool = Field(False, description="A good practice: findings when it passes, not "
                           "applicable otherwise.")
    message: Text = Field(description="What is wrong, with figures: placeholders such as "
                          "{value}, {count}, {threshold}.")
    item_message: Text | None = Field(None, description="Message of the finding made for "
                                      "each item (each issue, sentence...); default: message.")
    pass_message: Text | None = Field(None, description="Detail shown when the rule passes.")
    why: Text = Field(description="Why it matters, for whom.")
    fix: Text = Field(description="How to fix it, in plain words.")
    references: list[Reference] = Field(min_length=1, description="WCAG SC, RGAA criterion, "
                                        "NIST section, CNIL, EcoIndex, RGESN, FALC, DINUM...")
    tags: list[str] = Field(default_factory=list)

    @field_validator("applies_to")
    @classmethod
    def _distinct(cls, kinds: list[JourneyKind]) -> list[JourneyKind]:
        return list(dict.fromkeys(kinds))

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if self.positive and self.blocking:
            raise ValueError("a positive rule cannot be blocking")
        if self.blocking and self.scoring.type in ("review", "info"):
            raise ValueError(f"a '{self.scoring.type}' rule cannot be blocking")
        return self


class RuleOverride(_Strict):
    """What a profile may change in one rule."""

    enabled: bool | None = None
    weight: float | None = Field(None, ge=0)
    blocking: bool | None = None
    severity: FindingSeverity | None = None
    applies_to: list[JourneyKind] | None = None
    aggregate: Aggregate | None = None
    scoring: ScoringOverride | None = None


class Profile(_Strict):
    """One profile file, ``rules/profiles/<id>.yml``."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: Text
    description: Text | None = None
    extends: str | None = Field(None, description="Id of the profile this one builds on.")
    rules: list[str] = Field(default_factory=lambda: ["*"], description="Rule ids or "
                             "shell-style patterns ('signup-*') to include.")
    exclude: list[str] = Field(default_factory=list, description="Rule ids or patterns to "
                               "leave out.")
    overrides: dict[str, RuleOverride] = Field(default_factory=dict)
    category_weights: dict[CategoryId, float] = Field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_WEIGHTS))  # type: ignore[arg-type]
    journey_weights: dict[JourneyKind, float] = Field(
        default_factory=lambda: dict(DEFAULT_JOURNEY_WEIGHTS))  # type: ignore[arg-type]
    grade_thresholds: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_GRADE_THRESHOLDS),
        description="Lowest score of each grade A-F; below F is G. Compared with >=.")
    blocking_cap: Grade = Field("D", description="Best grade a headline can have when a "
                                "blocking rule fails in its scope.")

    @field_validator("grade_thresholds")
    @classmethod
    def _grades(cls, thresholds: dict[str, float]) -> dict[str, float]:
        expected = list(DEFAULT_GRADE_THRESHOLDS)
        if sorted(thresholds) != sorted(expected):
            raise ValueError(f"grade_thresholds needs exactly the grades {', '.join(expected)}")
        values = [thresholds[g] for g in expected]
        if any(a <= b for a, b in zip(values, values[1:], strict=False)):
            raise ValueError("grade_thresholds must decrease from A to F")
        return {g: thresholds[g] for g in expected}

    @field_validator("category_weights", "journey_weights")
    @classmethod
    def _non_negative(cls, weights: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in weights.values()):
            raise ValueError("weights cannot be negative")
        return weights


def is_rule_id(text: str) -> bool:
    """Whether ``text`` is a well-formed rule id."""
    return bool(_RULE_ID_RE.match(text))


def apply_override(rule: Rule, override: RuleOverride) -> Rule:
    """The rule with a profile's override applied (fields left unset keep the rule's value)."""
    data = rule.model_dump()
    for name in ("weight", "blocking", "severity", "applies_to", "aggregate"):
        value = getattr(override, name)
        if value is not None:
            data[name] = value
    if override.scoring is not None:
        data["scoring"].update(override.scoring.model_dump(exclude_none=True))
    # Re-validate: an override must not produce an incoherent rule (bands on a boolean...).
    return Rule.model_validate(data)


def merge_overrides(base: RuleOverride, top: RuleOverride) -> RuleOverride:
    """``top`` over ``base``: a child profile's override wins field by field."""
    data = base.model_dump(exclude_none=True)
    top_data = top.model_dump(exclude_none=True)
    scoring = {**data.get("scoring", {}), **top_data.get("scoring", {})}
    data.update(top_data)
    if scoring:
        data["scoring"] = scoring
    return RuleOverride.model_validate(data)


def rule_json_schema() -> dict[str, Any]:
    """JSON Schema of a rule file (``auditor rules schema``)."""
    schema = Rule.model_json_schema()
    schema["title"] = "participation-auditor rule"
    schema["$id"] = "https://participation-auditor/schemas/rule.json"
    return schema


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema of a profile file."""
    schema = Profile.model_json_schema()
    schema["title"] = "participation-auditor rule profile"
    schema["$id"] = "https://participation-auditor/schemas/profile.json"
    return schema
