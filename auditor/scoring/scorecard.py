"""The scorecard: what users read and cite. Produced by scoring (measures × rules), rendered by
the reporters, compared across runs by CI. Serialised as scorecard.json with a published,
versioned JSON Schema (``Scorecard.model_json_schema()``).

Stable ids: ``Finding.id`` is a fingerprint of the rule, the journey, the page's URL template
and the element or sentence, so the same problem keeps the same id from one run to the next.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCORECARD_SCHEMA_VERSION = "1.0"

Grade = Literal["A", "B", "C", "D", "E", "F", "G"]
Severity = Literal["blocking", "major", "minor", "info", "positive"]
Headline = Literal["inclusion", "frugality"]
CategoryId = Literal["accessibility", "signup", "effort", "language", "frugality"]
Outcome = Literal["pass", "fail", "not_applicable", "needs_review"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(Strict):
    """A sentence in both report languages."""

    fr: str
    en: str


class Reference(Strict):
    """A source a finding rests on: WCAG SC, RGAA criterion, NIST section, CNIL, EcoIndex..."""

    kind: str = Field(description="WCAG, RGAA, NIST, CNIL, EcoIndex, RGESN, FALC, DINUM, "
                      "Workshop, HTTPArchive, Lighthouse...")
    ref: str = Field(description="e.g. '3.3.8', '11.1', '800-63B §5.1.1.2', '2022-100'.")
    title: str = ""
    url: str = ""


class Place(Strict):
    """Where a finding shows: journey, step, page, element or sentence, and its screenshot."""

    journey_id: str = ""
    step_index: int | None = None
    checkpoint: int | None = None
    url: str = ""
    selector: str = ""
    text: str = Field("", description="The sentence, label or snippet concerned.")
    screenshot: str = Field("", description="Path relative to the run directory.")


class Finding(Strict):
    """One problem (or one good practice) a rule found."""

    id: str = Field(description="Stable fingerprint (rule, journey, URL template, target).")
    rule_id: str
    category: CategoryId
    severity: Severity
    blocking: bool = False
    title: Text
    message: Text = Field(description="Plain words with the figures, e.g. 'the sign-up "
                          "takes 14 fields and 3 screens; 6 of them are not needed'.")
    fix: Text
    why: Text | None = None
    evidence: str = Field("", description="The measured value(s) behind the finding.")
    places: list[Place] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    journey_id: str = Field("", description="'' for a run-wide finding.")


class RuleResult(Strict):
    """A rule's outcome for one scope (the run or a journey)."""

    rule_id: str
    category: CategoryId
    journey_id: str = ""
    outcome: Outcome
    score: float | None = Field(None, description="0-100; None when not applicable or to "
                                "review (weighs nothing, stays visible).")
    weight: float
    value: float | str | None = None
    detail: Text | None = None
    finding_ids: list[str] = Field(default_factory=list)


class CategoryScore(Strict):
    """A category's score: weighted mean of its applicable rule scores."""

    id: CategoryId
    headline: Headline
    title: Text
    weight: float
    score: float | None
    grade: Grade | None
    rules_applied: int
    rules_not_applicable: int


class GradeCard(Strict):
    """A headline grade (Inclusion or Frugality) for the platform or one journey."""

    headline: Headline
    score: float | None
    grade: Grade | None
    capped: bool = Field(False, description="A blocking finding capped the grade.")
    cap_reason: Text | None = None


class JourneyCard(Strict):
    """Per-journey view: grades, categories, counts a non-developer understands."""

    journey_id: str
    title: str = ""
    status: str
    grades: list[GradeCard]
    categories: list[CategoryScore]
    facts: list[Text] = Field(default_factory=list, description="e.g. 'the sign-up takes 14 "
                              "fields and 3 screens'.")
    steps: list[StepThumb] = Field(default_factory=list)


class StepThumb(Strict):
    """A step of the journey strip: what was done, and the page it led to."""

    step_index: int
    label: str
    checkpoint: int | None = None
    screenshot: str = ""
    url: str = ""
    page_title: str = Field("", description="The page's <title>, as the site wrote it (shown "
                            "as text, never as markup).")
    outcome: str = "ok"


class RunInfo(Strict):
    """What was audited, when, how (metrics.md §0.4: always state it)."""

    target_name: str
    base_url: str
    started_at: str
    mode: str
    persona: str
    viewport: str
    tool_version: str
    axe_version: str
    browser_version: str
    protocol: str
    run_path: str = ""
    throttling: str = Field("", description="Network and CPU throttling in words, e.g. "
                            "'none' or 'mobileRegular3G, CPU 4x' (metrics.md §0.4).")
    components: dict[str, str] = Field(
        default_factory=dict, description="Other versions that shape the figures, name → "
        "version: textstat, pyphen, the EcoIndex implementation... (metrics.md §0.4).")


class Scorecard(Strict):
    """The frugality and inclusion scorecard of one run."""

    schema_version: str = SCORECARD_SCHEMA_VERSION
    lang: Literal["fr", "en"]
    profile: str
    run: RunInfo
    grades: list[GradeCard] = Field(description="Inclusion and Frugality for the platform.")
    categories: list[CategoryScore]
    journeys: list[JourneyCard]
    findings: list[Finding]
    results: list[RuleResult]
    needs_review: list[Finding] = Field(default_factory=list, description="axe 'incomplete' "
                                        "items and other checks a person must make.")
    disclaimers: list[Text] = Field(default_factory=list)


JourneyCard.model_rebuild()
