"""The HTML report in a real Chromium: axe-core finds nothing, site content stays text, no
request leaves the file, and a big report stays under its weight budget.

The report is rendered from hand-made Scorecards (tests/unit/scorecard_samples.py) whose
"site" content is hostile: ``<script>alert(1)</script><b>x</b> {{ 7*7 }}`` as a page title,
a sentence, a selector, a journey title and the target name; ``javascript:`` URLs; a
screenshot path that climbs out of the run directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from auditor.browser import chromium_args, find_browser
from auditor.gatherers.axe import RUN_TAGS, axe_source
from auditor.reporters import render_html
from tests.unit.scorecard_samples import (
    NASTY,
    empty_scorecard,
    gradient_jpeg,
    large_scorecard,
    nasty_scorecard,
)

pytestmark = pytest.mark.e2e

#: WCAG 2.0 / 2.1 / 2.2 A and AA, and Deque's best practices (the report must pass them all).
AXE_TAGS = sorted({*RUN_TAGS, "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                   "best-practice"})
BUDGET_BYTES = 300_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=find_browser().path,
                                      args=chromium_args())
        yield launched
        launched.close()


def write_report(tmp_path: Path, lang: str) -> Path:
    """The nasty scorecard with real screenshots, rendered to report.<lang>.html."""
    run_dir = tmp_path / "run"
    (run_dir / "shots").mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(["sign-up-0", "sign-up-1", "sign-up-2", "vote-1", "home",
                              "proposal-0"]):
        gradient_jpeg(run_dir / "shots" / f"{name}.jpg", i)
    path = tmp_path / f"report.{lang}.html"
    path.write_text(render_html(nasty_scorecard(), run_dir, lang), encoding="utf-8")
    return path


class Watched:
    """A page opened on a report, with every request and dialog it caused."""

    def __init__(self, browser: Browser, path: Path, width: int = 1280) -> None:
        # bypass_csp: the report's own policy would block the axe script we inject; the
        # escaping tests must hold without the policy's help anyway.
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           bypass_csp=True)
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def axe(self) -> list[dict[str, Any]]:
        """axe-core violations of the page as it is now."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=axe_source())
        result: dict[str, Any] = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})", AXE_TAGS)
        return list(result["violations"])

    def close(self) -> None:
        self.context.close()


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} → "
                     f"{[n['target'] for n in v['nodes']][:5]}" for v in violations)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation(browser: Browser, tmp_path: Path, lang: str) -> None:
    watched = Watched(browser, write_report(tmp_path, lang))
    try:
        closed = watched.axe()
        assert closed == [], describe(closed)
        # What the <details> hide must pass too: open them all and run again.
        watched.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        opened = watched.axe()
        assert opened == [], describe(opened)
        assert watched.page.evaluate("document.documentElement.lang") == lang
    finally:
        watched.close()


def test_axe_finds_no_violation_on_a_phone(browser: Browser, tmp_path: Path) -> None:
    watched = Watched(browser, write_report(tmp_path, "fr"), width=360)
    try:
        watched.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = watched.axe()
        assert violations == [], describe(violations)
        # Reflow (WCAG 1.4.10): no sideways scrolling of the page at 320 CSS px equivalent.
        overflow = watched.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        watched.close()


def test_axe_finds_no_violation_in_an_empty_report(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(render_html(empty_scorecard(), None), encoding="utf-8")
    watched = Watched(browser, path)
    try:
        violations = watched.axe()
        assert violations == [], describe(violations)
    finally:
        watched.close()


def test_site_content_stays_text(browser: Browser, tmp_path: Path) -> None:
    watched = Watched(browser, write_report(tmp_path, "en"))
    page = watched.page
    try:
        assert watched.dialogs == [] and watched.errors == []
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('b').length") == 0
        assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\"]').length") == 0
        text = page.inner_text("body")
        assert "<script>alert(1)</script><b>x</b> {{ 7*7 }}" in text
        assert "Page title: " + NASTY in text
        assert page.title().startswith("Inclusion and frugality: Villeneuve " + NASTY)
        # The literal text is on screen, not only in the DOM.
        heading = page.get_by_role("heading", name="Page title: " + NASTY)
        assert heading.is_visible()
    finally:
        watched.close()


def test_loading_the_report_makes_no_request(browser: Browser, tmp_path: Path) -> None:
    watched = Watched(browser, write_report(tmp_path, "fr"))
    try:
        watched.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        watched.page.emulate_media(media="print")
        watched.page.wait_for_timeout(100)
        outside = [url for url in watched.requests
                   if url != watched.url and not url.startswith("data:")]
        assert outside == []
        assert watched.requests[0] == watched.url
    finally:
        watched.close()


def test_weight_budget_with_40_findings_and_12_screenshots(browser: Browser,
                                                          tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    scorecard = large_scorecard(run_dir, findings=40, shots=12)
    html = render_html(scorecard, run_dir)
    size = len(html.encode("utf-8"))
    assert size < BUDGET_BYTES, f"report weighs {size} bytes"
    path = tmp_path / "big.html"
    path.write_text(html, encoding="utf-8")
    watched = Watched(browser, path)
    try:
        shown = watched.page.evaluate(
            "[...document.images].map(i => [i.complete && i.naturalWidth > 0, i.naturalWidth])")
        assert len(shown) == 12 and all(ok and width == 320 for ok, width in shown)
        violations = watched.axe()
        assert violations == [], describe(violations)
    finally:
        watched.close()


def test_print_layout_shows_folded_content(browser: Browser, tmp_path: Path) -> None:
    """Agencies print the report: navigation hidden, folded lists unfolded."""
    watched = Watched(browser, write_report(tmp_path, "fr"))
    page = watched.page
    try:
        page.emulate_media(media="print")
        assert not page.locator("nav.toc").is_visible()
        review = page.locator("#review details article").first
        assert review.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    finally:
        watched.close()
