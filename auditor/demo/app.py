"""What both variants of the demo platform share: routing, languages, sessions, rendering.

A variant (`inclusive.py`, `exclusionary.py`) is a subclass that lists its routes and templates.
French is the default language; every page also exists in English under the `/en` prefix, with
`lang="en"` on the page and a visible language switch, so readability can be measured in both.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from auditor.demo import assets
from auditor.demo.content import CATEGORIES, CATEGORY_BY_SLUG
from auditor.demo.store import Proposal, Session, Store, User
from auditor.demo.web import Request, Response

Lang = Literal["fr", "en"]
Variant = Literal["inclusive", "exclusionary"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
SESSION_COOKIE = "villeneuve_session"


@dataclass
class Visit:
    """One request as the pages see it: language, session and the logged-in user."""

    request: Request
    lang: Lang
    path: str  # the path without the language prefix, e.g. "/inscription"
    session: Session
    user: User | None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        """URL prefix of the page language: '' for French, '/en' for English."""
        return "/en" if self.lang == "en" else ""

    def url(self, path: str) -> str:
        """A site path in the current language."""
        return self.prefix + path if path != "/" or not self.prefix else "/en/"

    def tr(self, french: str, english: str) -> str:
        """Pick the French or English text: the demo has exactly two languages."""
        return english if self.lang == "en" else french

    def flash(self, text: str) -> None:
        """A message for the next page (shown once, in a `role=status` region)."""
        self.session.set("flash", text)

    def login(self, user: User | None) -> None:
        """Log a user in (None logs out)."""
        self.session.login(user.id if user else None)
        self.user = user


Handler = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    """A method and a path regex (matched in full, without the language prefix)."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, pattern: str, handler: Handler) -> Route:
    """Shorthand used by the variants' route tables."""
    return Route(method, re.compile(pattern), handler)


def safe_next(target: str, default: str) -> str:
    """Only local paths are accepted as a post-login destination (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


class DemoApp:
    """Base of both variants: override `variant`, `routes()` and `page_context()`."""

    variant: Variant

    def __init__(self, store: Store, mailbox_dir: Path, base_url: str, port: int) -> None:
        self.store = store
        self.mailbox_dir = mailbox_dir
        self.base_url = base_url
        self.port = port
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._routes = self.routes()

    # --- to override ----------------------------------------------------------------------

    def routes(self) -> list[Route]:
        """The variant's pages."""
        raise NotImplementedError

    def page_context(self, visit: Visit) -> dict[str, Any]:
        """Extra template variables every page of the variant needs."""
        return {}

    compress_text = False  # gzip HTML/CSS/JS when the browser accepts it (frugal variant only)

    # --- request handling -----------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Serve one request: third-party hosts, static assets, then the pages."""
        if request.host in assets.THIRD_PARTY_HOSTS:
            return self._serve_third_party(request)
        asset = assets.static_asset(request.path)
        if asset is not None:
            return self._asset_response(asset, request)
        if request.path == "/favicon.ico":
            return Response(status=204, content_type="image/x-icon")
        lang: Lang = "fr"
        path = request.path
        if path == "/en" or path.startswith("/en/"):
            lang, path = "en", path[3:] or "/"
        session = self.store.load_session(request.cookies.get(SESSION_COOKIE))
        user = self.store.get_user(session.user_id) if session.user_id else None
        visit = Visit(request, lang, path, session, user)
        response = self._dispatch(visit)
        # A session is stored, and its cookie set, only once something is put in it: a plain
        # visit leaves no cookie behind.
        if session.dirty:
            self.store.save_session(session)
            if session.is_new:
                session.is_new = False
                response.headers.append(
                    (
                        "Set-Cookie",
                        f"{SESSION_COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Lax",
                    )
                )
        response.headers.extend(visit.extra_headers)
        return self._maybe_compress(response, request)

    def _dispatch(self, visit: Visit) -> Response:
        method = "GET" if visit.request.method == "HEAD" else visit.request.method
        path_matched = False
        for candidate in self._routes:
            match = candidate.pattern.fullmatch(visit.path)
            if match is None:
                continue
            path_matched = True
            if candidate.method == method:
                return candidate.handler(visit, **match.groupdict())
        if path_matched:
            return Response.text(405, "Method Not Allowed")
        return self.not_found(visit)

    def not_found(self, visit: Visit) -> Response:
        """A 404 page in the variant's layout."""
        response = self.render(visit, "not_found.html")
        response.status = 404
        return response

    def _asset_response(self, asset: assets.Asset, request: Request) -> Response:
        cache = "public, max-age=3600" if asset.cacheable else "no-store"
        response = Response(
            body=asset.content, content_type=asset.content_type, headers=[("Cache-Control", cache)]
        )
        return self._maybe_compress(response, request)

    def _serve_third_party(self, request: Request) -> Response:
        asset = assets.third_party_asset(request.host, request.path)
        if asset is None:
            return Response.text(404, "Not Found")
        cache = "public, max-age=3600" if asset.cacheable else "no-store"
        # Fonts are fetched in CORS mode; a real font service allows any origin.
        headers = [("Cache-Control", cache), ("Access-Control-Allow-Origin", "*")]
        return Response(body=asset.content, content_type=asset.content_type, headers=headers)

    def _maybe_compress(self, response: Response, request: Request) -> Response:
        compressible = response.content_type.startswith(("text/", "application/json"))
        already = any(name.lower() == "content-encoding" for name, _ in response.headers)
        if (
            self.compress_text
            and compressible
            and not already
            and len(response.body) > 1024
            and "gzip" in request.headers.get("accept-encoding", "")
        ):
            response.body = gzip.compress(response.body, compresslevel=6, mtime=0)
            response.headers.append(("Content-Encoding", "gzip"))
            response.headers.append(("Vary", "Accept-Encoding"))
        return response

    # --- rendering ------------------------------------------------------------------------

    def render(self, visit: Visit, template: str, **context: Any) -> Response:
        """Render `<variant>/<template>` with the variables every page uses."""
        other_lang: Lang = "fr" if visit.lang == "en" else "en"
        query = urlencode(visit.request.query, doseq=True)
        switch_path = ("/en" if other_lang == "en" else "") + visit.path
        if switch_path == "/en/" or switch_path == "/en":
            switch_path = "/en/"
        values: dict[str, Any] = {
            "lang": visit.lang,
            "other_lang": other_lang,
            "tr": visit.tr,
            "url": visit.url,
            "user": visit.user,
            "current_path": visit.path,
            "switch_url": switch_path + (f"?{query}" if query else ""),
            "flash": visit.session.pop("flash"),
            "base_url": self.base_url,
            "categories": CATEGORIES,
            "category_label": lambda slug: (
                CATEGORY_BY_SLUG[slug].label(visit.lang) if slug in CATEGORY_BY_SLUG else slug
            ),
            "port": self.port,
        }
        values.update(self.page_context(visit))
        values.update(context)
        html = self.templates.get_template(f"{self.variant}/{template}").render(values)
        return Response(
            body=html.encode("utf-8"),
            headers=[("Cache-Control", "no-store"), ("Content-Language", visit.lang)],
        )

    # --- shared pages ---------------------------------------------------------------------

    def proposal_or_404(self, proposal_id: str) -> Proposal | None:
        """The proposal named in the URL, if it exists."""
        return self.store.get_proposal(int(proposal_id)) if proposal_id.isdigit() else None

    def proposal_api(self, visit: Visit, proposal_id: str) -> Response:
        """JSON of one proposal, read by the exclusionary client-rendered vote widget."""
        proposal = self.proposal_or_404(proposal_id)
        if proposal is None:
            return Response.text(404, "Not Found")
        voted = bool(visit.user and self.store.vote_of(visit.user.id, proposal.id))
        payload = {
            "id": proposal.id,
            "title": proposal.title_in(visit.lang),
            "votes": proposal.votes,
            "has_voted": voted,
            "vote_url": visit.url(f"/propositions/{proposal.id}/voter"),
            "lang": visit.lang,
        }
        return Response.json_body(json.dumps(payload, ensure_ascii=False))
