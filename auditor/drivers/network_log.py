"""A network log built from Chrome DevTools Protocol events.

CDP gives what EcoIndex counts: ``Network.loadingFinished.encodedDataLength`` is the size on the
wire, headers included (metrics.md §4.2). Requests still in flight at a checkpoint stay here and
are reported with the next checkpoint, so no byte is counted twice or lost.
"""

from __future__ import annotations

import time
from typing import Any


class NetworkLog:
    """Accumulates CDP Network events; ``drain()`` returns the finished ones."""

    def __init__(self) -> None:
        self._pending: dict[str, dict[str, Any]] = {}
        self._finished: list[dict[str, Any]] = []
        self.last_activity = time.monotonic()

    # CDP handlers -----------------------------------------------------------------------

    def on_request(self, event: dict[str, Any]) -> None:
        request_id = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and request_id in self._pending:
            # The earlier hop of a redirect chain ends here, as its own request.
            hop = self._pending.pop(request_id)
            hop["status"] = redirect.get("status")
            hop["mime_type"] = redirect.get("mimeType", "")
            hop["transferred_bytes"] = int(redirect.get("encodedDataLength") or 0)
            self._finish(hop)
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:")):
            return  # not network traffic (EcoIndex excludes them too)
        self._pending[request_id] = {
            "url": url,
            "method": event["request"].get("method", "GET"),
            "resource_type": str(event.get("type", "other")).lower(),
            "status": None, "mime_type": "", "transferred_bytes": 0, "decoded_bytes": 0,
            "from_cache": False, "failed": False, "error": "",
            "started": float(event.get("timestamp", 0.0)),
        }
        self.last_activity = time.monotonic()

    def on_response(self, event: dict[str, Any]) -> None:
        entry = self._pending.get(event["requestId"])
        if entry is None:
            return
        response = event.get("response", {})
        entry["status"] = response.get("status")
        entry["mime_type"] = response.get("mimeType", "")
        if response.get("fromDiskCache") or response.get("fromServiceWorker") or \
                response.get("fromPrefetchCache"):
            entry["from_cache"] = True
        if event.get("type"):
            entry["resource_type"] = str(event["type"]).lower()
        self.last_activity = time.monotonic()

    def on_cached(self, event: dict[str, Any]) -> None:
        entry = self._pending.get(event["requestId"])
        if entry is not None:
            entry["from_cache"] = True

    def on_data(self, event: dict[str, Any]) -> None:
        entry = self._pending.get(event["requestId"])
        if entry is not None:
            entry["decoded_bytes"] += int(event.get("dataLength") or 0)
        self.last_activity = time.monotonic()

    def on_finished(self, event: dict[str, Any]) -> None:
        entry = self._pending.pop(event["requestId"], None)
        if entry is None:
            return
        entry["transferred_bytes"] = int(event.get("encodedDataLength") or 0)
        entry["duration_ms"] = round(
            max(0.0, float(event.get("timestamp", 0.0)) - entry["started"]) * 1000, 1)
        self._finish(entry)

    def on_failed(self, event: dict[str, Any]) -> None:
        entry = self._pending.pop(event["requestId"], None)
        if entry is None:
            return
        entry["failed"] = True
        entry["error"] = str(event.get("errorText", ""))
        if event.get("canceled"):
            entry["error"] = entry["error"] or "canceled"
        self._finish(entry)

    # Queries ----------------------------------------------------------------------------

    def _finish(self, entry: dict[str, Any]) -> None:
        entry.pop("started", None)
        self._finished.append(entry)
        self.last_activity = time.monotonic()

    @property
    def in_flight(self) -> int:
        """Requests started and not finished."""
        return len(self._pending)

    def drain(self) -> list[dict[str, Any]]:
        """Finished requests since the previous drain."""
        finished, self._finished = self._finished, []
        return finished
