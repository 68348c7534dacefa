"""``{{ identity.* }}`` and ``{{ env.* }}`` in step values, and the secrets they carry.

Deliberately not jinja2: a journey file is data, and a full template language in it would let a
shared journey file run arbitrary expressions. Two namespaces, plain substitution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from auditor.journeys.identity import TestIdentity

_PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][\w]*)\.([a-zA-Z_][\w]*)\s*\}\}")
IDENTITY_FIELDS = ("email", "pseudonym", "password")


class TemplateError(ValueError):
    """A placeholder that cannot be filled."""


def check_templates(text: str, env: Mapping[str, str]) -> None:
    """Raise TemplateError for an unknown namespace or field, or an unset env variable."""
    for match in _PLACEHOLDER.finditer(text):
        namespace, name = match.groups()
        if namespace == "identity":
            if name not in IDENTITY_FIELDS:
                raise TemplateError(f"unknown identity field '{name}' "
                                    f"(known: {', '.join(IDENTITY_FIELDS)})")
        elif namespace == "env":
            if name not in env:
                raise TemplateError(f"environment variable {name} is not set")
        else:
            raise TemplateError(f"unknown placeholder '{namespace}.{name}' "
                                "(use identity.* or env.*)")
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest:
        raise TemplateError("malformed placeholder: write {{ identity.email }} or {{ env.NAME }}")


@dataclass
class Rendered:
    """A value ready to type, and whether it must never be shown."""

    text: str
    secret: bool


@dataclass
class TemplateContext:
    """Values available to a run; remembers every secret it hands out for redaction."""

    identity: TestIdentity
    env: Mapping[str, str]
    secrets: set[str] = field(default_factory=set)

    def render(self, text: str) -> Rendered:
        """Substitute placeholders. Passwords and env values count as secrets."""
        secret = False

        def replace(match: re.Match[str]) -> str:
            nonlocal secret
            namespace, name = match.groups()
            if namespace == "identity":
                value = str(getattr(self.identity, name))
                if name == "password":
                    secret = True
                    self.secrets.add(value)
                return value
            if namespace == "env":
                if name not in self.env:
                    raise TemplateError(f"environment variable {name} is not set")
                value = self.env[name]
                secret = True
                if len(value) >= 4:  # a 1-3 character value would redact half the report
                    self.secrets.add(value)
                return value
            raise TemplateError(f"unknown placeholder '{namespace}.{name}'")

        return Rendered(_PLACEHOLDER.sub(replace, text), secret)
