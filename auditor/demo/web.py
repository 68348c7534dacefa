"""The HTTP request and response objects the demo's pages work with.

`http.server` hands out raw headers and a byte stream; the pages only need a parsed request
(path, query, cookies, form) and a response value to return. Keeping them plain dataclasses lets
the tests and the page code stay free of socket details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from auditor.demo.forms import FormData, parse_form


@dataclass
class Request:
    """One HTTP request, parsed."""

    method: str
    host: str  # Host header without the port, lower-cased
    path: str  # percent-decoding is left to the routes (all demo paths are ASCII)
    query: dict[str, list[str]]
    headers: Mapping[str, str]  # lower-cased names
    cookies: dict[str, str]
    form: FormData

    @classmethod
    def build(cls, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Request:
        """Parse the request line target, the headers and the body."""
        lowered = {name.lower(): value for name, value in headers.items()}
        split = urlsplit(target)
        cookies: dict[str, str] = {}
        jar = SimpleCookie()
        try:
            jar.load(lowered.get("cookie", ""))
        except CookieError:
            pass  # a malformed cookie header is ignored, as browsers' own garbage would be
        for name, morsel in jar.items():
            cookies[name] = morsel.value
        form = FormData()
        if method == "POST":
            form = parse_form(lowered.get("content-type", ""), body)
        host = lowered.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
        return cls(
            method=method,
            host=host,
            path=split.path or "/",
            query=parse_qs(split.query, keep_blank_values=True),
            headers=lowered,
            cookies=cookies,
            form=form,
        )

    def query_value(self, name: str, default: str = "") -> str:
        """First value of a query-string parameter."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    """What a page returns; the server adds Content-Length and writes it out."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def redirect(cls, location: str) -> Response:
        """303 See Other: after a POST, the browser GETs the result page (no resubmission)."""
        return cls(status=303, headers=[("Location", location)], content_type="text/plain")

    @classmethod
    def text(cls, status: int, text: str) -> Response:
        """A plain-text answer (errors of the fake third-party hosts, 404 of assets)."""
        return cls(
            status=status, body=text.encode("utf-8"), content_type="text/plain; charset=utf-8"
        )

    @classmethod
    def json_body(cls, payload: str) -> Response:
        """A JSON answer for the client-rendered widget."""
        return cls(body=payload.encode("utf-8"), content_type="application/json; charset=utf-8")
