"""axe-core: where the script comes from, how it is run, how its results are kept.

The script is the axe.min.js shipped by the ``axe-playwright-python`` package (a maintained
PyPI package, so ``pip install`` alone brings a current axe-core and everything works offline).
We read the file and inject it ourselves, so both drivers run the same axe-core and the same
options. ``AUDITOR_AXE_PATH`` points at another axe.min.js (e.g. a newer npm release).
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.models import AxeNode, AxeResults, AxeRuleResult

#: Rule tags run at every checkpoint: all WCAG A/AA levels up to 2.2, plus best practices kept
#: in their own bucket by the measures (metrics.md §5.1: runOnly must list every level).
RUN_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MIN_AXE_VERSION = (4, 12)


class AxeUnavailable(RuntimeError):
    """axe.min.js could not be found or is too old."""


@lru_cache(maxsize=1)
def axe_source() -> str:
    """The axe.min.js text, from AUDITOR_AXE_PATH or the axe-playwright-python package."""
    override = os.environ.get("AUDITOR_AXE_PATH")
    if override:
        path = Path(override)
    else:
        try:
            import axe_playwright_python
        except ImportError as exc:
            raise AxeUnavailable("axe-core not installed: pip install axe-playwright-python"
                                 ) from exc
        path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AxeUnavailable(f"{path}: cannot read axe-core ({exc.strerror})") from None
    version = axe_version_of(text)
    parsed = tuple(int(x) for x in version.split(".")[:2]) if version else (0, 0)
    if parsed < MIN_AXE_VERSION:
        raise AxeUnavailable(f"{path}: axe-core {version or '?'} is older than 4.12")
    return text


def axe_version_of(source: str) -> str:
    """Version from the banner comment ``/*! axe v4.12.1``."""
    match = re.search(r"axe v(\d+\.\d+\.\d+)", source[:300])
    return match.group(1) if match else ""


def axe_version() -> str:
    """Version of the axe-core this installation runs."""
    return axe_version_of(axe_source())


def run_script(locale: dict[str, Any] | None = None) -> str:
    """JavaScript (an async function body's expression) that runs axe and trims its output.

    Passes and inapplicable results are reduced to rule ids: their node lists are large and no
    measure needs them.
    """
    options = {"runOnly": {"type": "tag", "values": RUN_TAGS},
               "resultTypes": ["violations", "incomplete"]}
    configure = f"axe.configure({{locale: {json.dumps(locale)}}});" if locale else ""
    return (
        "(async () => {" + configure +
        f"const r = await axe.run(document, {json.dumps(options)});"
        # Whether each element sits in a form: a critical defect blocks a sign-up or vote only
        # on the form's own controls, not on a header search box (metrics.md §5.4).
        "const inForm = (t) => { try { if (t.length !== 1 || typeof t[0] !== 'string')"
        " return null; const el = document.querySelector(t[0]);"
        " return el ? !!el.closest('form') : null; } catch (e) { return null; } };"
        "const slim = (x) => ({id: x.id, impact: x.impact, tags: x.tags, help: x.help,"
        " description: x.description, help_url: x.helpUrl, nodes: x.nodes.map((n) => ({"
        " target: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)),"
        " html: (n.html || '').slice(0, 500), impact: n.impact,"
        " failure_summary: n.failureSummary || '', in_form: inForm(n.target)}))});"
        "return {version: axe.version, violations: r.violations.map(slim),"
        " incomplete: r.incomplete.map(slim), passed_rules: r.passes.map((x) => x.id),"
        " inapplicable_rules: r.inapplicable.map((x) => x.id)};})()"
    )


def parse_results(raw: dict[str, Any]) -> AxeResults:
    """Turn the script's output into the saved model."""
    def rule(item: dict[str, Any]) -> AxeRuleResult:
        return AxeRuleResult(
            id=item["id"], impact=item.get("impact"), tags=list(item.get("tags", [])),
            help=item.get("help", ""), description=item.get("description", ""),
            help_url=item.get("help_url", ""),
            nodes=[AxeNode(target=list(n.get("target", [])), html=n.get("html", ""),
                           impact=n.get("impact"), failure_summary=n.get("failure_summary", ""),
                           in_form=n.get("in_form"))
                   for n in item.get("nodes", [])],
        )

    passed = list(raw.get("passed_rules", []))
    inapplicable = list(raw.get("inapplicable_rules", []))
    return AxeResults(
        violations=[rule(x) for x in raw.get("violations", [])],
        incomplete=[rule(x) for x in raw.get("incomplete", [])],
        passes_count=len(passed), inapplicable_count=len(inapplicable),
        passed_rules=passed, inapplicable_rules=inapplicable,
    )
