"""What a CI policy says: budgets, each with a level, a scope and one assertion.

A policy is separate from scoring (architecture.md): the scorecard says how inclusive and
frugal a platform is; the policy says which of those figures a team promises to keep, and
whether breaking the promise stops the pull request (``error``), only shows (``warn``) or is
not checked (``off``). Model: Lighthouse CI assertions and presets (``assert`` section of
``docs/configuration.md``), with the scopes LHCI reaches through ``assertMatrix`` (per URL)
brought to journeys and their steps.

A budget asserts exactly one of:

- ``min_grade``: a headline (inclusion, frugality) or a category grade is at least this letter;
- ``max_findings``: at most N findings, optionally only some rules, severities or the blocking
  ones; findings known to the baseline are not counted;
- ``rule``: a scoring rule's outcome is not ``fail``;
- ``max`` / ``min``: a measure from the registry (:mod:`auditor.policy.measures`) stays under
  (or over) a limit: ``effort.fields_required``, ``weight.page_transferred_bytes``...

Two models: :class:`PolicyFile` is one YAML file as written (with ``extends`` and ``levels``);
:class:`Policy` is the resolved list of budgets the evaluator reads.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from auditor.policy.measures import MEASURES, measure_names, suggest_measure
from auditor.scoring.indicators import path_template
from auditor.scoring.rule_model import JourneyKind
from auditor.scoring.scorecard import CategoryId, Grade, Headline, Severity, Text

Level = Literal["off", "warn", "error"]
AssertionKind = Literal["min_grade", "max_findings", "rule", "max", "min"]
ASSERTION_KINDS: tuple[AssertionKind, ...] = ("min_grade", "max_findings", "rule", "max", "min")
#: Severities that are problems; ``info`` and ``positive`` findings never break a budget
#: unless a budget names them explicitly.
PROBLEM_SEVERITIES: tuple[Severity, ...] = ("blocking", "major", "minor")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SIZE_PATTERN = r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([kKmMgG]i?[bBoO]|[bBoO])?\s*$"
_SIZE = re.compile(SIZE_PATTERN)
_SIZE_FACTORS = {"": 1, "b": 1, "o": 1, "kb": 1000, "ko": 1000, "mb": 1000**2, "mo": 1000**2,
                 "gb": 1000**3, "go": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}


class Strict(BaseModel):
    """Unknown keys are refused: a typo in a policy must not silently disable a budget."""

    model_config = ConfigDict(extra="forbid")


def as_level(value: Any) -> Any:
    """YAML 1.1 reads a bare ``off`` as ``false``: take it back as the level it was meant to
    be, so ``level: off`` works without quotes."""
    if value is False:
        return "off"
    return value


def as_text(value: Any) -> Any:
    """A plain string title is the same in both languages (convenient for a team's own file)."""
    if isinstance(value, str):
        return {"fr": value, "en": value}
    return value


class Where(Strict):
    """Where a budget was checked: the platform, a journey, or a page of a journey."""

    journey_id: str = Field("", description="'' for the platform.")
    step_index: int | None = Field(None, description="0-based step index as in run.json; "
                                   "-1 for the start page. Reports show it plus one.")
    checkpoint: int | None = None
    checkpoint_name: str = ""
    url: str = ""

    def key(self) -> str:
        """A stable key for the baseline: journey and page path template, never the host nor a
        step index (adding a step to a journey file must not orphan an accepted breach)."""
        if not self.journey_id and not self.url:
            return "platform"
        if not self.url:
            return f"journey:{self.journey_id}"
        return f"journey:{self.journey_id} page:{path_template(self.url)}"


class Scope(Strict):
    """What a budget looks at. Empty: the platform as a whole.

    ``journey`` (an id, ``*`` globs allowed) and ``kind`` (sign-up, proposal, vote, other, as
    the scoring engine classifies journeys) select journeys; ``step`` (the number the report
    shows, ``start`` for the start page) or ``checkpoint`` (a checkpoint name) narrow it to the
    pages of one step.
    """

    journey: str | None = Field(None, description="Journey id; shell-style globs allowed.")
    kind: list[JourneyKind] = Field(default_factory=list, description="Journey kinds: "
                                    "signup, proposal, vote, other.")
    step: int | Literal["start"] | None = Field(None, description="Step number as the report "
                                                "shows it (1 = first step), or 'start'.")
    checkpoint: str | None = Field(None, description="A checkpoint name of the journey file.")

    @field_validator("kind", mode="before")
    @classmethod
    def _one_kind(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("step")
    @classmethod
    def _step_number(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("step is the number the report shows (1 = first step); use "
                             "'start' for the start page")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Scope:
        if self.step is not None and self.checkpoint is not None:
            raise ValueError("give either 'step' or 'checkpoint', not both")
        if (self.step is not None or self.checkpoint is not None) and not (
                self.journey or self.kind):
            raise ValueError("a step or checkpoint belongs to a journey: add 'journey' (or "
                             "'kind')")
        return self

    @property
    def is_platform(self) -> bool:
        """No journey selected: the platform as a whole."""
        return self.journey is None and not self.kind

    @property
    def is_step(self) -> bool:
        """Narrowed to the pages of one step."""
        return self.step is not None or self.checkpoint is not None

    @property
    def step_index(self) -> int | None:
        """The 0-based run.json index of ``step`` (-1 for the start page)."""
        if self.step is None:
            return None
        return -1 if self.step == "start" else int(self.step) - 1

    def describe(self, lang: str = "en") -> str:
        """The scope in a few words, for generated titles, reports and error messages."""
        fr = lang == "fr"
        if self.is_platform:
            return "la plateforme" if fr else "platform"
        parts = []
        if self.journey:
            parts.append(f"parcours {self.journey}" if fr else f"journey {self.journey}")
        if self.kind:
            kinds = "/".join(self.kind)
            parts.append(f"parcours de type {kinds}" if fr else f"{kinds} journeys")
        if self.step is not None:
            if self.step == "start":
                parts.append("page de départ" if fr else "start page")
            else:
                parts.append(f"étape {self.step}" if fr else f"step {self.step}")
        if self.checkpoint:
            parts.append(f"point de capture {self.checkpoint}" if fr else
                         f"checkpoint {self.checkpoint}")
        return ", ".join(parts)


def _scope(value: Any) -> Any:
    """``scope: platform`` is the same as no scope."""
    if value in ("platform", "", None):
        return {}
    return value


class MinGrade(Strict):
    """A headline or category grade at least ``grade`` (A best, G worst)."""

    headline: Headline | None = None
    category: CategoryId | None = None
    grade: Grade

    @model_validator(mode="after")
    def _one_target(self) -> MinGrade:
        if (self.headline is None) == (self.category is None):
            raise ValueError("min_grade needs exactly one of 'headline' (inclusion, "
                             "frugality) or 'category' (accessibility, signup, effort, "
                             "language, frugality)")
        return self


class MaxFindings(Strict):
    """At most ``limit`` findings; filters narrow which findings count."""

    limit: int = Field(0, ge=0, description="Findings allowed (new ones, with a baseline).")
    rules: list[str] = Field(default_factory=list, description="Rule ids; globs allowed. "
                             "Empty: every rule.")
    severity: list[Severity] = Field(default_factory=lambda: list(PROBLEM_SEVERITIES),
                                     description="Severities counted (default: blocking, "
                                     "major, minor).")
    blocking: bool | None = Field(None, description="true: only blocking findings; false: "
                                  "only non-blocking ones.")
    category: list[CategoryId] = Field(default_factory=list)

    @field_validator("rules", "severity", "category", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


def parse_limit(value: Any) -> Any:
    """A number, or a size with a unit: ``1 MB`` = 1,000,000 bytes (EcoIndex counts 1 kB =
    1000 bytes), ``1 MiB`` = 1,048,576; French ``Mo``/``ko`` accepted."""
    if isinstance(value, str):
        match = _SIZE.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a number nor a size such as '1 MB' or "
                             "'500 kB'")
        number = float(match.group(1).replace(",", "."))
        unit = (match.group(2) or "").lower()
        return number * _SIZE_FACTORS[unit]
    return value


class MeasureLimit(Strict):
    """A measure of the registry and the limit it must respect."""

    measure: str = Field(json_schema_extra={"enum": list[JsonValue](measure_names())},
                         description="A measure name of the registry "
                         "(auditor/policy/README.md).")
    value: float = Field(description="The limit; sizes accept units ('1 MB', '500 kB').")

    @field_validator("value", mode="before")
    @classmethod
    def _size(cls, value: Any) -> Any:
        return parse_limit(value)

    @field_validator("measure")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in MEASURES:
            raise ValueError(f"unknown measure '{name}'{suggest_measure(name)}")
        return name


class Budget(Strict):
    """One promise: a level, a scope, a human title and exactly one assertion."""

    id: str = Field(description="Kebab-case id, unique in the policy; a policy that extends "
                    "another replaces the budget of the same id.")
    title: Text | None = Field(None, description="What the budget promises, in plain words "
                               "(a string or {fr, en}); generated when left out.")
    level: Level = "error"
    scope: Scope = Field(default_factory=Scope)
    min_grade: MinGrade | None = None
    max_findings: MaxFindings | None = None
    rule: str | None = Field(None, description="A scoring rule id whose outcome must not be "
                             "'fail'.")
    max: MeasureLimit | None = None
    min: MeasureLimit | None = None
    why: Text | None = Field(None, description="Why the team holds this budget (shown in "
                             "reports).")

    @field_validator("title", "why", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return as_text(value)

    @field_validator("scope", mode="before")
    @classmethod
    def _platform(cls, value: Any) -> Any:
        return _scope(value)

    @field_validator("level", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        return as_level(value)

    @field_validator("max_findings", mode="before")
    @classmethod
    def _count_only(cls, value: Any) -> Any:
        """``max_findings: 0`` is short for ``max_findings: {limit: 0}``."""
        if isinstance(value, int) and not isinstance(value, bool):
            return {"limit": value}
        return value

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"budget id '{value}' must be lower-case letters, digits, '-', "
                             "'_' or '.'")
        return value

    @model_validator(mode="after")
    def _one_assertion(self) -> Budget:
        given = [k for k in ASSERTION_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(f"budget '{self.id}' needs exactly one assertion among "
                             f"{', '.join(ASSERTION_KINDS)} (found: {found})")
        kind = given[0]
        if self.scope.is_step and kind in ("min_grade", "rule"):
            raise ValueError(f"budget '{self.id}': grades and rule outcomes exist per journey "
                             "or for the platform, not per step; drop 'step'/'checkpoint'")
        limit = self.max or self.min
        if limit is not None and self.scope.is_step and "page" not in MEASURES[
                limit.measure].levels:
            raise ValueError(f"budget '{self.id}': measure '{limit.measure}' is measured per "
                             "journey, not per step; drop 'step'/'checkpoint'")
        return self

    @property
    def kind(self) -> AssertionKind:
        """Which assertion the budget makes."""
        return next(k for k in ASSERTION_KINDS if getattr(self, k) is not None)


class PolicyFile(Strict):
    """One policy file as written. ``auditor/policy/README.md`` documents every key."""

    title: Text | None = Field(None, description="Name of the policy (string or {fr, en}).")
    extends: str | None = Field(None, description="A preset (default, strict, warn-only) or "
                                "a policy file, relative to this one. Its budgets come first; "
                                "a budget here with the same id replaces it.")
    levels: dict[str, Level] = Field(default_factory=dict, description="Change the level of "
                                     "budgets by id (globs allowed, applied in order): "
                                     "{'page-weight': warn, '*': warn}.")
    baseline_tolerance: float | None = Field(
        None, ge=0, le=1, description="How much worse (relative) a measure may be than the "
        "value a baseline accepted before it fails (default 0.05: page weights move a little "
        "from run to run).")
    budgets: list[Budget] = Field(default_factory=list)

    @field_validator("levels", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: as_level(v) for k, v in value.items()}
        return value

    @field_validator("title", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return as_text(value)


class Policy(Strict):
    """A resolved policy: presets merged, levels applied, ready to evaluate."""

    id: str = Field(description="Preset name or file stem.")
    title: Text
    sources: list[str] = Field(default_factory=list, description="Files read, parent first.")
    baseline_tolerance: float = 0.05
    budgets: list[Budget]

    def budget(self, budget_id: str) -> Budget | None:
        """The budget with this id."""
        return next((b for b in self.budgets if b.id == budget_id), None)


__all__ = [
    "ASSERTION_KINDS", "PROBLEM_SEVERITIES", "SIZE_PATTERN", "AssertionKind", "Budget",
    "Level", "MaxFindings", "MeasureLimit", "MinGrade", "Policy", "PolicyFile", "Scope",
    "Strict", "Where", "as_level", "as_text", "parse_limit",
]
