"""URL helpers shared by the runner and the measures: first/third party, and redaction.

Pure functions, no network: the runner uses them while gathering, the measures when re-scoring.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from urllib.parse import (
    parse_qsl,
    quote,
    quote_plus,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

from auditor.metrics.trackers import host_of, registrable_domain
from auditor.metrics.trackers import is_third_party as hosts_differ

__all__ = ["REDACTED", "Redactor", "host_of", "is_third_party", "join_url", "registrable_domain"]

#: Query parameters whose values are credentials; their values never reach a report.
SECRET_PARAM = re.compile(r"token|key|code|pass|secret|sig|auth|session|otp|nonce|jwt", re.I)
REDACTED = "REDACTED"


def is_third_party(url: str, site_url: str) -> bool:
    """True when ``url`` is served by another site than ``site_url`` (data: and blob: are not).

    URL-level wrapper of the host-level rule in metrics.trackers (one public-suffix-lite list).
    """
    if urlsplit(url).scheme not in ("http", "https", "ws", "wss"):
        return False
    return hosts_differ(host_of(url), host_of(site_url))


def join_url(base_url: str, path_or_url: str) -> str:
    """``base_url`` + a path, or an absolute URL unchanged."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", path_or_url, re.I):
        return path_or_url
    return urljoin(base_url.rstrip("/") + "/", path_or_url.lstrip("/"))


class Redactor:
    """Removes secrets from any text before it is saved or shown.

    Two nets: known secret values (passwords, env values, tokens read from a mail link) are
    replaced wherever they appear, and credential-like query parameters are blanked in URLs.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *values: str) -> None:
        """Remember more secret values (ignored when too short to be a credential).

        Each value is also remembered in the spellings it takes in URLs, HTML and JSON, since
        a password sent by a GET form comes back percent-encoded in the next page's address.
        """
        for value in values:
            if not value or len(value) < 4:
                continue
            self.secrets.update({value, quote(value, safe=""), quote_plus(value),
                                 html.escape(value), json.dumps(value)[1:-1]})

    def text(self, value: str) -> str:
        """Replace every known secret value in free text."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def url(self, url: str) -> str:
        """A URL with credential-like query values and known secrets removed."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url)
        if parts.query:
            pairs = [(k, REDACTED if SECRET_PARAM.search(k) and v else v)
                     for k, v in parse_qsl(parts.query, keep_blank_values=True)]
            parts = parts._replace(query=urlencode(pairs, safe="/:*"))
        return self.text(urlunsplit(parts))

    def secrets_in_link(self, url: str) -> None:
        """Remember the credential parts of a link (query values and long random segments)."""
        parts = urlsplit(url)
        for key, value in parse_qsl(parts.query):
            if SECRET_PARAM.search(key) or _looks_random(value):
                self.add(value)
        for segment in parts.path.split("/"):
            if _looks_random(segment):
                self.add(segment)


def _looks_random(value: str) -> bool:
    """A token-like string: long, mixing letters and digits, no vowels-only words."""
    return (len(value) >= 16 and bool(re.search(r"\d", value))
            and bool(re.search(r"[A-Za-z]", value)) and " " not in value)
