"""Page weight, page views, third parties, trackers, comparisons and frugality on plain runs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from auditor.metrics.trackers import (
    beacon_reason,
    classify_host,
    classify_request,
    is_third_party,
    lookup_known_host,
    registrable_domain,
)
from auditor.metrics.weight import (
    SlowNetworkObservation,
    WeightMeasures,
    measure_weight,
    requests_band_score,
    size_band_score,
    slow_network_band_score,
)
from auditor.models import (
    Checkpoint,
    JourneyResult,
    NetworkRequest,
    Run,
    TargetInfo,
    ToolInfo,
    Viewport,
)

SITE = "https://participer.example.fr"


def req(path: str, size: int = 1000, *, kind: str = "script", host: str = "",
        third_party: bool = False, cache: bool = False, failed: bool = False,
        decoded: int | None = None) -> NetworkRequest:
    url = path if ":" in path else f"{SITE}{path}"
    return NetworkRequest(
        url=url, host=host, resource_type=kind, transferred_bytes=size,
        decoded_bytes=size * 3 if decoded is None else decoded, from_cache=cache, failed=failed,
        third_party=third_party,
    )


def many(n: int, total: int, *, prefix: str = "/r") -> list[NetworkRequest]:
    """n first-party scripts whose sizes add up to total bytes."""
    each = total // n
    sizes = [each] * (n - 1) + [total - each * (n - 1)]
    return [req(f"{prefix}{i}.js", s) for i, s in enumerate(sizes)]


def cp(index: int, *, journey: str = "signup", trigger: str = "navigation", path: str = "/",
       dom: int = 100, requests: Sequence[NetworkRequest] = (), step: int = 0,
       name: str = "") -> Checkpoint:
    return Checkpoint.model_validate({
        "index": index, "journey_id": journey, "step_index": step, "name": name,
        "trigger": trigger, "url": f"{SITE}{path}", "dom_element_count": dom,
        "requests": [r.model_dump() for r in requests],
    })


def journey(id_: str, *checkpoints: Checkpoint) -> JourneyResult:
    return JourneyResult(id=id_, start_url=f"{SITE}/", status="completed",
                         checkpoints=list(checkpoints))


def make_run(*journeys: JourneyResult, persona: str = "desktop", width: int = 1920,
             height: int = 1080, protocol: str = "empty profile; wait 3 s; scroll; wait 3 s"
             ) -> Run:
    return Run(tool=ToolInfo(version="0.1.0"), target=TargetInfo(base_url=SITE),
               viewport=Viewport(width=width, height=height, persona=persona),
               protocol=protocol, journeys=list(journeys))


# --------------------------------------------------------------------------- page views


def test_snapshot_without_navigation_adds_its_requests_to_the_current_screen() -> None:
    run = make_run(journey(
        "signup",
        cp(0, trigger="start", path="/", dom=300, requests=[req("/", 5000, kind="document"),
                                                            req("/app.js", 20000)], step=-1),
        cp(1, trigger="checkpoint", path="/#form", dom=280,
           requests=[req("/api/check", 500, kind="fetch")]),
        cp(2, trigger="navigation", path="/merci", dom=120,
           requests=[req("/merci", 4000, kind="document")]),
    ))
    measures = measure_weight(run)
    signup = measures.journeys[0]
    assert [p.checkpoints for p in signup.page_views] == [[0, 1], [2]]
    first = signup.page_views[0]
    # Requests summed over the screen's snapshots; DOM is the largest snapshot's.
    assert (first.ecoindex.requests, first.dom_element_count) == (3, 300)
    assert first.totals.ecoindex_transferred_bytes == 25500
    assert first.ecoindex.size_kb == 25.5
    assert [c.page_view for c in signup.checkpoints] == [0, 0, 1]
    assert [c.totals.requests for c in signup.checkpoints] == [2, 1, 1]
    assert first.evidence.checkpoint == 0 and first.evidence.step_index == -1
    assert first.evidence.url == f"{SITE}/"


def test_snapshot_on_another_url_opens_a_new_screen() -> None:
    run = make_run(journey(
        "vote",
        cp(0, trigger="start", path="/projets", requests=[req("/projets", kind="document")]),
        cp(1, trigger="checkpoint", path="/projets/12", requests=[req("/api/p/12")]),
        cp(2, trigger="failure", path="/projets/12#vote", requests=[req("/api/vote")]),
    ))
    views = measure_weight(run).journeys[0].page_views
    assert [p.checkpoints for p in views] == [[0], [1, 2]]


def test_ecoindex_counts_only_finished_network_requests() -> None:
    counted = many(20, 331_000)
    excluded = [
        req("/logo.svg", 0, kind="image", cache=True),
        req("/broken.js", 120, failed=True),
        req("data:image/png;base64,AAAA", 0, kind="image"),
    ]
    run = make_run(journey("signup", cp(0, trigger="start", dom=240,
                                        requests=counted + excluded)))
    view = measure_weight(run).journeys[0].page_views[0]
    assert (view.ecoindex.requests, view.ecoindex.size_kb) == (20, 331.0)
    assert (view.ecoindex.score, view.ecoindex.grade) == (83, "A")
    assert (view.ecoindex.ges, view.ecoindex.water) == (1.34, 2.01)
    totals = view.totals
    assert (totals.requests, totals.cached_requests, totals.failed_requests,
            totals.non_network_requests) == (23, 1, 1, 1)
    assert totals.transferred_bytes == 331_120
    assert totals.decoded_bytes == 331_120 * 3


def test_resource_types_are_broken_down() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", requests=[
        req("/", 3000, kind="document"), req("/a.js", 10000), req("/b.js", 5000),
        req("/i.png", 8000, kind="image"), req("/x", 10, kind=""),
    ])))
    by_type = measure_weight(run).journeys[0].totals.by_type
    assert [(t.resource_type, t.requests, t.transferred_bytes) for t in by_type] == [
        ("script", 2, 15000), ("image", 1, 8000), ("document", 1, 3000), ("other", 1, 10)]


# --------------------------------------------------------------------------- cold and warm


def test_first_page_of_each_journey_is_cold_unless_it_hit_the_cache() -> None:
    run = make_run(
        journey("signup",
                cp(0, trigger="start", dom=240, requests=many(20, 331_000)),
                cp(1, dom=240, path="/step2",
                   requests=[*many(2, 10_000, prefix="/n"), req("/r0.js", 0, cache=True)])),
        journey("proposal",
                cp(2, journey="proposal", trigger="start", path="/propose",
                   requests=[req("/propose", 2000, kind="document"),
                             req("/r1.js", 0, cache=True)])),
    )
    measures = measure_weight(run)
    assert [p.load for p in measures.journeys[0].page_views] == ["cold", "warm"]
    assert [p.load for p in measures.journeys[1].page_views] == ["warm"]
    summary = measures.ecoindex
    assert (summary.cold_page_views, summary.warm_page_views) == (1, 2)
    assert summary.cold_mean_score == 83
    assert summary.warm_mean_score == pytest.approx(
        (measures.journeys[0].page_views[1].ecoindex.score
         + measures.journeys[1].page_views[0].ecoindex.score) / 2, abs=0.01)
    # A cache hit counts as neither a request nor bytes.
    assert measures.journeys[0].page_views[1].ecoindex.requests == 2


# --------------------------------------------------------------------------- journey figures


def test_journey_mean_worst_and_footprint() -> None:
    run = make_run(journey(
        "proposal",
        cp(0, journey="proposal", trigger="start", dom=240, requests=many(20, 331_000)),
        cp(1, journey="proposal", path="/new", dom=2355,
           requests=many(267, 2_493_000, prefix="/big")),
    ))
    eco = measure_weight(run).journeys[0].ecoindex
    assert [p for p in (eco.page_views, eco.mean_score, eco.mean_grade)] == [2, 46.5, "D"]
    assert eco.worst is not None
    assert (eco.worst.score, eco.worst.grade, eco.worst_page_view) == (10, "G", 1)
    assert (eco.ges_total, eco.water_total) == (4.14, 6.21)
    assert (eco.worst_screen_transferred_bytes, eco.worst_screen_requests,
            eco.worst_screen_dom) == (2_493_000, 267, 2355)


def test_page_view_indexes_run_across_journeys() -> None:
    run = make_run(
        journey("signup", cp(0, trigger="start", requests=[req("/")])),
        journey("vote", cp(1, journey="vote", trigger="start", requests=[req("/v")]),
                cp(2, journey="vote", path="/v2", requests=[req("/v2")])),
    )
    measures = measure_weight(run)
    assert [p.index for j in measures.journeys for p in j.page_views] == [0, 1, 2]
    assert measures.ecoindex.page_views == 3


def test_missing_dom_count_is_warned() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", dom=0, requests=[req("/")])))
    measures = measure_weight(run)
    assert "DOM element count is 0" in measures.journeys[0].page_views[0].warnings[0]
    assert any("without a DOM count" in n for n in measures.notes)


# --------------------------------------------------------------------------- hosts, trackers


def test_hosts_third_parties_and_trackers() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", requests=[
        req("/", 4000, kind="document"),
        req("/app.js", 30000),
        req("https://www.googletagmanager.com/gtag/js?id=G-X", 90000, third_party=True),
        req("https://region1.google-analytics.com/g/collect?v=2", 0, kind="ping",
            third_party=True),
        req("https://fonts.gstatic.com/s/marianne.woff2", 25000, kind="font", third_party=True),
        req("https://stats.data.gouv.fr/matomo.php?idsite=1", 300, kind="image",
            third_party=True),
        req("https://cdn.example.net/pixel.gif", 43, kind="image", third_party=True),
    ])))
    measures = measure_weight(run)
    hosts = {h.host: h for h in measures.hosts}
    assert hosts["www.googletagmanager.com"].is_tracker
    assert hosts["www.googletagmanager.com"].category == "tag-manager"
    assert hosts["region1.google-analytics.com"].category == "analytics"
    assert not hosts["fonts.gstatic.com"].is_tracker
    assert hosts["fonts.gstatic.com"].category == "fonts"
    assert hosts["stats.data.gouv.fr"].is_tracker  # first-label heuristic
    assert hosts["cdn.example.net"].is_tracker  # path heuristic
    assert hosts["participer.example.fr"].third_party is False
    assert hosts["participer.example.fr"].registrable_domain == "example.fr"
    assert hosts["participer.example.fr"].category is None
    assert [h.host for h in measures.trackers] == [
        "www.googletagmanager.com", "stats.data.gouv.fr", "cdn.example.net",
        "region1.google-analytics.com"]
    totals = measures.totals
    assert (totals.third_party_requests, totals.third_party_transferred_bytes) == (5, 115343)
    assert (totals.tracker_requests, totals.tracker_transferred_bytes) == (4, 90343)
    # Hosts are sorted by bytes, heaviest first.
    assert measures.hosts[0].host == "www.googletagmanager.com"
    assert hosts["fonts.gstatic.com"].evidence.checkpoint == 0


def test_heaviest_resources_top_ten() -> None:
    requests = [req(f"/img{i}.jpg", 1000 * (i + 1), kind="image") for i in range(12)]
    requests.append(req("/empty", 0))
    run = make_run(journey("signup", cp(0, trigger="start", requests=requests[:6]),
                           cp(1, path="/next", requests=requests[6:])))
    heaviest = measure_weight(run).heaviest
    assert len(heaviest) == 10
    assert [h.transferred_bytes for h in heaviest] == [1000 * i for i in range(12, 2, -1)]
    top = heaviest[0]
    assert (top.url, top.resource_type, top.journey_id, top.checkpoint) == (
        f"{SITE}/img11.jpg", "image", "signup", 1)
    assert top.evidence.url == top.url


# --------------------------------------------------------------------------- comparisons


def test_comparisons_with_references() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", dom=700,
                                        requests=many(80, 3_000_000))))
    comparisons = measure_weight(run).journeys[0].comparisons
    by_key = {(c.reference_id, c.metric): c for c in comparisons}
    target_size = by_key[("ecoindex-target", "transferred_bytes")]
    assert target_size.reference_value == 1_024_000
    assert target_size.worst_worse and target_size.mean_worse
    assert target_size.worst_ratio == pytest.approx(3_000_000 / 1_024_000, abs=0.001)
    assert by_key[("ecoindex-target", "requests")].worst_worse
    assert by_key[("ecoindex-median", "dom_elements")].worst_worse  # 700 > 693
    median_score = by_key[("ecoindex-median", "ecoindex_score")]
    assert median_score.reference_value == 44
    # HTTP Archive medians are in KiB: 2,652 KiB = 2,715,648 bytes.
    desktop = by_key[("httparchive-2024-desktop-median", "transferred_bytes")]
    assert desktop.reference_value == 2_715_648 and desktop.worst_worse
    assert by_key[("httparchive-2024-desktop-median", "requests")].mean_worse  # 80 > 71
    assert not by_key[("lighthouse-total-byte-weight-median", "transferred_bytes")].worst_worse
    assert target_size.evidence.checkpoint == 0


def test_mobile_persona_is_compared_with_the_mobile_median() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", requests=[req("/")])),
                   persona="low-end-mobile", width=412, height=823)
    measures = measure_weight(run)
    ids = {r.id for r in measures.references}
    assert "httparchive-2024-mobile-median" in ids
    assert "httparchive-2024-desktop-median" not in ids
    assert not measures.protocol.ecoindex_viewport
    assert any("not the EcoIndex" in n for n in measures.notes)


# --------------------------------------------------------------------------- frugality §4.5


@pytest.mark.parametrize(("size", "score"), [
    (0, 100), (1_024_000, 100), (1_024_001, 60), (2311 * 1024, 60), (2311 * 1024 + 1, 30),
    (4000 * 1024, 30), (4000 * 1024 + 1, 0),
])
def test_size_bands(size: int, score: int) -> None:
    assert size_band_score(size) == score


@pytest.mark.parametrize(("requests", "score"), [
    (0, 100), (40, 100), (41, 60), (66, 60), (67, 30), (115, 30), (116, 0),
])
def test_request_bands(requests: int, score: int) -> None:
    assert requests_band_score(requests) == score


@pytest.mark.parametrize(("completed", "ms", "score"), [
    (True, 5000, 100), (True, 5001, 60), (True, 10000, 60), (True, 20000, 30),
    (True, 20001, 0), (False, 1000, 0), (True, None, None),
])
def test_slow_network_bands(completed: bool, ms: float | None, score: int | None) -> None:
    observation = SlowNetworkObservation(completed=completed, worst_time_to_usable_ms=ms)
    assert slow_network_band_score(observation) == score


def test_frugality_without_3g_data_is_incomplete() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", dom=240,
                                        requests=many(20, 331_000))))
    frugality = measure_weight(run).journeys[0].frugality
    components = {c.id: c for c in frugality.components}
    assert components["ecoindex-mean"].score == 83
    assert components["worst-screen-size"].score == 100
    assert components["worst-screen-requests"].score == 100
    slow = components["slow-network"]
    assert (slow.measured, slow.score, slow.value) == (False, None, None)
    assert "not measured" in slow.detail
    assert frugality.measured_weight == 0.85
    assert frugality.score == pytest.approx((0.5 * 83 + 0.2 * 100 + 0.15 * 100) / 0.85, abs=0.01)
    assert not frugality.complete


def test_frugality_with_3g_data() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", dom=240,
                                        requests=many(20, 331_000))))
    measures = measure_weight(run, slow_network={
        "signup": SlowNetworkObservation(completed=True, worst_time_to_usable_ms=4000)})
    frugality = measures.journeys[0].frugality
    assert frugality.complete and frugality.measured_weight == 1.0
    assert frugality.score == 91.5
    assert measures.frugality.complete


def test_frugality_of_a_journey_that_fails_under_3g() -> None:
    run = make_run(journey("signup", cp(0, trigger="start", dom=240,
                                        requests=many(20, 331_000))))
    measures = measure_weight(run, slow_network={
        "signup": SlowNetworkObservation(completed=False)})
    slow = measures.journeys[0].frugality.components[-1]
    assert (slow.score, slow.measured) == (0, True)
    assert "BLOCKING" in slow.detail


# --------------------------------------------------------------------------- whole run


def test_empty_run() -> None:
    measures = measure_weight(make_run(JourneyResult(id="signup", start_url=SITE)))
    assert measures.ecoindex.page_views == 0
    assert measures.ecoindex.mean_score is None
    assert measures.frugality.score is None
    assert measures.journeys[0].comparisons == []
    assert any("no page view" in n for n in measures.notes)


def test_result_is_deterministic_and_serialisable() -> None:
    run = make_run(journey("signup",
                           cp(0, trigger="start", requests=[req("/"), req("/a.js", 500)]),
                           cp(1, path="/b", requests=[req("/b", 700)])))
    first, second = measure_weight(run), measure_weight(run)
    assert first == second
    assert WeightMeasures.model_validate_json(first.model_dump_json()) == first
    assert first.method_label == "EcoIndex-like (implemented from the published method)"
    assert first.protocol.run_protocol.startswith("empty profile")
    assert first.protocol.ecoindex_viewport


# --------------------------------------------------------------------------- trackers module


@pytest.mark.parametrize(("host", "domain"), [
    ("www.service-public.gouv.fr", "service-public.gouv.fr"),
    ("gouv.fr", "gouv.fr"),
    ("cdn.example.com", "example.com"),
    ("Example.COM.", "example.com"),
    ("www.bbc.co.uk", "bbc.co.uk"),
    ("decidim.github.io", "decidim.github.io"),
    ("app.osc-fr1.scalingo.io", "app.osc-fr1.scalingo.io"),
    ("localhost", "localhost"),
    ("localhost:8000", "localhost"),
    ("127.0.0.1", "127.0.0.1"),
    ("127.0.0.1:5000", "127.0.0.1"),
    ("[::1]:8080", "::1"),
    ("", ""),
])
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(("url_host", "site_host", "third"), [
    ("static.participer.example.fr", "participer.example.fr", False),
    ("fonts.gstatic.com", "participer.example.fr", True),
    ("a.github.io", "b.github.io", True),
    ("www.paris.fr", "idee.paris.fr", False),
    ("127.0.0.1:5001", "127.0.0.1:5000", False),
    ("localhost", "127.0.0.1", True),
    ("", "participer.example.fr", False),
])
def test_is_third_party(url_host: str, site_host: str, third: bool) -> None:
    assert is_third_party(url_host, site_host) is third


def test_known_hosts_match_subdomains_and_the_most_specific_entry() -> None:
    ga = lookup_known_host("region1.google-analytics.com")
    assert ga is not None and ga.vendor == "Google Analytics"
    fonts = classify_host("fonts.gstatic.com")
    assert fonts is not None and fonts.category == "fonts" and not fonts.is_tracker
    nocookie = classify_host("www.youtube-nocookie.com")
    youtube = classify_host("www.youtube.com")
    assert nocookie is not None and not nocookie.is_tracker
    assert youtube is not None and youtube.is_tracker
    # A suffix match is on a label boundary only.
    assert lookup_known_host("notfacebook.com") is None
    assert classify_host("www.example.fr") is None


@pytest.mark.parametrize("host", [
    "stats.example.fr", "analytics.ville.fr", "pisteur.x.org", "tracker.y.com",
    "collect.z.net", "matomo.mairie.fr",
])
def test_beacon_hosts_by_first_label(host: str) -> None:
    found = classify_host(host)
    assert found is not None and found.is_tracker and found.category == "analytics"


@pytest.mark.parametrize(("url", "kind", "beacon"), [
    ("https://x.fr/collect", "xhr", True),
    ("https://x.fr/g/collect?v=2", "ping", True),
    ("https://x.fr/track", "fetch", True),
    ("https://x.fr/pixel.gif", "image", True),
    ("https://x.fr/api/beacon/", "fetch", True),
    ("https://x.fr/piwik.php?idsite=3", "image", True),
    ("https://x.fr/track", "document", False),
    ("https://x.fr/collections", "fetch", False),
    ("https://x.fr/tracking-number.js", "script", False),
])
def test_beacon_paths(url: str, kind: str, beacon: bool) -> None:
    assert bool(beacon_reason(url, kind)) is beacon


def test_request_on_a_known_non_tracker_host_can_still_be_a_beacon() -> None:
    found = classify_request("cdn.jsdelivr.net", "https://cdn.jsdelivr.net/pixel.gif", "image")
    assert found is not None and found.is_tracker and found.category == "cdn"
    plain = classify_request("cdn.jsdelivr.net", "https://cdn.jsdelivr.net/lib.js", "script")
    assert plain is not None and not plain.is_tracker
