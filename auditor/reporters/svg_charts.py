"""Inline SVG for the HTML report: grade badges and category bars.

Inline SVG costs no request and no script, prints sharply and scales with the text. Every chart
is ``role="img"`` with a ``<title>`` (and a ``<desc>`` listing the values), so a screen reader
hears the figures; and nothing is said by colour alone: the letter is written in the badge, the
score is written beside each bar. Fills are light tints of the EcoIndex A–G colours, so the
near-black text on them keeps a contrast of 8:1 or more (WCAG 1.4.3 asks 4.5:1).

Every text put into the SVG is escaped here (the functions return ``Markup``); none of it comes
from the audited site, but category titles come from rule files people edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

GRADES = ("A", "B", "C", "D", "E", "F", "G")
#: Light tints of the EcoIndex scale (green → red); text on them is INK.
GRADE_FILL: dict[str, str] = {
    "A": "#8fd19e", "B": "#b5e08a", "C": "#e3ec7a", "D": "#fbe96b", "E": "#fdd36b",
    "F": "#fbb37a", "G": "#f59a92",
}
NO_GRADE_FILL = "#e6e6e6"
INK = "#1b1b1b"
TRACK = "#f0f0f0"
#: Share of the width given to the 0-100 track; the written value sits right of it.
TRACK_SHARE = 0.62
TRACK_EDGE = "#767676"  # 4.5:1 on white: the empty part of a bar stays visible (WCAG 1.4.11)


def grade_fill(grade: str | None) -> str:
    return GRADE_FILL.get(grade or "", NO_GRADE_FILL)


def grade_badge(grade: str | None, title: str, svg_id: str, size: int = 112,
                with_scale: bool = True) -> Markup:
    """A big grade letter in a tinted square, with the A–G scale under it (current one raised).

    ``title`` is the text alternative, e.g. "Inclusion: grade C on a scale from A to G".
    """
    letter = grade or "–"
    height = 136 if with_scale else 100
    parts = [
        f'<svg class="badge" role="img" aria-labelledby="{escape(svg_id)}" '
        f'width="{size}" height="{round(size * height / 112)}" viewBox="0 0 112 {height}" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(svg_id)}">{escape(title)}</title>',
        f'<rect x="2" y="2" width="108" height="94" rx="14" fill="{grade_fill(grade)}" '
        f'stroke="{INK}" stroke-width="3"/>',
        f'<text x="56" y="71" text-anchor="middle" font-size="62" font-weight="700" '
        f'fill="{INK}">{escape(letter)}</text>',
    ]
    if with_scale:
        for index, step in enumerate(GRADES):
            x = 1 + index * 15.7
            current = step == grade
            # The current grade is taller, outlined and bold: told by shape, not colour only.
            y, h = (102, 32) if current else (110, 24)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="14.7" height="{h}" rx="2" '
                f'fill="{GRADE_FILL[step]}" stroke="{INK}" '
                f'stroke-width="{2 if current else 0.6}"/>'
                f'<text x="{x + 7.35:.1f}" y="{y + h - 7}" text-anchor="middle" '
                f'font-size="{12 if current else 10}" font-weight="{700 if current else 400}" '
                f'fill="{INK}">{step}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, a 0-100 score (or none) and its written value."""

    label: str
    score: float | None
    grade: str | None
    value_text: str


def category_bars(bars: Sequence[Bar], title: str, description: str, svg_id: str) -> Markup:
    """Horizontal 0-100 bars, one per category, label above, written value at the right.

    No viewBox on purpose: widths are percentages, so the chart fills the column at any screen
    size while its text keeps the page's font size (a scaled viewBox shrinks text on phones).
    """
    row = 50
    height = row * len(bars) + 4
    parts = [
        f'<svg class="bars" role="img" aria-labelledby="{escape(svg_id)}-t {escape(svg_id)}-d" '
        f'width="100%" height="{height}" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(svg_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(svg_id)}-d">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        top = index * row
        width = 0.0 if bar.score is None else max(0.0, min(100.0, bar.score)) * TRACK_SHARE
        parts.append(
            f'<text x="0" y="{top + 17}" font-size="16" fill="{INK}">{escape(bar.label)}</text>'
            f'<rect x="0.5" y="{top + 24.5}" width="{TRACK_SHARE * 100:.0f}%" height="18" '
            f'fill="{TRACK}" stroke="{TRACK_EDGE}"/>')
        if width > 0:
            parts.append(
                f'<rect x="0.5" y="{top + 24.5}" width="{width:.1f}%" height="18" '
                f'fill="{grade_fill(bar.grade)}" stroke="{INK}"/>')
        parts.append(
            f'<text x="{TRACK_SHARE * 100 + 3:.0f}%" y="{top + 39}" font-size="16" '
            f'font-weight="700" fill="{INK}">{escape(bar.value_text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
