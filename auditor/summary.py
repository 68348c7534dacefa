"""The short per-journey summary printed after a run (pure: Run in, rows out)."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.models import JourneyResult, Run

IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass
class JourneySummary:
    """What a person wants to see first about one journey."""

    id: str
    status: str
    steps_done: int
    steps_total: int
    pages: int
    checkpoints: int
    violations_by_impact: dict[str, int] = field(default_factory=dict)
    transferred_bytes: int = 0
    seconds: float = 0.0
    error: str = ""


def summarise_journey(journey: JourneyResult) -> JourneySummary:
    """Counts for one journey; axe rules are counted once per page where they fail."""
    by_impact = dict.fromkeys(IMPACTS, 0)
    for checkpoint in journey.checkpoints:
        for violation in checkpoint.axe.violations:
            by_impact[violation.impact or "minor"] += 1
    pages = len({c.url for c in journey.checkpoints
                 if c.trigger in ("start", "navigation", "url")})
    return JourneySummary(
        id=journey.id, status=journey.status,
        steps_done=sum(1 for s in journey.steps if s.outcome == "ok"),
        steps_total=len(journey.steps), pages=pages, checkpoints=len(journey.checkpoints),
        violations_by_impact=by_impact,
        transferred_bytes=sum(r.transferred_bytes for c in journey.checkpoints
                              for r in c.requests),
        seconds=round(journey.duration_ms / 1000, 1), error=journey.error,
    )


def summarise(run: Run) -> list[JourneySummary]:
    """One summary per journey, in run order."""
    return [summarise_journey(j) for j in run.journeys]


def all_completed(run: Run) -> bool:
    """True when every journey ran to its end (exit code 0)."""
    return bool(run.journeys) and all(j.status == "completed" for j in run.journeys)
