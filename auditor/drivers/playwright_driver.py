"""The default driver: Playwright's sync API on a Chromium we found (never downloaded).

One browser, one fresh context (no cache, cookies or storage: the EcoIndex cold start), one
page. Network figures come from a CDP session on that page.
"""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from auditor.browser import chromium_args
from auditor.drivers.base import NavigationFailed, StepFailed
from auditor.drivers.network_log import NetworkLog
from auditor.journeys.schema import Target

#: After a click or key press, how long to watch for a navigation to start. Form posts start
#: theirs within a few milliseconds; client-side handlers sometimes a little later.
NAVIGATION_GRACE_S = 0.12
#: The page counts as settled once no request has been in flight for this long...
QUIET_WINDOW_S = 0.1
#: ...or after this much waiting, whichever comes first (a polling page never goes quiet).
QUIET_CAP_S = 2.0

#: Screenshots: half the viewport's size, JPEG quality 50 (about 15 kB for a 1920x1080 page).
SCREENSHOT_SCALE = 0.5
SCREENSHOT_QUALITY = 50

_CHROME_ERROR = re.compile(r"net::(ERR_[A-Z_]+)")
_CHROME_ERROR_WORDS = {
    "ERR_CONNECTION_REFUSED": "connection refused (is the server running?)",
    "ERR_NAME_NOT_RESOLVED": "host name not found",
    "ERR_CONNECTION_TIMED_OUT": "connection timed out",
    "ERR_ADDRESS_UNREACHABLE": "address unreachable",
    "ERR_INTERNET_DISCONNECTED": "no network",
    "ERR_CERT_AUTHORITY_INVALID": "TLS certificate not trusted",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without answering",
}


def _short(error: BaseException) -> str:
    """The first line of a Playwright error, without its call log."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return re.sub(r"^(Error|TimeoutError|Locator\.\w+|Page\.\w+):\s*", "", text)


class PlaywrightDriver:
    """A Driver (see drivers.base) backed by Playwright and Chromium."""

    def __init__(self, executable_path: str, *, width: int = 1920, height: int = 1080,
                 locale: str = "", host_resolver_rules: str = "", headless: bool = True) -> None:
        self._pw: Playwright = sync_playwright().start()
        try:
            self._browser: Browser = self._pw.chromium.launch(
                executable_path=executable_path, headless=headless,
                args=chromium_args(host_resolver_rules))
        except PlaywrightError as exc:
            self._pw.stop()
            raise StepFailed(f"cannot start the browser {executable_path}: {_short(exc)}"
                             ) from None
        self.browser_version = self._browser.version
        self.driver_name = "playwright"
        context_options: dict[str, Any] = {"viewport": {"width": width, "height": height},
                                           "accept_downloads": False}
        if locale:
            context_options["locale"] = locale
        self._context: BrowserContext = self._browser.new_context(**context_options)
        self._page: Page = self._context.new_page()
        self._loads = 0
        self._nav_requests = 0
        self._nav_since_load = 0
        self._mark: tuple[int, int] | None = None
        self._page.on("load", self._on_load)
        self._page.on("request", self._on_request)
        self.network = NetworkLog()
        cdp = self._context.new_cdp_session(self._page)
        cdp.on("Network.requestWillBeSent", self.network.on_request)
        cdp.on("Network.responseReceived", self.network.on_response)
        cdp.on("Network.requestServedFromCache", self.network.on_cached)
        cdp.on("Network.dataReceived", self.network.on_data)
        cdp.on("Network.loadingFinished", self.network.on_finished)
        cdp.on("Network.loadingFailed", self.network.on_failed)
        cdp.send("Network.enable")
        self._cdp = cdp

    # events -----------------------------------------------------------------------------

    def _on_load(self, _page: Page) -> None:
        self._loads += 1
        self._nav_since_load = 0

    def _on_request(self, request: Any) -> None:
        if request.is_navigation_request() and request.frame == self._page.main_frame:
            self._nav_requests += 1
            self._nav_since_load += 1

    def _nav_pending(self) -> bool:
        """A main-frame navigation request was made after the last load event."""
        return self._nav_since_load > 0

    # locating ---------------------------------------------------------------------------

    def _locate(self, target: Target) -> Locator:
        page = self._page
        if target.role is not None:
            locator = page.get_by_role(target.role,  # type: ignore[arg-type]
                                       name=target.name, exact=target.exact)
        elif target.label is not None:
            locator = page.get_by_label(target.label, exact=target.exact)
        elif target.text is not None:
            locator = page.get_by_text(target.text, exact=target.exact)
        elif target.placeholder is not None:
            locator = page.get_by_placeholder(target.placeholder, exact=target.exact)
        else:
            locator = page.locator(target.css or "")
        # Several matches: take the n-th asked for, or the first (menus repeat links).
        return locator.nth(target.nth) if target.nth is not None else locator.first

    def _act(self, what: str, target: Target, timeout_s: float, action: Any) -> None:
        try:
            action(self._locate(target), timeout_s * 1000)
        except PlaywrightTimeout:
            raise StepFailed(f"{what}: {target.describe()} not found or not usable after "
                             f"{timeout_s:g} s") from None
        except PlaywrightError as exc:
            raise StepFailed(f"{what}: {target.describe()}: {_short(exc)}") from None

    # actions ----------------------------------------------------------------------------

    def goto(self, url: str, timeout_s: float) -> None:
        try:
            response = self._page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            raise NavigationFailed(f"{url} did not finish loading within {timeout_s:g} s"
                                   ) from None
        except PlaywrightError as exc:
            match = _CHROME_ERROR.search(str(exc))
            reason = (_CHROME_ERROR_WORDS.get(match.group(1), match.group(1)) if match
                      else _short(exc))
            raise NavigationFailed(f"cannot reach {url}: {reason}") from None
        if response is not None and response.status >= 400:
            raise NavigationFailed(f"{url} answered HTTP {response.status}")

    def click(self, target: Target, timeout_s: float) -> None:
        self._act("click", target, timeout_s, lambda loc, t: loc.click(timeout=t))

    def fill(self, target: Target, value: str, timeout_s: float) -> None:
        def do(loc: Locator, t: float) -> None:
            loc.wait_for(state="visible", timeout=t)
            editable = loc.evaluate(
                "e => e.isContentEditable && !['INPUT','TEXTAREA'].includes(e.tagName)")
            if editable:
                # Rich-text editors (ProseMirror/TipTap, Quill, CKEditor 5) listen to input
                # events from the keyboard; typing through it is what a person does.
                loc.click(timeout=t)
                self._page.keyboard.press("ControlOrMeta+A")
                self._page.keyboard.press("Delete")
                self._page.keyboard.insert_text(value)
            else:
                loc.fill(value, timeout=t)
        self._act("fill", target, timeout_s, do)

    def select(self, target: Target, option: str, timeout_s: float) -> None:
        def do(loc: Locator, t: float) -> None:
            loc.wait_for(state="attached", timeout=t)
            labels = loc.evaluate("s => Array.from(s.options || []).map(o => o.label.trim())")
            if option in labels:
                loc.select_option(label=option, timeout=t)
            else:
                loc.select_option(value=option, timeout=t)
        self._act("select", target, timeout_s, do)

    def check(self, target: Target, checked: bool, timeout_s: float) -> None:
        self._act("check", target, timeout_s,
                  lambda loc, t: loc.set_checked(checked, timeout=t))

    def upload(self, target: Target, file: Path, timeout_s: float) -> None:
        self._act("upload", target, timeout_s,
                  lambda loc, t: loc.set_input_files(str(file), timeout=t))

    def press(self, key: str, target: Target | None, timeout_s: float) -> None:
        if target is not None:
            self._act("press", target, timeout_s, lambda loc, t: loc.press(key, timeout=t))
            return
        try:
            self._page.keyboard.press(key)
        except PlaywrightError as exc:
            raise StepFailed(f"press {key}: {_short(exc)}") from None

    def wait_for_url(self, pattern: str, timeout_s: float) -> None:
        matcher: Any = re.compile(pattern[1:-1]) if (
            len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/")) else pattern
        try:
            self._page.wait_for_url(matcher, timeout=timeout_s * 1000, wait_until="load")
        except PlaywrightTimeout:
            raise StepFailed(f"the address never matched {pattern} within {timeout_s:g} s "
                             f"(it is {self.url})") from None

    def wait_for_text(self, text: str, timeout_s: float) -> None:
        try:
            self._page.get_by_text(text).first.wait_for(state="visible",
                                                        timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            raise StepFailed(f"text '{text}' did not appear within {timeout_s:g} s") from None

    def wait_for_element(self, target: Target, timeout_s: float) -> None:
        self._act("wait for", target, timeout_s,
                  lambda loc, t: loc.wait_for(state="visible", timeout=t))

    # settling ---------------------------------------------------------------------------

    def begin_action(self) -> None:
        """Remember the navigation counters before an action.

        Playwright often dispatches the navigation and even the load event while the click
        itself is still running, so ``settle`` must compare with the state before the action.
        """
        self._mark = (self._loads, self._nav_requests)

    def settle(self, may_navigate: bool, timeout_s: float) -> bool:
        """Wait for any navigation the action started, then for the network to go quiet."""
        loads_before, navs_before = self._mark or (self._loads, self._nav_requests)
        self._mark = None
        page = self._page
        if may_navigate:
            deadline = time.monotonic() + NAVIGATION_GRACE_S
            while (self._nav_requests == navs_before and self._loads == loads_before
                   and time.monotonic() < deadline):
                page.wait_for_timeout(20)
        navigated = self._nav_requests > navs_before or self._loads > loads_before
        if navigated:
            deadline = time.monotonic() + timeout_s
            # A redirect chain makes several navigation requests and one load: wait until
            # the last document has loaded (no navigation request after the last load).
            while self._loads == loads_before or self._nav_pending():
                if time.monotonic() > deadline:
                    raise NavigationFailed(f"{page.url} did not finish loading within "
                                           f"{timeout_s:g} s")
                page.wait_for_timeout(20)
        self.wait_quiet()
        return navigated

    def wait_quiet(self) -> None:
        """Let late requests (lazy images, beacons) land in this checkpoint's network log."""
        deadline = time.monotonic() + QUIET_CAP_S
        while time.monotonic() < deadline:
            idle = time.monotonic() - self.network.last_activity
            if self.network.in_flight == 0 and idle >= QUIET_WINDOW_S:
                return
            self._page.wait_for_timeout(25)

    def scroll_to_bottom(self) -> None:
        """EcoIndex protocol: scroll down so lazy content loads, then back to the top.

        Pages that fit in the viewport are left alone (nothing lazy can be below the fold).
        """
        try:
            scrolled = self._page.evaluate(
                "(() => { const h = document.documentElement.scrollHeight;"
                " if (h <= window.innerHeight + 2) return false;"
                " window.scrollTo(0, h); return true; })()")
            if scrolled:
                self.wait_quiet()
                self._page.evaluate("window.scrollTo(0, 0)")
        except PlaywrightError:
            pass

    # reading ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._page.url

    def evaluate(self, script: str) -> Any:
        try:
            return self._page.evaluate(script)
        except PlaywrightError as exc:
            raise StepFailed(f"in-page script failed: {_short(exc)}") from None

    def screenshot(self, path: Path) -> None:
        """The viewport at half scale, JPEG: a quarter of the pixels is plenty to show a
        step, and it encodes in about half the time of a full-size capture."""
        size = self._page.viewport_size or {"width": 1920, "height": 1080}
        try:
            shot = self._cdp.send("Page.captureScreenshot", {
                "format": "jpeg", "quality": SCREENSHOT_QUALITY, "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                         "scale": SCREENSHOT_SCALE}})
        except PlaywrightError as exc:
            raise StepFailed(f"screenshot failed: {_short(exc)}") from None
        path.write_bytes(base64.b64decode(shot["data"]))

    def drain_requests(self) -> list[dict[str, Any]]:
        return self.network.drain()

    def close(self) -> None:
        for closer in (self._context.close, self._browser.close, self._pw.stop):
            try:
                closer()
            except Exception:  # noqa: BLE001, S110 - closing a dead browser is not an error
                pass
