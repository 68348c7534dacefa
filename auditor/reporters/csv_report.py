"""The findings as CSV, one row per finding, for agencies' spreadsheets.

Choices, made for the spreadsheets people actually open:

- **UTF-8 with a byte-order mark.** Excel reads a BOM-less CSV as the local code page and
  garbles accents ("accessibilitÃ©"); with the BOM it reads UTF-8. LibreOffice, Google Sheets
  and Python's ``encoding="utf-8-sig"`` accept it.
- **Separator by language:** ``;`` for French, ``,`` for English. Excel uses the system list
  separator, which is ``;`` wherever the decimal mark is a comma (France), so a
  comma-separated file opens as one column there. ``delimiter=`` overrides it.
- **RFC 4180 quoting,** CRLF line ends; new lines inside a cell are kept inside quotes.
- **No formulas:** a cell starting with ``= + - @``, tab or carriage return gets a leading
  apostrophe (OWASP "CSV injection"): a sentence of the audited site such as
  ``=HYPERLINK(...)`` stays text.
- Headers and coded values (category, severity, yes/no) in the report language; ``id`` and
  ``rule`` stay stable codes, so two runs' files can be matched with a lookup.

A finding found in several places is one row: the first place fills the journey / step / url /
element columns and ``places`` tells how many there are (the HTML and JSON list them all).
"""

from __future__ import annotations

import csv
import io

from auditor.reporters.i18n import Messages, resolve_lang
from auditor.reporters.selection import ordered
from auditor.scoring.scorecard import Finding, Reference, Scorecard

COLUMNS = ("id", "rule", "category", "severity", "blocking", "journey", "step", "url",
           "element", "title", "message", "fix", "references", "places")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Keep a cell from being read as a formula by spreadsheet software."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def reference_text(ref: Reference) -> str:
    """'WCAG 3.3.8 Accessible Authentication <https://...>'."""
    text = " ".join(x for x in (ref.kind, ref.ref, ref.title) if x)
    return f"{text} <{ref.url}>" if ref.url else text


def _row(finding: Finding, t: Messages, journeys: dict[str, str],
         categories: dict[str, str]) -> list[str]:
    place = finding.places[0] if finding.places else None
    journey_id = (place.journey_id if place and place.journey_id else finding.journey_id)
    step = ""
    if place is not None and place.step_index is not None:
        step = t("step.start") if place.step_index < 0 else str(place.step_index + 1)
    element = ""
    if place is not None:
        element = " | ".join(x for x in (place.selector, place.text) if x)
    return [
        finding.id,
        finding.rule_id,
        categories.get(finding.category) or t.label("category", finding.category),
        t.label("severity", finding.severity),
        t("csv.yes") if finding.blocking else t("csv.no"),
        journeys.get(journey_id, journey_id) if journey_id else t("report.platform"),
        step,
        place.url if place else "",
        element,
        t.pick(finding.title),
        t.pick(finding.message),
        t.pick(finding.fix),
        "; ".join(reference_text(r) for r in finding.references),
        str(len(finding.places)),
    ]


def render_csv(scorecard: Scorecard, lang: str | None = None, *,
               delimiter: str | None = None) -> str:
    """The findings (problems first, then notes and good practices) as CSV text with a BOM.

    Write the result with ``newline=""`` (or as bytes) so the CRLF line ends stay as they are.
    """
    t = Messages(resolve_lang(scorecard, lang))
    sep = delimiter or (";" if t.lang == "fr" else ",")
    journeys = {j.journey_id: j.title or j.journey_id for j in scorecard.journeys}
    categories: dict[str, str] = {c.id: t.pick(c.title) for c in scorecard.categories}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([t(f"csv.{column}") for column in COLUMNS])
    for finding in ordered(scorecard.findings):
        writer.writerow([neutralise(cell) for cell in _row(finding, t, journeys, categories)])
    return BOM + buffer.getvalue()
