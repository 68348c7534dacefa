"""The measures a policy budget may cap (``max``) or floor (``min``): a small, closed registry.

A budget names a measure (``effort.fields_required``) instead of a path into measures.json, for
the same reason rules name indicators: measures.json may change shape without breaking every
team's policy, and a reader sees the whole list in one place (auditor/policy/README.md).

Each measure says at which levels it exists:

- ``run``: one figure for the platform (the whole run);
- ``journey``: one figure per journey;
- ``page``: one figure per page (a page view for weights, a snapshot for axe results). A
  measure that exists *only* per page (``weight.page_transferred_bytes``) is checked on every
  page the scope covers: "each page weighs at most 1 MB".

Getters are pure functions of :class:`~auditor.metrics.bundle.Measures`; ``None`` means "not
measured here" (a journey that is not the sign-up has no sign-up fields), and the evaluator
reports it as not applicable rather than inventing a zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from auditor.metrics.bundle import Measures
from auditor.metrics.effort import JourneyEffort
from auditor.metrics.wcag import ScopeWcag
from auditor.metrics.weight import JourneyWeight
from auditor.scoring.scorecard import Text

MeasureLevel = Literal["run", "journey", "page"]
Unit = Literal["count", "bytes", "seconds", "score", "flag"]


@dataclass(frozen=True)
class MeasurePoint:
    """One figure of a measure and where it was taken (a page of a journey)."""

    value: float | None
    journey_id: str = ""
    step_index: int | None = None
    checkpoint: int | None = None
    checkpoints: tuple[int, ...] = ()
    name: str = ""
    url: str = ""


RunGetter = Callable[[Measures], "float | None"]
JourneyGetter = Callable[[Measures, str], "float | None"]
PageGetter = Callable[[Measures, str], "list[MeasurePoint]"]


@dataclass(frozen=True)
class MeasureDef:
    """A measure of the registry: its name, what it counts, and how to read it."""

    name: str
    title: Text
    unit: Unit
    better: Literal["lower", "higher"]
    description: str
    run: RunGetter | None = None
    journey: JourneyGetter | None = None
    page: PageGetter | None = None
    levels: tuple[MeasureLevel, ...] = field(default=())

    @property
    def per_page_only(self) -> bool:
        """Exists only per page: every page in scope is checked."""
        return self.levels == ("page",)


MEASURES: dict[str, MeasureDef] = {}


def _register(name: str, title: tuple[str, str], unit: Unit, description: str, *,
              better: Literal["lower", "higher"] = "lower", run: RunGetter | None = None,
              journey: JourneyGetter | None = None, page: PageGetter | None = None) -> None:
    levels: list[MeasureLevel] = []
    if run is not None:
        levels.append("run")
    if journey is not None:
        levels.append("journey")
    if page is not None:
        levels.append("page")
    MEASURES[name] = MeasureDef(name=name, title=Text(fr=title[0], en=title[1]), unit=unit,
                                better=better, description=description, run=run,
                                journey=journey, page=page, levels=tuple(levels))


def measure_names() -> list[str]:
    """Every measure name, sorted (the JSON Schema enum)."""
    return sorted(MEASURES)


def suggest_measure(name: str) -> str:
    """``; did you mean 'x'?`` for a misspelt measure, or the list when nothing is close."""
    close = difflib.get_close_matches(name, list(MEASURES), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f" (known: {', '.join(measure_names())})"


# --------------------------------------------------------------------------- effort


def _effort(measures: Measures, journey_id: str) -> JourneyEffort | None:
    return next((j for j in measures.effort.journeys if j.journey_id == journey_id), None)


def _effort_getter(read: Callable[[JourneyEffort], float | None]) -> JourneyGetter:
    def get(measures: Measures, journey_id: str) -> float | None:
        found = _effort(measures, journey_id)
        return None if found is None else read(found)

    return get


def _klm_novice(journey: JourneyEffort) -> float | None:
    return next((k.total_s for k in journey.klm if k.persona == "novice"), None)


_register("effort.fields_required", ("champs à remplir", "fields to fill in"), "count",
          "Fields a person must fill in the journey: required, or filled by the script "
          "(the required-fields rule's figure).",
          journey=_effort_getter(lambda j: j.fields_required))
_register("effort.fields_total", ("champs proposés", "fields shown"), "count",
          "Every form field the journey shows, required or not.",
          journey=_effort_getter(lambda j: j.fields_total))
_register("effort.screens", ("écrans", "screens"), "count",
          "Screens of the journey, each counted once (page loads, client-side steps, the "
          "mailbox).", journey=_effort_getter(lambda j: j.screens))
_register("effort.interactions", ("actions", "actions"), "count",
          "Clicks, choices and fields the person must act on.",
          journey=_effort_getter(lambda j: j.interactions))
_register("effort.keystrokes", ("frappes au clavier", "keystrokes"), "count",
          "Characters typed to complete the journey.",
          journey=_effort_getter(lambda j: j.keystrokes))
_register("effort.context_switches", ("changements de contexte", "context switches"), "count",
          "Moments the person must leave the page: mailbox, file picker, CAPTCHA, another "
          "site.", journey=_effort_getter(lambda j: j.context_switches))
_register("effort.errors_met", ("erreurs rencontrées", "errors met"), "count",
          "Error messages the journey met.", journey=_effort_getter(lambda j: j.errors_met))
_register("effort.klm_novice_s", ("durée estimée (novice)", "estimated time (novice)"),
          "seconds", "Keystroke-Level Model estimate for someone unused to a keyboard.",
          journey=_effort_getter(_klm_novice))


# --------------------------------------------------------------------------- sign-up


def _signup_getter(read: Callable[[Measures], float | None]) -> tuple[RunGetter,
                                                                       JourneyGetter]:
    """Sign-up figures exist for the run and for the sign-up journey only."""

    def journey(measures: Measures, journey_id: str) -> float | None:
        if measures.signup.journey_id != journey_id:
            return None
        return read(measures)

    return read, journey


def _required_fields(measures: Measures) -> float | None:
    data = measures.signup.personal_data
    return None if data is None else data.required_fields


def _extra_required(measures: Measures) -> float | None:
    data = measures.signup.personal_data
    return None if data is None else data.extra_required_fields


def _paste_blocked(measures: Measures) -> float | None:
    if measures.signup.journey_id is None:
        return None
    return sum(1 for f in measures.signup.fields if f.paste_blocked)


def _captcha_cognitive(measures: Measures) -> float | None:
    if measures.signup.journey_id is None:
        return None
    return 1.0 if measures.signup.captcha.cognitive else 0.0


def _friction_score(measures: Measures) -> float | None:
    score = measures.signup.score
    return score.score if score.measured else None


def _register_signup(name: str, title: tuple[str, str], unit: Unit, description: str,
                     read: Callable[[Measures], float | None], *,
                     better: Literal["lower", "higher"] = "lower") -> None:
    run, journey = _signup_getter(read)
    _register(name, title, unit, description, better=better, run=run, journey=journey)


_register_signup("signup.required_fields", ("champs obligatoires de l'inscription",
                                            "required sign-up fields"), "count",
                 "Required fields of the sign-up form (personal-data inventory).",
                 _required_fields)
_register_signup("signup.extra_required_fields", ("données personnelles en trop",
                                                  "extra personal data required"), "count",
                 "Required personal data beyond pseudonym, e-mail and password.",
                 _extra_required)
_register_signup("signup.paste_blocked", ("champs qui bloquent le collage",
                                          "fields blocking paste"), "count",
                 "Sign-up fields where a real paste is cancelled (WCAG 3.3.8).", _paste_blocked)
_register_signup("signup.captcha_cognitive", ("CAPTCHA cognitif", "cognitive CAPTCHA"), "flag",
                 "1 when the sign-up asks a sum, a transcription or a puzzle with no "
                 "alternative (WCAG 3.3.8), else 0.", _captcha_cognitive)
_register_signup("signup.friction_score", ("score de friction de l'inscription",
                                           "sign-up friction score"), "score",
                 "Sign-up and password friction score, 0-100 (100 = no friction).",
                 _friction_score, better="higher")


# --------------------------------------------------------------------------- accessibility


def _wcag_scope(measures: Measures, journey_id: str | None) -> ScopeWcag | None:
    if journey_id is None:
        return measures.wcag.run
    return next((s for s in measures.wcag.journeys if s.journey_id == journey_id), None)


def _wcag_measure(read: Callable[[ScopeWcag], float | None],
                  read_page: Callable[[dict[str, int], float | None], float | None]
                  ) -> tuple[RunGetter, JourneyGetter, PageGetter]:
    def run(measures: Measures) -> float | None:
        scope = _wcag_scope(measures, None)
        return None if scope is None or not scope.screens_measured else read(scope)

    def journey(measures: Measures, journey_id: str) -> float | None:
        scope = _wcag_scope(measures, journey_id)
        return None if scope is None or not scope.screens_measured else read(scope)

    def page(measures: Measures, journey_id: str) -> list[MeasurePoint]:
        return [MeasurePoint(
            value=read_page(c.violations.rules_by_impact, c.screen_score) if c.measured
            else None, journey_id=c.journey_id, step_index=c.step_index,
            checkpoint=c.checkpoint, checkpoints=(c.checkpoint,), name=c.name, url=c.url)
            for c in measures.wcag.checkpoints if c.journey_id == journey_id]

    return run, journey, page


ScopeRead = Callable[[ScopeWcag], "float | None"]
PageRead = Callable[[dict[str, int], "float | None"], "float | None"]


def _register_wcag(name: str, title: tuple[str, str], unit: Unit, description: str,
                   read: ScopeRead, read_page: PageRead, *,
                   better: Literal["lower", "higher"] = "lower") -> None:
    run, journey, page = _wcag_measure(read, read_page)
    _register(name, title, unit, description, better=better, run=run, journey=journey,
              page=page)


_register_wcag("wcag.critical_rules", ("règles axe critiques non respectées",
                                       "critical axe rules violated"), "count",
               "Distinct axe-core rules violated with a critical impact.",
               lambda s: s.violations.rules_by_impact.get("critical", 0),
               lambda by_impact, _score: by_impact.get("critical", 0))
_register_wcag("wcag.serious_rules", ("règles axe graves non respectées",
                                      "serious axe rules violated"), "count",
               "Distinct axe-core rules violated with a serious impact.",
               lambda s: s.violations.rules_by_impact.get("serious", 0),
               lambda by_impact, _score: by_impact.get("serious", 0))
_register_wcag("wcag.rules", ("règles axe non respectées", "axe rules violated"), "count",
               "Distinct axe-core rules violated, any impact.",
               lambda s: s.violations.rules, lambda by_impact, _score: sum(by_impact.values()))
_register_wcag("wcag.screen_score", ("score d'accessibilité", "accessibility score"), "score",
               "Accessibility score 0-100 (metrics.md §5.4); a journey or the platform takes "
               "its worst screen.", lambda s: s.score, lambda _by_impact, score: score,
               better="higher")


# --------------------------------------------------------------------------- weight


def _weight(measures: Measures, journey_id: str) -> JourneyWeight | None:
    return next((j for j in measures.weight.journeys if j.journey_id == journey_id), None)


def _page_views(read: Callable[[float, float, float, float], float]) -> PageGetter:
    """Page views of a journey: bytes, requests, DOM elements, EcoIndex score."""

    def get(measures: Measures, journey_id: str) -> list[MeasurePoint]:
        found = _weight(measures, journey_id)
        if found is None:
            return []
        return [MeasurePoint(
            value=read(p.totals.transferred_bytes, p.totals.requests, p.dom_element_count,
                       p.ecoindex.score),
            journey_id=p.journey_id, step_index=p.step_index,
            checkpoint=p.checkpoints[0] if p.checkpoints else None,
            checkpoints=tuple(p.checkpoints), name=p.name, url=p.url)
            for p in found.page_views]

    return get


_register("weight.page_transferred_bytes", ("poids de la page", "page weight"), "bytes",
          "Bytes on the wire of each page view (headers included; 1 MB = 1,000,000 bytes "
          "as EcoIndex counts).", page=_page_views(lambda b, r, d, e: b))
_register("weight.page_requests", ("requêtes de la page", "page requests"), "count",
          "Requests of each page view.", page=_page_views(lambda b, r, d, e: r))
_register("weight.page_dom_elements", ("éléments de la page", "page DOM elements"), "count",
          "DOM elements of each page view (EcoIndex count).",
          page=_page_views(lambda b, r, d, e: d))
_register("weight.page_ecoindex", ("score EcoIndex de la page", "page EcoIndex score"),
          "score", "EcoIndex-like score 0-100 of each page view (higher is better).",
          better="higher", page=_page_views(lambda b, r, d, e: e))


def _register_weight(name: str, title: tuple[str, str], unit: Unit, description: str,
                     read: Callable[[JourneyWeight], float | None],
                     read_run: Callable[[Measures], float | None], *,
                     better: Literal["lower", "higher"] = "lower") -> None:
    def journey(measures: Measures, journey_id: str) -> float | None:
        found = _weight(measures, journey_id)
        return None if found is None else read(found)

    _register(name, title, unit, description, better=better, run=read_run, journey=journey)


_register_weight("weight.transferred_bytes", ("octets transférés", "bytes transferred"),
                 "bytes", "Bytes on the wire of the whole journey (or run).",
                 lambda j: j.totals.transferred_bytes,
                 lambda m: m.weight.totals.transferred_bytes)
_register_weight("weight.requests", ("requêtes", "requests"), "count",
                 "Requests of the whole journey (or run).",
                 lambda j: j.totals.requests, lambda m: m.weight.totals.requests)
_register_weight("weight.third_party_requests", ("requêtes vers des tiers",
                                                 "third-party requests"), "count",
                 "Requests to other sites than the platform's.",
                 lambda j: j.totals.third_party_requests,
                 lambda m: m.weight.totals.third_party_requests)
_register_weight("weight.trackers", ("traceurs", "trackers"), "count",
                 "Hosts classified as trackers (analytics, advertising...).",
                 lambda j: sum(1 for h in j.hosts if h.is_tracker),
                 lambda m: len(m.weight.trackers))
_register_weight("weight.ecoindex_mean", ("score EcoIndex moyen", "mean EcoIndex score"),
                 "score", "Mean EcoIndex-like score 0-100 of the page views (higher is "
                 "better).", lambda j: j.ecoindex.mean_score,
                 lambda m: m.weight.ecoindex.mean_score, better="higher")
