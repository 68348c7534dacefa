"""Keep the few formatting tags the rich-text editor produces, drop everything else.

The inclusive proposal form posts the editor's HTML; the server must not store markup it would
later render unescaped (scripts, attributes, event handlers). Plain text from the no-JS
`<textarea>` goes through `plain_text_to_html` instead.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Tags the toolbar can create (bold, italic, bulleted list) plus the paragraphs and line breaks
# that contenteditable inserts; `div` and `b`/`i` are normalised to `p`/`strong`/`em`.
_RENAMED = {"b": "strong", "i": "em", "div": "p"}
_ALLOWED = {"p", "br", "strong", "em", "ul", "ol", "li"}
_VOID = {"br"}
_DROP_CONTENT = {"script", "style", "template", "iframe", "object"}


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_tags: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self.skip_depth += 1
            return
        tag = _RENAMED.get(tag, tag)
        if self.skip_depth or tag not in _ALLOWED:
            return
        self.parts.append(f"<{tag}>")
        if tag not in _VOID:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        tag = _RENAMED.get(tag, tag)
        if self.skip_depth or tag not in _ALLOWED or tag in _VOID or tag not in self.open_tags:
            return
        # Close anything left open inside this element, so the output is always well nested.
        while self.open_tags:
            inner = self.open_tags.pop()
            self.parts.append(f"</{inner}>")
            if inner == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.parts) + "".join(f"</{tag}>" for tag in reversed(self.open_tags))


def sanitise_html(fragment: str) -> str:
    """Return `fragment` reduced to the allowed tags, without any attribute."""
    sanitiser = _Sanitiser()
    sanitiser.feed(fragment)
    return sanitiser.result().strip()


def plain_text_to_html(text: str) -> str:
    """Escape plain text and turn blank-line-separated blocks into paragraphs."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + html.escape(block).replace("\n", "<br>") + "</p>" for block in blocks if block
    )


def visible_text(fragment: str) -> str:
    """The text a reader sees in sanitised HTML: used to check a description is not empty."""

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.chunks: list[str] = []

        def handle_data(self, data: str) -> None:
            self.chunks.append(data)

    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join(" ".join(parser.chunks).split())
