"""Page weight, EcoIndex-like scores and third parties of each journey (metrics.md §4).

Reads a saved :class:`~auditor.models.Run` and returns :class:`WeightMeasures`; pure, no I/O,
deterministic (same run, same result, same order). Entry point: :func:`measure_weight`.

What is measured, and the rules chosen where the spec leaves room:

**Snapshots and page views.** The runner records, at each checkpoint, the requests seen since
the previous checkpoint. EcoIndex rates a *page view* (metrics.md §4.2), so snapshots are grouped:

- a checkpoint whose trigger is ``start``, ``navigation`` or ``url`` opens a new page view (a
  document load, or a URL change the person sees as a new screen);
- a ``checkpoint`` or ``failure`` snapshot taken without navigation belongs to the current page
  view: its requests (XHR, lazy images, validation calls) are added to that screen's, because
  the person is still on it; it opens a new page view only when its URL (fragment ignored)
  differs from the screen's, or when it is the journey's first snapshot;
- the page view's DOM count is the largest its snapshots saw, because the screen only grows as
  the person works it (menus, errors) and EcoIndex measures after the page has settled.

**Which requests count** (metrics.md §4.2, "Our definition"): EcoIndex ``requests`` are finished
network requests, so failed requests, ``data:``/``blob:`` and other non-network URLs, and
requests served from the browser cache (no request reached a server, no byte crossed the
network; Lighthouse's EcoIndex plugin likewise keeps only records with ``transferSize > 0``)
are excluded from both ``requests`` and ``size``. They are still reported in the totals.
``size_kb`` = Σ transferred bytes (CDP ``encodedDataLength``, headers included) / **1000**.

**Cold and warm** (metrics.md §0.2): page 1 of a journey is loaded with an empty profile, later
pages warm. A page view is reported *cold* when it is its journey's first and none of its
requests came from the cache (a cache hit proves the profile was not empty, for example when a
journey reuses the signed-in session of the previous one); every other page view is *warm*.
Both figures are given: the cold mean and the warm mean.

**Journey figures**: per-screen EcoIndex, the mean over screens (cnumr's "parcours" report
averages page scores) and the worst screen; greenhouse gas and water summed over the screens
(the footprint of doing the journey once). Comparisons against the HTTP Archive medians, the
EcoIndex median and target pages and Lighthouse's byte-weight curve (metrics.md §4.3), and the
§4.5 frugality components.

Scoring (bands to grades, messages, FR/EN wording) is not done here but in rules/.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.ecoindex import (
    ECOINDEX_MEDIANS,
    ECOINDEX_TARGETS,
    IMPLEMENTATION,
    METHOD_LABEL,
    SIZE_KB_BYTES,
    EcoIndex,
    Grade,
    bytes_to_size_kb,
    compute_ecoindex,
    get_grade,
)
from auditor.metrics.evidence import Evidence
from auditor.metrics.trackers import (
    HostClassification,
    classify_request,
    host_of,
    is_third_party,
    normalise_host,
    registrable_domain,
)
from auditor.models import Checkpoint, NetworkRequest, Run

__all__ = [
    "EcoIndexSummary", "FrugalityComponent", "FrugalityScore", "HeavyResource", "HostWeight",
    "MeasurementProtocol", "PageView", "ReferenceComparison", "ResourceTypeWeight",
    "SizeReference", "SlowNetworkObservation", "CheckpointWeight", "JourneyWeight",
    "WeightMeasures", "WeightTotals", "is_third_party", "measure_weight", "registrable_domain",
    "requests_band_score", "size_band_score", "slow_network_band_score",
]

#: Triggers that start a new page view (see the module docstring).
NEW_PAGE_VIEW_TRIGGERS = frozenset({"start", "navigation", "url"})
#: URL schemes that never reach the network (metrics.md §4.2: "data: and blob: excluded").
NON_NETWORK_SCHEMES = frozenset({
    "data", "blob", "about", "javascript", "chrome", "chrome-extension", "file",
})
#: How many resources the "heaviest" lists keep.
HEAVIEST_COUNT = 10
#: 1 KiB, the unit of HTTP Archive ("bytesTotal / 1024") and Lighthouse ("KiB").
KIB = 1024
#: The EcoIndex protocol viewport (cnumr/EcoIndex ``_65_methodology.md`` @916a0da).
ECOINDEX_VIEWPORT = (1920, 1080)

ECOINDEX_REFERENCE_PROTOCOL = (
    "headless Chrome; open the page without local data (cache, cookies, localStorage) at "
    "1920×1080; wait 3 s; scroll down; wait 3 s; only text/html with HTTP 200 is analysed "
    "(cnumr/EcoIndex content/en/how-it-works/_65_methodology.md @916a0da)"
)
SIZE_UNIT_RULE = (
    "size_kb = Σ transferred bytes (CDP encodedDataLength, headers included) / 1000 "
    "(metrics.md §4.2); reference sizes in KiB (HTTP Archive, Lighthouse) are converted to bytes "
    "with 1 KiB = 1024 bytes before comparing"
)
REQUEST_RULE = (
    "EcoIndex requests = finished network requests; failed requests, data:/blob: URLs and "
    "requests served from the browser cache are excluded from requests and size, and reported "
    "apart"
)
DOM_RULE = (
    "DOM = the gatherer's dom_element_count (metrics.md §4.2: elements under "
    "documentElement, shadow roots included, SVG descendants excluded); the largest count of "
    "the page view's snapshots"
)
PAGE_VIEW_RULE = (
    "a snapshot with trigger start, navigation or url opens a page view; checkpoint and failure "
    "snapshots add their requests to the current page view unless their URL (fragment ignored) "
    "differs from it"
)
COLD_WARM_RULE = (
    "cold = a journey's first page view with no request served from cache (metrics.md §0.2: "
    "page 1 loaded with an empty profile); all other page views are warm"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- result models


class ResourceTypeWeight(_Model):
    """Requests and bytes of one resource type (CDP types, lower-cased; '' becomes 'other')."""

    resource_type: str
    requests: int
    transferred_bytes: int
    decoded_bytes: int


class WeightTotals(_Model):
    """What a set of requests weighs: as recorded, as EcoIndex counts it, and by whom."""

    requests: int = Field(description="All recorded requests, cache hits and failures included.")
    transferred_bytes: int = Field(description="Σ bytes on the wire of all recorded requests.")
    decoded_bytes: int = Field(description="Σ body sizes after decompression.")
    ecoindex_requests: int = Field(description="Requests EcoIndex counts (see REQUEST_RULE).")
    ecoindex_transferred_bytes: int = Field(description="Bytes of those requests.")
    cached_requests: int = 0
    failed_requests: int = 0
    non_network_requests: int = Field(0, description="data:, blob: and similar URLs.")
    third_party_requests: int = 0
    third_party_transferred_bytes: int = 0
    tracker_requests: int = 0
    tracker_transferred_bytes: int = 0
    by_type: list[ResourceTypeWeight] = Field(default_factory=list)


class CheckpointWeight(_Model):
    """One snapshot's requests (those since the previous snapshot) and DOM size."""

    checkpoint: int
    journey_id: str
    step_index: int
    name: str
    trigger: str
    url: str
    dom_element_count: int
    page_view: int = Field(description="Index of the page view it belongs to (run-wide).")
    totals: WeightTotals
    evidence: Evidence


class PageView(_Model):
    """One screen as EcoIndex rates it: one or more snapshots of the same page."""

    index: int = Field(description="Position in the run, across journeys.")
    journey_id: str
    checkpoints: list[int]
    step_index: int = Field(description="Step after which the page view began; -1 for start.")
    name: str
    url: str
    load: Literal["cold", "warm"]
    dom_element_count: int
    ecoindex: EcoIndex
    totals: WeightTotals
    warnings: list[str] = Field(default_factory=list)
    evidence: Evidence


class HostWeight(_Model):
    """What one host served, and what it is."""

    host: str
    registrable_domain: str
    third_party: bool
    requests: int
    transferred_bytes: int
    decoded_bytes: int
    resource_types: list[str]
    is_tracker: bool
    category: str | None = Field(None, description="trackers.Category, None when unknown.")
    vendor: str = ""
    reason: str = Field("", description="Why it is classified so (list entry or heuristic).")
    journeys: list[str]
    evidence: Evidence = Field(description="The first snapshot where the host was seen.")


class HeavyResource(_Model):
    """One of the heaviest responses of a journey or of the run."""

    url: str
    host: str
    resource_type: str
    transferred_bytes: int
    decoded_bytes: int
    third_party: bool
    is_tracker: bool
    journey_id: str
    checkpoint: int
    evidence: Evidence


class SizeReference(_Model):
    """A published page profile to compare with (metrics.md §4.1, §4.3), sizes in bytes."""

    id: str
    label: str
    source: str
    transferred_bytes: int | None = None
    requests: int | None = None
    dom_elements: int | None = None
    ecoindex_score: int | None = None
    unit_note: str = ""


Metric = Literal["transferred_bytes", "requests", "dom_elements", "ecoindex_score"]


class ReferenceComparison(_Model):
    """A journey's screens against one figure of a reference page."""

    reference_id: str
    reference_label: str
    source: str
    metric: Metric
    reference_value: float
    mean_value: float = Field(description="Mean over the journey's page views.")
    worst_value: float = Field(description="Worst page view: max, or min for a score.")
    worst_page_view: int
    mean_worse: bool = Field(description="The mean is worse than the reference.")
    worst_worse: bool = Field(description="The worst screen is worse than the reference.")
    worst_ratio: float | None = Field(description="worst / reference, None if reference is 0.")
    detail: str
    evidence: Evidence


class FrugalityComponent(_Model):
    """One line of the §4.5 frugality score (Proposed)."""

    id: str
    label: str
    weight: float = Field(description="Share of the frugality score, 0..1.")
    value: float | None = Field(description="The measured figure, None when not measured.")
    unit: str
    score: float | None = Field(description="0..100 on the §4.5 scale, None if not measured.")
    measured: bool
    detail: str
    evidence: list[Evidence] = Field(default_factory=list)


class FrugalityScore(_Model):
    """The §4.5 components, and their weighted mean over the measured ones."""

    components: list[FrugalityComponent]
    score: float | None = Field(description="Σ weight × score / Σ weight over the measured "
                                "components; None when none is measured.")
    measured_weight: float = Field(description="Σ weights of the measured components.")
    complete: bool = Field(description="Every component was measured.")
    detail: str


class SlowNetworkObservation(_Model):
    """A journey's outcome under mobileRegular3G (metrics.md §4.4), when such a run exists."""

    completed: bool
    worst_time_to_usable_ms: float | None = None
    source: str = ""


class EcoIndexSummary(_Model):
    """EcoIndex-like figures over a set of page views (a journey or the whole run)."""

    page_views: int
    mean_score: float | None
    mean_grade: Grade | None
    worst: EcoIndex | None
    worst_page_view: int | None
    cold_page_views: int
    cold_mean_score: float | None
    cold_mean_grade: Grade | None
    warm_page_views: int
    warm_mean_score: float | None
    warm_mean_grade: Grade | None
    ges_total: float = Field(description="gCO2e, Σ over the page views.")
    water_total: float = Field(description="cl, Σ over the page views.")
    worst_screen_transferred_bytes: int | None
    worst_screen_transferred_page_view: int | None
    worst_screen_requests: int | None
    worst_screen_requests_page_view: int | None
    worst_screen_dom: int | None
    worst_screen_dom_page_view: int | None


class JourneyWeight(_Model):
    """Everything this module measures for one journey."""

    journey_id: str
    title: str
    status: str
    checkpoints: list[CheckpointWeight]
    page_views: list[PageView]
    totals: WeightTotals
    ecoindex: EcoIndexSummary
    hosts: list[HostWeight]
    heaviest: list[HeavyResource]
    comparisons: list[ReferenceComparison]
    frugality: FrugalityScore


class MeasurementProtocol(_Model):
    """How the pages were loaded and how the figures were derived, stated in every report."""

    persona: str
    viewport_width: int
    viewport_height: int
    device_scale_factor: float
    ecoindex_viewport: bool = Field(description="The viewport is EcoIndex's 1920×1080.")
    run_protocol: str = Field(description="The runner's own account (Run.protocol).")
    ecoindex_reference_protocol: str = ECOINDEX_REFERENCE_PROTOCOL
    size_unit: str = SIZE_UNIT_RULE
    request_rule: str = REQUEST_RULE
    dom_rule: str = DOM_RULE
    page_view_rule: str = PAGE_VIEW_RULE
    cold_warm_rule: str = COLD_WARM_RULE


class WeightMeasures(_Model):
    """Page weight and EcoIndex-like measures of a whole run."""

    method_label: str = METHOD_LABEL
    implementation: str = IMPLEMENTATION
    protocol: MeasurementProtocol
    journeys: list[JourneyWeight]
    totals: WeightTotals
    ecoindex: EcoIndexSummary
    hosts: list[HostWeight]
    trackers: list[HostWeight] = Field(description="The hosts flagged as trackers.")
    heaviest: list[HeavyResource]
    references: list[SizeReference]
    comparisons: list[ReferenceComparison] = Field(description="All screens of the run "
                                                   "against the references.")
    frugality: FrugalityScore
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- references


def _kib(value: float) -> int:
    return round(value * KIB)


def references_for(persona: str, viewport_width: int) -> list[SizeReference]:
    """The comparison points of metrics.md §4.3 that fit the persona (HTTP Archive client)."""
    mobile = "mobile" in persona.lower() or viewport_width < 1000
    http_archive = (
        SizeReference(
            id="httparchive-2024-mobile-median",
            label="HTTP Archive Web Almanac 2024 median mobile page",
            source="HTTPArchive/almanac.httparchive.org src/content/en/2024/page-weight.md "
                   "@03ebf95 (metrics.md §4.3)",
            transferred_bytes=_kib(2311), requests=66,
            unit_note="2,311 KB as the Almanac computes it (bytesTotal / 1024)",
        ) if mobile else SizeReference(
            id="httparchive-2024-desktop-median",
            label="HTTP Archive Web Almanac 2024 median desktop page",
            source="HTTPArchive/almanac.httparchive.org src/content/en/2024/page-weight.md "
                   "@03ebf95 (metrics.md §4.3)",
            transferred_bytes=_kib(2652), requests=71,
            unit_note="2,652 KB as the Almanac computes it (bytesTotal / 1024)",
        )
    )
    return [
        SizeReference(
            id=ECOINDEX_TARGETS.id, label=ECOINDEX_TARGETS.label, source=ECOINDEX_TARGETS.source,
            transferred_bytes=round(ECOINDEX_TARGETS.size_kb * SIZE_KB_BYTES),
            requests=ECOINDEX_TARGETS.requests, dom_elements=ECOINDEX_TARGETS.dom,
            ecoindex_score=ECOINDEX_TARGETS.ecoindex.score,
            unit_note="1,024 EcoIndex KB (1 KB = 1000 bytes)",
        ),
        SizeReference(
            id=ECOINDEX_MEDIANS.id, label=ECOINDEX_MEDIANS.label, source=ECOINDEX_MEDIANS.source,
            transferred_bytes=round(ECOINDEX_MEDIANS.size_kb * SIZE_KB_BYTES),
            requests=ECOINDEX_MEDIANS.requests, dom_elements=ECOINDEX_MEDIANS.dom,
            ecoindex_score=ECOINDEX_MEDIANS.ecoindex.score,
            unit_note="2,420 EcoIndex KB (1 KB = 1000 bytes)",
        ),
        http_archive,
        SizeReference(
            id="lighthouse-total-byte-weight-p10",
            label="Lighthouse total-byte-weight p10 (good-score line)",
            source="GoogleChrome/lighthouse core/audits/byte-efficiency/total-byte-weight.js "
                   "defaultOptions (metrics.md §4.3)",
            transferred_bytes=_kib(2667), unit_note="2,667 KiB",
        ),
        SizeReference(
            id="lighthouse-total-byte-weight-median",
            label="Lighthouse total-byte-weight median (score 0.5)",
            source="GoogleChrome/lighthouse core/audits/byte-efficiency/total-byte-weight.js "
                   "defaultOptions (metrics.md §4.3)",
            transferred_bytes=_kib(4000), unit_note="4,000 KiB",
        ),
    ]


# --------------------------------------------------------------------------- §4.5 bands

#: Worst-screen transfer-size bands of §4.5, in bytes: EcoIndex target (1,024 EcoIndex KB),
#: HTTP Archive 2024 mobile median (2,311 KiB), Lighthouse median (4,000 KiB).
SIZE_BANDS: tuple[tuple[int, int], ...] = (
    (1024 * SIZE_KB_BYTES, 100), (2311 * KIB, 60), (4000 * KIB, 30),
)
#: Worst-screen request bands of §4.5: EcoIndex target, HTTP Archive mobile median, desktop p75.
REQUEST_BANDS: tuple[tuple[int, int], ...] = ((40, 100), (66, 60), (115, 30))
#: Slow-network time-to-usable bands of §4.5, in milliseconds.
SLOW_NETWORK_BANDS: tuple[tuple[float, int], ...] = ((5000, 100), (10000, 60), (20000, 30))


def _band(value: float, bands: Sequence[tuple[float, int]]) -> int:
    for limit, score in bands:
        if value <= limit:
            return score
    return 0


def size_band_score(transferred_bytes: int) -> int:
    """§4.5: ≤ 1024 KB → 100; ≤ 2311 KB → 60; ≤ 4000 KiB → 30; else 0."""
    return _band(transferred_bytes, SIZE_BANDS)


def requests_band_score(requests: int) -> int:
    """§4.5: ≤ 40 → 100; ≤ 66 → 60; ≤ 115 → 30; else 0."""
    return _band(requests, REQUEST_BANDS)


def slow_network_band_score(observation: SlowNetworkObservation) -> int | None:
    """§4.5: not completed → 0; time to usable ≤ 5 s → 100; ≤ 10 s → 60; ≤ 20 s → 30; else 0.

    None when the journey completed but its time to usable is unknown.
    """
    if not observation.completed:
        return 0
    if observation.worst_time_to_usable_ms is None:
        return None
    return _band(observation.worst_time_to_usable_ms, SLOW_NETWORK_BANDS)


# --------------------------------------------------------------------------- observations


@dataclass(frozen=True)
class _Seen:
    """One request with what we derive from it once (host, counting, classification)."""

    request: NetworkRequest
    checkpoint: Checkpoint
    host: str
    resource_type: str
    counted: bool
    non_network: bool
    classification: HostClassification | None

    @property
    def is_tracker(self) -> bool:
        return self.classification is not None and self.classification.is_tracker


def _scheme(url: str) -> str:
    head, sep, _ = url.partition(":")
    return head.lower() if sep and head.isalpha() else ""


def _see(request: NetworkRequest, checkpoint: Checkpoint) -> _Seen:
    host = normalise_host(request.host) or host_of(request.url)
    resource_type = request.resource_type.lower() or "other"
    non_network = _scheme(request.url) in NON_NETWORK_SCHEMES
    counted = not (non_network or request.failed or request.from_cache)
    return _Seen(
        request=request, checkpoint=checkpoint, host=host, resource_type=resource_type,
        counted=counted, non_network=non_network,
        classification=None if non_network else classify_request(
            host, request.url, resource_type),
    )


def _totals(seen: Iterable[_Seen]) -> WeightTotals:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    t: defaultdict[str, int] = defaultdict(int)
    for s in seen:
        r = s.request
        t["requests"] += 1
        t["transferred"] += r.transferred_bytes
        t["decoded"] += r.decoded_bytes
        if s.counted:
            t["eco_requests"] += 1
            t["eco_bytes"] += r.transferred_bytes
        t["cached"] += r.from_cache
        t["failed"] += r.failed
        t["non_network"] += s.non_network
        if r.third_party:
            t["tp_requests"] += 1
            t["tp_bytes"] += r.transferred_bytes
        if s.is_tracker:
            t["tr_requests"] += 1
            t["tr_bytes"] += r.transferred_bytes
        row = by_type[s.resource_type]
        row[0] += 1
        row[1] += r.transferred_bytes
        row[2] += r.decoded_bytes
    return WeightTotals(
        requests=t["requests"], transferred_bytes=t["transferred"], decoded_bytes=t["decoded"],
        ecoindex_requests=t["eco_requests"], ecoindex_transferred_bytes=t["eco_bytes"],
        cached_requests=t["cached"], failed_requests=t["failed"],
        non_network_requests=t["non_network"],
        third_party_requests=t["tp_requests"], third_party_transferred_bytes=t["tp_bytes"],
        tracker_requests=t["tr_requests"], tracker_transferred_bytes=t["tr_bytes"],
        by_type=[
            ResourceTypeWeight(resource_type=k, requests=v[0], transferred_bytes=v[1],
                               decoded_bytes=v[2])
            for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
        ],
    )


def _evidence(checkpoint: Checkpoint, detail: str, url: str = "") -> Evidence:
    return Evidence(journey_id=checkpoint.journey_id, step_index=checkpoint.step_index,
                    checkpoint=checkpoint.index, url=url or checkpoint.url, detail=detail)


def _kb(n_bytes: float) -> str:
    return f"{bytes_to_size_kb(n_bytes):,.1f} kB"


def _hosts(seen: Sequence[_Seen]) -> list[HostWeight]:
    groups: dict[str, list[_Seen]] = defaultdict(list)
    for s in seen:
        if not s.non_network:
            groups[s.host].append(s)
    hosts: list[HostWeight] = []
    for host, items in groups.items():
        tracker = next((s.classification for s in items if s.is_tracker), None)
        known = tracker or next((s.classification for s in items if s.classification), None)
        first = min(items, key=lambda s: s.checkpoint.index).checkpoint
        hosts.append(HostWeight(
            host=host,
            registrable_domain=registrable_domain(host),
            third_party=any(s.request.third_party for s in items),
            requests=len(items),
            transferred_bytes=sum(s.request.transferred_bytes for s in items),
            decoded_bytes=sum(s.request.decoded_bytes for s in items),
            resource_types=sorted({s.resource_type for s in items}),
            is_tracker=tracker is not None,
            category=known.category if known else None,
            vendor=known.vendor if known else "",
            reason=known.reason if known else "",
            journeys=sorted({s.checkpoint.journey_id for s in items}),
            evidence=_evidence(first, f"{host or '(no host)'}: first seen at this snapshot"),
        ))
    hosts.sort(key=lambda h: (-h.transferred_bytes, -h.requests, h.host))
    return hosts


def _heaviest(seen: Sequence[_Seen]) -> list[HeavyResource]:
    candidates = [s for s in seen if s.request.transferred_bytes > 0]
    candidates.sort(key=lambda s: (-s.request.transferred_bytes, s.checkpoint.index,
                                   s.request.url))
    return [
        HeavyResource(
            url=s.request.url, host=s.host, resource_type=s.resource_type,
            transferred_bytes=s.request.transferred_bytes, decoded_bytes=s.request.decoded_bytes,
            third_party=s.request.third_party, is_tracker=s.is_tracker,
            journey_id=s.checkpoint.journey_id, checkpoint=s.checkpoint.index,
            evidence=_evidence(s.checkpoint,
                               f"{s.resource_type} of {_kb(s.request.transferred_bytes)} on the "
                               "wire", url=s.request.url),
        )
        for s in candidates[:HEAVIEST_COUNT]
    ]


# --------------------------------------------------------------------------- page views


def _without_fragment(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(parts._replace(fragment=""))


def _group_page_views(checkpoints: Sequence[Checkpoint]) -> list[list[Checkpoint]]:
    """Snapshots grouped by screen, by the rule of the module docstring."""
    groups: list[list[Checkpoint]] = []
    for checkpoint in checkpoints:
        if checkpoint.trigger == "probe":
            continue  # a rejected password candidate: the tool's traffic, not the person's
        opens = (
            not groups
            or checkpoint.trigger in NEW_PAGE_VIEW_TRIGGERS
            or _without_fragment(checkpoint.url) != _without_fragment(groups[-1][-1].url)
        )
        if opens:
            groups.append([checkpoint])
        else:
            groups[-1].append(checkpoint)
    return groups


def _page_view(index: int, group: Sequence[Checkpoint], seen: Sequence[_Seen],
               first_of_journey: bool) -> PageView:
    first = group[0]
    counted = [s for s in seen if s.counted]
    size_bytes = sum(s.request.transferred_bytes for s in counted)
    dom = max(c.dom_element_count for c in group)
    eco = compute_ecoindex(dom=dom, requests=len(counted), size_kb=bytes_to_size_kb(size_bytes))
    cold = first_of_journey and not any(s.request.from_cache for s in seen)
    warnings: list[str] = []
    if dom == 0:
        warnings.append("DOM element count is 0: the DOM was not measured, so the score is "
                        "too favourable")
    if not counted:
        warnings.append("no finished network request recorded for this page view")
    detail = (
        f"{METHOD_LABEL} {eco.score} ({eco.grade}); {eco.requests} requests, "
        f"{_kb(size_bytes)}, {dom} DOM elements; {'cold' if cold else 'warm'} load; "
        f"snapshots {', '.join(str(c.index) for c in group)}"
    )
    return PageView(
        index=index, journey_id=first.journey_id, checkpoints=[c.index for c in group],
        step_index=first.step_index, name=first.name, url=first.url,
        load="cold" if cold else "warm", dom_element_count=dom, ecoindex=eco,
        totals=_totals(seen), warnings=warnings, evidence=_evidence(first, detail),
    )


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _grade(score: float | None) -> Grade | None:
    return None if score is None else get_grade(score)


def _summary(page_views: Sequence[PageView]) -> EcoIndexSummary:
    cold = [p.ecoindex.score for p in page_views if p.load == "cold"]
    warm = [p.ecoindex.score for p in page_views if p.load == "warm"]
    mean = _mean([p.ecoindex.score for p in page_views])
    # Ties go to the earliest page view, so the result does not depend on dict order.
    worst = min(page_views, key=lambda p: (p.ecoindex.score, p.index), default=None)
    heaviest = max(page_views, key=lambda p: (p.totals.ecoindex_transferred_bytes, -p.index),
                   default=None)
    busiest = max(page_views, key=lambda p: (p.ecoindex.requests, -p.index), default=None)
    biggest = max(page_views, key=lambda p: (p.dom_element_count, -p.index), default=None)
    return EcoIndexSummary(
        page_views=len(page_views),
        mean_score=mean, mean_grade=_grade(mean),
        worst=worst.ecoindex if worst else None, worst_page_view=worst.index if worst else None,
        cold_page_views=len(cold), cold_mean_score=_mean(cold), cold_mean_grade=_grade(_mean(cold)),
        warm_page_views=len(warm), warm_mean_score=_mean(warm), warm_mean_grade=_grade(_mean(warm)),
        ges_total=round(sum(p.ecoindex.ges for p in page_views), 2),
        water_total=round(sum(p.ecoindex.water for p in page_views), 2),
        worst_screen_transferred_bytes=(
            heaviest.totals.ecoindex_transferred_bytes if heaviest else None),
        worst_screen_transferred_page_view=heaviest.index if heaviest else None,
        worst_screen_requests=busiest.ecoindex.requests if busiest else None,
        worst_screen_requests_page_view=busiest.index if busiest else None,
        worst_screen_dom=biggest.dom_element_count if biggest else None,
        worst_screen_dom_page_view=biggest.index if biggest else None,
    )


# --------------------------------------------------------------------------- comparisons

_METRIC_UNITS: dict[Metric, str] = {
    "transferred_bytes": "bytes", "requests": "requests", "dom_elements": "DOM elements",
    "ecoindex_score": "points",
}


def _metric_values(page_view: PageView, metric: Metric) -> float:
    if metric == "transferred_bytes":
        return page_view.totals.ecoindex_transferred_bytes
    if metric == "requests":
        return page_view.ecoindex.requests
    if metric == "dom_elements":
        return page_view.dom_element_count
    return page_view.ecoindex.score


def _worse(value: float, reference: float, higher_is_better: bool) -> bool:
    """Strictly worse than the reference: equal to it is "within"."""
    return value < reference if higher_is_better else value > reference


def _comparisons(page_views: Sequence[PageView],
                 references: Sequence[SizeReference]) -> list[ReferenceComparison]:
    if not page_views:
        return []
    out: list[ReferenceComparison] = []
    for ref in references:
        figures: list[tuple[Metric, int | None]] = [
            ("transferred_bytes", ref.transferred_bytes), ("requests", ref.requests),
            ("dom_elements", ref.dom_elements), ("ecoindex_score", ref.ecoindex_score),
        ]
        for metric, reference_value in figures:
            if reference_value is None:
                continue
            higher_is_better = metric == "ecoindex_score"
            values = [(_metric_values(p, metric), p) for p in page_views]
            mean = sum(v for v, _ in values) / len(values)
            if higher_is_better:
                worst_value, worst_pv = min(values, key=lambda vp: (vp[0], vp[1].index))
            else:
                worst_value, worst_pv = max(values, key=lambda vp: (vp[0], -vp[1].index))

            ratio = round(worst_value / reference_value, 3) if reference_value else None
            unit = _METRIC_UNITS[metric]
            if metric == "transferred_bytes":
                shown = (f"mean {_kb(mean)}, worst screen {_kb(worst_value)} vs "
                         f"{_kb(reference_value)} ({ref.unit_note})")
            else:
                shown = (f"mean {mean:.1f}, worst screen {worst_value:g} {unit} vs "
                         f"{reference_value} {unit}")
            worst_worse = _worse(worst_value, reference_value, higher_is_better)
            verdict = "worse than" if worst_worse else "within"
            out.append(ReferenceComparison(
                reference_id=ref.id, reference_label=ref.label, source=ref.source,
                metric=metric, reference_value=reference_value, mean_value=round(mean, 2),
                worst_value=worst_value, worst_page_view=worst_pv.index,
                mean_worse=_worse(mean, reference_value, higher_is_better),
                worst_worse=worst_worse, worst_ratio=ratio,
                detail=f"{metric}: {shown}; worst screen {verdict} the {ref.label}",
                evidence=worst_pv.evidence.model_copy(update={"detail": shown}),
            ))
    return out


# --------------------------------------------------------------------------- frugality


def _frugality(summary: EcoIndexSummary, page_views: Sequence[PageView],
               slow_network: SlowNetworkObservation | None) -> FrugalityScore:
    by_index = {p.index: p for p in page_views}

    def ev(index: int | None, detail: str) -> list[Evidence]:
        if index is None:
            return []
        return [by_index[index].evidence.model_copy(update={"detail": detail})]

    mean = summary.mean_score
    size = summary.worst_screen_transferred_bytes
    reqs = summary.worst_screen_requests
    components = [
        FrugalityComponent(
            id="ecoindex-mean", label=f"Mean {METHOD_LABEL} score of the screens", weight=0.50,
            value=mean, unit="points", score=mean, measured=mean is not None,
            detail=("not measured: no page view" if mean is None else
                    f"mean of {summary.page_views} page view(s); worst "
                    f"{summary.worst.score if summary.worst else '-'}"),
            evidence=ev(summary.worst_page_view, "worst screen"),
        ),
        FrugalityComponent(
            id="worst-screen-size", label="Transfer size of the worst screen", weight=0.20,
            value=size, unit="bytes",
            score=None if size is None else size_band_score(size), measured=size is not None,
            detail=("not measured: no page view" if size is None else
                    f"{_kb(size)}; bands ≤ 1,024 kB (EcoIndex target) → 100, ≤ 2,311 KiB "
                    "(HTTP Archive mobile median) → 60, ≤ 4,000 KiB (Lighthouse median) → 30"),
            evidence=ev(summary.worst_screen_transferred_page_view, "heaviest screen"),
        ),
        FrugalityComponent(
            id="worst-screen-requests", label="Requests of the worst screen", weight=0.15,
            value=reqs, unit="requests",
            score=None if reqs is None else requests_band_score(reqs), measured=reqs is not None,
            detail=("not measured: no page view" if reqs is None else
                    f"{reqs} requests; bands ≤ 40 → 100, ≤ 66 → 60, ≤ 115 → 30"),
            evidence=ev(summary.worst_screen_requests_page_view, "screen with most requests"),
        ),
    ]
    slow_score = slow_network_band_score(slow_network) if slow_network else None
    if slow_network is None:
        slow_detail = ("not measured: needs the journey run under mobileRegular3G with a "
                       "time-to-usable per screen (metrics.md §4.4)")
    elif slow_score is None:
        slow_detail = "completed under 3G, but no time to usable was recorded"
    elif not slow_network.completed:
        slow_detail = "the journey did not complete under 3G (BLOCKING, metrics.md §4.4)"
    else:
        slow_detail = (f"worst time to usable {slow_network.worst_time_to_usable_ms:g} ms; "
                       "bands ≤ 5 s → 100, ≤ 10 s → 60, ≤ 20 s → 30")
    components.append(FrugalityComponent(
        id="slow-network", label="Completion and time to usable under 3G", weight=0.15,
        value=(slow_network.worst_time_to_usable_ms if slow_network else None), unit="ms",
        score=slow_score, measured=slow_score is not None, detail=slow_detail,
    ))
    measured = [c for c in components if c.measured and c.score is not None]
    weight = round(sum(c.weight for c in measured), 2)
    score = (round(sum(c.weight * (c.score or 0) for c in measured) / weight, 2)
             if measured else None)
    missing = [c.id for c in components if not c.measured]
    return FrugalityScore(
        components=components, score=score, measured_weight=weight, complete=not missing,
        detail=("all components measured" if not missing else
                f"weighted mean over the measured components only (weight {weight:g}); not "
                f"measured: {', '.join(missing)}"),
    )


# --------------------------------------------------------------------------- entry point


def measure_weight(run: Run, slow_network: dict[str, SlowNetworkObservation] | None = None
                   ) -> WeightMeasures:
    """Page weight, EcoIndex-like scores, third parties and frugality of every journey.

    ``slow_network`` maps journey ids to their outcome under mobileRegular3G, when a separate
    throttled run measured it; without it the §4.5 slow-network component is "not measured".
    """
    slow_network = slow_network or {}
    references = references_for(run.viewport.persona, run.viewport.width)
    all_seen: list[_Seen] = []
    all_page_views: list[PageView] = []
    journeys: list[JourneyWeight] = []
    for journey in run.journeys:
        journey_seen: list[_Seen] = []
        checkpoint_rows: list[CheckpointWeight] = []
        page_views: list[PageView] = []
        for position, group in enumerate(_group_page_views(journey.checkpoints)):
            index = len(all_page_views) + len(page_views)
            group_seen: list[_Seen] = []
            for checkpoint in group:
                seen = [_see(r, checkpoint) for r in checkpoint.requests]
                group_seen.extend(seen)
                totals = _totals(seen)
                checkpoint_rows.append(CheckpointWeight(
                    checkpoint=checkpoint.index, journey_id=journey.id,
                    step_index=checkpoint.step_index, name=checkpoint.name,
                    trigger=checkpoint.trigger, url=checkpoint.url,
                    dom_element_count=checkpoint.dom_element_count, page_view=index,
                    totals=totals,
                    evidence=_evidence(checkpoint, f"{totals.requests} requests, "
                                       f"{_kb(totals.transferred_bytes)} since the previous "
                                       f"snapshot; {checkpoint.dom_element_count} DOM elements"),
                ))
            page_views.append(_page_view(index, group, group_seen, first_of_journey=position == 0))
            journey_seen.extend(group_seen)
        summary = _summary(page_views)
        journeys.append(JourneyWeight(
            journey_id=journey.id, title=journey.title, status=journey.status,
            checkpoints=checkpoint_rows, page_views=page_views, totals=_totals(journey_seen),
            ecoindex=summary, hosts=_hosts(journey_seen), heaviest=_heaviest(journey_seen),
            comparisons=_comparisons(page_views, references),
            frugality=_frugality(summary, page_views, slow_network.get(journey.id)),
        ))
        all_seen.extend(journey_seen)
        all_page_views.extend(page_views)

    hosts = _hosts(all_seen)
    run_summary = _summary(all_page_views)
    run_slow = _run_slow_network(run, slow_network)
    return WeightMeasures(
        protocol=MeasurementProtocol(
            persona=run.viewport.persona, viewport_width=run.viewport.width,
            viewport_height=run.viewport.height,
            device_scale_factor=run.viewport.device_scale_factor,
            ecoindex_viewport=(run.viewport.width, run.viewport.height) == ECOINDEX_VIEWPORT,
            run_protocol=run.protocol,
        ),
        journeys=journeys, totals=_totals(all_seen), ecoindex=run_summary, hosts=hosts,
        trackers=[h for h in hosts if h.is_tracker], heaviest=_heaviest(all_seen),
        references=references, comparisons=_comparisons(all_page_views, references),
        frugality=_frugality(run_summary, all_page_views, run_slow),
        notes=_notes(run, all_page_views),
    )


def _run_slow_network(run: Run, by_journey: dict[str, SlowNetworkObservation]
                      ) -> SlowNetworkObservation | None:
    """The run's slow-network outcome: every journey measured, the worst of them."""
    observed = [by_journey.get(j.id) for j in run.journeys]
    if not observed or any(o is None for o in observed):
        return None
    known = [o for o in observed if o is not None]
    times = [o.worst_time_to_usable_ms for o in known]
    return SlowNetworkObservation(
        completed=all(o.completed for o in known),
        worst_time_to_usable_ms=None if any(t is None for t in times) else max(
            t for t in times if t is not None),
        source="worst of the journeys",
    )


def _notes(run: Run, page_views: Sequence[PageView]) -> list[str]:
    notes: list[str] = []
    if (run.viewport.width, run.viewport.height) != ECOINDEX_VIEWPORT:
        notes.append(f"viewport {run.viewport.width}×{run.viewport.height} is not the EcoIndex "
                     "protocol's 1920×1080: scores are not comparable with ecoindex.fr")
    if not run.protocol:
        notes.append("the run does not state its measurement protocol (waits, scroll)")
    no_dom = [p.index for p in page_views if p.dom_element_count == 0]
    if no_dom:
        notes.append(f"{len(no_dom)} page view(s) without a DOM count: "
                     f"{', '.join(map(str, no_dom))}")
    if not page_views:
        notes.append("no page view recorded: nothing to measure")
    return notes
