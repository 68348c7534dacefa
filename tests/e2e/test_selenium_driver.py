"""The Selenium driver end to end: a local ChromeDriver, a ChromeDriver reached as a remote
"Grid" (the W3C protocol a Grid speaks, so ``webdriver.Remote`` runs for real), and parity with
the Playwright driver on the same journey and the same pages.

The journey uses every step kind the driver implements: a button rendered 300 ms after load,
a pre-filled field, a <select>, a contenteditable editor, a file input, a plain and a visually
hidden checkbox, key presses, clicks, URL / text / element waits, expectations, checkpoints.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from auditor.browser import BrowserLocation, find_browser
from auditor.drivers.base import StepFailed
from auditor.drivers.playwright_driver import PlaywrightDriver
from auditor.drivers.selenium_driver import SeleniumDriver, url_matcher
from auditor.journeys.loader import load_config
from auditor.journeys.runner import DriverFactory, JourneyRunner
from auditor.journeys.schema import Target, TargetConfig
from auditor.models import Run
from tests.e2e.conftest import write_config
from tests.sites.server import SiteServer

pytestmark = pytest.mark.e2e

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

# Every step kind but open_email_link (it needs a mailbox; it is a goto for the driver).
STEPS: list[dict[str, object]] = [
    {"wait_for": {"role": "button", "name": "Publier"}},  # appears 300 ms after load
    {"fill": {"label": "Pseudonyme", "value": "camille-des-lilas"}},
    {"select": {"label": "Quartier", "option": "Sud"}},
    {"fill": {"label": "Votre proposition", "value": "Un banc près de l'école"}},
    {"check": {"label": "J'accepte la charte"}},
    {"check": {"label": "Recevoir la lettre du quartier"}},  # visually hidden input
    {"upload": {"label": "Pièce jointe", "file": "piece.txt"}},
    {"expect": {"text": "Fichier joint : piece.txt"}},
    {"press": "Tab"},
    {"checkpoint": "formulaire-rempli"},
    {"press": {"key": "Enter", "label": "Pseudonyme"}},  # submits the form
    {"wait_for": {"url": "**/merci.html?*"}},
    {"expect": {"text": "Votre idée est enregistrée"}},
    {"click": {"role": "link", "name": "Retour au formulaire"}},
    {"wait_for": {"url": "/index\\.html$/"}},
    {"wait_for": {"css": "#actions button"}},
    {"goto": "/merci.html"},
    {"expect": {"url": "**/merci.html"}},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    server = SiteServer("selenium")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> BrowserLocation:
    return find_browser()


def journey_config(directory: Path, base_url: str, steps: list[dict[str, object]],
                   step_timeout: float = 10) -> TargetConfig:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "piece.txt").write_text("Plan du banc\n")
    path = write_config(directory / "j.yml", {
        "base_url": base_url, "step_timeout": step_timeout,
        "journeys": [{"id": "proposal", "start": "/index.html", "steps": steps}]})
    return load_config(path)


def run_journey(directory: Path, config: TargetConfig, browser: BrowserLocation,
                factory: DriverFactory) -> Run:
    runner = JourneyRunner(config, out_dir=directory / "out", browser=browser,
                           driver_factory=factory)
    return runner.run()


def selenium_factory(config: TargetConfig, location: BrowserLocation) -> SeleniumDriver:
    return SeleniumDriver(location.path, host_resolver_rules=config.browser.host_resolver_rules,
                          chromedriver_path=CHROMEDRIVER)


def playwright_factory(config: TargetConfig, location: BrowserLocation) -> PlaywrightDriver:
    return PlaywrightDriver(location.path,
                            host_resolver_rules=config.browser.host_resolver_rules)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, site: SiteServer,
         browser: BrowserLocation) -> dict[str, tuple[Run, Path]]:
    """The full journey once with each driver (the parity test compares them)."""
    out: dict[str, tuple[Run, Path]] = {}
    factories: dict[str, DriverFactory] = {"selenium": selenium_factory,
                                           "playwright": playwright_factory}
    for name, factory in factories.items():
        directory = tmp_path_factory.mktemp(name)
        steps = list(STEPS)
        if name == "playwright":
            # Playwright's check() cannot tick a visually hidden input (its label intercepts
            # the click); a person clicks the label, which is what this step does there.
            steps[5] = {"click": {"text": "Recevoir la lettre du quartier"}}
        config = journey_config(directory, site.base_url, steps)
        run = run_journey(directory, config, browser, factory)
        out[name] = (run, directory / "out")
    return out


def test_full_journey_with_selenium(runs: dict[str, tuple[Run, Path]]) -> None:
    run, out = runs["selenium"]
    (journey,) = run.journeys
    assert journey.status == "completed", journey.error
    assert run.browser.version and run.tool.axe_version >= "4.12"
    triggers = [(c.trigger, c.step_index, c.name) for c in journey.checkpoints]
    # Start, the named checkpoint, the three document loads (submit, link, goto).
    assert triggers == [("start", -1, "start"), ("checkpoint", 9, "formulaire-rempli"),
                        ("navigation", 10, "step-11"), ("navigation", 13, "step-14"),
                        ("navigation", 16, "step-17")]
    assert [s.navigated for s in journey.steps] == [i in (10, 13, 16) for i in range(18)]

    start, filled, thanks = journey.checkpoints[0], journey.checkpoints[1], \
        journey.checkpoints[2]
    assert start.title == "Proposer une idée" and start.lang == "fr"
    assert not start.axe.error and start.axe.passes_count > 0
    assert "image-alt" in [v.id for v in start.axe.violations]
    assert [f.label for f in start.fields] == [
        "Pseudonyme", "Quartier", "Votre proposition", "Pièce jointe",
        "J'accepte la charte de participation", "Recevoir la lettre du quartier"]
    assert (out / start.screenshot).is_file() and (out / start.screenshot).stat().st_size > 2000
    assert (out / start.screenshot).read_bytes()[:2] == b"\xff\xd8"  # JPEG
    document = [r for r in start.requests if r.resource_type == "document"]
    assert len(document) == 1 and document[0].transferred_bytes > 500
    assert document[0].status == 200 and document[0].url.endswith("/index.html")
    assert {r.url.rsplit("/", 1)[-1] for r in start.requests} >= {"index.html", "style.css",
                                                                  "app.js", "plan.svg"}
    assert all(r.transferred_bytes > 0 for r in start.requests if not r.failed)
    assert "Décrivez votre idée" in start.text.main_prose
    assert "Fichier joint : piece.txt" in filled.text.notices

    # What the form sent is what the steps typed, chose and ticked.
    query = parse_qs(urlsplit(thanks.url).query)
    assert query["pseudo"] == ["camille-des-lilas"]  # the pre-filled value was replaced
    assert query["quartier"] == ["sud"]
    assert query["texte"] == ["Un banc près de l'école"]
    assert query["piece"] == ["piece.txt"]
    assert query["cgu"] == ["on"] and query["lettre"] == ["on"]
    assert thanks.requests and thanks.requests[0].resource_type == "document"
    assert journey.checkpoints[-1].url.endswith("/merci.html")


def test_parity_with_playwright(runs: dict[str, tuple[Run, Path]]) -> None:
    selenium, playwright = runs["selenium"][0], runs["playwright"][0]
    (sj,), (pj,) = selenium.journeys, playwright.journeys
    assert sj.status == pj.status == "completed", (sj.error, pj.error)
    assert [c.url for c in sj.checkpoints] == [c.url for c in pj.checkpoints]
    assert [c.trigger for c in sj.checkpoints] == [c.trigger for c in pj.checkpoints]
    assert [sorted(v.id for v in c.axe.violations) for c in sj.checkpoints] == \
        [sorted(v.id for v in c.axe.violations) for c in pj.checkpoints]
    assert [[f.label for f in c.fields] for c in sj.checkpoints] == \
        [[f.label for f in c.fields] for c in pj.checkpoints]
    assert [c.text.main_prose for c in sj.checkpoints] == \
        [c.text.main_prose for c in pj.checkpoints]
    # Same documents and sub-resources on the start page (favicon requests aside).
    def resources(run: Run) -> list[tuple[str, str]]:
        return sorted((r.url, r.resource_type) for r in run.journeys[0].checkpoints[0].requests
                      if not r.url.endswith("favicon.ico"))
    assert resources(selenium) == resources(playwright)


def test_missing_element_fails_in_one_line(tmp_path: Path, site: SiteServer,
                                           browser: BrowserLocation) -> None:
    config = journey_config(tmp_path, site.base_url, [
        {"fill": {"label": "Pseudonyme", "value": "x"}},
        {"click": {"role": "button", "name": "Voter"}},
        {"checkpoint": "never"}], step_timeout=1)
    started = time.monotonic()
    run = run_journey(tmp_path, config, browser, selenium_factory)
    assert time.monotonic() - started < 15
    (journey,) = run.journeys
    assert journey.status == "failed" and journey.failed_step == 1
    assert journey.steps[1].error == "click: button 'Voter' not found or not usable after 1 s"
    assert "\n" not in journey.error
    assert journey.error.startswith("step 2 (click button 'Voter', line ")
    assert [s.outcome for s in journey.steps] == ["ok", "failed", "skipped"]
    failure = journey.checkpoints[-1]
    assert failure.trigger == "failure" and failure.screenshot
    assert (tmp_path / "out" / failure.screenshot).is_file()
    assert [f.label for f in failure.fields][:1] == ["Pseudonyme"]


def test_page_that_never_loads(tmp_path: Path, site: SiteServer,
                               browser: BrowserLocation) -> None:
    """ChromeDriver blocks a click until the page it opens has loaded: that wait ends at the
    navigation timeout with the Playwright driver's message, not a renderer time-out."""
    config = journey_config(tmp_path, site.base_url, [
        {"click": {"role": "link", "name": "Archives"}},
        {"checkpoint": "never"}])
    config.navigation_timeout = 2
    config.journeys[0].start = "/merci.html"
    run = run_journey(tmp_path, config, browser, selenium_factory)
    (journey,) = run.journeys
    assert journey.status == "failed" and journey.failed_step == 0
    assert journey.steps[0].error.endswith("/slow did not finish loading within 2 s")
    assert [c.trigger for c in journey.checkpoints] == ["start", "failure"]


def test_remote_grid_path(tmp_path: Path, site: SiteServer, browser: BrowserLocation) -> None:
    """``grid_url`` drives ``webdriver.Remote``; a bare ChromeDriver serves as the Grid here
    (a Selenium Server jar cannot be downloaded on this machine)."""
    port = free_port()
    chromedriver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        grid = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "chromedriver did not start"
                time.sleep(0.05)

        def factory(config: TargetConfig, location: BrowserLocation) -> SeleniumDriver:
            return SeleniumDriver(location.path, grid_url=grid)

        config = journey_config(tmp_path, site.base_url, [
            {"fill": {"label": "Pseudonyme", "value": "grille"}},
            {"upload": {"label": "Pièce jointe", "file": "piece.txt"}},
            {"expect": {"text": "Fichier joint : piece.txt"}},
            {"check": {"label": "J'accepte la charte"}},
            {"click": {"role": "button", "name": "Publier"}}])
        run = run_journey(tmp_path, config, browser, factory)
    finally:
        chromedriver.terminate()
        chromedriver.wait(10)
    (journey,) = run.journeys
    assert journey.status == "completed", journey.error
    assert [c.trigger for c in journey.checkpoints] == ["start", "navigation"]
    start, thanks = journey.checkpoints
    assert start.axe.passes_count > 0 and [f.label for f in start.fields][0] == "Pseudonyme"
    assert any(r.resource_type == "document" and r.transferred_bytes > 500
               for r in start.requests)
    assert (tmp_path / "out" / thanks.screenshot).is_file()
    assert "pseudo=grille" in thanks.url and "piece=piece.txt" in thanks.url


def test_start_errors_are_one_line(browser: BrowserLocation) -> None:
    with pytest.raises(StepFailed) as refused:
        SeleniumDriver(browser.path, grid_url=f"http://127.0.0.1:{free_port()}")
    assert str(refused.value).startswith("cannot reach the Selenium Grid at http://127.0.0.1:")
    assert "connection refused" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(StepFailed) as missing:
        SeleniumDriver(browser.path, chromedriver_path="/nonexistent/chromedriver")
    assert "apt-get install chromium-driver" in str(missing.value)


def test_driver_details(tmp_path: Path, site: SiteServer, browser: BrowserLocation) -> None:
    """What the journey does not show: viewport and locale, evaluate semantics, HTTP errors,
    key names, URL globs, and the two fallbacks a restrictive Grid needs."""
    driver = SeleniumDriver(browser.path, chromedriver_path=CHROMEDRIVER, width=1280,
                            height=720, locale="de-DE")
    try:
        assert driver.evaluate("[window.innerWidth, window.innerHeight, navigator.language]"
                               ) == [1280, 720, "de-DE"]
        driver.goto(site.base_url + "/index.html", 10)
        # A program, not only an expression (axe-core is injected this way); promises awaited.
        assert driver.evaluate("var auditorProbe = 2;\n;auditorProbe * 3") == 6
        assert driver.evaluate("new Promise((r) => setTimeout(() => r({a: [1, 'é']}), 50))") \
            == {"a": [1, "é"]}
        assert driver.evaluate("undefined") is None
        with pytest.raises(StepFailed, match="in-page script failed: boom"):
            driver.evaluate("(async () => { throw new Error('boom'); })()")
        with pytest.raises(StepFailed, match="in-page script failed: SyntaxError"):
            driver.evaluate("this is not javascript")
        with pytest.raises(StepFailed, match="unknown key 'Entr'"):
            driver.press("Entr", None, 1)

        # No CDP on the Grid: the PNG screenshot is scaled down to the same half-size JPEG.
        driver._cdp = False
        driver.screenshot(tmp_path / "shot.jpg")
        with Image.open(tmp_path / "shot.jpg") as shot:
            assert (shot.format, shot.size) == ("JPEG", (640, 360))

        # No performance log on the Grid: a document load is still told from a client-side
        # change (performance.timeOrigin changes with the document).
        driver._perf_log = False
        driver.begin_action()
        driver.click(Target(role="link", name="Accueil"), 5)
        assert driver.settle(True, 10) is True
        driver.wait_for_element(Target(role="button", name="Publier"), 5)
        driver.begin_action()
        driver.press("Tab", None, 5)
        assert driver.settle(True, 10) is False
        driver._perf_log = True

        with pytest.raises(StepFailed, match="answered HTTP 404"):
            driver.goto(site.base_url + "/absent.html", 10)
    finally:
        driver.close()
    driver.close()  # closing twice never raises
    assert url_matcher("**/merci.html?*")("http://h:1/merci.html?a=1")
    assert not url_matcher("**/merci.html")("http://h:1/merci.html?a=1")
    assert url_matcher("http://h:1/*.html")("http://h:1/index.html")
    assert not url_matcher("http://h:1/*.html")("http://h:1/a/index.html")
    assert url_matcher("**/{merci,index}.html")("http://h:1/index.html")
    assert url_matcher("/merci/")("http://h:1/merci.html?a=1")
