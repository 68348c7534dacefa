"""Which language a text is in: the declared ``lang`` normalised, and an offline cross-check.

Why this module exists (metrics.md §1.1, §1.6):

- textstat only splits a language tag on ``_``: ``set_lang("fr-FR")`` silently gives the
  *English* Flesch constants. Every ``lang`` taken from HTML must therefore be reduced to its
  lower-case primary subtag (``fr``, ``en``) before any formula is chosen: :func:`normalise_lang`.
- ``<html lang>`` is often missing or wrong (a French page declared ``en`` by a theme). An offline
  detector (``py3langid``, a pure-Python/numpy port of langid.py whose model ships inside the
  package: no run-time download) cross-checks the declaration on texts of at least
  :data:`MIN_WORDS_FOR_DETECTION` words; a disagreement is reported as a mismatch (WCAG 3.1.1,
  RGAA 8.3 / 8.4), and the detected language is used for the formulas.

Detection is restricted to :data:`DEFAULT_CANDIDATES` plus the declared language when the model
knows it, as §1.6 asks ("restrict candidates to {fr, en, plus the platform's languages}"): a
closed choice is far more reliable on short UI text than an open one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: Languages we have formula constants for (readability.py); detection always considers them.
DEFAULT_CANDIDATES: tuple[str, ...] = ("fr", "en")

#: Below this many words a detector guesses; §1.6 runs it only from 20 words of main prose.
MIN_WORDS_FOR_DETECTION = 20

#: Probability (py3langid, normalised over the candidates) from which a detection that
#: disagrees with the declared language overrides it. Restricted to two or three candidates,
#: 20+ words of real prose score > 0.99; mixed UI fragments land around 0.6-0.9.
MISMATCH_CONFIDENCE = 0.9

# BCP 47 primary language subtag: 2-3 letters (ISO 639), or 4-8 for registered ones. Private
# use ("x-...") and grandfathered "i-..." tags are not languages a formula can use.
_PRIMARY_SUBTAG = re.compile(r"^[a-z]{2,3}$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def normalise_lang(tag: str | None) -> str | None:
    """Reduce an HTML ``lang`` value to its lower-case primary subtag.

    ``"fr-FR"``, ``"FR"``, ``"fr_CA"`` → ``"fr"``; ``"en-GB"`` → ``"en"``; an empty, missing or
    malformed value (``""``, ``"x-klingon"``, ``"123"``) → ``None``. ``_`` is accepted as a
    separator although BCP 47 only allows ``-``, because CMSs emit locale ids (``fr_FR``).
    """
    if tag is None:
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    if not _PRIMARY_SUBTAG.match(primary):
        return None
    return primary


class Detection(BaseModel):
    """What the offline detector says about one text."""

    model_config = ConfigDict(extra="forbid")

    lang: str
    confidence: float = Field(description="Probability normalised over the candidates, 0-1.")
    candidates: list[str]


class LanguageDecision(BaseModel):
    """Declared, detected and used language of one corpus, and whether they disagree."""

    model_config = ConfigDict(extra="forbid")

    declared_raw: str = Field("", description="The lang attribute as found, unnormalised.")
    declared: str | None = Field(None, description="Primary subtag of declared_raw.")
    detected: str | None = Field(None, description="Offline detection; None below "
                                 "MIN_WORDS_FOR_DETECTION words.")
    detected_confidence: float | None = None
    used: str | None = Field(None, description="Language whose formulas were applied.")
    mismatch: bool = Field(False, description="The declared language is missing, invalid or "
                           "disagrees with a confident detection (WCAG 3.1.1).")
    note: str = ""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load py3langid's model once (about 1 s); a private instance, so the module-global
    identifier of py3langid is never restricted behind another caller's back."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def detector_languages() -> frozenset[str]:
    """Every language code the bundled model can recognise."""
    return frozenset(_identifier().labels)


def count_detection_words(text: str) -> int:
    """Alphabetic words, as the detection threshold counts them."""
    return len(_WORD.findall(text))


def detect_language(
    text: str, candidates: tuple[str, ...] | list[str] = DEFAULT_CANDIDATES
) -> Detection | None:
    """Detect the language of ``text`` among ``candidates``, offline.

    Returns ``None`` when the text has fewer than :data:`MIN_WORDS_FOR_DETECTION` words (too
    short to say) or when no candidate is known to the model. Deterministic: the confidence is
    rounded to 4 decimals so saved results compare equal across runs.
    """
    if count_detection_words(text) < MIN_WORDS_FOR_DETECTION:
        return None
    known = sorted({c for c in candidates if c in detector_languages()})
    if not known:
        return None
    identifier = _identifier()
    if len(known) == 1:
        return Detection(lang=known[0], confidence=1.0, candidates=known)
    identifier.set_languages(known)
    try:
        lang, confidence = identifier.classify(text)
    finally:
        identifier.set_languages(None)
    return Detection(lang=str(lang), confidence=round(float(confidence), 4), candidates=known)


def decide_language(
    declared_raw: str | None,
    text: str,
    extra_candidates: tuple[str, ...] = (),
) -> LanguageDecision:
    """Choose the language whose formulas apply to ``text``, and report any mismatch.

    Rules (metrics.md §1.6, Proposed):

    - a valid declaration is used unless a detection of at least
      :data:`MISMATCH_CONFIDENCE` disagrees; then the detection is used and ``mismatch`` set;
    - a missing or malformed declaration is a mismatch (nothing can be programmatically
      determined); the detection is used when there is one, else ``used`` is ``None``;
    - a valid declaration the detector cannot check (short text) is trusted.
    """
    raw = declared_raw or ""
    declared = normalise_lang(raw)
    candidates = tuple(dict.fromkeys((*DEFAULT_CANDIDATES, *extra_candidates,
                                      *((declared,) if declared else ()))))
    detection = detect_language(text, candidates)
    detected = detection.lang if detection else None
    confidence = detection.confidence if detection else None

    if declared is None:
        reason = "no lang declared" if not raw.strip() else f"lang {raw!r} is not a valid tag"
        if detected:
            note = f"{reason}; detected {detected} ({confidence}) used"
        else:
            note = f"{reason}; text too short to detect, language unknown"
        return LanguageDecision(declared_raw=raw, declared=None, detected=detected,
                                detected_confidence=confidence, used=detected, mismatch=True,
                                note=note)
    if detected and detected != declared and (confidence or 0) >= MISMATCH_CONFIDENCE:
        return LanguageDecision(
            declared_raw=raw, declared=declared, detected=detected,
            detected_confidence=confidence, used=detected, mismatch=True,
            note=f"declared {declared} but the text reads as {detected} ({confidence}); "
                 f"{detected} used")
    note = "" if detected else "text too short to cross-check the declared lang"
    return LanguageDecision(declared_raw=raw, declared=declared, detected=detected,
                            detected_confidence=confidence, used=declared, mismatch=False,
                            note=note)
