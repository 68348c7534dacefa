"""The data that crosses stages: a saved Run and everything inside it.

A Run is the raw record of what the browser saw. It is serialisable (``run.json``) so that
measures, scoring and reports can be recomputed later without a browser (as Lighthouse's
``-G`` / ``-A`` split does). Nothing in here knows about Playwright or Selenium.

Secrets never enter these models: step values are stored as their template text (for example
``{{ identity.password }}``) plus the number of characters typed, and URLs are redacted by the
runner before they are recorded.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Bumped on any incompatible change of the run.json layout; readers refuse other majors.
RUN_SCHEMA_VERSION = "1.0"

Impact = Literal["minor", "moderate", "serious", "critical"]


class Model(BaseModel):
    """Base for every saved model: unknown keys are refused so typos in fixtures show up."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- axe-core


class AxeNode(Model):
    """One element an axe rule reported on."""

    target: list[str] = Field(description="CSS selector path(s) axe gives for the element.")
    html: str = Field("", description="Outer HTML snippet, truncated by axe.")
    impact: Impact | None = None
    failure_summary: str = ""
    in_form: bool | None = Field(None, description="The element is inside a <form> (None when "
                                 "it could not be located again, e.g. in a shadow root).")


class AxeRuleResult(Model):
    """One axe rule's outcome on a page (violation or needs-review)."""

    id: str
    impact: Impact | None = None
    tags: list[str] = Field(default_factory=list)
    help: str = ""
    description: str = ""
    help_url: str = ""
    nodes: list[AxeNode] = Field(default_factory=list)


class AxeResults(Model):
    """axe.run() results kept per checkpoint: failures in full, passes as counts and ids."""

    violations: list[AxeRuleResult] = Field(default_factory=list)
    incomplete: list[AxeRuleResult] = Field(
        default_factory=list, description="'Needs review': never a pass, never a fail."
    )
    passes_count: int = 0
    inapplicable_count: int = 0
    passed_rules: list[str] = Field(default_factory=list)
    inapplicable_rules: list[str] = Field(default_factory=list)
    error: str | None = Field(None, description="Set when axe could not run on this page.")


# --------------------------------------------------------------------------- page content


class FormField(Model):
    """A user-facing form control as a person meets it (hidden inputs are not recorded)."""

    tag: str = Field(description="input, select, textarea or the tag of a contenteditable.")
    type: str = Field("", description="input type, or 'select', 'textarea', 'contenteditable'.")
    name: str = ""
    id: str = ""
    form_index: int = Field(-1, description="Index of the enclosing <form> on the page, -1 none.")
    label: str = Field("", description="Accessible name computed in the page.")
    label_source: str = Field("", description="label, aria-label, aria-labelledby, title, "
                              "placeholder or none: where the name came from.")
    placeholder: str = ""
    hint: str = Field("", description="Text of aria-describedby targets.")
    required: bool = False
    autocomplete: str = ""
    pattern: str = ""
    minlength: int | None = None
    maxlength: int | None = None
    visible: bool = True
    disabled: bool = False
    paste_blocked: bool | None = Field(
        None, description="True when a synthetic paste event was cancelled; None if not tested."
    )
    paste_blocked_by: str = Field("", description="How paste is blocked: 'listener', "
                                  "'attribute' (onpaste=...) or ''.")
    selector: str = Field("", description="A CSS selector that finds this field again.")


class TextCorpora(Model):
    """Visible text of a page split by purpose; pooling them would ruin readability formulas."""

    main_prose: str = Field("", description="innerText of the main landmark, without nav, "
                            "header, footer, hidden content and consent layers.")
    main_source: str = Field("", description="Which container gave main_prose (main, "
                             "[role=main], #content, body).")
    headings: list[str] = Field(default_factory=list)
    microcopy: list[str] = Field(default_factory=list, description="Labels, buttons, links, "
                                 "placeholders, legends, hints.")
    errors: list[str] = Field(default_factory=list, description="role=alert, aria-live, "
                              "aria-invalid targets and native validation messages.")
    notices: list[str] = Field(default_factory=list, description="role=status and polite "
                               "live-region messages (success, progress).")
    legal: list[str] = Field(default_factory=list, description="Consent and terms text.")
    full_text: str = Field("", description="document.body.innerText, for searching.")


class NetworkRequest(Model):
    """One request seen on the wire (Chrome DevTools Protocol figures)."""

    url: str
    host: str = ""
    method: str = "GET"
    resource_type: str = Field("", description="document, script, stylesheet, image, font, "
                               "xhr, fetch, media, other (CDP resource types, lower-cased).")
    status: int | None = None
    mime_type: str = ""
    transferred_bytes: int = Field(0, description="Bytes on the wire, headers included "
                                   "(CDP encodedDataLength), as EcoIndex counts size.")
    decoded_bytes: int = Field(0, description="Body size after decompression.")
    from_cache: bool = False
    failed: bool = False
    error: str = ""
    third_party: bool = False
    duration_ms: float | None = None


class Timings(Model):
    """Navigation Timing figures of the current document, in milliseconds from its start."""

    dom_content_loaded_ms: float | None = None
    load_ms: float | None = None
    first_contentful_paint_ms: float | None = None
    gather_ms: float = Field(0, description="What the checkpoint itself cost the tool.")


class Checkpoint(Model):
    """One snapshot of the page: the unit every measure works on."""

    index: int = Field(description="Position in the run, across journeys.")
    journey_id: str
    step_index: int = Field(description="Index of the step after which it was taken; -1 for "
                            "the start page.")
    name: str = ""
    trigger: Literal["start", "navigation", "checkpoint", "failure", "url", "probe"] = Field(
        "navigation", description="Why it was taken. 'probe' is the error state after a "
        "rejected password candidate: not a screen of the person's journey.")
    url: str
    title: str = ""
    lang: str = Field("", description="<html lang> as declared, unnormalised.")
    axe: AxeResults = Field(default_factory=AxeResults)
    text: TextCorpora = Field(default_factory=TextCorpora)
    fields: list[FormField] = Field(default_factory=list)
    requests: list[NetworkRequest] = Field(
        default_factory=list, description="Requests since the previous checkpoint.")
    dom_element_count: int = Field(0, description="Elements of the document, SVG descendants "
                                   "excluded and shadow roots included (metrics.md §4.2).")
    timings: Timings = Field(default_factory=Timings)
    screenshot: str = Field("", description="Path of the screenshot, relative to run.json.")
    captured_at: str = ""


class StepResult(Model):
    """What the bot did for one journey step, and how it went."""

    index: int
    kind: str
    line: int | None = Field(None, description="Line of the step in the journey file.")
    target: str = Field("", description="Human description of the target, e.g. "
                        "label 'Pseudonyme'.")
    value: str = Field("", description="The value as written in the journey file (templates "
                       "unexpanded, so secrets never appear).")
    typed_chars: int = Field(0, description="Characters the step typed (a person types them too).")
    secret: bool = Field(False, description="The value was a password or an env secret.")
    outcome: Literal["ok", "failed", "skipped"] = "ok"
    error: str = ""
    duration_ms: float = 0
    url_before: str = ""
    url_after: str = ""
    navigated: bool = False
    checkpoints: list[int] = Field(default_factory=list)


class Identity(Model):
    """The per-run test identity, without its password (a secret)."""

    pseudonym: str
    email: str
    password_length: int


class ProbeAttempt(Model):
    """One candidate password tried on a sign-up form (metrics.md §2.8)."""

    candidate: str = Field(description="Candidate id, e.g. C8_lower, C64, C_common.")
    length: int
    classes: list[str] = Field(default_factory=list, description="lower, upper, digit, "
                               "symbol, space, non-ascii.")
    phase: Literal["client", "server"]
    accepted: bool | None = Field(None, description="None when the outcome is unknown.")
    kept_length: int | None = Field(None, description="Characters the field kept (a maxlength "
                                    "truncates silently).")
    validity: list[str] = Field(default_factory=list, description="Failing ValidityState "
                                "flags: tooShort, tooLong, patternMismatch, customError...")
    messages: list[str] = Field(default_factory=list, description="Rejection messages shown.")


class PasswordProbe(Model):
    """What probing a sign-up form's password field found, without extra accounts.

    Client-side candidates are typed and read back, never submitted. Server-side candidates
    (full-submit mode) are submitted weakest first; a rejected one creates nothing, and the
    first accepted one *is* the journey's real submission, so the platform ends with exactly
    one account.
    """

    journey_id: str
    step_index: int = Field(description="The submit step the probe ran before.")
    checkpoint: int | None = Field(None, description="Checkpoint of the form page.")
    url: str = ""
    field_selector: str = ""
    confirm_fields: int = Field(0, description="Other password fields in the same form.")
    attempts: list[ProbeAttempt] = Field(default_factory=list)
    server_tested: bool = False
    accepted_candidate: str = Field("", description="Candidate that became the real "
                                    "submission, or '' when the journey's own password did.")
    values_kept_after_reject: bool | None = Field(
        None, description="Did the other fields keep their values after a rejected submit "
        "(WCAG 3.3.7)? None when no submit was rejected.")
    show_toggle: bool | None = Field(None, description="A control switched the field to "
                                     "visible text (NIST: offer to display the secret).")
    notes: list[str] = Field(default_factory=list)


class JourneyResult(Model):
    """One journey (sign-up, proposal, vote or any named one) as it ran."""

    id: str
    title: str = ""
    start_url: str
    status: Literal["completed", "failed", "not_run"] = "not_run"
    error: str = ""
    failed_step: int | None = None
    steps: list[StepResult] = Field(default_factory=list)
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    probes: list[PasswordProbe] = Field(default_factory=list)
    duration_ms: float = 0


class BrowserInfo(Model):
    """Which browser produced the observations."""

    name: str = "chromium"
    version: str = ""
    path: str = ""
    source: str = Field("", description="How it was found: option, env, playwright, system.")
    driver: str = "playwright"
    headless: bool = True


class ToolInfo(Model):
    """Versions needed to reproduce or compare runs."""

    name: str = "participation-auditor"
    version: str
    axe_version: str = ""
    python: str = ""
    playwright: str = ""


class Viewport(Model):
    """Viewport and measurement protocol, stated in every run (EcoIndex protocol, metrics §0)."""

    width: int = 1920
    height: int = 1080
    device_scale_factor: float = 1.0
    persona: str = "desktop"


class TargetInfo(Model):
    """What was audited."""

    name: str = ""
    base_url: str
    config_path: str = ""


class Run(Model):
    """A whole audit run, as saved in run.json."""

    schema_version: str = RUN_SCHEMA_VERSION
    tool: ToolInfo
    browser: BrowserInfo = Field(default_factory=BrowserInfo)
    viewport: Viewport = Field(default_factory=Viewport)
    target: TargetInfo
    mode: Literal["full-submit", "dry-run"] = "full-submit"
    identity: Identity | None = None
    protocol: str = Field("", description="How pages were loaded and measured, in words.")
    started_at: str = ""
    finished_at: str = ""
    duration_ms: float = 0
    journeys: list[JourneyResult] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list, description="Run-level problems (e.g. "
                              "interrupted), one line each.")

    def checkpoints(self) -> list[Checkpoint]:
        """All checkpoints of the run, in order."""
        return [c for j in self.journeys for c in j.checkpoints]

    def journey(self, journey_id: str) -> JourneyResult | None:
        """The journey with this id, if it ran."""
        return next((j for j in self.journeys if j.id == journey_id), None)
