"""Report languages: the UI strings of the reports and the choice between ``Text.fr`` / ``Text.en``.

The strings live in ``reports_templates/messages.<lang>.yml`` (nested YAML, so a translator sees
them grouped by section). They are flattened to dotted keys (``grade.scale``) and looked up
strictly: a missing key is an error, never a blank in a report, and a unit test checks that
both catalogs hold the same keys and the same ``{placeholders}``.

Numbers and dates are formatted here too, because French and English differ (``12,5`` vs
``12.5``, ``26 novembre 2025`` vs ``26 November 2025``) and a mediator reads them aloud.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

import yaml

from auditor.paths import shipped_dir
from auditor.scoring.scorecard import Scorecard, Text

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")


class UnknownLanguage(ValueError):
    """A report language other than ``fr`` or ``en`` was asked for."""


def resolve_lang(scorecard: Scorecard, lang: str | None) -> Lang:
    """The report language: the one asked for, else the scorecard's own (set from the platform).

    The scorecard's ``lang`` is French when the audited platform is French (decided upstream,
    when the scorecard is built), so ``None`` gives "French by default when the platform is
    French, English otherwise".
    """
    if lang is None:
        return scorecard.lang
    normalised = lang.strip().lower().split("-")[0].split("_")[0]
    if normalised not in LANGS:
        raise UnknownLanguage(f"report language {lang!r}: choose one of {', '.join(LANGS)}")
    return normalised  # narrowed to Lang by the test above


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        elif isinstance(value, list):
            # Lists (e.g. month names) are kept as one string per item: key.0, key.1...
            for index, item in enumerate(value):
                flat[f"{dotted}.{index}"] = str(item)
        else:
            flat[dotted] = "" if value is None else str(value)
    return flat


_FRENCH_SPACE_BEFORE = re.compile(r" ([:;?!»])")
_FRENCH_SPACE_AFTER = re.compile(r"« ")


def french_typography(message: str) -> str:
    """No-break spaces where French puts a space: before ``: ; ? ! »`` and after ``«``.

    Translators type ordinary spaces in the YAML (invisible characters are easy to lose);
    this keeps "Note :" from breaking into "Note" / ": ..." at the end of a line. Applied to
    the catalog only, never to data from a scorecard.
    """
    message = _FRENCH_SPACE_BEFORE.sub("\u00a0\\1", message)
    return _FRENCH_SPACE_AFTER.sub("«\u00a0", message)


@lru_cache(maxsize=len(LANGS))
def load_catalog(lang: Lang) -> dict[str, str]:
    """The flattened message catalog of one language."""
    path = shipped_dir("reports_templates") / f"messages.{lang}.yml"
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(tree, dict):
        raise ValueError(f"{path}: expected a mapping of messages")
    catalog = _flatten(tree)
    if lang == "fr":
        catalog = {key: french_typography(value) for key, value in catalog.items()}
    return catalog


class Messages:
    """The UI strings of one report language, callable from Python and from templates.

    ``t("grade.score", score=58)`` formats the message with ``str.format``; the values are
    plain text and escaping is the caller's (the template's autoescape) job.
    """

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.catalog = load_catalog(lang)

    def __call__(self, key: str, **values: object) -> str:
        try:
            message = self.catalog[key]
        except KeyError:
            raise KeyError(f"messages.{self.lang}.yml has no key {key!r}") from None
        return message.format(**values) if values else message

    def has(self, key: str) -> bool:
        return key in self.catalog

    def label(self, group: str, value: str) -> str:
        """The label of a coded value (``severity.major``), or the value itself if unknown.

        Coded values come from the scorecard (journey status, persona...) and may grow beyond
        what the catalog knows; showing the raw code is better than failing the report.
        """
        key = f"{group}.{value}"
        return self.catalog.get(key, value)

    def pick(self, text: Text | None) -> str:
        """The sentence in the report language ('' for no text)."""
        return pick(text, self.lang)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        """A number as this language writes it; ``None`` gives the 'no value' dash."""
        return format_number(value, self.lang, digits)

    def score(self, value: float | None) -> str:
        """A 0-100 score, rounded: one decimal would claim a precision the proxy lacks."""
        return format_number(value, self.lang, 0)

    def date(self, iso: str) -> str:
        return format_date(iso, self)


def pick(text: Text | None, lang: Lang) -> str:
    """``Text.fr`` or ``Text.en``; falls back to the other language rather than a blank."""
    if text is None:
        return ""
    first, other = (text.fr, text.en) if lang == "fr" else (text.en, text.fr)
    return first or other


def format_number(value: float | int | None, lang: Lang, digits: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (fr, narrow no-break space) or ``1,234.5`` (en)."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    if text in ("-0", "−0"):
        text = "0"
    return text


def format_signed(value: float, lang: Lang, digits: int = 0) -> str:
    """A change with its sign: ``+6``, ``−3`` (true minus sign, read as 'minus'), ``0``."""
    rounded = round(value, digits)
    if rounded == 0:
        return format_number(0, lang, digits)
    body = format_number(abs(rounded), lang, digits)
    return ("+" if rounded > 0 else "\u2212") + body


def format_date(iso: str, messages: Messages) -> str:
    """``2025-11-26T07:14:00+00:00`` → ``26 novembre 2025, 07:14 UTC``; unparsable text as is."""
    if not iso:
        return "–"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    month = messages(f"date.months.{moment.month - 1}")
    zone = ""
    offset = moment.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        zone = " UTC" if minutes == 0 else (
            f" UTC{'+' if minutes > 0 else '−'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    return messages("date.format", day=moment.day, month=month, year=moment.year,
                    time=f"{moment.hour:02d}:{moment.minute:02d}", zone=zone)
