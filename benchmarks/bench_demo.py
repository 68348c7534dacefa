"""Time ``auditor demo`` per variant against a bare Playwright + axe-core floor, in one run.

For each variant of the embedded demo platform:

- **tool**: ``python -m auditor demo --variant V`` as a user runs it; wall time, and the peak
  proportional memory (PSS) of the whole process tree (Python + Chromium), sampled every
  50 ms from /proc;
- **floor**: the same pages (the checkpoint URLs of the tool's run) visited by bare Playwright
  in one browser: ``page.goto`` then inject axe-core and ``axe.run`` with the same options,
  nothing else.

Figures compared:

- per checkpoint, the tool's observation cost (``Timings.gather_ms``: scroll, screenshot,
  page snapshot, axe-core) against the floor's axe cost (inject + run) on the same pages;
- per page, the tool's (navigation step + observation) against the floor's (goto + axe).

Targets (issue 2): the three journeys of one variant in ≤ 10 s and ≤ 1 GiB; checkpoint cost
≤ 1.5× the floor. Usage: ``python benchmarks/bench_demo.py [--repeat N]``; the figures go to
standard output as a Markdown table, to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from auditor.browser import chromium_args, find_browser
from auditor.demo.server import start_demo
from auditor.gatherers.axe import axe_source, run_script
from auditor.models import Run
from auditor.run_io import load_run


def _pss(pid: str) -> int:
    """Proportional set size: shared pages split between the processes sharing them, so a
    tree's sum is its real footprint (plain RSS counts Chromium's shared pages once per
    process)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_memory(root: int) -> int:
    """Memory (PSS) of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
            rss[int(entry)] = _pss(entry)
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_tool(variant: str, out: Path, browser: str) -> tuple[float, int]:
    """Wall seconds and peak tree RSS of one ``auditor demo --variant`` run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "demo", "--variant", variant, "--out", str(out),
         "--browser-path", browser], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"auditor demo --variant {variant} failed: {stderr.decode()[-500:]}")
    return time.perf_counter() - started, peak


def floor(variant: str, run: Run, browser: str) -> tuple[list[float], list[float]]:
    """(axe cost, goto + axe cost) in ms for each page of the run, with bare Playwright."""
    paths = []
    for checkpoint in run.checkpoints():
        if checkpoint.trigger in ("start", "navigation", "url") and "REDACTED" not in \
                checkpoint.url:
            path = "/" + checkpoint.url.split("/", 3)[3]
            paths.append(path)
    axe_costs, page_costs = [], []
    source = axe_source() + "\n;true"
    script = run_script()
    with start_demo(variant) as server, sync_playwright() as pw:  # type: ignore[arg-type]
        chromium = pw.chromium.launch(executable_path=browser,
                                      args=chromium_args("MAP *.test 127.0.0.1"))
        page = chromium.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        for path in paths:
            start = time.perf_counter()
            page.goto(server.base_url + path, wait_until="load")
            loaded = time.perf_counter()
            page.evaluate(source)
            page.evaluate(script)
            end = time.perf_counter()
            axe_costs.append((end - loaded) * 1000)
            page_costs.append((end - start) * 1000)
        chromium.close()
    return axe_costs, page_costs


def tool_page_costs(run: Run) -> tuple[list[float], list[float]]:
    """(observation cost, navigation step + observation) in ms per page load of the tool."""
    gather, page = [], []
    for journey in run.journeys:
        steps = {s.index: s for s in journey.steps}
        for checkpoint in journey.checkpoints:
            if checkpoint.trigger not in ("start", "navigation", "url"):
                continue
            gather.append(checkpoint.timings.gather_ms)
            step = steps.get(checkpoint.step_index)
            # the step's duration already includes the checkpoint it triggered
            page.append(step.duration_ms if step else checkpoint.timings.gather_ms)
    return gather, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (best kept)")
    args = parser.parse_args()
    browser = find_browser().path
    rows = []
    for variant in ("inclusive", "exclusionary"):
        best: dict[str, float] | None = None
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                wall, peak = run_tool(variant, Path(tmp), browser)
                run = load_run(Path(tmp) / f"demo-{variant}")
            journeys_s = sum(j.duration_ms for j in run.journeys) / 1000
            gather, page = tool_page_costs(run)
            axe_floor, page_floor = floor(variant, run, browser)
            figures = {
                "wall_s": wall, "journeys_s": journeys_s, "peak_mib": peak / 2**20,
                "checkpoints": len(run.checkpoints()),
                "gather_ms": statistics.mean(gather), "axe_floor_ms": statistics.mean(axe_floor),
                "page_ms": statistics.mean(page), "page_floor_ms": statistics.mean(page_floor),
            }
            if best is None or figures["journeys_s"] < best["journeys_s"]:
                best = figures
        assert best is not None
        rows.append((variant, best))
    print("| variant | `auditor demo` wall | 3 journeys | peak memory (PSS, tree) | checkpoints | "
          "checkpoint cost / axe floor | page cost / goto+axe floor |")
    print("|---|---|---|---|---|---|---|")
    for variant, f in rows:
        print(f"| {variant} | {f['wall_s']:.1f} s | {f['journeys_s']:.1f} s | "
              f"{f['peak_mib']:.0f} MiB | {f['checkpoints']:.0f} | "
              f"{f['gather_ms']:.0f} / {f['axe_floor_ms']:.0f} ms = "
              f"{f['gather_ms'] / f['axe_floor_ms']:.2f}× | "
              f"{f['page_ms']:.0f} / {f['page_floor_ms']:.0f} ms = "
              f"{f['page_ms'] / f['page_floor_ms']:.2f}× |")
    print(json.dumps({v: f for v, f in rows}, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
