"""The ``auditor`` command. Thin: parse, call the pipeline, print with rich.

Exit codes (documented in the README and in ``auditor --help``):

- 0: every journey completed;
- 1: reserved for "a budget failed" (CI policy);
- 2: usage or configuration error (bad journey file, bad option, unreadable run);
- 3: a journey broke (a step failed, a page could not be reached) — the run is still saved;
- 4: environment problem (no browser, no axe-core);
- 130: interrupted (the run gathered so far is saved).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from auditor import __version__
from auditor.browser import BrowserLocation, BrowserNotFound, find_browser
from auditor.drivers.base import Driver
from auditor.journeys.loader import ConfigError, load_config, read_url_list
from auditor.journeys.runner import JourneyRunner, ProgressEvent
from auditor.journeys.schema import (
    BrowserConfig,
    JourneyConfig,
    MailboxConfig,
    TargetConfig,
)
from auditor.models import Run

if TYPE_CHECKING:
    from auditor.metrics.bundle import Measures
    from auditor.policy import Baseline, Policy
    from auditor.scoring.scorecard import Scorecard
from auditor.run_io import RunFileError, load_run
from auditor.summary import all_completed, summarise

EXIT_OK = 0
EXIT_BUDGET = 1
EXIT_USAGE = 2
EXIT_JOURNEY = 3
EXIT_ENVIRONMENT = 4
EXIT_INTERRUPTED = 130

PRESETS = Path(__file__).parent / "journeys" / "presets"

app = typer.Typer(
    name="auditor",
    help=(
        "Audit a civic participation platform for inclusion and frugality: drive a real "
        "browser through sign-up, proposal and vote, and measure WCAG violations, "
        "readability, effort, sign-up friction and page weight.\n\n"
        "Exit codes: 0 all journeys completed; 1 a budget failed; 2 usage or configuration "
        "error; 3 a journey broke (run still saved); 4 no browser or axe-core; "
        "130 interrupted."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
def _console(stderr: bool = False) -> Console:
    """Rich console; when output is not a terminal (CI logs, pipes), 120 columns rather than
    rich's 80, so the summary table is not truncated."""
    plain = Console(stderr=stderr, highlight=False)
    if plain.is_terminal or "COLUMNS" in os.environ:
        return plain
    return Console(stderr=stderr, highlight=False, width=120)


console = _console()
errors = _console(stderr=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """One line on stderr, then exit: bad input never gets a traceback."""
    errors.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        console.print(f"participation-auditor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Global options."""


BrowserPathOption = Annotated[
    str | None,
    typer.Option("--browser-path", envvar="AUDITOR_BROWSER",
                 help="Chromium or Chrome executable. Default: Playwright's browser, then the "
                      "system Chromium. Nothing is ever downloaded."),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]


def _browser(path: str | None) -> BrowserLocation:
    try:
        return find_browser(path)
    except BrowserNotFound as exc:
        fail(str(exc), EXIT_ENVIRONMENT)


@dataclass
class DriverChoice:
    """Which driver drives the browser: Playwright (default) or Selenium, local or Grid."""

    name: str = "playwright"
    grid_url: str | None = None
    chromedriver_path: str | None = None

    def __call__(self, config: TargetConfig, location: BrowserLocation) -> Driver:
        if self.name == "selenium":
            from auditor.drivers.selenium_driver import SeleniumDriver

            return SeleniumDriver(
                None if self.grid_url else location.path, width=config.browser.width,
                height=config.browser.height, locale=config.browser.locale,
                host_resolver_rules=config.browser.host_resolver_rules,
                grid_url=self.grid_url, chromedriver_path=self.chromedriver_path)
        from auditor.drivers.playwright_driver import PlaywrightDriver

        return PlaywrightDriver(
            location.path, width=config.browser.width, height=config.browser.height,
            locale=config.browser.locale,
            host_resolver_rules=config.browser.host_resolver_rules)


DriverOption = Annotated[str, typer.Option(
    "--driver", help="playwright (default) or selenium (local ChromeDriver or a remote Grid "
                     "with --grid-url).")]
GridOption = Annotated[str | None, typer.Option(
    "--grid-url", envvar="AUDITOR_GRID_URL",
    help="Selenium Grid (or any WebDriver) URL, e.g. http://grid:4444/wd/hub; implies "
         "--driver selenium.")]
ChromedriverOption = Annotated[str | None, typer.Option(
    "--chromedriver-path", help="ChromeDriver for --driver selenium (default: on the PATH).")]


def _driver_choice(driver: str, grid_url: str | None, chromedriver: str | None
                   ) -> DriverChoice:
    name = "selenium" if grid_url else driver
    if name not in ("playwright", "selenium"):
        fail(f"--driver {driver}: choose playwright or selenium")
    return DriverChoice(name, grid_url, chromedriver)


@contextmanager
def _progress(label: str) -> Iterator[JourneyRunnerProgress]:
    """A live status line while the browser works, and one line per finished journey."""
    printer = JourneyRunnerProgress(label)
    with console.status(f"{label}: starting the browser…") as status:
        printer.status = status
        yield printer


class JourneyRunnerProgress:
    """Turns runner events into rich output."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.status: object | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "journey-end":
            mark = "[green]✓[/]" if event.ok else "[red]✗[/]"
            console.print(f"  {mark} {self.label} · {event.journey_id}: {event.message}",
                          soft_wrap=True, crop=False, overflow="ignore")
        elif self.status is not None:
            self.status.update(  # type: ignore[attr-defined]
                f"{self.label} · {event.journey_id}: {event.message[:100]}")


def _execute(config: TargetConfig, out: Path, browser: BrowserLocation, label: str,
             driver: DriverChoice | None = None) -> Run:
    runner = JourneyRunner(config, out_dir=out, browser=browser,
                           driver_factory=driver or DriverChoice())
    with _progress(label) as progress:
        runner.progress = progress
        try:
            return runner.run()
        except KeyboardInterrupt:
            errors.print(f"interrupted: partial run saved in {out / 'run.json'}")
            raise typer.Exit(EXIT_INTERRUPTED) from None


def _print_summary(run: Run, out: Path, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("journey", "status", "steps", "pages", "axe crit/ser/mod/min", "weight",
                   "time"):
        table.add_column(column, justify="left" if column in ("journey", "status") else "right",
                         no_wrap=True)
    for row in summarise(run):
        impacts = row.violations_by_impact
        status = {"completed": "[green]completed[/]", "failed": "[red]failed[/]"}.get(
            row.status, row.status)
        table.add_row(row.id, status, f"{row.steps_done}/{row.steps_total}", str(row.pages),
                      "/".join(str(impacts[i]) for i in ("critical", "serious", "moderate",
                                                         "minor")),
                      f"{row.transferred_bytes / 1000:,.0f} kB", f"{row.seconds:.1f} s")
    console.print(table)
    console.print("  axe-core rules failed per page, by impact (automated checks are a partial "
                  "proxy for a manual audit).")
    for row in summarise(run):
        if row.error:
            console.print(f"  [red]{row.id}[/]: {row.error}", soft_wrap=True)
    for problem in run.errors:
        console.print(f"  [red]run[/]: {problem}", soft_wrap=True)
    console.print(f"  saved: {out / 'run.json'} (axe-core {run.tool.axe_version}, "
                  f"{run.browser.version})")


def _exit_for(run: Run) -> int:
    return EXIT_OK if all_completed(run) else EXIT_JOURNEY


@app.command()
def demo(
    variant: Annotated[str, typer.Option(
        help="inclusive, exclusionary or both.")] = "both",
    out: OutOption = Path("audit-results"),
    browser_path: BrowserPathOption = None,
    serve: Annotated[bool, typer.Option(
        help="Only serve the demo platform for a person to browse (Ctrl-C to stop).")] = False,
) -> None:
    """Audit the embedded demo platform (both variants): the first command to try."""
    from auditor.demo.server import start_demo

    variants = ["inclusive", "exclusionary"] if variant == "both" else [variant]
    if any(v not in ("inclusive", "exclusionary") for v in variants):
        fail(f"--variant {variant}: choose inclusive, exclusionary or both")
    if serve:
        servers = [start_demo(v) for v in variants]  # type: ignore[arg-type]
        for server in servers:
            console.print(f"{server.variant}: {server.base_url}/  (mails in "
                          f"{server.mailbox_dir})")
        try:
            import time
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            for server in servers:
                server.stop()
        return
    browser = _browser(browser_path)
    codes = []
    for name in variants:
        with start_demo(name) as server:  # type: ignore[arg-type]
            try:
                config = load_config(PRESETS / f"demo-{name}.yml", base_url=server.base_url)
            except ConfigError as exc:
                fail(str(exc))
            config.mailbox = MailboxConfig(dir=str(server.mailbox_dir))
            target_out = out / f"demo-{name}"
            run = _execute(config, target_out, browser, f"demo {name}")
        _print_summary(run, target_out, f"Demo platform, {name} variant")
        _report_after_run(run, target_out)
        codes.append(_exit_for(run))
    raise typer.Exit(max(codes))


def _config_for_urls(urls: list[str]) -> TargetConfig:
    """Each URL becomes a one-checkpoint journey (a quick audit of pages, as peers offer)."""
    journeys = [JourneyConfig(id=f"page-{i}", title=url, start=url)
                for i, url in enumerate(urls, start=1)]
    return TargetConfig(name="URL list", base_url=urls[0], journeys=journeys,
                        browser=BrowserConfig())


@app.command()
def run(
    sources: Annotated[list[str], typer.Argument(
        help="A journey file (.yml), or one or more URLs, or a text file of URLs "
             "(one per line).", show_default=False)],
    out: OutOption = Path("audit-results"),
    base_url: Annotated[str | None, typer.Option(
        help="Audit this base URL instead of the journey file's (e.g. a preview "
             "deployment).")] = None,
    mailbox: Annotated[Path | None, typer.Option(
        help="Directory of .eml files where the platform delivers mail (overrides the "
             "journey file's mailbox).")] = None,
    browser_path: BrowserPathOption = None,
    driver: DriverOption = "playwright",
    grid_url: GridOption = None,
    chromedriver_path: ChromedriverOption = None,
) -> None:
    """Run journeys (or single pages) in a real browser and save run.json."""
    choice = _driver_choice(driver, grid_url, chromedriver_path)
    config = _load_sources(sources, base_url)
    if mailbox is not None:
        config.mailbox = MailboxConfig(dir=str(mailbox.resolve()))
    # With a Grid the browser is the node's: no local browser is needed.
    browser = BrowserLocation("", "grid") if grid_url else _browser(browser_path)
    result = _execute(config, out, browser, config.name or "run", choice)
    _print_summary(result, out, config.name or "Audit")
    _report_after_run(result, out)
    raise typer.Exit(_exit_for(result))


def _load_sources(sources: list[str], base_url: str | None) -> TargetConfig:
    try:
        if all(s.startswith(("http://", "https://")) for s in sources):
            return _config_for_urls(sources)
        if len(sources) != 1:
            fail("give one journey file, one file of URLs, or URLs")
        path = Path(sources[0])
        if path.suffix.lower() in (".yml", ".yaml") or not path.exists():
            return load_config(path, base_url=base_url)
        return _config_for_urls(read_url_list(path))
    except ConfigError as exc:
        fail(str(exc))


@app.command()
def validate(
    config: Annotated[Path, typer.Argument(help="Journey file to check.", show_default=False)],
) -> None:
    """Check a journey file without starting a browser."""
    try:
        target = load_config(config)
    except ConfigError as exc:
        fail(str(exc))
    steps = sum(len(j.steps) for j in target.journeys)
    console.print(f"{config}: valid ({len(target.journeys)} journeys, {steps} steps)")


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of "
                                                  "standard output.")] = None,
) -> None:
    """Print the JSON Schema of journey files (for editor completion)."""
    text = json.dumps(TargetConfig.model_json_schema(), indent=2, ensure_ascii=False)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {out}")


@app.command()
def summary(
    run_file: Annotated[Path, typer.Argument(help="run.json or its directory.",
                                             show_default=False)],
) -> None:
    """Print the per-journey summary of a saved run (no browser)."""
    try:
        saved = load_run(run_file)
    except RunFileError as exc:
        fail(str(exc))
    folder = run_file if run_file.is_dir() else run_file.parent
    _print_summary(saved, folder, saved.target.name or "Audit")


def report_language(run: Run, requested: str) -> str:
    """fr or en: as asked, else French when most audited pages declare French."""
    if requested in ("fr", "en"):
        return requested
    langs = [c.lang.lower()[:2] for c in run.checkpoints() if c.lang]
    return "fr" if langs and langs.count("fr") * 2 >= len(langs) else "en"


def _report_after_run(run: Run, out: Path) -> None:
    """Measures, scorecard and every report, right after a run (default rules and profile)."""
    measures, card = _scorecard(run, out, "auto", None, None)
    (out / "measures.json").write_text(measures.model_dump_json(indent=1), encoding="utf-8")
    _print_grades(card, write_reports(card, out, out, list(FORMATS)))


LangOption = Annotated[str, typer.Option(
    "--lang", help="Report language: fr, en, or auto (French when the platform is French).")]
RulesOption = Annotated[list[Path] | None, typer.Option(
    "--rules", help="A directory of your own rules and profiles (YAML), added to the shipped "
                    "ones; may be repeated.")]
ProfileOption = Annotated[str | None, typer.Option(
    "--profile", help="Rule profile: default, strict, or one of your own.")]


def _load_saved(run_file: Path) -> tuple[Run, Path]:
    try:
        saved = load_run(run_file)
    except RunFileError as exc:
        fail(str(exc))
    return saved, run_file if run_file.is_dir() else run_file.parent


def _scorecard(run: Run, folder: Path, lang: str, rules: list[Path] | None,
               profile: str | None) -> tuple[Measures, Scorecard]:
    """Measures × rules → Scorecard, with one-line errors for bad rule files or profiles."""
    from auditor.metrics.bundle import compute_measures
    from auditor.scoring.engine import score as judge
    from auditor.scoring.rule_loader import RuleError, load_rules

    if lang not in ("fr", "en", "auto"):
        fail(f"--lang {lang}: choose fr, en or auto")
    report_lang = report_language(run, lang)
    try:
        ruleset = load_rules([str(d) for d in rules or []])
        measures = compute_measures(run, report_lang)
        return measures, judge(measures, run, ruleset, profile, report_lang,
                               run_path=str(folder))
    except RuleError as exc:
        fail(str(exc))


@app.command()
def score(
    run_file: Annotated[Path, typer.Argument(help="run.json or its directory.",
                                             show_default=False)],
    lang: LangOption = "auto",
    rules: RulesOption = None,
    profile: ProfileOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the measures (default: measures.json beside run.json; the "
             "scorecard goes beside it as scorecard.json).")] = None,
) -> None:
    """Recompute every measure and the scorecard from a saved run, offline (no browser)."""
    saved, folder = _load_saved(run_file)
    measures, card = _scorecard(saved, folder, lang, rules, profile)
    path = out or folder / "measures.json"
    path.write_text(measures.model_dump_json(indent=1), encoding="utf-8")
    card_path = path.with_name("scorecard.json")
    card_path.write_text(card.model_dump_json(indent=1), encoding="utf-8")
    grades = ", ".join(f"{g.headline} {g.grade or '-'}" for g in card.grades)
    console.print(f"{len(saved.journeys)} journeys, {len(saved.checkpoints())} checkpoints, "
                  f"profile {card.profile}: {grades}")
    console.print(f"  measures: {path}\n  scorecard: {card_path}")


FORMATS = ("html", "md", "json", "csv")
REPORT_FILES = {"html": "report.html", "md": "summary.md", "json": "scorecard.json",
                "csv": "findings.csv"}


def write_reports(card: Scorecard, run_dir: Path, out: Path, formats: list[str],
                  previous: Scorecard | None = None) -> dict[str, Path]:
    """Render the scorecard in each format into ``out``; returns the files written."""
    from auditor.reporters.csv_report import render_csv
    from auditor.reporters.html_report import render_html
    from auditor.reporters.json_report import render_json
    from auditor.reporters.markdown_report import render_markdown

    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = out / REPORT_FILES[fmt]
        if fmt == "html":
            text = render_html(card, run_dir)
        elif fmt == "md":
            text = render_markdown(card, previous, html_link=REPORT_FILES["html"])
        elif fmt == "json":
            text = render_json(card)
        else:
            text = render_csv(card)
        path.write_text(text, encoding="utf-8-sig" if fmt == "csv" and not
                        text.startswith("\ufeff") else "utf-8", newline="")
        written[fmt] = path
    return written


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        fail(f"--format {value}: choose among {', '.join(FORMATS)} (comma-separated)")
    return formats


def _previous(path: Path | None) -> Scorecard | None:
    if path is None:
        return None
    from pydantic import ValidationError

    from auditor.scoring.scorecard import Scorecard as Card

    try:
        return Card.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (ValidationError, ValueError) as exc:
        fail(f"{path}: not a scorecard.json ({str(exc).splitlines()[0]})")


def _print_grades(card: Scorecard, written: dict[str, Path]) -> None:
    grades = "   ".join(f"{g.headline.capitalize()}: {g.grade or '-'}"
                        + (" (capped)" if g.capped else "") for g in card.grades)
    blocking = sum(1 for f in card.findings if f.blocking)
    console.print(f"  [bold]{grades}[/]   findings: {len(card.findings)}"
                  f" ({blocking} blocking), profile {card.profile}, report in {card.lang}")
    for fmt, path in written.items():
        console.print(f"  {fmt}: {path}")


@app.command()
def report(
    run_file: Annotated[Path, typer.Argument(help="run.json or its directory.",
                                             show_default=False)],
    lang: LangOption = "auto",
    rules: RulesOption = None,
    profile: ProfileOption = None,
    format: Annotated[str, typer.Option(  # noqa: A002 - the option's natural name
        "--format", help="Comma-separated: html, md, json, csv.")] = "html,md,json,csv",
    previous: Annotated[Path | None, typer.Option(
        help="A previous scorecard.json: the Markdown summary shows the changes.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output directory (default: beside run.json).")] = None,
) -> None:
    """Render the scorecard of a saved run (no browser): other rules, profile or language."""
    formats = _formats(format)
    before = _previous(previous)
    saved, folder = _load_saved(run_file)
    _, card = _scorecard(saved, folder, lang, rules, profile)
    _print_grades(card, write_reports(card, folder, out or folder, formats, before))


PolicyOption = Annotated[str, typer.Option(
    "--policy", help="Budgets: a preset (default, strict, warn-only) or a policy file (YAML).")]
BaselineOption = Annotated[Path | None, typer.Option(
    "--baseline", help="Known findings and accepted breaches (made by `auditor baseline`).")]


def _policy(policy: str) -> Policy:
    from auditor.policy import PolicyError, load_policy

    try:
        return load_policy(policy)
    except PolicyError as exc:
        fail(str(exc))


def _baseline(path: Path | None) -> Baseline | None:
    from auditor.policy import PolicyError, load_baseline

    if path is None:
        return None
    try:
        return load_baseline(path)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except PolicyError as exc:
        fail(str(exc))


@app.command()
def check(
    run_dir: Annotated[Path, typer.Argument(help="A run's folder (or its run.json).",
                                            show_default=False)],
    policy: PolicyOption = "default",
    baseline: BaselineOption = None,
    rules: RulesOption = None,
    profile: ProfileOption = None,
    lang: LangOption = "auto",
    markdown: Annotated[Path | None, typer.Option(
        help="Write the Markdown summary (scorecard + budgets) here. It also goes to "
             "$GITHUB_STEP_SUMMARY when that is set.")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write JUnit XML here.")] = None,
    sarif: Annotated[Path | None, typer.Option(help="Write SARIF 2.1.0 here.")] = None,
) -> None:
    """Check a run against a policy of budgets: exit 0 met, 1 failed, 3 a journey broke."""
    from auditor.policy import evaluate_policy, render_policy_markdown, render_policy_text
    from auditor.reporters.markdown_report import render_markdown

    chosen = _policy(policy)
    known = _baseline(baseline)
    saved, folder = _load_saved(run_dir)
    measures, card = _scorecard(saved, folder, lang, rules, profile)
    result = evaluate_policy(chosen, card, measures, saved, known)
    sys.stdout.write(render_policy_text(result, card.lang) + "\n")
    summary = (render_markdown(card, html_link="report.html") + "\n\n"
               + render_policy_markdown(result, card.lang) + "\n")
    if markdown is not None:
        markdown.write_text(summary, encoding="utf-8")
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary)
    if junit is not None:
        from auditor.reporters.junit_report import render_junit

        junit.write_text(render_junit(card, saved, result), encoding="utf-8")
    if sarif is not None:
        from auditor.reporters.sarif_report import render_sarif

        sarif.write_text(render_sarif(card, saved), encoding="utf-8")
    raise typer.Exit(result.exit_code)


@app.command("baseline")
def baseline_command(
    run_dir: Annotated[Path, typer.Argument(help="A run's folder (or its run.json).",
                                            show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Baseline file to create or update.")] = Path("audit-baseline.yml"),
    reason: Annotated[str, typer.Option(
        help="Why these problems are accepted for now (kept with each new entry).")
    ] = "known when the baseline was made",
    expires: Annotated[str | None, typer.Option(
        help="Date (YYYY-MM-DD) after which new entries fail again.")] = None,
    policy: PolicyOption = "default",
    rules: RulesOption = None,
    profile: ProfileOption = None,
) -> None:
    """Create or update a baseline of known findings, so CI fails only on new problems."""
    from datetime import date

    from auditor.policy import (
        evaluate_policy,
        make_baseline,
        render_baseline_update,
        save_baseline,
    )

    try:
        until = date.fromisoformat(expires) if expires else None
    except ValueError:
        fail(f"--expires {expires}: write a date as YYYY-MM-DD")
    previous = _baseline(out) if out.exists() else None
    chosen = _policy(policy)
    saved, folder = _load_saved(run_dir)
    measures, card = _scorecard(saved, folder, "auto", rules, profile)
    result = evaluate_policy(chosen, card, measures, saved)
    update = make_baseline(card, reason, until, previous, policy_result=result)
    save_baseline(update, out)
    sys.stdout.write(render_baseline_update(update, card.lang) + "\n")
    console.print(f"  baseline: {out}")


@app.command("compare")
def compare_command(
    old: Annotated[Path, typer.Argument(help="Earlier run folder, run.json or scorecard.json.",
                                        show_default=False)],
    new: Annotated[Path, typer.Argument(help="Later run folder, run.json or scorecard.json.",
                                        show_default=False)],
    format: Annotated[str, typer.Option(  # noqa: A002 - the option's natural name
        "--format", help="text, md or json.")] = "text",
    lang: LangOption = "auto",
) -> None:
    """What was fixed, what is new, and how the grades moved between two runs."""
    from auditor.policy import compare, render_comparison_markdown, render_comparison_text

    if format not in ("text", "md", "json"):
        fail(f"--format {format}: choose text, md or json")
    before, after = _saved_scorecard(old, lang), _saved_scorecard(new, lang)
    comparison = compare(before, after)
    if format == "json":
        sys.stdout.write(comparison.model_dump_json(indent=1) + "\n")
    elif format == "md":
        sys.stdout.write(render_comparison_markdown(comparison, after.lang) + "\n")
    else:
        sys.stdout.write(render_comparison_text(comparison, after.lang) + "\n")


def _saved_scorecard(path: Path, lang: str) -> Scorecard:
    """A scorecard.json as saved, or the scorecard of a run (default rules)."""
    from pydantic import ValidationError

    from auditor.scoring.scorecard import Scorecard as Card

    card_file = path / "scorecard.json" if path.is_dir() else path
    if card_file.name == "scorecard.json" and card_file.is_file() and lang == "auto":
        try:
            return Card.model_validate_json(card_file.read_text(encoding="utf-8"))
        except (ValidationError, ValueError) as exc:
            fail(f"{card_file}: not a scorecard.json ({str(exc).splitlines()[0]})")
    saved, folder = _load_saved(path if path.name != "scorecard.json" else path.parent)
    return _scorecard(saved, folder, lang, None, None)[1]


rules_app = typer.Typer(help="List and explain the scoring rules (rules/*.yml).",
                        no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None,
    profile: ProfileOption = None,
    lang: Annotated[str, typer.Option("--lang", help="fr or en.")] = "fr",
    indicators: Annotated[bool, typer.Option(
        "--indicators", help="List the indicators rules can read instead.")] = False,
) -> None:
    """Every rule of a profile: id, category, weight, blocking, title."""
    from auditor.scoring.explain import list_indicators, list_rules
    from auditor.scoring.rule_loader import RuleError, load_rules

    if indicators:
        sys.stdout.write(list_indicators(lang) + "\n")
        return
    try:
        sys.stdout.write(list_rules(load_rules([str(d) for d in rules or []]), profile, lang)
                         + "\n")
    except (RuleError, KeyError, ValueError) as exc:
        fail(str(exc))


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. paste-blocked.",
                                           show_default=False)],
    rules: RulesOption = None,
    lang: Annotated[str, typer.Option("--lang", help="fr or en.")] = "fr",
) -> None:
    """A rule in full: what it reads, its thresholds per profile, why, how to fix, sources."""
    from auditor.scoring.explain import UnknownRule, explain_rule
    from auditor.scoring.rule_loader import RuleError, load_rules

    try:
        sys.stdout.write(explain_rule(load_rules([str(d) for d in rules or []]), rule_id, lang)
                         + "\n")
    except UnknownRule as exc:
        fail(exc.message)
    except RuleError as exc:
        fail(str(exc))


@rules_app.command("schema")
def rules_schema(
    profile: Annotated[bool, typer.Option("--profile", help="The profile schema instead.")
                       ] = False,
) -> None:
    """JSON Schema of rule files (or profile files), for editor completion."""
    from auditor.scoring.rule_model import profile_json_schema, rule_json_schema

    schema_doc = profile_json_schema() if profile else rule_json_schema()
    sys.stdout.write(json.dumps(schema_doc, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        errors.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        errors.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
                     "(set AUDITOR_DEBUG=1 for details)", soft_wrap=True)
        sys.exit(70)
