"""SQLite persistence of the demo platform: accounts, sessions, proposals and votes.

The database lives in the server's temporary directory, so every `start_demo()` begins from the
same seed and a run never sees another run's accounts. One connection is shared by the handler
threads behind a lock: the demo serves one browser, so contention does not matter and the code
stays obvious.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.demo.content import SEED_PROPOSALS

_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    profile TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE confirmation_tokens (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    lang TEXT NOT NULL,
    title_en TEXT,
    body_html_en TEXT,
    category TEXT NOT NULL,
    author TEXT NOT NULL,
    seed_votes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE votes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    choice TEXT NOT NULL,
    PRIMARY KEY (user_id, proposal_id)
);
"""

# PBKDF2 iterations: enough to be a real hash, few enough that tests stay fast.
_PBKDF2_ITERATIONS = 20_000


def hash_password(password: str) -> str:
    """Salted PBKDF2-SHA256; the whole password is hashed (no truncation, NIST 800-63B)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _PBKDF2_ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Constant-time comparison of a candidate password with a stored hash."""
    salt_hex, _, digest_hex = stored.partition("$")
    digest = hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), _PBKDF2_ITERATIONS
    )
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True)
class User:
    """An account; `confirmed` is False until the e-mail link is opened (exclusionary only)."""

    id: int
    pseudonym: str
    email: str
    confirmed: bool


@dataclass(frozen=True)
class Proposal:
    """A proposal with its vote count (seeded votes plus the votes cast in this run)."""

    id: int
    title: str
    body_html: str
    lang: str
    title_en: str | None
    body_html_en: str | None
    category: str
    author: str
    votes: int

    def title_in(self, lang: str) -> str:
        """The title in the page language when a translation exists, else the original."""
        return self.title_en if lang == "en" and self.title_en else self.title

    def body_in(self, lang: str) -> str:
        """The sanitised description in the page language when translated."""
        return self.body_html_en if lang == "en" and self.body_html_en else self.body_html

    def lang_in(self, lang: str) -> str:
        """Language of the text shown on a page in `lang` (for a `lang` attribute, WCAG 3.1.2)."""
        return "en" if lang == "en" and self.title_en else self.lang


@dataclass
class Session:
    """A browser session: who is logged in, plus small state (flash messages, wizard, vote)."""

    id: str
    user_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    is_new: bool = False
    dirty: bool = False

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value; saved at the end of the request."""
        self.data[key] = value
        self.dirty = True

    def pop(self, key: str, default: Any = None) -> Any:
        """Remove and return a value (flash messages are shown once)."""
        if key in self.data:
            self.dirty = True
            return self.data.pop(key)
        return default

    def login(self, user_id: int | None) -> None:
        """Attach a user to the session (None logs out)."""
        self.user_id = user_id
        self.dirty = True


class Store:
    """All reads and writes of the demo's state."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(_SCHEMA)
        self._seed()

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cursor = self._db.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def close(self) -> None:
        """Close the connection (the server calls this when it stops)."""
        with self._lock:
            self._db.close()

    def _seed(self) -> None:
        """The same proposals in every run, so journeys and tests can name them."""
        with self._cursor() as cur:
            for seed in SEED_PROPOSALS:
                cur.execute(
                    "INSERT INTO proposals (title, body_html, lang, title_en, body_html_en,"
                    " category, author, seed_votes) VALUES (?, ?, 'fr', ?, ?, ?, ?, ?)",
                    (
                        seed.title_fr,
                        seed.body_html_fr,
                        seed.title_en,
                        seed.body_html_en,
                        seed.category,
                        seed.author,
                        seed.seed_votes,
                    ),
                )

    # --- accounts -------------------------------------------------------------------------

    def account_count(self) -> int:
        """Accounts on the platform (the tests check that probing creates exactly one)."""
        with self._cursor() as cur:
            row = cur.execute("SELECT COUNT(*) FROM users").fetchone()
        return int(row[0])

    def email_taken(self, email: str) -> bool:
        """Whether an account already uses this e-mail (case-insensitive)."""
        with self._cursor() as cur:
            row = cur.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone()
        return row is not None

    def pseudonym_taken(self, pseudonym: str) -> bool:
        """Whether a pseudonym is already shown on the platform (case-insensitive)."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT 1 FROM users WHERE lower(pseudonym) = lower(?)", (pseudonym,)
            ).fetchone()
        return row is not None

    def create_user(
        self,
        pseudonym: str,
        email: str,
        password: str,
        *,
        confirmed: bool,
        profile: dict[str, Any] | None = None,
    ) -> User:
        """Create an account; `profile` keeps the extra data the exclusionary variant asks for."""
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO users (pseudonym, email, password_hash, confirmed, profile)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    pseudonym,
                    email,
                    hash_password(password),
                    int(confirmed),
                    json.dumps(profile or {}),
                ),
            )
            user_id = cur.lastrowid
        assert user_id is not None
        return User(user_id, pseudonym, email, confirmed)

    def _user_from_row(self, row: sqlite3.Row | None) -> User | None:
        if row is None:
            return None
        return User(row["id"], row["pseudonym"], row["email"], bool(row["confirmed"]))

    def get_user(self, user_id: int) -> User | None:
        """The account with this id, if it exists."""
        with self._cursor() as cur:
            row = cur.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return self._user_from_row(row)

    def authenticate(self, email: str, password: str) -> User | None:
        """The account matching e-mail and password, confirmed or not (callers decide)."""
        with self._cursor() as cur:
            row = cur.execute("SELECT * FROM users WHERE email = ?", (email.strip(),)).fetchone()
        if row is None or not check_password(password, row["password_hash"]):
            return None
        return self._user_from_row(row)

    def user_profile(self, user_id: int) -> dict[str, Any]:
        """The extra sign-up data stored with an account."""
        with self._cursor() as cur:
            row = cur.execute("SELECT profile FROM users WHERE id = ?", (user_id,)).fetchone()
        return dict(json.loads(row["profile"])) if row else {}

    def new_confirmation_token(self, user_id: int) -> str:
        """A random, single-use token for the e-mail confirmation link."""
        token = secrets.token_urlsafe(24)
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO confirmation_tokens (token, user_id) VALUES (?, ?)", (token, user_id)
            )
        return token

    def confirm(self, token: str) -> User | None:
        """Mark the token's account as confirmed and burn the token; None if unknown."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT user_id FROM confirmation_tokens WHERE token = ?", (token,)
            ).fetchone()
            if row is None:
                return None
            cur.execute("UPDATE users SET confirmed = 1 WHERE id = ?", (row["user_id"],))
            cur.execute("DELETE FROM confirmation_tokens WHERE token = ?", (token,))
            user_row = cur.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone()
        return self._user_from_row(user_row)

    # --- sessions -------------------------------------------------------------------------

    def load_session(self, session_id: str | None) -> Session:
        """The session named by the cookie, or a fresh one (saved only if something is set)."""
        if session_id:
            with self._cursor() as cur:
                row = cur.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is not None:
                return Session(row["id"], row["user_id"], dict(json.loads(row["data"])))
        return Session(secrets.token_urlsafe(24), is_new=True)

    def save_session(self, session: Session) -> None:
        """Persist a session that changed during the request."""
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO sessions (id, user_id, data) VALUES (?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data",
                (session.id, session.user_id, json.dumps(session.data)),
            )
        session.dirty = False

    # --- proposals and votes ----------------------------------------------------------------

    _PROPOSAL_SELECT = (
        "SELECT p.*, p.seed_votes + (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id"
        " AND v.choice IN ('soutien', 'pour')) AS votes FROM proposals p"
    )

    def _proposal_from_row(self, row: sqlite3.Row) -> Proposal:
        return Proposal(
            id=row["id"],
            title=row["title"],
            body_html=row["body_html"],
            lang=row["lang"],
            title_en=row["title_en"],
            body_html_en=row["body_html_en"],
            category=row["category"],
            author=row["author"],
            votes=row["votes"],
        )

    def list_proposals(self) -> list[Proposal]:
        """Every proposal, oldest first (seeds first, so their positions never move)."""
        with self._cursor() as cur:
            rows = cur.execute(self._PROPOSAL_SELECT + " ORDER BY p.id").fetchall()
        return [self._proposal_from_row(row) for row in rows]

    def get_proposal(self, proposal_id: int) -> Proposal | None:
        """One proposal with its current count."""
        with self._cursor() as cur:
            row = cur.execute(self._PROPOSAL_SELECT + " WHERE p.id = ?", (proposal_id,)).fetchone()
        return self._proposal_from_row(row) if row else None

    def add_proposal(
        self, title: str, body_html: str, lang: str, category: str, author: str
    ) -> int:
        """Publish a proposal at once (no moderation queue in the demo); returns its id."""
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO proposals (title, body_html, lang, category, author)"
                " VALUES (?, ?, ?, ?, ?)",
                (title, body_html, lang, category, author),
            )
            proposal_id = cur.lastrowid
        assert proposal_id is not None
        return proposal_id

    def vote_of(self, user_id: int, proposal_id: int) -> str | None:
        """The user's vote on a proposal ('soutien', 'pour' or 'contre'), if any."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT choice FROM votes WHERE user_id = ? AND proposal_id = ?",
                (user_id, proposal_id),
            ).fetchone()
        return str(row["choice"]) if row else None

    def cast_vote(self, user_id: int, proposal_id: int, choice: str) -> bool:
        """Record one vote per user and proposal; False when the user had already voted."""
        with self._cursor() as cur:
            cur.execute(
                "INSERT OR IGNORE INTO votes (user_id, proposal_id, choice) VALUES (?, ?, ?)",
                (user_id, proposal_id, choice),
            )
            return cur.rowcount == 1
