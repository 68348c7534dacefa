"""run.json round trip, network log accounting, axe result parsing, mailbox reading."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from auditor.drivers.network_log import NetworkLog
from auditor.gatherers.axe import axe_source, axe_version, parse_results, run_script
from auditor.journeys.mailbox import MailNotFound, find_link
from auditor.models import JourneyResult, Run, TargetInfo, ToolInfo
from auditor.run_io import RunFileError, load_run, save_run
from auditor.summary import all_completed, summarise
from auditor.urls import Redactor


def small_run() -> Run:
    return Run(tool=ToolInfo(version="0"), target=TargetInfo(base_url="http://h"),
               journeys=[JourneyResult(id="vote", start_url="http://h/", status="completed")])


def test_run_round_trip_and_redaction(tmp_path: Path) -> None:
    run = small_run()
    run.errors.append("typed s3cr3t-pass somewhere")
    path = save_run(run, tmp_path, Redactor(["s3cr3t-pass"]))
    assert "s3cr3t-pass" not in path.read_text()
    again = load_run(tmp_path)
    assert again.journeys[0].id == "vote" and all_completed(again)


def test_load_run_errors(tmp_path: Path) -> None:
    bad = tmp_path / "run.json"
    bad.write_text("{\n  oops")
    with pytest.raises(RunFileError, match=r"run.json:2: not valid JSON"):
        load_run(bad)
    bad.write_text(json.dumps({"schema_version": "9.0"}))
    with pytest.raises(RunFileError, match="run schema 9.0 is not supported"):
        load_run(bad)
    bad.write_text(json.dumps({"hello": 1}))
    with pytest.raises(RunFileError, match="not a participation-auditor run"):
        load_run(bad)


def test_network_log_counts_redirects_cache_and_in_flight() -> None:
    log = NetworkLog()
    log.on_request({"requestId": "1", "type": "Document", "timestamp": 1.0,
                    "request": {"url": "http://h/a", "method": "POST"}})
    log.on_request({"requestId": "1", "type": "Document", "timestamp": 1.1,
                    "request": {"url": "http://h/b", "method": "GET"},
                    "redirectResponse": {"status": 303, "encodedDataLength": 120}})
    log.on_request({"requestId": "2", "type": "Image", "timestamp": 1.2,
                    "request": {"url": "data:image/png;base64,AA"}})
    log.on_request({"requestId": "3", "type": "Script", "timestamp": 1.2,
                    "request": {"url": "http://cdn.test/x.js"}})
    log.on_response({"requestId": "1", "response": {"status": 200, "mimeType": "text/html"}})
    log.on_data({"requestId": "1", "dataLength": 5000})
    log.on_finished({"requestId": "1", "encodedDataLength": 1800, "timestamp": 1.3})
    assert log.in_flight == 1  # the script is still loading
    done = log.drain()
    assert [(d["url"], d["status"], d["transferred_bytes"]) for d in done] == [
        ("http://h/a", 303, 120), ("http://h/b", 200, 1800)]
    assert done[1]["decoded_bytes"] == 5000 and done[1]["resource_type"] == "document"
    log.on_cached({"requestId": "3"})
    log.on_failed({"requestId": "3", "errorText": "net::ERR_ABORTED"})
    (script,) = log.drain()
    assert script["failed"] and script["from_cache"] and log.drain() == []


def test_axe_is_current_and_results_parse() -> None:
    assert axe_source().startswith("/*! axe v")
    major, minor = (int(x) for x in axe_version().split(".")[:2])
    assert (major, minor) >= (4, 12)
    assert "wcag22aa" in run_script()
    results = parse_results({
        "violations": [{"id": "label", "impact": "critical", "tags": ["wcag2a", "wcag412"],
                        "nodes": [{"target": ["#pw"], "html": "<input>", "impact": "critical",
                                   "failure_summary": "Fix"}]}],
        "incomplete": [], "passed_rules": ["a", "b"], "inapplicable_rules": ["c"]})
    assert results.violations[0].nodes[0].target == ["#pw"]
    assert (results.passes_count, results.inapplicable_count) == (2, 1)


def test_mailbox_finds_newest_link_to_recipient(tmp_path: Path) -> None:
    since = time.time()
    (tmp_path / "1.eml").write_text("To: other@x.test\nSubject: a\n\nhttp://h/confirmer?token=OTHER\n")
    (tmp_path / "2.eml").write_text("To: camille@x.test\nSubject: b\n\nVoir http://h/aide puis "
                                    "http://h/confirmer?token=GOOD.\n")
    os.utime(tmp_path / "2.eml", (since + 1, since + 1))
    assert find_link(tmp_path, "camille@x.test", r"/confirmer\?token=", since, 0.1) == \
        "http://h/confirmer?token=GOOD"
    with pytest.raises(MailNotFound, match="no mail to nobody@x.test arrived"):
        find_link(tmp_path, "nobody@x.test", "x", since, 0.1)
    with pytest.raises(MailNotFound, match="has no link matching"):
        find_link(tmp_path, "camille@x.test", "/reset", since, 0.1)


def test_summary_counts_pages_and_impacts() -> None:
    from auditor.models import AxeResults, AxeRuleResult, Checkpoint, NetworkRequest

    def page(index: int, url: str, trigger: str, impacts: list[str]) -> Checkpoint:
        return Checkpoint(index=index, journey_id="vote", step_index=index - 1, url=url,
                          trigger=trigger,  # type: ignore[arg-type]
                          axe=AxeResults(violations=[AxeRuleResult(id=f"r{i}", impact=imp)
                                                     for i, imp in enumerate(impacts)]),
                          requests=[NetworkRequest(url=url, transferred_bytes=1000)])

    run = small_run()
    run.journeys[0].checkpoints = [
        page(0, "http://h/", "start", ["critical", "serious"]),
        page(1, "http://h/vote", "navigation", ["critical"]),
        page(2, "http://h/vote", "checkpoint", ["minor"]),  # same page again: not a new page
    ]
    (row,) = summarise(run)
    assert row.pages == 2 and row.checkpoints == 3
    assert row.violations_by_impact == {"critical": 2, "serious": 1, "moderate": 0, "minor": 1}
    assert row.transferred_bytes == 3000
