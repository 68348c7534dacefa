"""A static test site on 127.0.0.1, port 0, with two misbehaving pages for bad-input tests.

- ``/slow``: sends its headers and half a page, then never finishes (a page that never loads);
- ``/echo-secret``: re-renders a submitted password in the page, as a careless platform might.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SITES = Path(__file__).parent


class SiteServerHandler(SimpleHTTPRequestHandler):
    """Static files plus the special pages above."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = urlsplit(self.path).path
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"<!doctype html><html lang='fr'><title>Lent</title><body><p>Ch")
            self.wfile.flush()
            time.sleep(30)
            return
        if path == "/echo-secret":
            query = parse_qs(urlsplit(self.path).query)
            value = query.get("mdp", [""])[0]
            body = (f"<!doctype html><html lang='fr'><title>Echo</title><body><main>"
                    f"<p>Votre mot de passe est {value}</p>"
                    f"<input type='password' aria-label='Mot de passe' value='{value}'>"
                    f"</main></body></html>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


class SiteServer:
    """Serve ``tests/sites/<name>`` until stopped."""

    def __init__(self, name: str) -> None:
        handler = partial(SiteServerHandler, directory=str(SITES / name))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
