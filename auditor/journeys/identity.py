"""A fresh test identity per run, so a run never collides with an earlier account.

The password has upper and lower case, a digit and a symbol, and 12 characters by default:
platforms that still enforce composition rules or a 12-character maximum accept it, so the
journey goes through and the tool can *measure* those rules instead of being stopped by them.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from auditor.journeys.schema import IdentityConfig

_SYMBOLS = "!@#%*-_"


@dataclass(frozen=True)
class TestIdentity:
    """Who the bot pretends to be. ``password`` is a secret and is never saved."""

    pseudonym: str
    email: str
    password: str

    def __repr__(self) -> str:  # keep the password out of any log or traceback
        return f"TestIdentity(pseudonym={self.pseudonym!r}, email={self.email!r})"


def make_password(length: int) -> str:
    """A random password holding every character class, in random order."""
    alphabet = string.ascii_letters + string.digits + _SYMBOLS
    chars = [secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
             secrets.choice(string.digits), secrets.choice(_SYMBOLS)]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def make_identity(config: IdentityConfig | None = None) -> TestIdentity:
    """A new pseudonym, e-mail and password for one run."""
    config = config or IdentityConfig()
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(6))
    pseudonym = f"{config.pseudonym_prefix}-{suffix}"
    email = config.email or f"{config.pseudonym_prefix}.{suffix}@{config.email_domain}"
    return TestIdentity(pseudonym=pseudonym, email=email,
                        password=make_password(config.password_length))
