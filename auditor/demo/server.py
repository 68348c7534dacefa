"""Run the demo platform in-process: `start_demo("inclusive")` gives a live URL in milliseconds.

The standard library's `ThreadingHTTPServer` serves it from a daemon thread, on a port chosen by
the OS (port 0), so tests and the `auditor demo` command can run both variants side by side and
never collide. Each server gets its own temporary directory (SQLite database and mailbox), so
runs never share accounts; `stop()` deletes it.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from auditor.demo import assets
from auditor.demo.app import DemoApp, Variant
from auditor.demo.exclusionary import ExclusionaryApp
from auditor.demo.inclusive import InclusiveApp
from auditor.demo.store import Store
from auditor.demo.web import Request, Response

__all__ = ["VARIANTS", "DemoServer", "Variant", "start_demo"]

VARIANTS: tuple[Variant, ...] = ("inclusive", "exclusionary")

# Uploads are tiny PDFs; anything bigger than this is refused before it is read.
MAX_BODY_BYTES = 5 * 1024 * 1024

logger = logging.getLogger(__name__)


class _DemoHTTPServer(ThreadingHTTPServer):
    """The HTTP server, carrying the application its handlers call."""

    daemon_threads = True  # keep-alive connections must not keep the process alive
    app: DemoApp
    log_requests: bool = False


class _RequestHandler(BaseHTTPRequestHandler):
    """Turns raw HTTP into `Request` / `Response` values; the pages never see sockets."""

    protocol_version = "HTTP/1.1"  # keep-alive: a page pulls a dozen assets
    server: _DemoHTTPServer
    server_version = "VilleneuveDemo/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self, send_body: bool = True) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._write(Response.text(413, "Payload Too Large"), send_body, close=True)
            return
        body = self.rfile.read(length) if length else b""
        headers = {name: value for name, value in self.headers.items()}
        try:
            request = Request.build(self.command, self.path, headers, body)
            response = self.server.app.handle(request)
        except Exception:  # a bug must give a 500 page, not a dropped connection
            logger.error(
                "demo server error on %s %s\n%s", self.command, self.path, traceback.format_exc()
            )
            response = Response.text(500, "Internal Server Error")
        self._write(response, send_body)

    def _write(self, response: Response, send_body: bool, close: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if send_body and response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (base signature)
        if self.server.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class DemoServer:
    """One running variant of the demo platform.

    Attributes the callers use: `variant`, `base_url` ("http://127.0.0.1:<port>", no trailing
    slash), `mailbox_dir` (where outgoing mails are written as .eml files) and `port`.
    """

    def __init__(
        self,
        variant: Variant,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = False,
    ) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"unknown demo variant {variant!r}; expected one of {VARIANTS}")
        self.variant: Variant = variant
        self._workdir = Path(tempfile.mkdtemp(prefix=f"participation-demo-{variant}-"))
        self.mailbox_dir: Path = self._workdir / "mails"
        self.mailbox_dir.mkdir()
        self._store = Store(self._workdir / "plateforme.sqlite3")
        try:
            self._httpd = _DemoHTTPServer((host, port), _RequestHandler)
        except OSError:
            self._store.close()
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise
        self.port: int = int(self._httpd.server_address[1])
        self.base_url: str = f"http://{host}:{self.port}"
        app_class = InclusiveApp if variant == "inclusive" else ExclusionaryApp
        self._httpd.app = app_class(self._store, self.mailbox_dir, self.base_url, self.port)
        self._httpd.log_requests = log_requests
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-{variant}-{self.port}",
            daemon=True,
        )
        self._stopped = False

    def start(self) -> DemoServer:
        """Generate the heavy assets, then serve in the background; returns self."""
        if self.variant == "exclusionary":
            assets.warm_up()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and delete the temporary database and mailbox. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        self._store.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def account_count(self) -> int:
        """Accounts created on this platform so far (seeded authors excluded if any)."""
        return self._store.account_count()

    def wait(self) -> None:
        """Block until interrupted (for `python -m auditor.demo`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> DemoServer:
        if not self._thread.is_alive() and not self._stopped:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DemoServer(variant={self.variant!r}, base_url={self.base_url!r})"


def start_demo(variant: Variant) -> DemoServer:
    """Start one variant on a free port of 127.0.0.1 and return it (running)."""
    return DemoServer(variant).start()
