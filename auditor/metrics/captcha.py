"""CAPTCHA detection on saved checkpoints (metrics.md §2.4, check P10).

Three kinds of trace, all already in a :class:`~auditor.models.Checkpoint`:

- **requests**: the script, frame and image URLs of the known providers (signatures of
  metrics.md §2.4, after public detector code such as scryptonit/captchas
  ``captcha_detector.js``). A reCAPTCHA ``api.js?render=<sitekey>`` is v3 (invisible); an
  ``api2/anchor`` frame with ``size=invisible`` is an invisible v2; Turnstile's default
  *managed* mode usually passes without a task and is counted as invisible, as §2.9 does;
  Friendly Captcha is a proof-of-work puzzle the browser solves alone.
- **fields**: a control whose name, id, label or placeholder says captcha / robot / security
  code, and the response fields the widgets add (``g-recaptcha-response``,
  ``h-captcha-response``), which the gatherer records as not visible.
- **text**: the home-made questions ("Combien font sept plus cinq ?", "Recopiez les caractères",
  "Faites glisser la pièce").

What it becomes (WCAG 3.3.8, Understanding 3.3.8): an arithmetic, transcription, logic or
puzzle task is a *cognitive function test* that no exception covers, so without another way in
it is blocking. Image selection (reCAPTCHA v2, hCaptcha) falls under the *object recognition*
exception at level AA, so it is a visible barrier but not a 3.3.8 failure (it fails 3.3.9, AAA).
An audio alternative that must be transcribed is no alternative. Whether an alternative exists
is mostly a manual check: here only an identity provider on the same pages counts as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.evidence import Evidence
from auditor.metrics.personal_data import CAPTCHA_FIELD_RE, field_text, normalise
from auditor.models import Checkpoint

Provider = Literal[
    "recaptcha", "hcaptcha", "turnstile", "friendly-captcha", "arkose", "geetest", "home-made",
]
Challenge = Literal["none", "checkbox", "object-recognition", "arithmetic", "transcription",
                    "puzzle", "question", "unknown"]

#: Challenges that are cognitive function tests without exception (Understanding 3.3.8).
COGNITIVE: frozenset[str] = frozenset({"arithmetic", "transcription", "puzzle", "question"})

#: Provider signatures in request URLs, most specific first.
_URL_SIGNATURES: tuple[tuple[re.Pattern[str], Provider], ...] = (
    (re.compile(r"/recaptcha/|recaptcha\.net|gstatic\.com/recaptcha", re.I), "recaptcha"),
    (re.compile(r"hcaptcha\.com", re.I), "hcaptcha"),
    (re.compile(r"challenges\.cloudflare\.com", re.I), "turnstile"),
    (re.compile(r"friendlycaptcha|friendly-challenge|frc-captcha", re.I), "friendly-captcha"),
    (re.compile(r"arkoselabs\.com|funcaptcha\.com", re.I), "arkose"),
    (re.compile(r"geetest\.com|/gt\.js\b|/gt4\.js\b", re.I), "geetest"),
)
#: Response fields the widgets insert next to the form (name or id).
_WIDGET_FIELDS: tuple[tuple[str, Provider], ...] = (
    ("g-recaptcha-response", "recaptcha"), ("h-captcha-response", "hcaptcha"),
    ("cf-turnstile-response", "turnstile"), ("frc-captcha-solution", "friendly-captcha"),
)
#: What the visitor faces with each provider by default.
_DEFAULT_CHALLENGE: dict[str, Challenge] = {
    "recaptcha": "object-recognition", "hcaptcha": "object-recognition", "turnstile": "none",
    "friendly-captcha": "none", "arkose": "puzzle", "geetest": "puzzle",
}

_NUMBER_WORDS = (r"(\d+|zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze"
                 r"|one|two|three|four|five|seven|eight|nine|ten|eleven|twelve)")
ARITHMETIC_RE = re.compile(
    r"combien (font|fait|faut)|how much is|what is " + _NUMBER_WORDS
    + r"|" + _NUMBER_WORDS + r" ?(\+|-|x|\*|plus|moins|fois|minus|times|divise) ?"
    + _NUMBER_WORDS + r" ?(=|\?)|resultat de l.operation|result of the (sum|operation)")
TRANSCRIPTION_RE = re.compile(
    r"recopie|saisissez (les|le) (caracteres|code|texte)|type the (characters|text|code)"
    r"|enter the (characters|text|code) (shown|you see|in the image|above)"
    r"|caracteres (affiches|de l.image|ci-dessus)|code de securite|security code")
PUZZLE_RE = re.compile(r"faites glisser|glissez|drag the|slide (the|to)|puzzle|faire pivoter"
                       r"|rotate the")
HOME_MADE_RE = re.compile(
    r"captcha|je ne suis pas un robot|not a robot|verification de securite|security check"
    r"|anti ?spam|anti ?robot|question de securite")
CHECKBOX_RE = re.compile(r"je ne suis pas un robot|i.?m not a robot|not a robot")
VERIFY_HUMAN_RE = re.compile(r"verify you are human|verifiez que vous etes (un )?humain"
                             r"|confirm you are human|confirmez que vous etes (un )?humain")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaptchaTrace(_Model):
    """One CAPTCHA seen on one checkpoint."""

    provider: Provider
    challenge: Challenge
    visible_challenge: bool = Field(description="A task or a checkbox is shown to the visitor "
                                    "(vs invisible v3, Turnstile managed, proof of work).")
    checkpoint: int
    how: str = Field(description="What gave it away: request, field or text.")
    evidence: Evidence


class CaptchaObservation(_Model):
    """Report fields of metrics.md §2.4 for a set of checkpoints."""

    present: bool
    providers: list[str] = Field(default_factory=list)
    challenge: Challenge | None = Field(None, description="The hardest challenge seen.")
    visible_challenge: bool = False
    cognitive: bool = Field(False, description="Arithmetic, transcription, logic question or "
                            "puzzle: a cognitive function test (WCAG 3.3.8).")
    appears_after_submit: bool = Field(False, description="First seen on a re-rendered form "
                                       "(after a rejected submit).")
    alternative_offered: bool | None = Field(
        None, description="True when another way in (an identity provider) is on the same "
        "pages; None: not observed, to check by hand.")
    traces: list[CaptchaTrace] = Field(default_factory=list)


#: Hardness order used to pick the challenge that describes the whole journey.
_RANK: dict[str, int] = {"none": 0, "unknown": 1, "checkbox": 2, "object-recognition": 3,
                         "question": 4, "transcription": 5, "arithmetic": 5, "puzzle": 5}


def _ev(checkpoint: Checkpoint, *, text: str = "", selector: str = "",
        detail: str = "") -> Evidence:
    return Evidence(journey_id=checkpoint.journey_id, step_index=checkpoint.step_index,
                    checkpoint=checkpoint.index, url=checkpoint.url, selector=selector,
                    text=text[:200], detail=detail)


def _request_traces(checkpoint: Checkpoint) -> list[CaptchaTrace]:
    found: dict[str, CaptchaTrace] = {}
    visible_text = normalise(checkpoint.text.full_text)
    for request in checkpoint.requests:
        for pattern, provider in _URL_SIGNATURES:
            if not pattern.search(request.url):
                continue
            url = request.url.lower()
            challenge = _DEFAULT_CHALLENGE[provider]
            visible = challenge != "none"
            if provider == "recaptcha" and (
                    re.search(r"[?&]render=(?!explicit)[\w-]+", url) or "size=invisible" in url):
                challenge, visible = "none", False
            if provider == "hcaptcha" and "size=invisible" in url:
                challenge, visible = "none", False
            if provider == "turnstile" and VERIFY_HUMAN_RE.search(visible_text):
                challenge, visible = "checkbox", True
            previous = found.get(provider)
            # Keep the most visible trace of a provider (a v2 anchor beats its api.js).
            if previous is None or (visible and not previous.visible_challenge):
                found[provider] = CaptchaTrace(
                    provider=provider, challenge=challenge, visible_challenge=visible,
                    checkpoint=checkpoint.index, how="request",
                    evidence=_ev(checkpoint, text=request.url,
                                 detail=f"{provider} {request.resource_type or 'request'}"))
            break
    return list(found.values())


def _home_made_challenge(text: str) -> Challenge:
    if ARITHMETIC_RE.search(text):
        return "arithmetic"
    if TRANSCRIPTION_RE.search(text):
        return "transcription"
    if PUZZLE_RE.search(text):
        return "puzzle"
    return "unknown"


def _field_traces(checkpoint: Checkpoint, third_party: set[Provider],
                  ) -> list[CaptchaTrace]:
    traces: list[CaptchaTrace] = []
    page = normalise(checkpoint.text.full_text + "\n" + checkpoint.text.main_prose)
    for field in checkpoint.fields:
        ident = f"{field.name} {field.id}".lower()
        widget = next((p for key, p in _WIDGET_FIELDS if key in ident), None)
        if widget is not None:
            if widget not in third_party:
                traces.append(CaptchaTrace(
                    provider=widget, challenge=_DEFAULT_CHALLENGE[widget],
                    visible_challenge=_DEFAULT_CHALLENGE[widget] != "none",
                    checkpoint=checkpoint.index, how="field",
                    evidence=_ev(checkpoint, selector=field.selector, text=field.name)))
                third_party.add(widget)
            continue
        if not field.visible or field.disabled:
            continue  # a honeypot is invisible on purpose and costs people nothing
        own = field_text(field)
        if not CAPTCHA_FIELD_RE.search(own):
            continue
        challenge = _home_made_challenge(own)
        if challenge == "unknown":
            challenge = _home_made_challenge(page)
        if challenge == "unknown" and field.type in ("checkbox",) and CHECKBOX_RE.search(own):
            challenge = "checkbox"
        if challenge == "unknown" and field.type not in ("checkbox", "radio"):
            # A free-text answer to a question the page asks: a logic question at best.
            challenge = "question"
        traces.append(CaptchaTrace(
            provider="home-made", challenge=challenge, visible_challenge=True,
            checkpoint=checkpoint.index, how="field",
            evidence=_ev(checkpoint, selector=field.selector,
                         text=_question_line(checkpoint) or field.label or field.name)))
    return traces


def _question_line(checkpoint: Checkpoint) -> str:
    """The line of the page that asks the CAPTCHA question, for the evidence."""
    for line in checkpoint.text.full_text.splitlines():
        norm = normalise(line)
        if ARITHMETIC_RE.search(norm) or TRANSCRIPTION_RE.search(norm) or PUZZLE_RE.search(norm):
            return line.strip()
    return ""


def _text_trace(checkpoint: Checkpoint) -> CaptchaTrace | None:
    """A home-made CAPTCHA named in the text but with no field we recognised (e.g. a
    question whose answer box has no name)."""
    text = normalise(checkpoint.text.full_text + "\n" + "\n".join(checkpoint.text.microcopy))
    if not HOME_MADE_RE.search(text):
        return None
    # A bare "captcha" (a "protected by reCAPTCHA" line, a privacy notice) is not a challenge:
    # only a recognisable task or the "not a robot" box counts.
    challenge = _home_made_challenge(text)
    if challenge == "unknown":
        if not CHECKBOX_RE.search(text):
            return None
        challenge = "checkbox"
    return CaptchaTrace(
        provider="home-made", challenge=challenge, visible_challenge=challenge != "none",
        checkpoint=checkpoint.index, how="text",
        evidence=_ev(checkpoint, text=_question_line(checkpoint) or "captcha"))


def detect_on_checkpoint(checkpoint: Checkpoint) -> list[CaptchaTrace]:
    """Every CAPTCHA trace of one checkpoint (one per provider)."""
    traces = _request_traces(checkpoint)
    providers = {t.provider for t in traces}
    traces += _field_traces(checkpoint, providers)
    if not traces:
        trace = _text_trace(checkpoint)
        if trace is not None:
            traces.append(trace)
    return traces


def observe(checkpoints: Sequence[Checkpoint], *, rerendered: set[int] | None = None,
            alternative: bool = False) -> CaptchaObservation:
    """Merge the traces of a journey's checkpoints into the §2.4 report fields.

    ``rerendered`` holds the checkpoints that show a form already seen (after a rejected
    submit); a CAPTCHA whose first trace is on one of them appears after submit.
    """
    traces = [t for c in checkpoints for t in detect_on_checkpoint(c)]
    if not traces:
        return CaptchaObservation(present=False)
    hardest = max(traces, key=lambda t: _RANK[t.challenge])
    first = min(t.checkpoint for t in traces)
    providers = list(dict.fromkeys(t.provider for t in traces))
    return CaptchaObservation(
        present=True, providers=providers, challenge=hardest.challenge,
        visible_challenge=any(t.visible_challenge for t in traces),
        cognitive=any(t.challenge in COGNITIVE for t in traces),
        appears_after_submit=bool(rerendered) and first in (rerendered or set()),
        alternative_offered=True if alternative else None,
        traces=traces)
