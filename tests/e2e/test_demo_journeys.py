"""``auditor demo``: both variants, all three journeys, in real Chromium (issue 2)."""

from __future__ import annotations

import pytest

from auditor.models import Run

pytestmark = pytest.mark.e2e

JOURNEYS = ["sign-up", "proposal", "vote"]


@pytest.mark.parametrize("variant", ["inclusive", "exclusionary"])
def test_all_journeys_complete(demo_runs: dict[str, Run], variant: str) -> None:
    run = demo_runs[variant]
    assert [j.id for j in run.journeys] == JOURNEYS
    for journey in run.journeys:
        assert journey.status == "completed", journey.error
        assert all(step.outcome == "ok" for step in journey.steps)
        assert journey.checkpoints, journey.id
    assert run.tool.axe_version and run.browser.version


def _impacts(run: Run) -> set[str]:
    return {v.impact or "" for c in run.checkpoints() for v in c.axe.violations}


def test_exclusionary_has_serious_or_critical_violations(demo_runs: dict[str, Run]) -> None:
    assert _impacts(demo_runs["exclusionary"]) & {"serious", "critical"}
    rules = {v.id for c in demo_runs["exclusionary"].checkpoints() for v in c.axe.violations}
    assert {"label", "color-contrast", "image-alt"} <= rules


def test_inclusive_has_no_axe_violation(demo_runs: dict[str, Run]) -> None:
    checkpoints = demo_runs["inclusive"].checkpoints()
    assert all(c.axe.error is None for c in checkpoints)
    assert [(c.url, v.id) for c in checkpoints for v in c.axe.violations] == []


def test_exclusionary_pages_weigh_more(demo_runs: dict[str, Run]) -> None:
    def start_bytes(run: Run) -> int:
        first = run.journeys[0].checkpoints[0]
        return sum(r.transferred_bytes for r in first.requests)

    def total_bytes(run: Run) -> int:
        return sum(r.transferred_bytes for c in run.checkpoints() for r in c.requests)

    inclusive, exclusionary = demo_runs["inclusive"], demo_runs["exclusionary"]
    assert start_bytes(exclusionary) > 1_000_000 > 50_000 > start_bytes(inclusive)
    assert total_bytes(exclusionary) > 10 * total_bytes(inclusive)
    assert any(r.third_party for c in exclusionary.checkpoints() for r in c.requests)
    assert not any(r.third_party for c in inclusive.checkpoints() for r in c.requests)


def test_email_confirmation_step_works(demo_runs: dict[str, Run]) -> None:
    signup = demo_runs["exclusionary"].journeys[0]
    (mail_step,) = [s for s in signup.steps if s.kind == "open_email_link"]
    assert mail_step.outcome == "ok" and mail_step.navigated
    confirmed = [c for c in signup.checkpoints if mail_step.index == c.step_index]
    assert confirmed and "/confirmer" in confirmed[0].url
    assert "token=REDACTED" in confirmed[0].url  # the token is a secret too


def test_every_checkpoint_has_its_observations(demo_runs: dict[str, Run]) -> None:
    for run in demo_runs.values():
        for c in run.checkpoints():
            assert c.url.startswith("http://127.0.0.1:") and c.title and c.lang.startswith("fr")
            assert c.dom_element_count > 10 and c.screenshot
            if c.trigger in ("start", "navigation"):
                assert any(r.resource_type == "document" for r in c.requests), c.url


def test_probe_found_the_exclusionary_password_rules(demo_runs: dict[str, Run]) -> None:
    (probe, *_) = demo_runs["exclusionary"].journeys[0].probes
    client = {a.candidate: a for a in probe.attempts if a.phase == "client"}
    assert client["C64"].kept_length == 12  # maxlength=12 truncates silently
    server = {a.candidate: a for a in probe.attempts if a.phase == "server"}
    assert server["C12_lower"].accepted is False and server["journey"].accepted is True
    assert any("E-412" in m for m in server["C8_lower"].messages)
    assert probe.confirm_fields == 1 and probe.values_kept_after_reject is False
    inclusive_probe = demo_runs["inclusive"].journeys[0].probes[0]
    assert inclusive_probe.show_toggle is True
    assert inclusive_probe.accepted_candidate == "C8_lower"
