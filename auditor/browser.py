"""Find a Chromium to drive, never download one.

Order (fixed by the project): the path the user gives (``--browser-path`` or
``AUDITOR_BROWSER``); Playwright's own installed browser; a system Chromium. CI runners and
users' machines usually have one; a download would fail on closed networks anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                "chrome")
SYSTEM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                "/usr/bin/google-chrome-stable", "/snap/bin/chromium",
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                "/Applications/Chromium.app/Contents/MacOS/Chromium")

HOW_TO_GET_ONE = (
    "no Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium; "
    "or `python -m playwright install chromium` where downloads work), "
    "or give its path with --browser-path / AUDITOR_BROWSER"
)

# Flags for a quiet, reproducible headless browser. Background networking, component updates
# and sync make requests of their own that would pollute the network log (and fail on closed
# networks); --no-sandbox is needed only as root, where Chromium refuses to start without it.
BASE_ARGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
)


class BrowserNotFound(RuntimeError):
    """No usable browser; the message says how to get one, in one line."""


@dataclass(frozen=True)
class BrowserLocation:
    """A browser executable and how we found it (recorded in the run)."""

    path: str
    source: str  # option, env, playwright, system


def chromium_args(host_resolver_rules: str = "") -> list[str]:
    """Command-line flags for every launch."""
    args = list(BASE_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    if host_resolver_rules:
        args.append(f"--host-resolver-rules={host_resolver_rules}")
    return args


def _playwright_chromium() -> str | None:
    """Path of the Chromium that ``playwright install`` put on this machine, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - a broken Playwright install means "not there"
        return None
    return path if path and Path(path).is_file() else None


def find_browser(explicit: str | None = None) -> BrowserLocation:
    """Locate a browser in the project's order, or raise BrowserNotFound."""
    if explicit:
        return _checked(explicit, "option")
    env = os.environ.get("AUDITOR_BROWSER")
    if env:
        return _checked(env, "env")
    playwright_path = _playwright_chromium()
    if playwright_path:
        return BrowserLocation(playwright_path, "playwright")
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserLocation(found, "system")
    for path in SYSTEM_PATHS:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return BrowserLocation(path, "system")
    raise BrowserNotFound(HOW_TO_GET_ONE)


def _checked(path: str, source: str) -> BrowserLocation:
    resolved = shutil.which(path) or path
    if not (Path(resolved).is_file() and os.access(resolved, os.X_OK)):
        where = "--browser-path" if source == "option" else "AUDITOR_BROWSER"
        raise BrowserNotFound(f"{where} {path}: not an executable file")
    return BrowserLocation(resolved, source)


def browser_version(path: str) -> str:
    """``Chromium 156.0.8078.73``-style version string, or '' if the binary will not say."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""
