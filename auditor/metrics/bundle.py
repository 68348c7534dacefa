"""Every measure of a run in one object: what ``auditor score`` writes as measures.json.

Pure: a Run in, Measures out. Re-scoring a saved run gives identical measures to the live run
(the measures never read the clock, the network or the browser).
"""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from auditor.metrics.effort import EffortMeasures, measure_effort
from auditor.metrics.readability import ReadabilityMeasures, measure_readability
from auditor.metrics.signup import SignupMeasures, measure_signup
from auditor.metrics.wcag import WcagMeasures, measure_wcag, messages_from_axe_locale
from auditor.metrics.weight import WeightMeasures, measure_weight
from auditor.models import Run
from auditor.paths import data_file

#: Bumped on any incompatible change of measures.json.
MEASURES_SCHEMA_VERSION = "1.0"


class Measures(BaseModel):
    """All measures of one run."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = MEASURES_SCHEMA_VERSION
    report_lang: str
    run_started_at: str
    tool_version: str
    axe_version: str
    wcag: WcagMeasures
    readability: ReadabilityMeasures
    effort: EffortMeasures
    signup: SignupMeasures
    weight: WeightMeasures


@lru_cache(maxsize=1)
def french_axe_messages() -> dict[str, dict[str, str]]:
    """axe-core's own French rule messages (locales/fr.json of the axe-core we run)."""
    locale = json.loads(data_file("axe-core-fr.json").read_text(encoding="utf-8"))
    return messages_from_axe_locale(locale)


def compute_measures(run: Run, report_lang: str = "en") -> Measures:
    """Every measure of ``run``; WCAG messages in French when ``report_lang`` is fr."""
    messages = french_axe_messages() if report_lang == "fr" else None
    return Measures(
        report_lang=report_lang, run_started_at=run.started_at, tool_version=run.tool.version,
        axe_version=run.tool.axe_version,
        wcag=measure_wcag(run, report_lang=report_lang, messages=messages),
        readability=measure_readability(run),
        effort=measure_effort(run),
        signup=measure_signup(run),
        weight=measure_weight(run),
    )
