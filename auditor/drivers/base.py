"""What the runner needs from a browser driver.

The runner speaks only this protocol; the Playwright driver implements it today and a Selenium
driver (local or remote Grid) can implement it without touching the runner or the gatherers.
Every failure surfaces as ``StepFailed`` with a one-line, human message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from auditor.journeys.schema import Target


class StepFailed(Exception):
    """A browser action did not succeed; the message is one line a person can act on."""


class NavigationFailed(StepFailed):
    """The page could not be reached or did not finish loading."""


class Driver(Protocol):
    """A live browser session (one context per run)."""

    browser_version: str
    driver_name: str  # playwright, selenium or selenium-grid: recorded in the run

    def goto(self, url: str, timeout_s: float) -> None: ...
    def click(self, target: Target, timeout_s: float) -> None: ...
    def fill(self, target: Target, value: str, timeout_s: float) -> None: ...
    def select(self, target: Target, option: str, timeout_s: float) -> None: ...
    def check(self, target: Target, checked: bool, timeout_s: float) -> None: ...
    def upload(self, target: Target, file: Path, timeout_s: float) -> None: ...
    def press(self, key: str, target: Target | None, timeout_s: float) -> None: ...
    def wait_for_url(self, pattern: str, timeout_s: float) -> None: ...
    def wait_for_text(self, text: str, timeout_s: float) -> None: ...
    def wait_for_element(self, target: Target, timeout_s: float) -> None: ...

    def begin_action(self) -> None:
        """Called before every action, so ``settle`` can tell what the action caused."""
        ...

    def settle(self, may_navigate: bool, timeout_s: float) -> bool:
        """Wait until the page is stable after an action; True if a document was loaded."""
        ...

    @property
    def url(self) -> str: ...

    def evaluate(self, script: str) -> Any:
        """Evaluate a JavaScript expression (promises are awaited) and return its JSON value."""
        ...

    def screenshot(self, path: Path) -> None: ...

    def scroll_to_bottom(self) -> None:
        """Scroll down (lazy content loads, as the EcoIndex protocol does), then back up."""
        ...

    def drain_requests(self) -> list[dict[str, Any]]:
        """Finished requests since the last call (raw dicts, see gatherers.network)."""
        ...

    def close(self) -> None: ...
