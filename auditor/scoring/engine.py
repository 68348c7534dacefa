"""Measures × rules → Scorecard. No browser, no I/O: the same measures, rules and profile give
the same scorecard, byte for byte.

How a scorecard is made (metrics.md §6):

1. **Each rule is judged for each journey** it applies to (``scope: journey``; ``applies_to``
   narrows it to sign-up, proposal or vote journeys), or once for the run (``scope: run``).
   Its indicator gives a value; the rule's scoring turns it into a 0–100 score; the score
   passes from ``pass_at``. Not applicable and needs-review results weigh nothing but are kept.
2. **The platform result of a journey rule** aggregates its journey results: a weighted mean
   with the profile's journey weights (§3.4: sign-up 0.4, proposal 0.3, vote 0.3), or the
   minimum for rules marked ``aggregate: min`` (RGAA process logic, §5.3).
3. **Category score** = weighted mean of its applicable rule scores (rule weights).
4. **Headlines**: Inclusion = accessibility 30, sign-up 20, effort 20, language 15 (weights of
   the profile, normalised over the categories that have a score); Frugality = the frugality
   category. Grades A ≥ 80, B ≥ 70, C ≥ 55, D ≥ 40, E ≥ 25, F ≥ 10, else G, compared with ``>=``.
5. **Blocking**: a failed blocking rule caps the headline of its category at D (the profile's
   ``blocking_cap``), in its journey and for the platform, and says why.
6. **Findings**: a failing rule gives one finding per item of its indicator (each WCAG issue on
   a page, each long sentence, each third-party host), or one for the rule. Their ids are stable
   fingerprints: sha1 of rule id, journey, the page's path template (numbers and uuids replaced,
   host left out) and the element or sentence, first 12 hex characters.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata

from auditor.metrics.bundle import Measures, compute_measures
from auditor.metrics.personal_data import normalise
from auditor.models import Checkpoint, JourneyResult, Run
from auditor.scoring.indicators import (
    INDICATORS,
    IndicatorValue,
    Item,
    ParamValue,
    T,
    format_number,
    path_of,
    path_template,
)
from auditor.scoring.rule_loader import RuleSet, load_rules
from auditor.scoring.rule_model import JourneyKind, Profile, Rule
from auditor.scoring.scorecard import (
    CategoryId,
    CategoryScore,
    Finding,
    Grade,
    GradeCard,
    Headline,
    JourneyCard,
    Outcome,
    Place,
    RuleResult,
    RunInfo,
    Scorecard,
    Severity,
    StepThumb,
    Text,
)

CATEGORIES: tuple[CategoryId, ...] = ("accessibility", "signup", "effort", "language",
                                      "frugality")
INCLUSION: tuple[CategoryId, ...] = ("accessibility", "signup", "effort", "language")
CATEGORY_TITLES: dict[str, Text] = {
    "accessibility": Text(fr="Accessibilité", en="Accessibility"),
    "signup": Text(fr="Inscription et mot de passe", en="Sign-up and password"),
    "effort": Text(fr="Effort du parcours", en="Journey effort"),
    "language": Text(fr="Clarté du langage", en="Clarity of language"),
    "frugality": Text(fr="Sobriété", en="Frugality"),
}
HEADLINE_TITLES: dict[str, Text] = {
    "inclusion": Text(fr="Inclusion", en="Inclusion"),
    "frugality": Text(fr="Sobriété", en="Frugality"),
}
GRADES: tuple[Grade, ...] = ("A", "B", "C", "D", "E", "F", "G")
SEVERITY_ORDER: dict[str, int] = {"blocking": 0, "major": 1, "minor": 2, "info": 3,
                                  "positive": 4}

DISCLAIMERS: tuple[Text, ...] = (
    Text(fr="Les contrôles automatiques ne remplacent pas un audit manuel : axe-core trouve une "
            "partie des problèmes (environ 57 % en volume selon Deque) et ne couvre entièrement "
            "que peu de critères WCAG. Le taux RGAA affiché est un taux automatique partiel "
            "(33 critères sur 106), il ne remplace pas un audit RGAA.",
         en="Automated checks do not replace a manual audit: axe-core finds part of the issues "
            "(about 57% by volume according to Deque) and fully covers few WCAG success "
            "criteria. The RGAA rate shown is a partial automated rate (33 of 106 criteria), "
            "not an RGAA audit."),
    Text(fr="Le score « type EcoIndex » est calculé d'après la méthode publiée par cnumr "
            "(EcoIndex), sans en être une mesure certifiée ; EcoIndex compare ses seuils avec "
            "« > », ce tableau de bord avec « ≥ ».",
         en="The EcoIndex-like score is computed from the method published by cnumr "
            "(EcoIndex); it is not a certified measure. EcoIndex compares its thresholds with "
            "'>', this scorecard with '>='."),
    Text(fr="La lisibilité Kandel & Moles (Flesch adapté au français) est une mesure "
            "relative, sans barème validé : comparez des pages ou des versions entre elles. "
            "Aucune formule ne certifie le FALC, qui doit être validé par des lecteurs.",
         en="Kandel & Moles reading ease (Flesch adapted to French) is a relative measure "
            "with no validated bands: compare pages or versions. No formula can certify "
            "easy-to-read (FALC) text, which readers must validate."),
    Text(fr="Le temps estimé (modèle KLM) vaut pour une personne qui ne se trompe jamais ; "
            "les personnes éloignées du numérique mettent plus longtemps.",
         en="Estimated times (Keystroke-Level Model) assume no mistakes; people far from "
            "digital tools take longer."),
    Text(fr="Notes : A ≥ 80, B ≥ 70, C ≥ 55, D ≥ 40, E ≥ 25, F ≥ 10, sinon G. Un point "
            "bloquant plafonne la note à D. Les résultats « sans objet » et « à vérifier » ne "
            "comptent pas dans les notes mais restent affichés.",
         en="Grades: A ≥ 80, B ≥ 70, C ≥ 55, D ≥ 40, E ≥ 25, F ≥ 10, else G. A blocking "
            "finding caps the grade at D. 'Not applicable' and 'to review' results do not "
            "count in the grades but stay visible."),
)
DRY_RUN_DISCLAIMER = Text(
    fr="Mode essai à blanc : le dernier envoi n'a pas été fait ; les contrôles qui demandent "
       "une réponse du serveur (confirmation par courriel, valeurs gardées après une erreur, "
       "mot de passe côté serveur) n'ont pas été faits.",
    en="Dry-run mode: the final submit was not made; checks that need a server response "
       "(e-mail confirmation, values kept after an error, server-side password rules) were "
       "not run.")


# --------------------------------------------------------------------------- grades


def grade_for(score: float | None, thresholds: Mapping[str, float] | None = None
              ) -> Grade | None:
    """A–G for a 0–100 score, compared with ``>=`` (metrics.md §6.1)."""
    if score is None:
        return None
    limits = thresholds or Profile.model_fields["grade_thresholds"].get_default(
        call_default_factory=True)
    for grade in GRADES[:-1]:
        if score >= limits[grade]:
            return grade
    return "G"


def cap_grade(grade: Grade | None, cap: Grade) -> Grade | None:
    """The worse of ``grade`` and ``cap``."""
    if grade is None:
        return None
    return grade if GRADES.index(grade) >= GRADES.index(cap) else cap


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """A rule's verdict on one indicator value."""

    outcome: Outcome
    score: float | None
    passed: bool


def _number(value: float | bool | str | None) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return None


def raw_score(rule: Rule, value: IndicatorValue) -> float | None:
    """The 0–100 score of ``value`` under the rule's scoring, None when it has no value."""
    scoring = rule.scoring
    number = _number(value.value)
    if scoring.type == "boolean":
        if value.value is None:
            return None
        failed = bool(value.value) == scoring.fail_when
        return scoring.fail_score if failed else 100.0
    if scoring.type == "per_item":
        count = len(value.items) if value.items else number
        if count is None:
            return None
        lost = scoring.per_item * max(0.0, count - scoring.allowed)
        return max(scoring.floor, 100.0 - lost)
    if number is None:
        return None
    if scoring.type == "value":
        return max(0.0, min(100.0, number * scoring.scale))
    if scoring.type == "bands":
        for band in scoring.bands:
            if band.max is not None and number <= band.max:
                return band.score
            if band.min is not None and number >= band.min:
                return band.score
        return scoring.otherwise
    return None


def evaluate(rule: Rule, value: IndicatorValue) -> Evaluation:
    """Outcome and score of ``rule`` on ``value`` (the rule-case tests call this directly)."""
    if not value.applicable:
        return Evaluation("not_applicable", None, False)
    if value.needs_review:
        return Evaluation("needs_review", None, False)
    scoring = rule.scoring
    if scoring.type == "review":
        count = len(value.items) if value.items else (_number(value.value) or 0)
        return (Evaluation("needs_review", None, False) if count
                else Evaluation("not_applicable", None, False))
    if scoring.type == "info":
        return Evaluation("pass", None, True)
    score = raw_score(rule, value)
    if score is None:
        return Evaluation("not_applicable", None, False)
    passed = score >= scoring.pass_at
    if rule.positive:
        # A good practice found counts in full; its absence is no penalty.
        return (Evaluation("pass", score, True) if passed
                else Evaluation("not_applicable", None, False))
    return Evaluation("pass" if passed else "fail", round(score, 2), passed)


def threshold_of(rule: Rule) -> float | bool | None:
    """The limit a reader compares the value with, for ``{threshold}``."""
    scoring = rule.scoring
    if scoring.threshold is not None:
        return scoring.threshold
    if scoring.type == "bands":
        passing = [b for b in scoring.bands if b.score >= scoring.pass_at]
        if passing:
            last = passing[-1]
            return last.max if last.max is not None else last.min
        return None
    if scoring.type == "per_item":
        return scoring.allowed
    if scoring.type == "value":
        return scoring.pass_at / scoring.scale
    if scoring.type == "boolean":
        return not scoring.fail_when
    return None


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(template: str, params: Mapping[str, ParamValue | None], lang: str) -> str:
    """Fill ``{name}`` placeholders; figures are written the way ``lang`` writes them.

    Unknown placeholders are left as they are (the loader refuses them in rule files).
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params or params[name] is None:
            return match.group(0)
        value = params[name]
        if isinstance(value, Text):
            return value.fr if lang == "fr" else value.en
        if isinstance(value, bool | int | float):
            return format_number(value, lang)
        return str(value)

    return _PLACEHOLDER.sub(fill, template)


def render_text(text: Text, params: Mapping[str, ParamValue | None]) -> Text:
    """Both languages of ``text`` filled."""
    return Text(fr=render(text.fr, params, "fr"), en=render(text.en, params, "en"))


def finding_id(rule_id: str, journey_id: str, url: str, target: str) -> str:
    """Stable fingerprint: rule, journey, path template of the page, element or sentence."""
    template = path_template(url) if url else ""
    key = "\x1f".join((rule_id, journey_id, template, " ".join(target.split())))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- journeys

_SIGNUP_RE = re.compile(r"sign ?up|inscri|regist|creer (un |mon )?compte|create (an )?account")
_VOTE_RE = re.compile(r"\bvot|soutien|soutenir|support|ballot|scrutin")
_PROPOSAL_RE = re.compile(r"propos|projet|project|idea|idee|contribu|depot|deposer|submit")


def journey_kind(journey: JourneyResult, measures: Measures | None = None) -> JourneyKind:
    """sign-up, proposal, vote or other, from the sign-up measure and the journey's names."""
    if measures is not None and measures.signup.journey_id == journey.id \
            and measures.signup.checkpoints:
        return "signup"
    text = normalise(f"{journey.id} {journey.title}")
    if _SIGNUP_RE.search(text):
        return "signup"
    if _VOTE_RE.search(text):
        return "vote"
    if _PROPOSAL_RE.search(text):
        return "proposal"
    return "other"


_STEP_VERBS: dict[str, tuple[str, str]] = {
    "goto": ("Aller à", "Go to"), "click": ("Cliquer", "Click"), "fill": ("Remplir", "Fill in"),
    "check": ("Cocher", "Tick"), "uncheck": ("Décocher", "Untick"),
    "select": ("Choisir", "Choose"), "upload": ("Envoyer un fichier", "Upload a file"),
    "press": ("Appuyer sur", "Press"), "wait_for": ("Attendre", "Wait for"),
    "expect": ("Vérifier", "Check"), "checkpoint": ("Capture", "Snapshot"),
    "open_email_link": ("Ouvrir le lien du courriel", "Open the e-mail link"),
}
_QUOTED = re.compile(r"'(.*)'")


def step_label(kind: str, target: str, lang: str) -> str:
    """``Remplir « Pseudonyme »`` / ``Fill in “Pseudonyme”``."""
    verbs = _STEP_VERBS.get(kind, (kind, kind))
    verb = verbs[0] if lang == "fr" else verbs[1]
    match = _QUOTED.search(target)
    what = match.group(1) if match else ""
    if kind == "open_email_link" or not what:
        return verb
    return f"{verb} « {what} »" if lang == "fr" else f"{verb} “{what}”"


def step_strip(journey: JourneyResult, lang: str) -> list[StepThumb]:
    """One thumb per screen the person saw: the start page, then each step's snapshot."""
    steps = {s.index: s for s in journey.steps}
    thumbs: list[StepThumb] = []
    for checkpoint in journey.checkpoints:
        if checkpoint.trigger == "probe":
            continue  # the tool's own password tries, not the person's journey
        step = steps.get(checkpoint.step_index)
        if step is None:
            label = "Page de départ" if lang == "fr" else "Start page"
            outcome = "ok"
        else:
            label = step_label(step.kind, step.target, lang)
            if checkpoint.name and step.kind == "checkpoint":
                label = f"{label} : {checkpoint.name}" if lang == "fr" else (
                    f"{label}: {checkpoint.name}")
            outcome = step.outcome
        if checkpoint.trigger == "failure":
            outcome = "failed"
        thumbs.append(StepThumb(step_index=checkpoint.step_index, label=label,
                                checkpoint=checkpoint.index, screenshot=checkpoint.screenshot,
                                url=checkpoint.url, page_title=checkpoint.title,
                                outcome=outcome))
    shown = {t.step_index for t in thumbs}
    for step in journey.steps:
        if step.outcome == "failed" and step.index not in shown:
            thumbs.append(StepThumb(step_index=step.index, outcome="failed",
                                    label=step_label(step.kind, step.target, lang),
                                    url=step.url_before))
    return thumbs


# --------------------------------------------------------------------------- judging


@dataclass
class _Judged:
    rule: Rule
    journey_id: str
    kind: JourneyKind | None
    value: IndicatorValue
    evaluation: Evaluation
    result: RuleResult
    findings: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)


def _value_field(value: float | bool | str | None) -> float | str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "no limit"
    return value


def _params(rule: Rule, value: IndicatorValue, run: Run, journey_id: str,
            score: float | None) -> dict[str, ParamValue | None]:
    indicator = INDICATORS.get(rule.indicator)
    unit = rule.scoring.unit or (indicator.unit if indicator else None)
    journey = run.journey(journey_id) if journey_id else None
    count: ParamValue | None
    if value.items:
        count = len(value.items)
    else:
        number = _number(value.value)
        count = int(number) if number is not None and number.is_integer() else number
    raw = value.value
    shown: ParamValue | None = None if raw is None else (
        raw if not isinstance(raw, float) or not raw.is_integer() else int(raw))
    threshold = threshold_of(rule)
    page = next((p.url for p in value.places if p.url), "")
    params: dict[str, ParamValue | None] = {
        "value": shown, "count": count,
        "threshold": threshold if not isinstance(threshold, float) or not threshold.is_integer()
        else int(threshold),
        "score": None if score is None else round(score),
        "journey": (Text(fr=f"« {journey.title or journey.id} »",
                         en=f"“{journey.title or journey.id}”") if journey
                    else Text(fr="la plateforme", en="the platform")),
        "page": path_of(page) if page else "",
        "unit": unit,
    }
    params.update(value.params)
    return params


def _with_screens(places: Sequence[Place], screenshots: Mapping[int, str]) -> list[Place]:
    out = []
    for place in places:
        if not place.screenshot and place.checkpoint is not None:
            place = place.model_copy(update={"screenshot": screenshots.get(place.checkpoint,
                                                                            "")})
        out.append(place)
    return out


def _finding(rule: Rule, journey_id: str, severity: Severity, message: Text,
             places: Sequence[Place], evidence: str, key: str, url: str,
             screenshots: Mapping[int, str]) -> Finding:
    return Finding(
        id=finding_id(rule.id, journey_id, url, key), rule_id=rule.id,
        category=rule.category, severity=severity, blocking=severity == "blocking",
        title=rule.title, message=message, fix=rule.fix, why=rule.why, evidence=evidence,
        places=_with_screens(places, screenshots), references=list(rule.references),
        journey_id=journey_id)


def _item_finding(rule: Rule, journey_id: str, severity: Severity, item: Item,
                  params: dict[str, ParamValue | None], screenshots: Mapping[int, str]
                  ) -> Finding:
    merged = {**params, **item.params}
    if item.places:
        merged["page"] = path_of(item.url or item.places[0].url)
    template = rule.item_message or rule.message
    return _finding(rule, journey_id, severity, render_text(template, merged), item.places,
                    item.evidence, item.key, item.url, screenshots)


def judge(rule: Rule, value: IndicatorValue, run: Run, journey_id: str,
          screenshots: Mapping[int, str] | None = None, kind: JourneyKind | None = None
          ) -> _Judged:
    """A rule's result and findings for one scope (``journey_id`` '' for the run)."""
    shots = screenshots or {}
    evaluation = evaluate(rule, value)
    params = _params(rule, value, run, journey_id, evaluation.score)
    findings: list[Finding] = []
    review: list[Finding] = []
    detail: Text
    outcome = evaluation.outcome
    if outcome == "not_applicable":
        detail = value.note or T("Sans objet.", "Not applicable.")
    elif outcome == "needs_review":
        detail = value.note or render_text(rule.message, params)
        if rule.scoring.type == "review" and value.items:
            review = [_item_finding(rule, journey_id, "info", item, params, shots)
                      for item in value.items]
        else:
            review = [_finding(rule, journey_id, "info", detail, value.places, value.evidence,
                               "", "", shots)]
    elif rule.scoring.type == "info":
        # Context, never scored: each item is reported; a yes/no fact is reported either way
        # (a good practice found, or its absence to check by hand); an empty list says nothing.
        if value.items:
            detail = render_text(rule.message, params)
            findings = [_item_finding(rule, journey_id, item.severity or "info", item, params,
                                      shots) for item in value.items]
        elif value.value is True and rule.pass_message is not None:
            detail = render_text(rule.pass_message, params)
            findings = [_finding(rule, journey_id, "positive", detail, value.places,
                                 value.evidence, "", "", shots)]
        elif value.value is False:
            detail = render_text(rule.message, params)
            findings = [_finding(rule, journey_id, "info", detail, value.places,
                                 value.evidence, "", "", shots)]
        else:
            detail = (render_text(rule.pass_message, params) if rule.pass_message
                      else T("Rien à signaler.", "Nothing to report."))
    elif outcome == "pass":
        if rule.pass_message is not None:
            detail = render_text(rule.pass_message, params)
        else:
            detail = render_text(T("Valeur {value} : seuil respecté.",
                                   "Value {value}: within the threshold."), params)
        if rule.positive:
            findings = [_finding(rule, journey_id, "positive", detail, value.places,
                                 value.evidence, "", "", shots)]
    else:
        detail = render_text(rule.message, params)
        severity: Severity = "blocking" if rule.blocking else rule.severity
        if value.items:
            findings = [_item_finding(rule, journey_id,
                                      severity if rule.blocking else
                                      (item.severity or severity),
                                      item, params, shots) for item in value.items]
        else:
            findings = [_finding(rule, journey_id, severity, detail, value.places,
                                 value.evidence, "", "", shots)]
    result = RuleResult(
        rule_id=rule.id, category=rule.category, journey_id=journey_id, outcome=outcome,
        score=evaluation.score, weight=rule.weight, value=_value_field(value.value),
        detail=detail, finding_ids=[f.id for f in [*findings, *review]])
    return _Judged(rule, journey_id, kind, value, evaluation, result, findings, review)


def _aggregate(rule: Rule, judged: Sequence[_Judged], weights: Mapping[JourneyKind, float]
               ) -> RuleResult:
    """The platform result of a journey rule from its journey results."""
    if not judged:
        return RuleResult(rule_id=rule.id, category=rule.category, outcome="not_applicable",
                          weight=rule.weight,
                          detail=T("Aucun parcours concerné.", "No journey concerned."))
    scored = [j for j in judged if j.result.score is not None]
    outcomes = {j.result.outcome for j in judged}
    outcome: Outcome
    if "fail" in outcomes:
        outcome = "fail"
    elif "pass" in outcomes:
        outcome = "pass"
    elif "needs_review" in outcomes:
        outcome = "needs_review"
    else:
        outcome = "not_applicable"
    score: float | None = None
    if scored:
        if rule.aggregate == "min":
            score = min(j.result.score or 0 for j in scored)
        else:
            total = sum(weights.get(j.kind or "other", 0.3) for j in scored)
            score = round(sum(weights.get(j.kind or "other", 0.3) * (j.result.score or 0)
                              for j in scored) / total, 2) if total else None
    # The journey the platform result is explained by: the worst scored one, else the first
    # whose outcome is the aggregated outcome (a review item, a not-applicable reason).
    worst = (min(scored, key=lambda j: j.result.score or 0) if scored else
             next(j for j in judged if j.result.outcome == outcome))
    ids = list(dict.fromkeys(i for j in judged for i in j.result.finding_ids))
    return RuleResult(rule_id=rule.id, category=rule.category, outcome=outcome, score=score,
                      weight=rule.weight, value=worst.result.value, detail=worst.result.detail,
                      finding_ids=ids)


def _category_scores(results: Sequence[RuleResult], profile: Profile) -> list[CategoryScore]:
    scores = []
    for category in CATEGORIES:
        mine = [r for r in results if r.category == category]
        scored = [r for r in mine if r.score is not None and r.weight > 0]
        total = sum(r.weight for r in scored)
        value = (round(sum(r.weight * (r.score or 0) for r in scored) / total, 2)
                 if total else None)
        scores.append(CategoryScore(
            id=category, headline="frugality" if category == "frugality" else "inclusion",
            title=CATEGORY_TITLES[category], weight=profile.category_weights.get(category, 0),
            score=value, grade=grade_for(value, profile.grade_thresholds),
            rules_applied=len(scored),
            rules_not_applicable=sum(1 for r in mine
                                     if r.outcome in ("not_applicable", "needs_review"))))
    return scores


def _headline(headline: Headline, categories: Sequence[CategoryScore],
              blocking: Sequence[Finding], profile: Profile) -> GradeCard:
    members = [c for c in categories if c.headline == headline and c.score is not None
               and c.weight > 0]
    total = sum(c.weight for c in members)
    score = round(sum(c.weight * (c.score or 0) for c in members) / total, 2) if total else None
    grade = grade_for(score, profile.grade_thresholds)
    mine = [f for f in blocking
            if ("frugality" if f.category == "frugality" else "inclusion") == headline]
    if not mine or grade is None:
        return GradeCard(headline=headline, score=score, grade=grade)
    capped = cap_grade(grade, profile.blocking_cap)
    titles = list(dict.fromkeys((f.title.fr, f.title.en, f.rule_id) for f in mine))
    cap = profile.blocking_cap
    reason = Text(
        fr=f"Note plafonnée à {cap} : point bloquant — "
           + " ; ".join(f"{fr} ({rid})" for fr, _, rid in titles) + ".",
        en=f"Grade capped at {cap}: blocking finding — "
           + "; ".join(f"{en} ({rid})" for _, en, rid in titles) + ".")
    return GradeCard(headline=headline, score=score, grade=capped, capped=True,
                     cap_reason=reason)


def _facts(judged: Sequence[_Judged]) -> list[Text]:
    ordered = sorted(judged, key=lambda j: (CATEGORIES.index(j.rule.category), j.rule.id))
    seen: set[str] = set()
    facts: list[Text] = []
    for item in ordered:
        for fact in item.value.facts:
            if fact.fr not in seen:
                seen.add(fact.fr)
                facts.append(fact)
    return facts


#: Libraries whose version shapes the figures (metrics.md §0.4: always state them).
_COMPONENTS = ("textstat", "pyphen", "py3langid", "pydantic")


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _throttling(run: Run) -> str:
    """The run's throttling in words; the run states it only in its protocol sentence."""
    protocol = run.protocol.lower()
    if "no network or cpu throttling" in protocol or "no throttling" in protocol:
        return "none"
    match = re.search(r"(mobile\w*3g|slow 4g|throttl\w*[^.;]*)", run.protocol, re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _run_info(run: Run, measures: Measures, run_path: str) -> RunInfo:
    browser = " ".join(p for p in (run.browser.name, run.browser.version) if p)
    viewport = run.viewport
    scale = f" @{viewport.device_scale_factor:g}x" if viewport.device_scale_factor != 1 else ""
    components = {name: version for name in _COMPONENTS if (version := _installed(name))}
    components["EcoIndex implementation"] = measures.weight.implementation
    if run.tool.playwright:
        components["playwright"] = run.tool.playwright
    if run.tool.python:
        components["python"] = run.tool.python
    return RunInfo(
        target_name=run.target.name or run.target.base_url, base_url=run.target.base_url,
        started_at=run.started_at, mode=run.mode, persona=viewport.persona,
        viewport=f"{viewport.width}×{viewport.height}{scale}", tool_version=run.tool.version,
        axe_version=run.tool.axe_version, browser_version=browser, protocol=run.protocol,
        run_path=run_path, throttling=_throttling(run), components=components)


def _sort_key(finding: Finding, journeys: Sequence[str]) -> tuple[int, int, int, str, str]:
    journey = journeys.index(finding.journey_id) if finding.journey_id in journeys else -1
    return (SEVERITY_ORDER[finding.severity], CATEGORIES.index(finding.category), journey,
            finding.rule_id, finding.id)


def _screenshots(run: Run) -> dict[int, str]:
    return {c.index: c.screenshot for c in run.checkpoints() if c.screenshot}


def _checkpoints_of(journey: JourneyResult) -> list[Checkpoint]:
    return [c for c in journey.checkpoints if c.trigger != "probe"]


def score(measures: Measures, run: Run, rules: RuleSet | Sequence[Rule],
          profile: str | Profile | None = None, lang: str = "fr", *,
          run_path: str = "") -> Scorecard:
    """The scorecard of ``run`` from its ``measures`` under ``rules`` and ``profile``.

    ``rules`` is a loaded :class:`RuleSet` (with its profiles) or a plain list of rules;
    ``profile`` a profile id of the set, a :class:`Profile`, or ``None`` for ``default``.
    ``lang`` (``fr`` or ``en``) chooses the language of step labels; every message is in both.
    """
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet.from_rules(rules)
    resolved = ruleset.profile(profile)
    active = ruleset.effective_rules(resolved)
    report_lang = "en" if lang.lower().startswith("en") else "fr"
    shots = _screenshots(run)
    journeys = [j for j in run.journeys]
    kinds = {j.id: journey_kind(j, measures) for j in journeys}

    by_journey: dict[str, list[_Judged]] = {j.id: [] for j in journeys}
    platform_results: list[RuleResult] = []
    run_judged: list[_Judged] = []
    for rule in active:
        indicator = INDICATORS[rule.indicator]
        if rule.scope == "run":
            judged = judge(rule, indicator(measures, run, None), run, "", shots)
            run_judged.append(judged)
            platform_results.append(judged.result)
            continue
        per_rule: list[_Judged] = []
        for journey in journeys:
            kind = kinds[journey.id]
            if rule.applies_to and kind not in rule.applies_to:
                continue
            judged = judge(rule, indicator(measures, run, journey.id), run, journey.id, shots,
                           kind)
            by_journey[journey.id].append(judged)
            per_rule.append(judged)
        platform_results.append(_aggregate(rule, per_rule, resolved.journey_weights))

    all_judged = [*run_judged, *(j for items in by_journey.values() for j in items)]
    findings: dict[str, Finding] = {}
    review: dict[str, Finding] = {}
    for judged in all_judged:
        for finding in judged.findings:
            findings.setdefault(finding.id, finding)
        for finding in judged.review:
            review.setdefault(finding.id, finding)
    journey_ids = [j.id for j in journeys]
    ordered = sorted(findings.values(), key=lambda f: _sort_key(f, journey_ids))
    blocking_all = [f for f in ordered if f.blocking]

    categories = _category_scores(platform_results, resolved)
    grades = [_headline("inclusion", categories, blocking_all, resolved),
              _headline("frugality", categories, blocking_all, resolved)]

    cards = []
    for journey in journeys:
        judged_here = by_journey[journey.id]
        results = [j.result for j in judged_here]
        journey_categories = _category_scores(results, resolved)
        blocking = [f for j in judged_here for f in j.findings if f.blocking]
        cards.append(JourneyCard(
            journey_id=journey.id, title=journey.title, status=journey.status,
            grades=[_headline("inclusion", journey_categories, blocking, resolved),
                    _headline("frugality", journey_categories, blocking, resolved)],
            categories=journey_categories, facts=_facts(judged_here),
            steps=step_strip(journey, report_lang)))

    disclaimers = list(DISCLAIMERS)
    if run.mode == "dry-run":
        disclaimers.insert(0, DRY_RUN_DISCLAIMER)
    results = [*platform_results, *(j.result for items in by_journey.values() for j in items)]
    return Scorecard(
        lang="en" if report_lang == "en" else "fr", profile=resolved.id,
        run=_run_info(run, measures, run_path), grades=grades, categories=categories,
        journeys=cards, findings=ordered, results=results,
        needs_review=sorted(review.values(), key=lambda f: _sort_key(f, journey_ids)),
        disclaimers=disclaimers)


def score_run(run: Run, *, lang: str = "fr", profile: str | None = None,
              rule_dirs: Sequence[str] = (), run_path: str = "") -> Scorecard:
    """Measures, rules and scorecard in one call: what ``auditor score`` does."""
    measures = compute_measures(run, report_lang=lang)
    return score(measures, run, load_rules(rule_dirs), profile, lang, run_path=run_path)
