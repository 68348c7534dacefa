"""The scorecard and reports of ``auditor demo`` (issue 5), read as users read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from auditor.browser import chromium_args
from auditor.gatherers.axe import axe_source, run_script
from auditor.scoring.scorecard import Scorecard
from tests.e2e.conftest import run_cli
from tests.sites.server import SiteServer

pytestmark = pytest.mark.e2e

GRADES = "ABCDEFG"

#: Each seeded barrier of auditor/demo/README.md and a rule that must report it.
BARRIER_RULES = {
    "paste blocked (#2)": "paste-blocked",
    "composition rules (#3)": "password-composition-rules",
    "maximum length 12 (#4)": "password-max-length",
    "confirm password (#5)": "confirm-password-field",
    "confirm e-mail (#6)": "confirm-email-field",
    "arithmetic CAPTCHA (#7)": "captcha-cognitive",
    "extra personal data (#8)": "extra-personal-data",
    "proof of address (#9)": "proof-document-required",
    "multi-page wizard (#10)": "journey-screens",
    "e-mail confirmation (#11)": "email-confirmation-required",
    "administrative sentences (#12)": "long-sentences",
    "unexplained acronyms (#12)": "unexplained-acronyms",
    "placeholder-only fields (#13)": "placeholder-label",
    "unnamed fields (#14)": "form-control-critical",
    "low contrast (#15)": "accessibility-score",
    "autocomplete off (#19)": "autocomplete-tokens",
    "values wiped (#20)": "values-lost-after-error",
    "opaque errors (#21)": "opaque-error-message",
    "heavy pages (#23-24)": "screen-weight",
    "uncompressed scripts (#24)": "text-compression",
    "third parties (#25)": "third-party-requests",
    "tracker (#25)": "trackers",
}


def card(demo_dir: Path, variant: str) -> Scorecard:
    return Scorecard.model_validate_json(
        (demo_dir / f"demo-{variant}" / "scorecard.json").read_text())


def grade(scorecard: Scorecard, headline: str) -> str:
    value = next(g.grade for g in scorecard.grades if g.headline == headline)
    assert value is not None
    return value


@pytest.mark.parametrize("headline", ["inclusion", "frugality"])
def test_inclusive_gets_the_better_grades(demo_dir: Path, headline: str) -> None:
    inclusive, exclusionary = card(demo_dir, "inclusive"), card(demo_dir, "exclusionary")
    assert GRADES.index(grade(inclusive, headline)) < GRADES.index(
        grade(exclusionary, headline))
    assert grade(inclusive, headline) in "AB"


def test_blocking_findings_cap_the_exclusionary_inclusion_grade(demo_dir: Path) -> None:
    inclusion = next(g for g in card(demo_dir, "exclusionary").grades
                     if g.headline == "inclusion")
    assert inclusion.capped and inclusion.cap_reason is not None
    assert GRADES.index(inclusion.grade or "A") >= GRADES.index("D")


@pytest.mark.parametrize("barrier", sorted(BARRIER_RULES))
def test_every_seeded_barrier_is_a_finding_with_its_source(demo_dir: Path,
                                                           barrier: str) -> None:
    rule_id = BARRIER_RULES[barrier]
    found = [f for f in card(demo_dir, "exclusionary").findings if f.rule_id == rule_id]
    assert found, f"{barrier}: no {rule_id} finding"
    assert all(f.references for f in found)
    assert all(f.fix.fr and f.fix.en for f in found)
    html = (demo_dir / "demo-exclusionary" / "report.html").read_text()
    assert found[0].title.fr in html.replace("&#39;", "'").replace("&#34;", '"')
    assert not [f for f in card(demo_dir, "inclusive").findings
                if f.rule_id == rule_id and f.severity in ("blocking", "major", "minor")]


def test_reports_are_written_in_every_format(demo_dir: Path) -> None:
    folder = demo_dir / "demo-exclusionary"
    summary = (folder / "summary.md").read_text()
    assert "Inclusion" in summary and "report.html" in summary and len(summary) < 10_000
    assert json.loads((folder / "scorecard.json").read_text())["schema_version"]
    csv_text = (folder / "findings.csv").read_text(encoding="utf-8-sig")
    assert csv_text.count("\n") > 20 and "paste-blocked" in csv_text


def axe_violations_of(html_file: Path, browser_path: str) -> tuple[list[str], list[str]]:
    """axe-core rule ids failing on a local HTML file, and every URL it requested."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=chromium_args())
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html_file.as_uri())
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate(axe_source() + "\n;true")
        result = page.evaluate(run_script())
        browser.close()
    return [v["id"] for v in result["violations"]], requests


@pytest.mark.parametrize("variant", ["inclusive", "exclusionary"])
def test_the_html_report_passes_axe_and_stays_light(demo_dir: Path, browser_path: str,
                                                    variant: str) -> None:
    report = demo_dir / f"demo-{variant}" / "report.html"
    violations, requests = axe_violations_of(report, browser_path)
    assert violations == []
    assert requests == [report.as_uri()]  # self-contained: no other request at all
    assert report.stat().st_size < 500_000


def test_site_content_with_markup_stays_text(tmp_path: Path, browser_path: str,
                                            basic_site: SiteServer) -> None:
    result = run_cli("run", f"{basic_site.base_url}/hostile.html", "--out", str(tmp_path),
                     "--browser-path", browser_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = tmp_path / "report.html"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=chromium_args())
        page = browser.new_page()
        page.goto(report.as_uri())
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        text = page.inner_text("body")
        bold = page.evaluate("document.querySelectorAll('b').length")
        pwned = page.evaluate("window.__pwned === 1")
        images = page.evaluate("Array.from(document.images).map(i => i.src)"
                               ".filter(s => s === 'x' || s.endsWith('/x'))")
        browser.close()
    # the page title is shown in the step strip, and the long sentence is quoted in a
    # finding: markup and template syntax stay text
    assert "<script>window.__pwned=1</script><b>Titre gras</b> {{ 7*7 }}" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "{{ 7*7 }}" in text
    assert bold == 0 and pwned is False and images == []
