"""Take one Checkpoint: screenshot, page snapshot, axe-core, network since the last one.

Order matters: the screenshot first (what the person saw), then the snapshot (its paste test
dispatches events a page may react to), then axe on the same state.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.drivers.base import Driver, StepFailed
from auditor.gatherers import axe
from auditor.models import AxeResults, Checkpoint, FormField, NetworkRequest, TextCorpora, Timings
from auditor.urls import Redactor, host_of, is_third_party

_SNAPSHOT_JS = Path(__file__).with_name("snapshot.js")


@lru_cache(maxsize=1)
def snapshot_script() -> str:
    """The page-snapshot JavaScript (see snapshot.js)."""
    return _SNAPSHOT_JS.read_text(encoding="utf-8")


def run_axe(driver: Driver) -> AxeResults:
    """Inject axe-core when the document lacks it, run it, keep the results."""
    try:
        if not driver.evaluate("typeof window.axe !== 'undefined' && !!window.axe.run"):
            driver.evaluate(axe.axe_source() + "\n;true")
        return axe.parse_results(driver.evaluate(axe.run_script()))
    except StepFailed as exc:
        return AxeResults(error=str(exc))


def to_requests(raw: list[dict[str, Any]], site_url: str, redactor: Redactor
                ) -> list[NetworkRequest]:
    """Network log entries as saved models, classified first- or third-party."""
    out = []
    for entry in raw:
        url = entry["url"]
        out.append(NetworkRequest(
            url=redactor.url(url), host=host_of(url), method=entry.get("method", "GET"),
            resource_type=entry.get("resource_type", ""), status=entry.get("status"),
            mime_type=entry.get("mime_type", ""),
            transferred_bytes=int(entry.get("transferred_bytes", 0)),
            decoded_bytes=int(entry.get("decoded_bytes", 0)),
            from_cache=bool(entry.get("from_cache")), failed=bool(entry.get("failed")),
            error=entry.get("error", ""), third_party=is_third_party(url, site_url),
            duration_ms=entry.get("duration_ms"),
        ))
    return out


def take_checkpoint(driver: Driver, *, index: int, journey_id: str, step_index: int,
                    trigger: str, name: str, shots_dir: Path, site_url: str,
                    redactor: Redactor, with_axe: bool = True) -> Checkpoint:
    """Observe the page as it is now. Never raises for page problems: they are recorded."""
    started = time.perf_counter()
    if trigger in ("start", "navigation"):
        driver.scroll_to_bottom()
    shot_name = f"{index:03d}-{journey_id}-{trigger}.jpg"
    screenshot = ""
    try:
        shots_dir.mkdir(parents=True, exist_ok=True)
        driver.screenshot(shots_dir / shot_name)
        screenshot = f"{shots_dir.name}/{shot_name}"
    except StepFailed:
        screenshot = ""
    url = driver.url
    snapshot: dict[str, Any] = {}
    readable = url.startswith(("http://", "https://", "file://"))
    if readable:
        try:
            snapshot = driver.evaluate(snapshot_script()) or {}
        except StepFailed:
            snapshot = {}
    axe_results = run_axe(driver) if (with_axe and readable and snapshot) else AxeResults(
        error="" if not with_axe else "page not readable")
    checkpoint = Checkpoint(
        index=index, journey_id=journey_id, step_index=step_index, name=name,
        trigger=trigger,
        url=redactor.url(url), title=snapshot.get("title", ""), lang=snapshot.get("lang", ""),
        axe=axe_results,
        text=TextCorpora(**snapshot.get("text", {})) if snapshot else TextCorpora(),
        fields=[FormField(**f) for f in snapshot.get("fields", [])],
        requests=to_requests(driver.drain_requests(), site_url, redactor),
        dom_element_count=int(snapshot.get("dom_element_count", 0)),
        timings=Timings(**snapshot.get("timings", {})),
        screenshot=screenshot,
        captured_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
    )
    checkpoint.timings.gather_ms = round((time.perf_counter() - started) * 1000, 1)
    # Last net: a secret typed into a field could come back in a value attribute or a
    # message; remove every known secret from every string of the checkpoint.
    return Checkpoint.model_validate_json(redactor.text(checkpoint.model_dump_json()))
