"""Read mail the platform sent to the test identity (a directory of .eml files).

Test instances usually deliver mail to a local catcher (Mailpit, MailHog, Django's file
backend, Rails' letter_opener); a directory of RFC 822 files is the common denominator.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
import time
from email.message import EmailMessage
from pathlib import Path

_LINK = re.compile(r"""https?://[^\s"'<>]+""")


class MailNotFound(Exception):
    """No matching mail or link arrived in time."""


def _text_of(message: EmailMessage) -> str:
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(str(part.get_content()))
            except (LookupError, ValueError):
                continue
    return html.unescape("\n".join(parts))


def newest_mail_to(mailbox: Path, recipient: str, since: float) -> EmailMessage | None:
    """The most recent message addressed to ``recipient`` written after ``since``."""
    if not mailbox.is_dir():
        return None
    candidates = []
    for path in mailbox.iterdir():
        if not path.is_file() or path.stat().st_mtime < since - 1:
            continue
        try:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        except (OSError, ValueError):
            continue
        if not isinstance(message, EmailMessage):
            continue
        if recipient.lower() in str(message.get("To", "")).lower():
            candidates.append((path.stat().st_mtime, path.name, message))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def find_link(mailbox: Path, recipient: str, pattern: str, since: float,
              wait_s: float) -> str:
    """Wait for a mail to ``recipient`` and return its first link matching ``pattern``."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + wait_s
    while True:
        message = newest_mail_to(mailbox, recipient, since)
        if message is not None:
            for found in _LINK.findall(_text_of(message)):
                link = str(found).rstrip(").,;")
                if regex.search(link):
                    return link
            if time.monotonic() >= deadline:
                raise MailNotFound(f"the newest mail to {recipient} has no link matching "
                                   f"{pattern}")
        elif time.monotonic() >= deadline:
            raise MailNotFound(f"no mail to {recipient} arrived in {mailbox} within "
                               f"{wait_s:g} s")
        time.sleep(0.05)
