"""Parse HTML form submissions with the standard library only.

`cgi` was removed in Python 3.13, and `email.parser` rewrites line endings inside binary parts, so
multipart/form-data is split by hand here: the uploaded proof of address must reach the server
byte for byte, and the sign-up forms send UTF-8 text that must survive the round trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

# Content-Disposition parameters: name="value" (quoted, with \" escapes) or a bare token.
_PARAM_RE = re.compile(r';\s*([A-Za-z0-9_*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class UploadedFile:
    """One file from an `<input type=file>`; an empty filename means the user chose nothing."""

    filename: str
    content_type: str
    content: bytes

    @property
    def is_empty(self) -> bool:
        """Browsers send an empty part when no file was chosen: treat it as missing."""
        return not self.filename or not self.content


@dataclass
class FormData:
    """Submitted fields (several values per name allowed) and uploaded files."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        """First value of a field, or `default` when the field was not sent."""
        values = self.fields.get(name)
        return values[0] if values else default

    def getall(self, name: str) -> list[str]:
        """Every value of a field (checkbox groups, multiple selects)."""
        return list(self.fields.get(name, []))

    def has(self, name: str) -> bool:
        """Whether a field was sent at all: an unchecked checkbox is not sent."""
        return name in self.fields

    def add(self, name: str, value: str) -> None:
        """Append one value, keeping the order of the submission."""
        self.fields.setdefault(name, []).append(value)


def parse_urlencoded(body: bytes) -> FormData:
    """Parse an application/x-www-form-urlencoded body (the default form encoding)."""
    form = FormData()
    text = body.decode("utf-8", errors="replace")
    for name, values in parse_qs(text, keep_blank_values=True).items():
        for value in values:
            form.add(name, value)
    return form


def _header_params(value: str) -> dict[str, str]:
    """Parameters of a header such as `form-data; name="x"; filename="y.pdf"`."""
    params: dict[str, str] = {}
    for key, raw in _PARAM_RE.findall(value):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw
    return params


def parse_multipart(body: bytes, boundary: str) -> FormData:
    """Parse a multipart/form-data body as browsers send it (RFC 7578).

    Each part is `--boundary CRLF headers CRLF CRLF content CRLF`; the last boundary ends with
    `--`. Parts without a name are ignored, as a browser would never send them.
    """
    form = FormData()
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        chunk = chunk.removeprefix(b"\r\n")
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            continue
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", errors="replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = _header_params(headers.get("content-disposition", ""))
        field_name = params.get("name")
        if field_name is None:
            continue
        if "filename" in params:
            form.files[field_name] = UploadedFile(
                filename=params["filename"],
                content_type=headers.get("content-type", "application/octet-stream"),
                content=content,
            )
        else:
            form.add(field_name, content.decode("utf-8", errors="replace"))
    return form


def parse_form(content_type: str, body: bytes) -> FormData:
    """Dispatch on the request's Content-Type; anything else yields an empty form."""
    media_type, _, rest = content_type.partition(";")
    media_type = media_type.strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        return parse_urlencoded(body)
    if media_type == "multipart/form-data":
        boundary = _header_params(";" + rest).get("boundary")
        if boundary:
            return parse_multipart(body, boundary)
    return FormData()
