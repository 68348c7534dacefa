"""Outgoing mail of the demo platform, written as `.eml` files instead of being sent.

The journey runner reads this directory like a test mailbox (Mailpit / MailHog for a real
instance): it picks the newest mail to the test identity and opens the confirmation link. The
body is written as 8-bit UTF-8 so the link stays on one line in the raw file (no
quoted-printable soft breaks), whichever way the reader parses it.
"""

from __future__ import annotations

import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

SENDER = "Budget participatif de Villeneuve <ne-pas-repondre@villeneuve.example>"


def write_mail(mailbox_dir: Path, to: str, subject: str, body: str) -> Path:
    """Write one plain-text mail and return its path.

    File names start with a nanosecond timestamp so that sorting them by name is sorting them
    by sending time, and two mails in the same second never collide.
    """
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="villeneuve.example")
    message.set_content(body, charset="utf-8", cte="8bit")
    mailbox_dir.mkdir(parents=True, exist_ok=True)
    path = mailbox_dir / f"{time.time_ns()}.eml"
    temporary = path.with_suffix(".tmp")
    # Write then rename: a reader polling the directory never sees half a mail.
    temporary.write_bytes(message.as_bytes())
    temporary.replace(path)
    return path
