"""Probe a sign-up form's password rules without creating extra accounts (metrics.md §2.8).

Runs just before the step that submits a form holding a filled password field.

- Client side (always harmless): each candidate of the battery is typed into the field (and
  its confirmation fields), then the page is read back: how many characters the field kept
  (a ``maxlength`` truncates silently), the failing ValidityState flags, and any message the
  page shows. The show-password toggle is tried too. The journey's own value is put back.
- Server side (full-submit mode, sign-up forms only): candidates the browser would accept are
  submitted weakest first. A rejected candidate creates nothing; its message is recorded and
  the screen's fields are filled again (some platforms wipe them: WCAG 3.3.7). The first
  accepted candidate *is* the journey's real submission, so the platform ends with exactly one
  account, and later steps use that password.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditor.drivers.base import Driver, StepFailed
from auditor.journeys.schema import Target
from auditor.models import PasswordProbe, ProbeAttempt


@dataclass(frozen=True)
class Candidate:
    """One password of the battery (public values: never secrets)."""

    id: str
    value: str


#: Client-side battery, from metrics.md §2.8 plus the issue's "8 lowercase letters".
CLIENT_BATTERY = (
    Candidate("C8_lower", "papillon"),
    Candidate("C9_lower", "tournesol"),
    Candidate("C12_lower", "jardinpotage"),
    Candidate("C15_phrase", "pluie douce sur le jardin"),
    Candidate("C15_unicode", "été à la forêt verte"),
    Candidate("C64", "un petit chat gris dort sous le vieux tilleul du parc municipal."),
    Candidate("C_common", "azerty123"),
    Candidate("C_complex", "Plume-Vol4nte!2024"),
)
#: Server-side order: what asks least of a person first; the first accepted one ends it.
#: C12_lower (12 lowercase letters) beside the journey's own 12-character mixed password tells a
#: composition rule from a length rule.
SERVER_ORDER = ("C8_lower", "C12_lower", "C_common", "C15_phrase", "C64", "C_complex")


def character_classes(value: str) -> list[str]:
    """Character classes present in a password (what composition rules talk about)."""
    classes = []
    if any(c.islower() and c.isascii() for c in value):
        classes.append("lower")
    if any(c.isupper() and c.isascii() for c in value):
        classes.append("upper")
    if any(c.isdigit() for c in value):
        classes.append("digit")
    if any(c == " " for c in value):
        classes.append("space")
    if any(not c.isalnum() and c != " " and c.isascii() for c in value):
        classes.append("symbol")
    if any(not c.isascii() for c in value):
        classes.append("non-ascii")
    return classes


# Reads the password field and its form: everything the probe decides on, in one round trip.
_STATE_JS = """
(() => {
  const sel = %s;
  const shown = Array.from(document.querySelectorAll('input[type=password]'))
    .filter((e) => e.offsetParent !== null);
  const pw = (sel && document.querySelector(sel)) ||
    (sel ? shown[0] : shown.find((e) => e.value));
  if (!pw) return null;
  const form = pw.form;
  const scope = form || document;
  const path = (el) => {
    if (el.id) return '#' + CSS.escape(el.id);
    if (el.name) return el.tagName.toLowerCase() + '[name="' + CSS.escape(el.name) + '"]';
    const mark = 'p' + Math.random().toString(36).slice(2, 8);
    el.setAttribute('data-auditor-probe', mark);
    return '[data-auditor-probe="' + mark + '"]';
  };
  const confirms = Array.from(scope.querySelectorAll('input[type=password]'))
    .filter((e) => e !== pw && e.offsetParent !== null).map(path);
  const others = Array.from(scope.querySelectorAll(
      'input:not([type=password]):not([type=hidden]):not([type=submit]):not([type=button])' +
      ':not([type=checkbox]):not([type=radio]):not([type=file]), textarea'))
    .filter((e) => e.offsetParent !== null);
  const flags = [];
  for (const k of ['valueMissing','tooShort','tooLong','patternMismatch','typeMismatch',
                   'customError','badInput']) { if (pw.validity[k]) flags.push(k); }
  const texts = [];
  const add = (t) => {
    t = (t || '').replace(/\\s+/g, ' ').trim();
    if (t && !texts.includes(t)) texts.push(t);
  };
  for (const id of (pw.getAttribute('aria-describedby') || '').split(/\\s+/)) {
    const el = id && document.getElementById(id);
    if (el && el.offsetParent !== null && (pw.getAttribute('aria-invalid') === 'true' ||
        /invalid|erreur|error/i.test(el.className))) add(el.innerText);
  }
  const alerts = '[role=alert], [aria-live=assertive], .error, .errors, .field-error, ' +
    '.invalid-feedback';
  for (const el of document.querySelectorAll(alerts)) {
    if (el.offsetParent !== null) add(el.innerText);
  }
  if (!pw.validity.valid) add(pw.validationMessage);
  return {
    selector: path(pw), type: pw.type, kept: pw.value.length, url: location.href,
    confirms, flags, messages: texts, filled_others: others.filter((e) => e.value).length,
    autocomplete: pw.getAttribute('autocomplete') || '',
    has_form: !!form,
  };
})()
"""

# Finds and tries the show-password control next to the field; restores it afterwards.
_TOGGLE_JS = """
(() => {
  const pw = document.querySelector(%s);
  if (!pw) return null;
  const name = (el) => (el.getAttribute('aria-label') || el.innerText || el.title || '').trim();
  const re = /afficher|montrer|voir|masquer|show|hide|reveal|display/i;
  let scope = pw.parentElement;
  for (let i = 0; i < 3 && scope; i++) {
    const candidates = scope.querySelectorAll('button, [role=button], input[type=checkbox]');
    const controls = Array.from(candidates)
      .filter((c) => re.test(name(c) || (c.labels && c.labels[0] ? c.labels[0].innerText : '')) ||
              c.getAttribute('aria-controls') === pw.id);
    if (controls.length) {
      const c = controls[0];
      c.click();
      const shown = pw.type === 'text';
      if (pw.type !== 'password') c.click();
      return shown;
    }
    scope = scope.parentElement;
  }
  return false;
})()
"""


def _selector_arg(selector: str | None) -> str:
    return json.dumps(selector) if selector else "null"


def read_state(driver: Driver, selector: str | None = None) -> dict[str, Any] | None:
    """State of the (given or first filled) password field and its form."""
    result = driver.evaluate(_STATE_JS % _selector_arg(selector))
    return result if isinstance(result, dict) else None


def _fill_password(driver: Driver, state: dict[str, Any], value: str, timeout: float,
                   confirms: bool = True) -> None:
    for selector in [state["selector"], *(state["confirms"] if confirms else [])]:
        driver.fill(Target(css=selector), value, timeout)
    # Many platforms validate on blur; move focus away like a person tabbing out.
    driver.evaluate("document.activeElement && document.activeElement.blur()")


def probe_client(driver: Driver, state: dict[str, Any], original: str, timeout: float,
                 probe: PasswordProbe) -> None:
    """Type each candidate, read what the page says, then put the journey's value back."""
    for candidate in CLIENT_BATTERY:
        # The field's own checks are what the client side says; confirmations stay as typed.
        _fill_password(driver, state, candidate.value, timeout, confirms=False)
        after = read_state(driver, state["selector"]) or {}
        flags = list(after.get("flags", []))
        probe.attempts.append(ProbeAttempt(
            candidate=candidate.id, length=len(candidate.value),
            classes=character_classes(candidate.value), phase="client",
            accepted=not flags, kept_length=after.get("kept"), validity=flags,
            messages=list(after.get("messages", []))))
    try:
        shown = driver.evaluate(_TOGGLE_JS % json.dumps(state["selector"]))
        probe.show_toggle = bool(shown) if shown is not None else None
    except StepFailed:
        probe.show_toggle = None
    _fill_password(driver, state, original, timeout, confirms=False)


def probe_server(driver: Driver, state: dict[str, Any], original: str, timeout: float,
                 probe: PasswordProbe, submit: Callable[[], bool],
                 refill: Callable[[], None], on_rejected: Callable[[], None]) -> str | None:
    """Submit candidates weakest first; returns the one accepted (now the real submission).

    ``submit`` performs the journey's submit step and settles, returning whether a document
    loaded; ``refill`` replays the screen's fill steps; ``on_rejected`` is called after the
    first rejection (the runner takes an error-state checkpoint there).
    """
    client = {a.candidate: a for a in probe.attempts if a.phase == "client"}
    form_url = state["url"]
    probe.server_tested = True
    for candidate_id in SERVER_ORDER:
        seen = client.get(candidate_id)
        value = next(c.value for c in CLIENT_BATTERY if c.id == candidate_id)
        if seen is not None and (seen.validity or (seen.kept_length or 0) < len(value)):
            continue  # the browser itself refuses or truncates it: nothing to learn server-side
        _fill_password(driver, state, value, timeout)
        before_others = (read_state(driver, state["selector"]) or {}).get("filled_others", 0)
        submit()
        after = read_state(driver, state["selector"])
        rejected = after is not None and (bool(after.get("messages")) or after["url"] == form_url)
        attempt = ProbeAttempt(candidate=candidate_id, length=len(value),
                               classes=character_classes(value), phase="server",
                               accepted=not rejected)
        probe.attempts.append(attempt)
        if not rejected:
            probe.accepted_candidate = candidate_id
            return value
        attempt.messages = list(after.get("messages", [])) if after else []
        if probe.values_kept_after_reject is None:
            probe.values_kept_after_reject = after is not None and \
                after.get("filled_others", 0) >= before_others
            on_rejected()
        refill()
        state = read_state(driver, state["selector"]) or state
    _fill_password(driver, state, original, timeout)
    return None
