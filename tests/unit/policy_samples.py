"""Small hand-made scorecards, runs and measures for the policy, baseline and compare tests.

Each builder takes keyword arguments with defaults, so a test states only what it is about:
``scorecard(findings=[finding("f1", "paste-blocked", blocking=True)], inclusion="E")``.
Measures are computed from plain runs by the real metrics (no browser), so measure budgets
are tested against what ``auditor score`` writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.metrics.bundle import Measures, compute_measures
from auditor.models import Checkpoint, NetworkRequest, Run
from auditor.scoring.scorecard import (
    Finding,
    Grade,
    GradeCard,
    JourneyCard,
    Place,
    RuleResult,
    Scorecard,
    Text,
)
from tests.unit import factories
from tests.unit.scorecard_samples import categories, run_info

SITE = "https://participer.example.fr"
GRADE_SCORE: dict[str, float] = {"A": 90, "B": 75, "C": 60, "D": 45, "E": 30, "F": 15, "G": 5}


def tx(fr: str, en: str | None = None) -> Text:
    return Text(fr=fr, en=en if en is not None else fr)


def finding(fid: str, rule_id: str = "label", *, journey: str = "sign-up",
            severity: str = "major", blocking: bool = False, category: str = "accessibility",
            path: str = "/inscription", selector: str = "", text: str = "",
            step_index: int | None = 0, checkpoint: int | None = None,
            evidence: str = "") -> Finding:
    """A finding with one place (no place at all when ``path`` is empty)."""
    places = [Place(journey_id=journey, step_index=step_index, checkpoint=checkpoint,
                    url=f"{SITE}{path}", selector=selector, text=text)] if path else []
    return Finding(id=fid, rule_id=rule_id, category=category,
                   severity="blocking" if blocking else severity,
                   blocking=blocking, title=tx(f"Titre {rule_id}", f"Title {rule_id}"),
                   message=tx("message"), fix=tx("correction", "fix"), evidence=evidence,
                   places=places, journey_id=journey)


def grades(inclusion: Grade | None, frugality: Grade | None) -> list[GradeCard]:
    return [GradeCard(headline="inclusion", grade=inclusion,
                      score=GRADE_SCORE[inclusion] if inclusion else None),
            GradeCard(headline="frugality", grade=frugality,
                      score=GRADE_SCORE[frugality] if frugality else None)]


def journey_card(journey_id: str, *, inclusion: Grade | None = "B",
                 frugality: Grade | None = "B", accessibility: float | None = 75,
                 status: str = "completed", title: str = "") -> JourneyCard:
    return JourneyCard(
        journey_id=journey_id, title=title or journey_id, status=status,
        grades=grades(inclusion, frugality),
        categories=categories({"accessibility": accessibility, "signup": 75, "effort": 75,
                               "language": 75,
                               "frugality": GRADE_SCORE[frugality] if frugality else None}))


def result(rule_id: str, outcome: str = "fail", *, journey: str = "",
           finding_ids: Sequence[str] = (), category: str = "signup") -> RuleResult:
    return RuleResult(rule_id=rule_id, category=category,
                      journey_id=journey, outcome=outcome,
                      score=0 if outcome == "fail" else 100 if outcome == "pass" else None,
                      weight=1, finding_ids=list(finding_ids))


def scorecard(*, findings: Sequence[Finding] = (), results: Sequence[RuleResult] = (),
              inclusion: Grade | None = "B", frugality: Grade | None = "B",
              accessibility: float | None = 75,
              journeys: Sequence[JourneyCard] | None = None, profile: str = "default",
              tool_version: str = "0.1.0", lang: str = "en") -> Scorecard:
    """A scorecard of a sign-up, a proposal and a vote journey (all grade B by default)."""
    cards = list(journeys) if journeys is not None else [
        journey_card("sign-up"), journey_card("proposal"), journey_card("vote")]
    return Scorecard(
        lang=lang, profile=profile,
        run=run_info(tool_version=tool_version), grades=grades(inclusion, frugality),
        categories=categories({"accessibility": accessibility, "signup": 75, "effort": 75,
                               "language": 75,
                               "frugality": GRADE_SCORE[frugality] if frugality else None}),
        journeys=cards, findings=list(findings), results=list(results))


# --------------------------------------------------------------------------- runs, measures


def page(index: int, journey_id: str, step_index: int, path: str, kilobytes: int, *,
         name: str = "", critical: bool = False, requests: int = 1) -> Checkpoint:
    """A checkpoint whose page weighs ``kilobytes`` kB over ``requests`` requests, with a
    critical axe violation when asked."""
    checkpoint = factories.checkpoint(
        index, journey_id=journey_id, url=f"{SITE}{path}", step_index=step_index, name=name,
        trigger="start" if step_index < 0 else "navigation",
        violations=[factories.rule("button-name", "critical", ["#go"])] if critical else [])
    share = kilobytes * 1000 // requests
    wire = [NetworkRequest(url=f"{SITE}{path}" + (f"?r={i}" if i else ""),
                           host="participer.example.fr",
                           resource_type="document" if i == 0 else "image", status=200,
                           transferred_bytes=share) for i in range(requests)]
    return checkpoint.model_copy(update={"requests": wire})


def small_run(*, signup_kb: int = 300, form_kb: int = 1500, vote_kb: int = 200,
              critical_on_form: bool = True, vote_status: str = "completed") -> Run:
    """Sign-up (start page, then a form page after step 2 named ``formulaire``) and vote."""
    signup = factories.journey("sign-up", checkpoints=[
        page(0, "sign-up", -1, "/", signup_kb),
        page(1, "sign-up", 1, "/inscription", form_kb, name="formulaire",
             critical=critical_on_form)])
    vote = factories.journey("vote", status=vote_status, checkpoints=[
        page(2, "vote", -1, "/vote", vote_kb)])
    return factories.run(signup, vote)


def small_measures(run: Run) -> Measures:
    """What ``auditor score`` measures on ``run``."""
    return compute_measures(run)
