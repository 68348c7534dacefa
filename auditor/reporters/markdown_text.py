r"""Escaping text for GitHub/GitLab-flavoured Markdown (pull-request comments, job summaries).

A sentence from an audited page can hold anything: ``|`` that would split a table cell, a
backtick that opens a code span, ``<img src=...>``, ``[link](javascript:...)``, ``@someone``
that would notify a stranger, ``#12`` that would cross-reference an issue. :func:`md_escape`
turns any such text into one inline run of literal text:

- newlines become spaces (a cell or a list item stays on one line);
- the characters that act anywhere in a line get a backslash: ``\ ` * _ [ ] | ~ $``
  (``$`` opens GitHub maths); those that act only at the start of a line (``#``, ``-``,
  ``+``, ``=``, ``1.``) are escaped there. Parentheses and ``!`` need nothing once ``[`` is
  escaped, so the raw Markdown stays readable;
- ``<``, ``>`` and ``&`` become entities, so no HTML is ever interpreted;
- ``@`` and ``#`` before a word get a zero-width space, which GitHub does not link;
- long text is cut, with an ellipsis.
"""

from __future__ import annotations

import re


class MdSafe(str):
    """Markdown written by the reporter itself, inserted as is by the Markdown templates."""

    __slots__ = ()


ZWSP = "\u200b"
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
_LINE_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")
_MENTION = re.compile(r"([@#])(?=[\w-])")
#: Line breaks and runs of blanks; no-break spaces are kept (French typography).
_SPACES = re.compile(r"[ \t\r\n\f\v\x85\u2028\u2029]+")


def md_escape(text: str, limit: int = 300) -> str:
    """``text`` as literal inline Markdown, at most ``limit`` characters (before escaping)."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _INLINE.sub(r"\\\1", flat)
    flat = _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit()
                           else "\\" + m.group(1), flat)
    # After the backslashes: "\#12" would still be linked by GitHub, "#\u200b12" is not.
    return _MENTION.sub(lambda m: m.group(1) + ZWSP, flat)


def md_link_target(url: str) -> str:
    """A URL usable as ``[text](url)``: spaces, parentheses and angle brackets encoded."""
    table = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\n": "", "\r": ""}
    return "".join(table.get(ch, ch) for ch in url.strip())
