"""Journey effort: what a *person* has to do to complete each journey (metrics.md §3).

Entry point: :func:`measure_effort` (``Run`` → :class:`EffortMeasures`); :func:`klm_estimate`,
:func:`screens_of`, :func:`fields_of` and the others are pure helpers the tests hit directly.

The journey file's steps are what the bot did; effort is what a person must do. So a field the
bot filled is a field a person fills (with as many keystrokes), an ``open_email_link`` step is an
e-mail round trip (a context switch and a screen), an upload leaves the browser for the file
picker, and a CAPTCHA field is a challenge a person must solve even though the test site let the
bot through.

Definitions (§3.1, with the choices this module makes explicit):

- **screens** = distinct page loads (checkpoints triggered by ``start`` / ``navigation``, and
  ``url`` changes without a document load, i.e. SPA routes), keyed by host + path so a revisited
  page or a form re-displayed with errors counts once; + named ``checkpoint`` snapshots taken
  without navigation whose *form fields or headings differ* from the last screen counted on that
  path (a wizard step or a dialog rendered client-side; a page re-shown with error messages keeps
  its fields and headings, so it is not a new screen); + external context switches (the mailbox).
- **interactions** = steps of kind click, check, select, press, upload, and the click on the
  link of a confirmation e-mail.
- **fields**: the union of (a) the fields the journey filled (fill, select, check, upload steps)
  and (b) the visible, enabled, required fields on the forms of its checkpoints that the bot did
  not touch. (a) is what the canonical script needed; (b) catches required fields that a person
  must still deal with (a pre-filled default, a field the test site left optional server-side).
  ``fields_total`` also counts the optional fields met (§3.1 "distinct user-editable controls
  met"), but only fields to fill enter the time estimate. Search boxes are not counted.
- **keystrokes** = characters typed by fill steps + keys pressed by press steps (Enter, Tab).
- **context switches**: e-mail round trip (``open_email_link``), file upload (file picker), a
  CAPTCHA (a field whose name, id, label, placeholder or hint matches :data:`CAPTCHA_PATTERN`,
  from §2.4 home-made signatures), and pages on another site than the journey's start (an
  external identity provider).
- **waits** = measured durations of ``wait_for`` steps and of steps that loaded a document.
- **errors met** = checkpoints whose error corpus is not empty.

Time on task: the Keystroke-Level Model of §3.2 (Card, Moran & Newell 1980; operator times from
the Card et al. 1983 table as reproduced by Uni Hamburg, and Kieras):
``T = Σ_fields (M + P + B + H + n·K) + Σ_clicks (M + P + B) + Σ_keys-pressed (M + K) + Σ R +
reading``, for K = 0.28 s (average non-secretary typist) and K = 1.20 s (unfamiliar with the
keyboard, "éloigné du numérique").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.evidence import Evidence
from auditor.metrics.text_prep import non_space_chars
from auditor.metrics.trackers import host_of, is_third_party
from auditor.models import Checkpoint, FormField, JourneyResult, Run, StepResult

# --------------------------------------------------------------------------- constants

#: KLM operator times in seconds (§3.2).
KLM_M = 1.35  # mental preparation, before each field or command
KLM_P = 1.10  # point with the mouse
KLM_B = 0.20  # mouse button press after pointing
KLM_H = 0.40  # home hands between mouse and keyboard
#: Keystroke time of the two personas reported (§3.2): average non-secretary typist, and a
#: person unfamiliar with the keyboard.
KLM_PERSONAS: dict[str, float] = {"average": 0.28, "novice": 1.20}
#: Reading time per non-space character, ms (textstat ``reading_time``, Demberg & Keller 2008).
READING_MS_PER_CHAR = 14.69

#: Steps a person performs as a pointer action.
CLICK_KINDS = frozenset({"click", "check", "select", "upload"})
#: Steps that are key presses (Enter, Tab...).
KEY_KINDS = frozenset({"press"})
#: Steps that fill a field.
FIELD_KINDS = frozenset({"fill", "select", "check", "upload"})
EMAIL_KINDS = frozenset({"open_email_link"})
WAIT_KINDS = frozenset({"wait_for"})

#: Field types operated with the pointer rather than typed into.
POINTER_TYPES = frozenset({"checkbox", "radio", "select", "select-one", "select-multiple",
                           "file", "range", "color"})
#: Field types that are not something a person fills.
_NOT_FIELDS = frozenset({"submit", "button", "reset", "image", "hidden", "search"})

#: §2.4 home-made CAPTCHA signatures, applied to a field's name, id, label, placeholder, hint.
CAPTCHA_PATTERN = re.compile(
    r"captcha|je ne suis pas un robot|not a robot|robot|recopiez|code de s[ée]curit[ée]|"
    r"combien font", re.IGNORECASE)

ScreenKind = Literal["page_load", "client_side", "external"]
SwitchKind = Literal["email", "upload", "captcha", "external_site"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- result models


class Screen(_Model):
    """One screen a person sees, counted once."""

    kind: ScreenKind
    key: str
    evidence: Evidence


class FieldEffort(_Model):
    """One field a person meets, and what it costs."""

    key: str
    label: str
    name: str = ""
    type: str = ""
    required: bool | None = Field(description="None when the bot filled a field the form "
                                  "inventory does not show (matching failed).")
    filled_by_bot: bool
    to_fill: bool = Field(description="Counted in the effort: filled by the bot, or required.")
    action: str = Field(description="fill, select, check, upload; '' if the bot did not touch it.")
    typed_chars: int = 0
    evidence: Evidence


class ContextSwitch(_Model):
    """A moment the person leaves the platform's page flow."""

    kind: SwitchKind
    evidence: Evidence


class KlmEstimate(_Model):
    """Estimated time on task for one persona, with its parts (seconds)."""

    persona: str
    k_s: float
    total_s: float
    mental_s: float
    pointing_s: float
    clicking_s: float
    homing_s: float
    keying_s: float
    system_s: float
    reading_s: float


class JourneyEffort(_Model):
    """Effort of one journey."""

    journey_id: str
    title: str
    status: str
    partial: bool = Field(description="The journey did not complete: figures are a lower bound.")
    steps_run: int
    screens: int
    page_loads: int
    screen_list: list[Screen]
    interactions: int
    interaction_list: list[Evidence]
    fields_total: int
    fields_required: int
    fields_optional: int
    fields_to_fill: int
    field_list: list[FieldEffort]
    keystrokes: int
    context_switches: int
    context_switch_list: list[ContextSwitch]
    wait_ms: float
    wait_list: list[Evidence]
    errors_met: int
    error_list: list[Evidence]
    reading_time_s: float
    klm: list[KlmEstimate]
    notes: list[str]


class EffortMeasures(_Model):
    """Everything measure_effort returns."""

    journeys: list[JourneyEffort]
    constants: dict[str, float]
    caveats: list[str]


CAVEATS: tuple[str, ...] = (
    "Time on task is a Keystroke-Level Model estimate for an expert, error-free execution; real "
    "users, and especially people far from digital tools, take longer.",
    "Context switches (e-mail, file upload, CAPTCHA) are counted but their time is not "
    "modelled beyond the measured waits.",
)


# --------------------------------------------------------------------------- helpers


def path_key(url: str) -> str:
    """Host and path of a URL, without query, fragment or trailing slash."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/') or '/'}"


def _step_evidence(journey: JourneyResult, step: StepResult, detail: str = "") -> Evidence:
    line = f"line {step.line}: " if step.line else ""
    return Evidence(journey_id=journey.id, step_index=step.index, url=step.url_before,
                    selector=step.target, detail=f"{line}{step.kind} {step.target}".strip()
                    + (f" ({detail})" if detail else ""))


def _checkpoint_evidence(checkpoint: Checkpoint, detail: str = "", text: str = "") -> Evidence:
    return Evidence(journey_id=checkpoint.journey_id, step_index=checkpoint.step_index,
                    checkpoint=checkpoint.index, url=checkpoint.url, text=text, detail=detail)


def _done(steps: Iterable[StepResult]) -> list[StepResult]:
    """Steps that happened (a failed step was attempted; skipped ones were not)."""
    return [s for s in steps if s.outcome != "skipped"]


def user_fields(checkpoint: Checkpoint) -> list[FormField]:
    """Fields a person can fill on a checkpoint: visible, enabled, not buttons or search."""
    return [f for f in checkpoint.fields
            if f.visible and not f.disabled and f.type not in _NOT_FIELDS]


def field_key(f: FormField) -> str:
    """Identity of a field across checkpoints (the same form re-rendered gives the same key)."""
    ident = f.name or f.id or f.label or f.selector
    return f"{f.type}:{ident}".casefold()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", " ")).strip(" :").casefold()


_DESCRIBED = re.compile(r"^(?P<how>[\w-]+)(?: '(?P<what>.*)')?$", re.DOTALL)


def step_matches_field(step: StepResult, f: FormField) -> int:
    """How well a step's target (as ``Target.describe()`` wrote it) designates this field.

    0 no match, 1 partial (the wanted text is inside the label or placeholder), 2 exact.
    ``label 'X'`` / ``<role> 'X'`` match the accessible name, ``placeholder 'X'`` the
    placeholder, ``css 'S'`` the recorded selector, ``#id`` or ``[name=…]``.
    """
    match = _DESCRIBED.match(step.target.strip())
    if not match:
        return 0
    how, what = match.group("how"), match.group("what") or ""
    if not what:
        return 0
    wanted = _fold(what)
    if how == "css":
        exact = what in (f.selector, f"#{f.id}" if f.id else "\0") or bool(
            f.name and re.search(rf"\[name=['\"]?{re.escape(f.name)}['\"]?\]", what))
        return 2 if exact else 0
    text = _fold(f.placeholder if how == "placeholder" else f.label)
    if not text:
        return 0
    if wanted == text:
        return 2
    return 1 if wanted in text else 0


def _best_field(step: StepResult, inventory: dict[str, tuple[FormField, Checkpoint]]
                ) -> str | None:
    """The inventory key that best matches a step: exact beats partial, then first seen."""
    best, best_score = None, 0
    for key, (f, _) in inventory.items():
        score = step_matches_field(step, f)
        if score > best_score:
            best, best_score = key, score
    return best


def is_captcha(f: FormField) -> bool:
    """§2.4 home-made CAPTCHA signature on a field."""
    haystack = " ".join((f.name, f.id, f.label, f.placeholder, f.hint))
    return bool(CAPTCHA_PATTERN.search(haystack))


def _signature(checkpoint: Checkpoint) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (tuple(checkpoint.text.headings),
            tuple(sorted(field_key(f) for f in user_fields(checkpoint))))


# --------------------------------------------------------------------------- figures


def screens_of(journey: JourneyResult) -> list[Screen]:
    """Screens of a journey, each counted once (see the module docstring)."""
    steps = {s.index: s for s in journey.steps}
    screens: list[Screen] = []
    seen: set[str] = set()
    last_on_path: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for checkpoint in journey.checkpoints:
        path = path_key(checkpoint.url)
        step = steps.get(checkpoint.step_index)
        kind: ScreenKind
        if checkpoint.trigger in ("start", "navigation", "url"):
            kind = "page_load" if checkpoint.trigger != "url" else "client_side"
            key = f"page:{path}"
        elif checkpoint.trigger == "checkpoint":
            signature = _signature(checkpoint)
            navigated = bool(step and step.navigated)
            if navigated or not checkpoint.name:
                kind, key = "page_load", f"page:{path}"
            elif signature == last_on_path.get(path):
                continue  # same fields and headings as the screen already counted here
            else:
                kind, key = "client_side", f"state:{path}:{checkpoint.name}"
        else:
            continue  # "failure" snapshots are not something a person was meant to see
        last_on_path[path] = _signature(checkpoint)
        if key in seen:
            continue
        seen.add(key)
        screens.append(Screen(kind=kind, key=key, evidence=_checkpoint_evidence(
            checkpoint, detail=f"{checkpoint.trigger} {checkpoint.name}".strip())))
    for step in _done(journey.steps):
        if step.kind in EMAIL_KINDS:
            key = f"email:{step.index}"
            screens.append(Screen(kind="external", key=key, evidence=_step_evidence(
                journey, step, "the mailbox: find the mail, open it, click the link")))
    return screens


def fields_of(journey: JourneyResult) -> list[FieldEffort]:
    """Fields met in a journey and the ones a person must fill (see the module docstring)."""
    inventory: dict[str, tuple[FormField, Checkpoint]] = {}
    for checkpoint in journey.checkpoints:
        for f in user_fields(checkpoint):
            inventory.setdefault(field_key(f), (f, checkpoint))
    out: dict[str, FieldEffort] = {}
    for step in _done(journey.steps):
        if step.kind not in FIELD_KINDS:
            continue
        match = _best_field(step, inventory)
        if match is None:
            key = f"step:{step.target}".casefold()
            label = _DESCRIBED.match(step.target.strip())
            shown = (label.group("what") if label and label.group("what") else step.target)
            entry = out.setdefault(key, FieldEffort(
                key=key, label=shown or "", required=None, filled_by_bot=True, to_fill=True,
                action=step.kind, evidence=_step_evidence(journey, step)))
        else:
            f, _ = inventory[match]
            entry = out.setdefault(match, FieldEffort(
                key=match, label=f.label, name=f.name, type=f.type, required=f.required,
                filled_by_bot=True, to_fill=True, action=step.kind,
                evidence=_step_evidence(journey, step)))
        entry.typed_chars += step.typed_chars
    for key, (f, checkpoint) in inventory.items():
        if key in out:
            continue
        out[key] = FieldEffort(
            key=key, label=f.label, name=f.name, type=f.type, required=f.required,
            filled_by_bot=False, to_fill=f.required, action="",
            evidence=_checkpoint_evidence(checkpoint, detail="form inventory", text=f.label)
            .model_copy(update={"selector": f.selector}))
    return list(out.values())


def context_switches_of(journey: JourneyResult) -> list[ContextSwitch]:
    """E-mail round trips, uploads, CAPTCHAs and external sites met in a journey."""
    switches: list[ContextSwitch] = []
    for step in _done(journey.steps):
        if step.kind in EMAIL_KINDS:
            switches.append(ContextSwitch(kind="email", evidence=_step_evidence(
                journey, step, "e-mail round trip")))
        elif step.kind == "upload":
            switches.append(ContextSwitch(kind="upload", evidence=_step_evidence(
                journey, step, "file picker: leaves the browser page")))
    captchas: set[str] = set()
    external_hosts: set[str] = set()
    start_host = host_of(journey.start_url)
    for checkpoint in journey.checkpoints:
        for f in user_fields(checkpoint):
            key = f"{path_key(checkpoint.url)}:{f.form_index}"
            if is_captcha(f) and key not in captchas:
                captchas.add(key)
                switches.append(ContextSwitch(kind="captcha", evidence=_checkpoint_evidence(
                    checkpoint, detail=f"CAPTCHA field {f.name or f.id or f.label!r}",
                    text=f.label).model_copy(update={"selector": f.selector})))
        host = host_of(checkpoint.url)
        if (checkpoint.trigger != "failure" and host and start_host and host not in external_hosts
                and is_third_party(host, start_host)):
            external_hosts.add(host)
            switches.append(ContextSwitch(kind="external_site", evidence=_checkpoint_evidence(
                checkpoint, detail=f"another site: {host}")))
    return switches


@dataclass
class KlmCounts:
    """Operator counts the KLM estimate is computed from."""

    text_fields: int = 0
    field_keys: int = 0
    clicks: int = 0
    key_presses: int = 0
    system_s: float = 0.0
    reading_s: float = 0.0
    notes: list[str] = field(default_factory=list)


def klm_estimate(counts: KlmCounts, persona: str, k_s: float) -> KlmEstimate:
    """§3.2: T = Σ_fields (M+P+B+H+n·K) + Σ_clicks (M+P+B) + Σ_presses (M+K) + ΣR + reading."""
    mental = KLM_M * (counts.text_fields + counts.clicks + counts.key_presses)
    pointing = KLM_P * (counts.text_fields + counts.clicks)
    clicking = KLM_B * (counts.text_fields + counts.clicks)
    homing = KLM_H * counts.text_fields
    keying = k_s * (counts.field_keys + counts.key_presses)
    total = mental + pointing + clicking + homing + keying + counts.system_s + counts.reading_s
    return KlmEstimate(
        persona=persona, k_s=k_s, total_s=round(total, 2), mental_s=round(mental, 2),
        pointing_s=round(pointing, 2), clicking_s=round(clicking, 2), homing_s=round(homing, 2),
        keying_s=round(keying, 2), system_s=round(counts.system_s, 2),
        reading_s=round(counts.reading_s, 2))


def reading_time_s(checkpoints: Iterable[Checkpoint]) -> float:
    """Seconds to read the main prose and microcopy of these screens (14.69 ms per char)."""
    chars = 0
    for checkpoint in checkpoints:
        text = checkpoint.text
        chars += non_space_chars(text.main_prose) + sum(non_space_chars(m) for m in text.microcopy)
    return chars * READING_MS_PER_CHAR / 1000


def measure_journey(journey: JourneyResult) -> JourneyEffort:
    """Effort of one journey."""
    done = _done(journey.steps)
    notes: list[str] = []
    partial = journey.status != "completed"
    if partial:
        where = f" at step {journey.failed_step + 1}" if journey.failed_step is not None else ""
        notes.append(f"journey {journey.status}{where}: figures cover what ran and are a "
                     "lower bound")

    screens = screens_of(journey)
    interactions = [_step_evidence(journey, s) for s in done
                    if s.kind in CLICK_KINDS | KEY_KINDS | EMAIL_KINDS]
    fields = fields_of(journey)
    switches = context_switches_of(journey)
    waits = [_step_evidence(journey, s, f"{s.duration_ms:.0f} ms") for s in done
             if s.kind in WAIT_KINDS or s.navigated]
    wait_ms = sum(s.duration_ms for s in done if s.kind in WAIT_KINDS or s.navigated)
    errors = [_checkpoint_evidence(c, detail=f"{len(c.text.errors)} error message(s)",
                                   text=" | ".join(c.text.errors))
              for c in journey.checkpoints if c.text.errors and c.trigger != "probe"]
    keystrokes = sum(s.typed_chars for s in done if s.kind == "fill" or s.kind in KEY_KINDS)

    screen_checkpoints = {s.evidence.checkpoint for s in screens
                          if s.evidence.checkpoint is not None}
    reading = reading_time_s(c for c in journey.checkpoints if c.index in screen_checkpoints)

    to_fill = [f for f in fields if f.to_fill]
    # Typed fields cost M+P+B+H+n·K; select / check / upload are pointer actions counted with
    # the clicks (the bot's step for them is a click-like step already).
    text_fields = [f for f in to_fill
                   if f.action == "fill" or (f.action == "" and f.type not in POINTER_TYPES)]
    pointer_unfilled = [f for f in to_fill if f.action == "" and f.type in POINTER_TYPES]
    unfilled_required = [f for f in to_fill if not f.filled_by_bot]
    if unfilled_required:
        notes.append(f"{len(unfilled_required)} required field(s) the journey did not fill: "
                     "counted as fields to fill, with no keystrokes (value unknown)")
    unmatched = [f for f in fields if f.required is None]
    if unmatched:
        notes.append(f"{len(unmatched)} filled field(s) not found in the form inventory: "
                     "required/optional unknown")
    counts = KlmCounts(
        text_fields=len(text_fields),
        field_keys=sum(f.typed_chars for f in text_fields),
        clicks=sum(1 for s in done if s.kind in CLICK_KINDS | EMAIL_KINDS)
        + len(pointer_unfilled),
        key_presses=sum(s.typed_chars for s in done if s.kind in KEY_KINDS),
        system_s=wait_ms / 1000,
        reading_s=reading,
    )
    required = sum(1 for f in fields if f.required)
    known = sum(1 for f in fields if f.required is not None)
    return JourneyEffort(
        journey_id=journey.id, title=journey.title, status=journey.status, partial=partial,
        steps_run=len(done),
        screens=len(screens),
        page_loads=sum(1 for s in screens if s.kind == "page_load"),
        screen_list=screens,
        interactions=len(interactions), interaction_list=interactions,
        fields_total=len(fields), fields_required=required, fields_optional=known - required,
        fields_to_fill=len(to_fill), field_list=fields,
        keystrokes=keystrokes,
        context_switches=len(switches), context_switch_list=switches,
        wait_ms=round(wait_ms, 1), wait_list=waits,
        errors_met=len(errors), error_list=errors,
        reading_time_s=round(reading, 2),
        klm=[klm_estimate(counts, persona, k) for persona, k in KLM_PERSONAS.items()],
        notes=notes,
    )


def measure_effort(run: Run) -> EffortMeasures:
    """Effort of every journey of ``run`` that ran (``not_run`` journeys are listed, empty)."""
    return EffortMeasures(
        journeys=[measure_journey(j) for j in run.journeys],
        constants={"M": KLM_M, "P": KLM_P, "B": KLM_B, "H": KLM_H,
                   **{f"K_{name}": k for name, k in KLM_PERSONAS.items()},
                   "reading_ms_per_char": READING_MS_PER_CHAR},
        caveats=list(CAVEATS),
    )
