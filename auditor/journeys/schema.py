"""The journey-file vocabulary: a target config, its journeys and their steps.

A journey file is YAML that agencies and mediators write by hand, so the models are strict
(unknown keys refused) and every step is a one-key mapping whose key is its kind, in the spirit
of pa11y's actions but structured::

    - fill: {label: "Pseudonyme", value: "{{ identity.pseudonym }}"}

``auditor schema`` writes the JSON Schema generated from these models, for editor completion.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

#: Default per-step timeout in seconds (issue 2: "per-step timeout, default 10 s").
DEFAULT_STEP_TIMEOUT_S = 10.0
#: Default page-load timeout in seconds: a page that never finishes loading fails after this.
DEFAULT_NAVIGATION_TIMEOUT_S = 30.0


class Strict(BaseModel):
    """Refuse unknown keys: a typo in a journey file must be an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


TARGET_KEYS = ("role", "label", "text", "css", "placeholder")


class Target(Strict):
    """How to find an element, by what a person perceives first.

    Preference order, as in Playwright's guidance: accessible role and name, then label, then
    visible text, then placeholder, then CSS. Exactly one locator key is given.
    """

    role: str | None = Field(None, description="ARIA role, e.g. button, link, textbox.")
    name: str | None = Field(None, description="Accessible name, with role.")
    label: str | None = Field(None, description="Text of the field's label.")
    text: str | None = Field(None, description="Visible text of the element.")
    css: str | None = Field(None, description="A CSS selector (last resort).")
    placeholder: str | None = Field(None, description="Placeholder text of a field.")
    exact: bool = Field(False, description="Match name, label or text exactly.")
    nth: int | None = Field(None, ge=0, description="Take the n-th match (0-based) when several.")

    @model_validator(mode="after")
    def _one_locator(self) -> Target:
        given = [k for k in TARGET_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of role, label, text, css, placeholder"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.name is not None and self.role is None:
            raise ValueError("'name' goes with 'role'")
        return self

    def describe(self) -> str:
        """Short human text for reports and errors, e.g. ``button 'Voter'``."""
        if self.role is not None:
            return f"{self.role} '{self.name}'" if self.name else f"{self.role}"
        for key in ("label", "text", "placeholder", "css"):
            value = getattr(self, key)
            if value is not None:
                return f"{key} '{value}'"
        return "?"


class StepBase(Strict):
    """Keys every step may carry besides its kind."""

    timeout: float | None = Field(None, gt=0, description="Seconds; overrides step_timeout.")
    note: str = Field("", description="Free text shown in reports (why this step exists).")


class GotoArgs(Strict):
    url: str = Field(description="A path joined to base_url, or an absolute URL.")


class FillArgs(Target):
    value: str = Field(description="Text to type; may use {{ identity.* }} and {{ env.* }}.")


class SelectArgs(Target):
    option: str = Field(description="The option's visible label or its value.")


class CheckArgs(Target):
    checked: bool = True


class UploadArgs(Target):
    file: str = Field(description="Path of the file, relative to the journey file.")


class PressArgs(Strict):
    key: str = Field(description="Playwright key name, e.g. Enter, Tab, Escape.")
    role: str | None = None
    name: str | None = None
    label: str | None = None
    text: str | None = None
    css: str | None = None
    placeholder: str | None = None
    exact: bool = False

    def target(self) -> Target | None:
        """The element to focus first, when one is named."""
        keys = {k: getattr(self, k) for k in (*TARGET_KEYS, "name") if getattr(self, k)}
        return Target(**keys, exact=self.exact) if keys else None


class WaitForArgs(Strict):
    """Wait for a URL (glob or regex ``/.../``), a text, or an element to be visible."""

    url: str | None = None
    text: str | None = None
    role: str | None = None
    name: str | None = None
    label: str | None = None
    css: str | None = None
    placeholder: str | None = None
    exact: bool = False

    @model_validator(mode="after")
    def _one_condition(self) -> WaitForArgs:
        given = [k for k in ("url", "text", "role", "label", "css", "placeholder")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of url, text, role, label, css, placeholder")
        return self

    def target(self) -> Target | None:
        keys = {k: getattr(self, k) for k in ("role", "name", "label", "css", "placeholder")
                if getattr(self, k) is not None}
        return Target(**keys, exact=self.exact) if keys else None


class ExpectArgs(Strict):
    """An assertion: the journey fails when the page does not show it."""

    text: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> ExpectArgs:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of text or url")
        return self


class OpenEmailLinkArgs(Strict):
    """Read the newest mail sent to the test identity and open a link from it."""

    pattern: str = Field(r"https?://", description="Regex the link must match.")
    to: str = Field("{{ identity.email }}", description="Recipient to look for.")
    wait: float = Field(10.0, gt=0, description="Seconds to wait for the mail to arrive.")


class GotoStep(StepBase):
    goto: GotoArgs

    @field_validator("goto", mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        return {"url": v} if isinstance(v, str) else v


class ClickStep(StepBase):
    click: Target


class FillStep(StepBase):
    fill: FillArgs


class SelectStep(StepBase):
    select: SelectArgs


class CheckStep(StepBase):
    check: CheckArgs


class UploadStep(StepBase):
    upload: UploadArgs


class PressStep(StepBase):
    press: PressArgs

    @field_validator("press", mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        return {"key": v} if isinstance(v, str) else v


class WaitForStep(StepBase):
    wait_for: WaitForArgs


class ExpectStep(StepBase):
    expect: ExpectArgs


class CheckpointStep(StepBase):
    checkpoint: str = Field(min_length=1, description="Name of the snapshot.")


class OpenEmailLinkStep(StepBase):
    open_email_link: OpenEmailLinkArgs

    @field_validator("open_email_link", mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        if v is None:
            return {}
        return {"pattern": v} if isinstance(v, str) else v


STEP_MODELS: dict[str, type[StepBase]] = {
    "goto": GotoStep,
    "click": ClickStep,
    "fill": FillStep,
    "select": SelectStep,
    "check": CheckStep,
    "upload": UploadStep,
    "press": PressStep,
    "wait_for": WaitForStep,
    "expect": ExpectStep,
    "checkpoint": CheckpointStep,
    "open_email_link": OpenEmailLinkStep,
}
STEP_KINDS = tuple(STEP_MODELS)


def step_kind(raw: Any) -> str | None:
    """The kind of a raw step mapping: its one key that names a step kind."""
    if isinstance(raw, dict):
        kinds = [str(k) for k in raw if k in STEP_MODELS]
        if len(kinds) == 1:
            return kinds[0]
    if isinstance(raw, BaseModel):
        for kind in STEP_KINDS:
            if kind in type(raw).model_fields:
                return kind
    return None


Step = Annotated[
    Annotated[GotoStep, Tag("goto")]
    | Annotated[ClickStep, Tag("click")]
    | Annotated[FillStep, Tag("fill")]
    | Annotated[SelectStep, Tag("select")]
    | Annotated[CheckStep, Tag("check")]
    | Annotated[UploadStep, Tag("upload")]
    | Annotated[PressStep, Tag("press")]
    | Annotated[WaitForStep, Tag("wait_for")]
    | Annotated[ExpectStep, Tag("expect")]
    | Annotated[CheckpointStep, Tag("checkpoint")]
    | Annotated[OpenEmailLinkStep, Tag("open_email_link")],
    Discriminator(
        step_kind,
        custom_error_type="unknown_step_kind",
        custom_error_message="unknown step kind",
    ),
]


def kind_of(step: StepBase) -> str:
    """The kind name of a validated step."""
    kind = step_kind(step)
    assert kind is not None  # every validated step has exactly one kind field
    return kind


def args_of(step: StepBase) -> Any:
    """The kind-specific arguments of a validated step."""
    return getattr(step, kind_of(step))


class JourneyConfig(Strict):
    """One journey: a start page and the steps a person takes from it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$",
                    description="sign-up, proposal, vote, or any kebab-case name.")
    title: str = ""
    start: str = Field("/", description="Path (joined to base_url) or absolute URL opened first.")
    steps: list[Step] = Field(default_factory=list)


class MailboxConfig(Strict):
    """Where the platform under test delivers mail (a directory of .eml files for now)."""

    kind: Literal["directory"] = "directory"
    dir: str = Field(description="Directory of .eml files, relative to the journey file.")


class BrowserConfig(Strict):
    """Browser settings that a target needs (all optional)."""

    host_resolver_rules: str = Field(
        "", description="Chromium --host-resolver-rules, e.g. 'MAP *.test 127.0.0.1' for a "
        "staging setup whose host names are not in DNS.")
    width: int = Field(1920, ge=200, le=7680)
    height: int = Field(1080, ge=200, le=4320)
    locale: str = Field("", description="Accept-Language / navigator.language, e.g. fr-FR.")


class IdentityConfig(Strict):
    """How the per-run test identity is made."""

    email_domain: str = Field("example.test", description="Domain of generated e-mails.")
    email: str | None = Field(None, description="Use this address instead of a generated one.")
    pseudonym_prefix: str = "camille"
    password_length: int = Field(12, ge=8, le=128)


class TargetConfig(Strict):
    """A platform to audit: its base URL and its journeys, run in order in one browser context."""

    version: Literal[1] = 1
    name: str = ""
    base_url: str = Field(pattern=r"^https?://", description="http(s) URL of the platform.")
    lang: str = Field("", description="Expected main language (fr, en...), a cross-check.")
    step_timeout: float = Field(DEFAULT_STEP_TIMEOUT_S, gt=0)
    navigation_timeout: float = Field(DEFAULT_NAVIGATION_TIMEOUT_S, gt=0)
    password_probe: Literal["server", "client", "off"] = Field(
        "server", description="Probe password rules before a sign-up submit: 'server' also "
        "submits rejected candidates (never creates an extra account), 'client' only types "
        "and reads back, 'off' does nothing.")
    mailbox: MailboxConfig | None = None
    browser: BrowserConfig = Field(default_factory=BrowserConfig)
    identity: IdentityConfig = Field(default_factory=IdentityConfig)
    journeys: list[JourneyConfig] = Field(min_length=1)

    # Set by the loader: where the file is (relative paths resolve against it) and the line of
    # each step, (journey index, step index) -> line, so run errors can name the line.
    _source: str = PrivateAttr("")
    _step_lines: dict[tuple[int, int], int] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str:
        """Path of the journey file, or '' when built in memory."""
        return self._source

    def step_line(self, journey_index: int, step_index: int) -> int | None:
        """Line of a step in the journey file, if known."""
        return self._step_lines.get((journey_index, step_index))

    @model_validator(mode="after")
    def _unique_ids(self) -> TargetConfig:
        seen: set[str] = set()
        for journey in self.journeys:
            if journey.id in seen:
                raise ValueError(f"journey id '{journey.id}' is used twice")
            seen.add(journey.id)
        return self
