"""Run the journeys of a target config in one real browser and record a Run.

What the runner guarantees (issue 2):
- one fresh browser context per run; journeys run in file order and share it, so the
  sign-up's session carries into the proposal and the vote, as for a person;
- a checkpoint at the start page, after every document load, after a client-side URL change,
  at every ``checkpoint`` step, and at a failure;
- a failed step ends its journey with a one-line error and a screenshot; the next journeys
  still run; run.json is rewritten after every journey, so an interruption loses nothing
  gathered before it.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.browser import BrowserLocation
from auditor.drivers.base import Driver, StepFailed
from auditor.gatherers import axe
from auditor.gatherers.checkpoint import take_checkpoint
from auditor.journeys import mailbox, password_probe
from auditor.journeys.identity import TestIdentity, make_identity
from auditor.journeys.schema import (
    CheckArgs,
    ExpectArgs,
    FillArgs,
    GotoArgs,
    JourneyConfig,
    OpenEmailLinkArgs,
    PressArgs,
    SelectArgs,
    StepBase,
    Target,
    TargetConfig,
    UploadArgs,
    WaitForArgs,
    args_of,
    kind_of,
)
from auditor.journeys.templating import TemplateContext, TemplateError
from auditor.models import (
    BrowserInfo,
    Checkpoint,
    Identity,
    JourneyResult,
    PasswordProbe,
    ProbeAttempt,
    Run,
    StepResult,
    TargetInfo,
    ToolInfo,
    Viewport,
)
from auditor.run_io import save_run
from auditor.urls import Redactor, join_url

# Steps replayed to fill a screen again after a rejected password candidate.
_REFILL_KINDS = ("fill", "select", "check", "upload")

#: Stated in every run (metrics.md §0.4: always say how pages were measured).
PROTOCOL = (
    "Desktop persona, viewport {width}x{height}, no network or CPU throttling. One fresh "
    "browser context per run: the first page is loaded cold (no cache, cookies or storage), "
    "later pages warm, as a person would. At each page load: wait for the load event, scroll "
    "to the bottom and back, then wait until no request has been in flight for 150 ms (at "
    "most 2 s) before the checkpoint. Transferred bytes are CDP encodedDataLength (on the "
    "wire, headers included); DOM elements exclude SVG descendants (EcoIndex method)."
)

# Step kinds after which a document may load (clicks on links, submits, Enter in a form).
_MAY_NAVIGATE = {"click", "press", "goto", "open_email_link"}
# A cheap fingerprint of the page state: a named checkpoint whose page has not changed since
# the last snapshot reuses it (renamed) instead of gathering the same state twice.
_FINGERPRINT_JS = ("location.href + '|' + document.getElementsByTagName('*').length + '|' + "
                   "(document.body ? document.body.innerText.length : 0)")


@dataclass
class ProgressEvent:
    """What the CLI shows while a run goes on."""

    kind: str  # journey-start, step, checkpoint, journey-end
    journey_id: str
    message: str
    ok: bool = True


ProgressCallback = Callable[[ProgressEvent], None]
DriverFactory = Callable[[TargetConfig, BrowserLocation], Driver]


def _version_of(dist: str) -> str:
    try:
        return package_version(dist)
    except PackageNotFoundError:
        return ""


class JourneyRunner:
    """Drives one target config through a Driver and records everything in a Run."""

    def __init__(self, config: TargetConfig, *, out_dir: Path, browser: BrowserLocation,
                 driver_factory: DriverFactory, env: Mapping[str, str] | None = None,
                 progress: ProgressCallback | None = None) -> None:
        self.config = config
        self.out_dir = out_dir
        self.browser = browser
        self.driver_factory = driver_factory
        self.progress = progress or (lambda event: None)
        self.identity: TestIdentity = make_identity(config.identity)
        self.templates = TemplateContext(self.identity, env if env is not None else os.environ)
        self.templates.render("{{ identity.password }}")  # registers it as a secret
        self.redactor = Redactor(self.templates.secrets)
        self.config_dir = Path(config.source).parent if config.source else Path.cwd()
        self._checkpoint_count = 0
        # Steps done on the current screen (reset at each document load), for refills.
        self._screen_steps: list[StepBase] = []
        self._probed: set[tuple[str, str]] = set()
        self._server_probed: set[str] = set()  # journeys whose sign-up form was probed
        self._last_fingerprint = ""
        self._started_wall = time.time()
        self.run_record = Run(
            tool=ToolInfo(version=__version__, python=platform.python_version(),
                          playwright=_version_of("playwright")),
            browser=BrowserInfo(path=browser.path, source=browser.source),
            viewport=Viewport(width=config.browser.width, height=config.browser.height),
            target=TargetInfo(name=config.name, base_url=config.base_url,
                              config_path=config.source),
            identity=Identity(pseudonym=self.identity.pseudonym, email=self.identity.email,
                              password_length=len(self.identity.password)),
            protocol=PROTOCOL.format(width=config.browser.width, height=config.browser.height),
        )

    # public -----------------------------------------------------------------------------

    def run(self) -> Run:
        """Run every journey; always returns (and has saved) a Run, however far it got."""
        record = self.run_record
        record.started_at = _now()
        started = time.perf_counter()
        try:
            record.tool.axe_version = axe.axe_version()
        except axe.AxeUnavailable as exc:
            record.errors.append(str(exc))
        self._save()
        driver: Driver | None = None
        try:
            driver = self.driver_factory(self.config, self.browser)
            record.browser.version = driver.browser_version
            record.browser.driver = driver.driver_name
            for journey in self.config.journeys:
                result = self._run_journey(driver, journey)
                record.journeys.append(result)
                self._save()
        except KeyboardInterrupt:
            record.errors.append("interrupted: the journeys after the current one did not run")
            raise
        except StepFailed as exc:
            record.errors.append(self.redactor.text(str(exc)))
        finally:
            done = {j.id for j in record.journeys}
            for journey in self.config.journeys:
                if journey.id not in done:
                    record.journeys.append(JourneyResult(
                        id=journey.id, title=journey.title,
                        start_url=self.redactor.url(join_url(self.config.base_url,
                                                             journey.start)),
                        status="not_run"))
            if driver is not None:
                driver.close()
            record.finished_at = _now()
            record.duration_ms = round((time.perf_counter() - started) * 1000, 1)
            self._save()
        return record

    # journeys ---------------------------------------------------------------------------

    def _save(self) -> None:
        save_run(self.run_record, self.out_dir, self.redactor)

    def _journey_index(self, journey: JourneyConfig) -> int:
        return self.config.journeys.index(journey)

    def _run_journey(self, driver: Driver, journey: JourneyConfig) -> JourneyResult:
        start_url = join_url(self.config.base_url, journey.start)
        result = JourneyResult(id=journey.id, title=journey.title,
                               start_url=self.redactor.url(start_url), status="completed")
        self.progress(ProgressEvent("journey-start", journey.id, journey.title or journey.id))
        started = time.perf_counter()
        nav_timeout = self.config.navigation_timeout
        self._screen_steps = []
        try:
            driver.goto(start_url, nav_timeout)
            driver.settle(False, nav_timeout)
            self._checkpoint(driver, result, -1, "start", "start")
        except StepFailed as exc:
            self._fail(driver, result, -1, f"start page: {exc}")
        if result.status == "completed":
            for index, step in enumerate(journey.steps):
                step_result = self._run_step(driver, journey, result, index, step)
                result.steps.append(step_result)
                if step_result.outcome == "failed":
                    for later, rest in enumerate(journey.steps[index + 1:], start=index + 1):
                        result.steps.append(self._describe(journey, later, rest, "skipped"))
                    break
        result.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        self.progress(ProgressEvent("journey-end", journey.id, result.error or "completed",
                                    ok=result.status == "completed"))
        return result

    def _fail(self, driver: Driver, result: JourneyResult, step_index: int,
              message: str) -> None:
        result.status = "failed"
        result.error = self.redactor.text(message)
        result.failed_step = step_index if step_index >= 0 else None
        try:
            self._checkpoint(driver, result, step_index, "failure", "failure", with_axe=False)
        except StepFailed:
            pass  # the browser itself is gone; the error line says what happened

    def _named_checkpoint(self, driver: Driver, result: JourneyResult, step_index: int,
                          name: str, record: StepResult) -> None:
        """A ``checkpoint`` step: a new snapshot, or the last one renamed if nothing changed."""
        last = result.checkpoints[-1] if result.checkpoints else None
        if last is not None and last.trigger != "probe" and \
                self._fingerprint(driver) == self._last_fingerprint:
            last.name = name
            record.checkpoints.append(last.index)
            return
        self._checkpoint(driver, result, step_index, "checkpoint", name)

    def _fingerprint(self, driver: Driver) -> str:
        try:
            return str(driver.evaluate(_FINGERPRINT_JS))
        except StepFailed:
            return ""

    def _checkpoint(self, driver: Driver, result: JourneyResult, step_index: int,
                    trigger: str, name: str, with_axe: bool = True) -> Checkpoint:
        checkpoint = take_checkpoint(
            driver, index=self._checkpoint_count, journey_id=result.id, step_index=step_index,
            trigger=trigger, name=name, shots_dir=self.out_dir / "screenshots",
            site_url=self.config.base_url, redactor=self.redactor, with_axe=with_axe)
        self._checkpoint_count += 1
        result.checkpoints.append(checkpoint)
        self._last_fingerprint = self._fingerprint(driver)
        violations = len(checkpoint.axe.violations)
        self.progress(ProgressEvent("checkpoint", result.id,
                                    f"{name}: {checkpoint.url} ({violations} axe rules failed)"))
        return checkpoint

    # steps ------------------------------------------------------------------------------

    def _describe(self, journey: JourneyConfig, index: int, step: StepBase,
                  outcome: str = "ok") -> StepResult:
        kind = kind_of(step)
        args = args_of(step)
        target = ""
        value = ""
        if isinstance(args, Target):
            target = args.describe()
        if isinstance(args, FillArgs):
            value = args.value
        elif isinstance(args, SelectArgs):
            value = args.option
        elif isinstance(args, CheckArgs):
            value = "checked" if args.checked else "unchecked"
        elif isinstance(args, UploadArgs):
            value = Path(args.file).name
        elif isinstance(args, GotoArgs):
            target = args.url
        elif isinstance(args, PressArgs):
            value = args.key
            press_target = args.target()
            target = press_target.describe() if press_target else ""
        elif isinstance(args, (WaitForArgs, ExpectArgs)):
            value = next((str(v) for k in ("url", "text") if (v := getattr(args, k, None))), "")
            wait_target = args.target() if isinstance(args, WaitForArgs) else None
            target = wait_target.describe() if wait_target else ""
        elif isinstance(args, OpenEmailLinkArgs):
            value = args.pattern
        elif kind == "checkpoint":
            value = str(args)
        return StepResult(index=index, kind=kind,
                          line=self.config.step_line(self._journey_index(journey), index),
                          target=target, value=value,
                          outcome=outcome)

    def _run_step(self, driver: Driver, journey: JourneyConfig, result: JourneyResult,
                  index: int, step: StepBase) -> StepResult:
        record = self._describe(journey, index, step)
        kind = record.kind
        timeout = step.timeout or self.config.step_timeout
        record.url_before = self.redactor.url(driver.url)
        started = time.perf_counter()
        checkpoints_before = len(result.checkpoints)
        try:
            probe = self._maybe_probe(driver, journey, result, index, step, record, timeout)
            if probe is not None and probe.accepted_candidate:
                navigated = True  # a probe candidate was accepted: it was the real submission
            else:
                driver.begin_action()
                navigated = self._perform(driver, kind, args_of(step), record, timeout)
                if kind in _MAY_NAVIGATE or navigated:
                    navigated = driver.settle(kind in _MAY_NAVIGATE,
                                              self.config.navigation_timeout) or navigated
                if probe is not None and probe.server_tested:
                    self._judge_own_password(driver, probe)
            record.navigated = navigated
            if navigated:
                self._screen_steps = []
            elif kind in _REFILL_KINDS:
                self._screen_steps.append(step)
            if navigated:
                self._checkpoint(driver, result, index, "navigation", f"step-{index + 1}")
            elif self.redactor.url(driver.url) != record.url_before:
                self._checkpoint(driver, result, index, "url", f"step-{index + 1}")
            if kind == "checkpoint":
                self._named_checkpoint(driver, result, index, str(args_of(step)), record)
        except (StepFailed, TemplateError, mailbox.MailNotFound) as exc:
            record.outcome = "failed"
            line = f", line {record.line}" if record.line else ""
            what = f"{kind} {record.target}".strip()
            record.error = self.redactor.text(str(exc))
            self._fail(driver, result, index,
                       f"step {index + 1} ({what}{line}): {record.error}")
        record.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        record.url_after = self.redactor.url(driver.url)
        record.checkpoints += [c.index for c in result.checkpoints[checkpoints_before:]]
        record.value = self.redactor.text(record.value)
        self.progress(ProgressEvent("step", journey.id,
                                    f"{index + 1}. {kind} {record.target}".strip(),
                                    ok=record.outcome == "ok"))
        return record

    # password probing -------------------------------------------------------------------

    def _maybe_probe(self, driver: Driver, journey: JourneyConfig, result: JourneyResult,
                     index: int, step: StepBase, record: StepResult,
                     timeout: float) -> PasswordProbe | None:
        """Before a submit (click or key press) on a screen with a filled password field."""
        kind = kind_of(step)
        if kind not in ("click", "press") or self.config.password_probe == "off":
            return None
        state = password_probe.read_state(driver)
        if state is None or not state.get("has_form"):
            return None
        key = (journey.id, f"{state['url']}|{state['selector']}")
        if key in self._probed:
            return None
        self._probed.add(key)
        original = str(driver.evaluate(
            f"document.querySelector({json.dumps(state['selector'])}).value"))
        probe = PasswordProbe(journey_id=journey.id, step_index=index,
                              checkpoint=result.checkpoints[-1].index if result.checkpoints
                              else None,
                              url=self.redactor.url(state["url"]),
                              field_selector=state["selector"],
                              confirm_fields=len(state["confirms"]))
        result.probes.append(probe)
        password_probe.probe_client(driver, state, original, timeout, probe)
        # Server-side candidates only on the journey's first password form, and only if it
        # looks like account creation: submitting candidates to a log-in form would only be
        # failed log-ins (and could lock the account).
        signup_like = journey.id not in self._server_probed and (
            state.get("autocomplete") == "new-password" or bool(state["confirms"])
            or any(w in journey.id for w in ("sign", "inscri", "regist")))
        if self.config.password_probe != "server" or self.run_record.mode != "full-submit" \
                or not signup_like:
            if not signup_like:
                probe.notes.append("server-side candidates not tried: not a sign-up form "
                                   "(a log-in form, or the journey's form was probed already)")
            return probe
        self._server_probed.add(journey.id)

        def submit() -> bool:
            # Each candidate's traffic is its own: the rejected ones' requests would inflate
            # the weight of the page the person actually reaches next.
            driver.drain_requests()
            driver.begin_action()
            self._perform(driver, kind, args_of(step), record, timeout)
            return driver.settle(True, self.config.navigation_timeout)

        def refill() -> None:
            if probe.values_kept_after_reject:
                return  # the platform kept what was typed; only the password is put back
            for earlier in self._screen_steps:
                self._perform(driver, kind_of(earlier), args_of(earlier),
                              StepResult(index=-1, kind=kind_of(earlier)), timeout)

        def on_rejected() -> None:
            self._checkpoint(driver, result, index, "probe", "probe-rejected")

        accepted = password_probe.probe_server(driver, state, original, timeout, probe,
                                               submit, refill, on_rejected)
        if accepted is None:
            # The last rejected candidate's traffic is the tool's, not the person's: the real
            # submission that follows starts with a clean network log.
            driver.drain_requests()
        if accepted is not None:
            # The weak candidate is now the account's password: later log-ins must use it.
            self.identity = TestIdentity(self.identity.pseudonym, self.identity.email, accepted)
            self.templates.identity = self.identity
            self.redactor.add(accepted)
            record.typed_chars = 0
        return probe

    def _judge_own_password(self, driver: Driver, probe: PasswordProbe) -> None:
        """Record whether the journey's own password went through the real submission."""
        after = password_probe.read_state(driver, probe.field_selector)
        rejected = after is not None and bool(after.get("messages"))
        probe.attempts.append(ProbeAttempt(
            candidate="journey", length=len(self.identity.password),
            classes=password_probe.character_classes(self.identity.password), phase="server",
            accepted=not rejected, messages=list(after.get("messages", [])) if after else []))

    def _perform(self, driver: Driver, kind: str, args: Any, record: StepResult,
                 timeout: float) -> bool:
        """Do one step; returns True when the step itself loaded a document."""
        if kind == "goto":
            driver.goto(join_url(self.config.base_url, args.url), self.config.navigation_timeout)
            return True
        if kind == "click":
            driver.click(args, timeout)
        elif kind == "fill":
            rendered = self.templates.render(args.value)
            self.redactor.add(*self.templates.secrets)
            record.secret = rendered.secret
            record.typed_chars = len(rendered.text)
            driver.fill(args, rendered.text, timeout)
        elif kind == "select":
            driver.select(args, self.templates.render(args.option).text, timeout)
        elif kind == "check":
            driver.check(args, args.checked, timeout)
        elif kind == "upload":
            file = Path(args.file)
            if not file.is_absolute():
                file = self.config_dir / file
            if not file.is_file():
                raise StepFailed(f"upload: file {file} does not exist")
            driver.upload(args, file, timeout)
        elif kind == "press":
            record.typed_chars = 1
            driver.press(args.key, args.target(), timeout)
        elif kind in ("wait_for", "expect"):
            self._wait(driver, kind, args, timeout)
        elif kind == "open_email_link":
            return self._open_email_link(driver, args, record)
        return False

    def _wait(self, driver: Driver, kind: str, args: WaitForArgs | ExpectArgs,
              timeout: float) -> None:
        try:
            if args.url is not None:
                driver.wait_for_url(args.url, timeout)
            elif args.text is not None:
                driver.wait_for_text(args.text, timeout)
            elif isinstance(args, WaitForArgs) and (target := args.target()) is not None:
                driver.wait_for_element(target, timeout)
        except StepFailed as exc:
            if kind == "expect":
                expected = args.text if args.text is not None else args.url
                raise StepFailed(f"expected {'text' if args.text else 'address'} "
                                 f"'{expected}' not met on {self.redactor.url(driver.url)} "
                                 f"({exc})") from None
            raise

    def _open_email_link(self, driver: Driver, args: OpenEmailLinkArgs,
                         record: StepResult) -> bool:
        if self.config.mailbox is None:
            raise StepFailed("open_email_link needs a 'mailbox: {dir: ...}' in the journey file")
        box = Path(self.config.mailbox.dir)
        if not box.is_absolute():
            box = self.config_dir / box
        recipient = self.templates.render(args.to).text
        link = mailbox.find_link(box, recipient, args.pattern, self._started_wall, args.wait)
        self.redactor.secrets_in_link(link)
        record.target = f"mail to {recipient}"
        driver.goto(link, self.config.navigation_timeout)
        return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
