"""The named values rules read: ``indicator name → function(Measures, Run, journey_id)``.

A rule file names an indicator (``indicator: signup.paste_blocked``) instead of reaching into
the measure models, so the measures can change shape without touching any rule, and a rule
author sees a flat list of what can be judged (``auditor rules list``). Model: Lighthouse audits
declaring the artifacts they need (``requiredArtifacts``).

Every indicator returns an :class:`IndicatorValue`:

- ``value``: a number, a yes/no or ``None``;
- ``applicable`` / ``needs_review``: whether there is anything to judge, and whether a person
  must judge it (a dry-run could not observe it, axe could not decide);
- ``items``: for list-valued indicators, one entry per problem (each WCAG issue on a page, each
  long sentence, each third-party host). A failing rule makes one finding per item;
- ``places``: the evidence of the value as a whole (journey, step, page, element or sentence);
- ``facts``: counts a non-developer understands, in French and English ("L'inscription demande
  14 champs sur 3 écrans ; 6 ne sont pas nécessaires pour participer.");
- ``params``: the figures a rule message may quote as ``{placeholders}``.

``journey_id`` is a journey's id, or ``None`` for the whole run. Indicators never print, never
read files or the clock: the same measures give the same values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.bundle import Measures, french_axe_messages
from auditor.metrics.effort import JourneyEffort
from auditor.metrics.evidence import Evidence
from auditor.metrics.language import normalise_lang
from auditor.metrics.personal_data import CATEGORY_NAMES
from auditor.metrics.readability import CorpusReadability, MicrocopyIssue
from auditor.metrics.signup import SignupFinding
from auditor.metrics.wcag import ScopeWcag, WcagIssue, url_template
from auditor.metrics.weight import HostWeight, JourneyWeight, WeightMeasures
from auditor.models import Checkpoint, JourneyResult, NetworkRequest, Run
from auditor.scoring.scorecard import Place, Text

ParamValue = str | int | float | Text
IndicatorKind = Literal["number", "boolean", "score", "list"]
FindingSeverity = Literal["major", "minor", "info", "positive"]


class Item(BaseModel):
    """One entry of a list-valued indicator: it becomes one finding when the rule fails."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="Stable target (selector, sentence, host) for the finding id.")
    url: str = Field("", description="Page of the item; its path template enters the id.")
    places: list[Place] = Field(default_factory=list)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    evidence: str = ""
    severity: FindingSeverity | None = None


class IndicatorValue(BaseModel):
    """What an indicator says about one scope (a journey or the run)."""

    model_config = ConfigDict(extra="forbid")

    value: float | bool | str | None = None
    applicable: bool = True
    needs_review: bool = False
    items: list[Item] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    facts: list[Text] = Field(default_factory=list)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    note: Text | None = Field(None, description="Why it is not applicable or to review.")
    evidence: str = ""


IndicatorFn = Callable[[Measures, Run, "str | None"], IndicatorValue]


@dataclass(frozen=True)
class Indicator:
    """A registered indicator and what a rule author needs to know about it."""

    name: str
    kind: IndicatorKind
    description: str
    unit: Text | None
    params: tuple[str, ...]
    item_params: tuple[str, ...]
    fn: IndicatorFn

    def __call__(self, measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
        return self.fn(measures, run, journey_id)


INDICATORS: dict[str, Indicator] = {}


def indicator(name: str, kind: IndicatorKind, description: str, *,
              unit: tuple[str, str] | None = None, params: Sequence[str] = (),
              item_params: Sequence[str] = ()) -> Callable[[IndicatorFn], IndicatorFn]:
    """Register ``fn`` under ``name`` (decorator)."""

    def register(fn: IndicatorFn) -> IndicatorFn:
        if name in INDICATORS:
            raise ValueError(f"indicator '{name}' registered twice")
        INDICATORS[name] = Indicator(
            name=name, kind=kind, description=description,
            unit=Text(fr=unit[0], en=unit[1]) if unit else None,
            params=tuple(params), item_params=tuple(item_params), fn=fn)
        return fn

    return register


def get_indicator(name: str) -> Indicator:
    """The indicator called ``name``; ``KeyError`` if there is none."""
    return INDICATORS[name]


# --------------------------------------------------------------------------- wording helpers


def T(fr: str, en: str) -> Text:  # noqa: N802 - reads like a literal
    """A bilingual text."""
    return Text(fr=fr, en=en)


def format_number(value: float | int, lang: str) -> str:
    """A figure as a French or English reader writes it: ``1 415,5`` / ``1,415.5``."""
    if isinstance(value, bool):
        return ("oui" if value else "non") if lang == "fr" else ("yes" if value else "no")
    if isinstance(value, float) and not math.isfinite(value):
        return "sans limite" if lang == "fr" else "no limit"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = f"{int(value):,}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def plural(count: int | float, one: str, many: str) -> str:
    """``1 écran`` / ``3 écrans`` (French and English both use the singular for 0 or 1 here
    only when the count is 1)."""
    return one if count == 1 else many


def duration(seconds: float, lang: str) -> str:
    """``6 min 44 s`` / ``45 s``."""
    total = int(round(seconds))
    minutes, secs = divmod(total, 60)
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def size_text(n_bytes: float, lang: str) -> str:
    """A transfer size in kB or MB (1 kB = 1000 bytes, as EcoIndex counts)."""
    if n_bytes >= 1_000_000:
        unit = "Mo" if lang == "fr" else "MB"
        return f"{format_number(round(n_bytes / 1_000_000, 1), lang)} {unit}"
    unit = "ko" if lang == "fr" else "kB"
    return f"{format_number(round(n_bytes / 1000, 1), lang)} {unit}"


def path_of(url: str) -> str:
    """The page's path as shown to a reader (``/inscription``), query dropped."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return parts.path or "/"


def path_template(url: str) -> str:
    """The URL's path with ids replaced (``/propositions/{id}``), without host or port.

    The host is left out on purpose: the same platform served on another port (a demo, a
    review app) must keep the same finding ids.
    """
    template = url_template(url)
    slash = template.find("/")
    return template[slash:] if slash >= 0 else "/"


def place_of(evidence: Evidence, *, text: str | None = None) -> Place:
    """A scorecard Place from a measure's Evidence (the screenshot is added by the engine)."""
    return Place(journey_id=evidence.journey_id, step_index=evidence.step_index,
                 checkpoint=evidence.checkpoint, url=evidence.url, selector=evidence.selector,
                 text=(text if text is not None else evidence.text)[:500])


def _in_journey(evidence: Evidence, journey_id: str | None) -> bool:
    return journey_id is None or evidence.journey_id == journey_id


def _journeys(run: Run, journey_id: str | None) -> list[JourneyResult]:
    return [j for j in run.journeys if journey_id is None or j.id == journey_id]


def _checkpoints(run: Run, journey_id: str | None) -> list[Checkpoint]:
    """Screens a person saw: probe snapshots (the tool's own password tries) left out."""
    return [c for j in _journeys(run, journey_id) for c in j.checkpoints
            if c.trigger != "probe"]


def _title(run: Run, journey_id: str | None) -> Text:
    """``le parcours « S'inscrire »`` / ``the “S'inscrire” journey`` (subject form)."""
    if journey_id is None:
        return T("la plateforme", "the platform")
    journey = run.journey(journey_id)
    name = (journey.title if journey and journey.title else journey_id)
    return T(f"le parcours « {name} »", f"the “{name}” journey")


def _of_title(run: Run, journey_id: str | None) -> Text:
    """``du parcours « S'inscrire »`` / ``of the “S'inscrire” journey`` (French contracts
    "de le" into "du")."""
    if journey_id is None:
        return T("de la plateforme", "of the platform")
    subject = _title(run, journey_id)
    return T("du" + subject.fr.removeprefix("le"), f"of {subject.en}")


def not_applicable(fr: str, en: str) -> IndicatorValue:
    """An indicator value with nothing to judge, and why."""
    return IndicatorValue(applicable=False, note=T(fr, en))


# --------------------------------------------------------------------------- accessibility


def _wcag_scope(measures: Measures, journey_id: str | None) -> ScopeWcag | None:
    if journey_id is None:
        return measures.wcag.run
    return next((s for s in measures.wcag.journeys if s.journey_id == journey_id), None)


def _english_help(run: Run) -> dict[str, str]:
    """axe's own English ``help`` of each rule seen in the run."""
    found: dict[str, str] = {}
    for checkpoint in run.checkpoints():
        for rule in [*checkpoint.axe.violations, *checkpoint.axe.incomplete]:
            if rule.help and rule.id not in found:
                found[rule.id] = rule.help
    return found


_IMPACT_TEXT: dict[str, Text] = {
    "critical": Text(fr="critique", en="critical"),
    "serious": Text(fr="grave", en="serious"),
    "moderate": Text(fr="modéré", en="moderate"),
    "minor": Text(fr="mineur", en="minor"),
}


def _issue_items(issues: Iterable[WcagIssue], run: Run, journey_id: str | None,
                 *, review: bool = False) -> list[Item]:
    """WCAG issues grouped by (axe rule, page template): one item per rule and page.

    A contrast failure on 23 elements of one page is one item with 23 places, which reads
    better than 23 findings and keeps every element for SARIF.
    """
    english = _english_help(run)
    french = french_axe_messages()
    groups: dict[tuple[str, str], list[tuple[WcagIssue, list[Evidence]]]] = {}
    for issue in issues:
        places = [p for p in issue.places if _in_journey(p, journey_id)]
        if not places:
            continue
        groups.setdefault((issue.rule_id, issue.url_template), []).append((issue, places))
    items: list[Item] = []
    for (rule_id, template), members in groups.items():
        first_issue, first_places = members[0]
        impact = max((i.impact for i, _ in members if i.impact),
                     key=["minor", "moderate", "serious", "critical"].index, default=None)
        all_places = [place_of(e, text=i.html) for i, evs in members for e in evs]
        # One place per element: the same element seen on several checkpoints is listed once.
        unique: dict[tuple[str, str], Place] = {}
        for place in all_places:
            unique.setdefault((place.selector, path_template(place.url)), place)
        help_en = english.get(rule_id, first_issue.help)
        help_fr = french.get(rule_id, {}).get("help", first_issue.help)
        severity: FindingSeverity
        if first_issue.level == "best-practice":
            severity = "info"
        elif review:
            severity = "info"
        else:
            severity = "major" if impact in ("critical", "serious") else "minor"
        wcag = ", ".join(first_issue.wcag_sc) or "—"
        rgaa = ", ".join(first_issue.rgaa_criteria) or "—"
        items.append(Item(
            key=rule_id, url=first_places[0].url, places=list(unique.values()),
            params={
                "axe_rule": rule_id, "help": Text(fr=help_fr, en=help_en),
                "count": len(members), "page": path_of(first_places[0].url),
                "impact": _IMPACT_TEXT.get(impact or "", Text(fr="—", en="—")),
                "wcag": wcag, "rgaa": rgaa, "template": template,
            },
            evidence=(f"axe-core {rule_id} ({impact or 'no impact'}), {len(members)} "
                      f"element(s) on {path_template(first_places[0].url)}; WCAG {wcag}; "
                      f"RGAA {rgaa}" + (f"; {first_issue.failure_summary.splitlines()[0]}"
                                        if first_issue.failure_summary else "")),
            severity=severity))
    return items


def _no_axe(scope: ScopeWcag | None) -> bool:
    return scope is None or scope.screens_measured == 0


@indicator("wcag.screen_score", "score",
           "metrics.md §5.4 accessibility score: 100·exp(−penalty/25) per screen, the journey "
           "taking its worst screen; items: each axe violation, grouped by rule and page.",
           unit=("points sur 100", "points out of 100"),
           params=("issues", "rules", "critical", "screens", "worst_page"),
           item_params=("axe_rule", "help", "count", "page", "impact", "wcag", "rgaa"))
def wcag_screen_score(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    scope = _wcag_scope(measures, journey_id)
    if scope is None or _no_axe(scope):
        return not_applicable("Aucun écran n'a pu être analysé par axe-core.",
                              "No screen could be analysed by axe-core.")
    items = _issue_items(measures.wcag.issues, run, journey_id)
    worst = next((c for c in measures.wcag.checkpoints
                  if c.checkpoint == scope.worst_checkpoint), None)
    rules = scope.violations.rules
    critical = scope.violations.rules_by_impact.get("critical", 0)
    where = _title(run, journey_id)
    if rules:
        facts = [T(f"axe-core relève {rules} {plural(rules, 'type', 'types')} de problème "
                   f"d'accessibilité sur {where.fr} ({scope.screens_measured} "
                   f"{plural(scope.screens_measured, 'écran', 'écrans')}), dont {critical} "
                   f"{plural(critical, 'critique', 'critiques')}.",
                   f"axe-core finds {rules} kind{'s' if rules != 1 else ''} of accessibility "
                   f"problem on {where.en} ({scope.screens_measured} "
                   f"screen{'s' if scope.screens_measured != 1 else ''}), {critical} of them "
                   "critical.")]
    else:
        facts = [T(f"axe-core ne relève aucun problème sur {where.fr} (contrôle automatique "
                   "partiel).",
                   f"axe-core finds no problem on {where.en} (a partial automated check).")]
    places = []
    if worst is not None:
        places.append(Place(journey_id=worst.journey_id, step_index=worst.step_index,
                            checkpoint=worst.checkpoint, url=worst.url,
                            text=f"screen score {worst.screen_score}"))
    return IndicatorValue(
        value=scope.score, items=items, places=places, facts=facts,
        params={"issues": scope.issues, "rules": rules, "critical": critical,
                "screens": scope.screens_measured,
                "worst_page": path_of(worst.url) if worst else ""},
        evidence=(f"worst screen score {scope.score} (checkpoint {scope.worst_checkpoint}); "
                  f"{rules} violated rules, {scope.issues} de-duplicated issues"))


@indicator("wcag.critical_form_controls", "list",
           "Critical axe violations on form controls (label, button-name, select-name, "
           "aria-required-attr...) of pages with a form (metrics.md §5.4 BLOCKING).",
           unit=("problèmes", "problems"), params=(),
           item_params=("axe_rule", "help", "count", "page", "impact", "wcag", "rgaa"))
def wcag_critical_form_controls(measures: Measures, run: Run, journey_id: str | None
                                ) -> IndicatorValue:
    scope = _wcag_scope(measures, journey_id)
    if scope is None or _no_axe(scope):
        return not_applicable("Aucun écran n'a pu être analysé par axe-core.",
                              "No screen could be analysed by axe-core.")
    keys = set(scope.critical_on_form_controls)
    issues = [i for i in measures.wcag.issues if i.key in keys]
    items = _issue_items(issues, run, journey_id)
    return IndicatorValue(value=len(items), items=items,
                          evidence=f"{len(keys)} critical issue(s) on form controls")


@indicator("wcag.critical_rules", "number",
           "Distinct axe rules violated with a critical impact.",
           unit=("règles", "rules"), params=())
def wcag_critical_rules(measures: Measures, run: Run, journey_id: str | None
                        ) -> IndicatorValue:
    scope = _wcag_scope(measures, journey_id)
    if scope is None or _no_axe(scope):
        return not_applicable("Aucun écran n'a pu être analysé par axe-core.",
                              "No screen could be analysed by axe-core.")
    issues = [i for i in measures.wcag.issues if i.impact == "critical"]
    items = _issue_items(issues, run, journey_id)
    value = scope.violations.rules_by_impact.get("critical", 0)
    return IndicatorValue(value=value, items=items,
                          evidence=f"{value} critical rule(s)")


@indicator("wcag.rgaa_proxy_rate", "number",
           "Automated RGAA proxy rate (metrics.md §5.4): RGAA criteria with axe rules, passed "
           "/ decided, over the screens of the journey (0-1). Partial: 33 of 106 criteria.",
           unit=("taux (0 à 1)", "rate (0 to 1)"),
           params=("passed", "failed", "to_review", "failed_criteria", "label", "percent"))
def wcag_rgaa_proxy_rate(measures: Measures, run: Run, journey_id: str | None
                         ) -> IndicatorValue:
    scope = _wcag_scope(measures, journey_id)
    if scope is None or _no_axe(scope):
        return not_applicable("Aucun écran n'a pu être analysé par axe-core.",
                              "No screen could be analysed by axe-core.")
    proxy = scope.rgaa_proxy
    if proxy.rate is None:
        return not_applicable(
            "Aucun critère RGAA n'a pu être décidé automatiquement"
            + (f" ({proxy.note})." if proxy.note else "."),
            "No RGAA criterion could be decided automatically"
            + (f" ({proxy.note})." if proxy.note else "."))
    failed = ", ".join(proxy.failed_criteria) or "—"
    return IndicatorValue(
        value=proxy.rate,
        params={"passed": proxy.passed, "failed": proxy.failed, "to_review": proxy.to_review,
                "failed_criteria": failed, "label": Text(fr=proxy.label_fr, en=proxy.label_en),
                "percent": round(proxy.rate * 100)},
        evidence=(f"{proxy.passed} passed, {proxy.failed} failed ({failed}), "
                  f"{proxy.to_review} to review; {proxy.label_en}"))


@indicator("wcag.needs_review", "list",
           "axe 'incomplete' results: what axe could not decide and a person must check "
           "(never a pass, never a fail).",
           unit=("points à vérifier", "items to check"), params=(),
           item_params=("axe_rule", "help", "count", "page", "impact", "wcag", "rgaa"))
def wcag_needs_review(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    scope = _wcag_scope(measures, journey_id)
    if scope is None or _no_axe(scope):
        return not_applicable("Aucun écran n'a pu être analysé par axe-core.",
                              "No screen could be analysed by axe-core.")
    items = _issue_items(measures.wcag.needs_review, run, journey_id, review=True)
    return IndicatorValue(value=len(items), items=items,
                          evidence=f"{scope.needs_review_issues} item(s) to review by hand")


_NOT_TYPED = frozenset({"submit", "button", "reset", "image", "hidden"})


@indicator("forms.placeholder_labels", "list",
           "Visible form fields whose only name is their placeholder (it disappears as soon "
           "as the person types; axe accepts it as a name, so axe does not flag it). One item "
           "per field and page template.",
           unit=("champs", "fields"), params=(), item_params=("field", "page"))
def forms_placeholder_labels(measures: Measures, run: Run, journey_id: str | None
                             ) -> IndicatorValue:
    checkpoints = _checkpoints(run, journey_id)
    if not any(f.visible and f.type not in _NOT_TYPED for c in checkpoints for f in c.fields):
        return not_applicable("Aucun champ de formulaire sur ces pages.",
                              "No form field on these pages.")
    items: dict[str, Item] = {}
    for checkpoint in checkpoints:
        for f in checkpoint.fields:
            if not f.visible or f.type in _NOT_TYPED or f.label_source != "placeholder":
                continue
            ident = f.name or f.id or f.selector or f.placeholder
            items.setdefault(f"{path_template(checkpoint.url)}|{ident}", Item(
                key=ident, url=checkpoint.url,
                places=[Place(journey_id=checkpoint.journey_id,
                              step_index=checkpoint.step_index, checkpoint=checkpoint.index,
                              url=checkpoint.url, selector=f.selector,
                              text=f.placeholder or f.label)],
                params={"field": (f.placeholder or f.label).strip(" *"),
                        "page": path_of(checkpoint.url)},
                evidence=f'placeholder="{f.placeholder}", no <label>, aria-label or '
                         "aria-labelledby"))
    return IndicatorValue(value=len(items), items=list(items.values()))


_LANG_RULES = frozenset({"html-has-lang", "html-lang-valid", "html-xml-lang-mismatch"})


@indicator("wcag.html_lang", "list",
           "Pages whose <html lang> is missing or not a valid language tag (WCAG 3.1.1, RGAA "
           "8.3 / 8.4), one item per page template.",
           unit=("pages", "pages"), params=(), item_params=("page", "lang"))
def wcag_html_lang(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    checkpoints = _checkpoints(run, journey_id)
    if not checkpoints:
        return not_applicable("Aucune page enregistrée.", "No page recorded.")
    items: dict[str, Item] = {}
    for checkpoint in checkpoints:
        axe_flags = {r.id for r in checkpoint.axe.violations} & _LANG_RULES
        if normalise_lang(checkpoint.lang) is not None and not axe_flags:
            continue
        template = path_template(checkpoint.url)
        shown = checkpoint.lang or "(absent)"
        items.setdefault(template, Item(
            key="html-lang", url=checkpoint.url,
            places=[Place(journey_id=checkpoint.journey_id, step_index=checkpoint.step_index,
                          checkpoint=checkpoint.index, url=checkpoint.url, selector="html",
                          text=f'lang="{checkpoint.lang}"')],
            params={"page": path_of(checkpoint.url), "lang": shown},
            evidence=f'<html lang="{checkpoint.lang}">'
                     + (f"; axe: {', '.join(sorted(axe_flags))}" if axe_flags else "")))
    return IndicatorValue(value=len(items), items=list(items.values()))


@indicator("language.lang_mismatch", "list",
           "Pages declared in one language whose main text reads as another (offline "
           "detection on 20+ words; WCAG 3.1.1).",
           unit=("pages", "pages"), params=(), item_params=("page", "note"))
def language_lang_mismatch(measures: Measures, run: Run, journey_id: str | None
                           ) -> IndicatorValue:
    checkpoints = {c.index: c for c in _checkpoints(run, journey_id)}
    if not checkpoints:
        return not_applicable("Aucune page enregistrée.", "No page recorded.")
    items: dict[str, Item] = {}
    for evidence in measures.readability.language_mismatches:
        checkpoint = checkpoints.get(evidence.checkpoint or -1)
        # A missing or invalid lang is wcag.html_lang's business; here only contradictions.
        if checkpoint is None or normalise_lang(checkpoint.lang) is None:
            continue
        template = path_template(evidence.url)
        items.setdefault(template, Item(
            key="lang-mismatch", url=evidence.url, places=[place_of(evidence)],
            params={"page": path_of(evidence.url), "note": evidence.detail},
            evidence=evidence.detail))
    return IndicatorValue(value=len(items), items=list(items.values()))


_STATEMENT_RE = re.compile(
    r"accessibilit[ée]\s*:\s*(totalement|partiellement|non)\s+conforme"
    r"|d[ée]claration d.accessibilit[ée]|accessibility\s*:\s*(fully|partially|not)\s+"
    r"(compliant|conformant)|accessibility statement", re.IGNORECASE)


@indicator("context.accessibility_statement", "boolean",
           "An accessibility mention or statement is shown (\"Accessibilité : partiellement "
           "conforme\", \"Déclaration d'accessibilité\"), required of French public bodies.",
           params=("quote",))
def context_accessibility_statement(measures: Measures, run: Run, journey_id: str | None
                                    ) -> IndicatorValue:
    checkpoints = _checkpoints(run, journey_id)
    if not checkpoints:
        return not_applicable("Aucune page enregistrée.", "No page recorded.")
    for checkpoint in checkpoints:
        haystack = "\n".join([checkpoint.text.full_text, *checkpoint.text.microcopy])
        match = _STATEMENT_RE.search(haystack)
        if match:
            return IndicatorValue(
                value=True, params={"quote": match.group(0)},
                places=[Place(journey_id=checkpoint.journey_id,
                              step_index=checkpoint.step_index, checkpoint=checkpoint.index,
                              url=checkpoint.url, text=match.group(0))])
    return IndicatorValue(value=False, params={"quote": ""})


_HELP_RE = re.compile(
    r"\b(nous contacter|contactez[- ]nous|contact us|formulaire de contact|besoin d'aide|"
    r"centre d'aide|aide en ligne|demander de l'aide|get help|need help|help ?desk|"
    r"assistance|permanences?|point d'accueil|accueil du public|horaires d'accueil|"
    r"m[ée]diat(eur|rice|ion)s? num[ée]rique|conseill[eè]re? num[ée]rique|"
    r"t[ée]l[ée]phone\s*:?\s*\+?\d|phone\s*:?\s*\+?\d|courrier postal|"
    r"bulletin papier|urnes?\b|en mairie|at the town hall)",
    re.IGNORECASE)


@indicator("context.help_contact", "boolean",
           "A way to get help or to take part by another channel is shown (contact, aide, "
           "accueil, téléphone, médiateur; cf. DINUM 'Aide joignable').",
           params=("quote",))
def context_help_contact(measures: Measures, run: Run, journey_id: str | None
                         ) -> IndicatorValue:
    checkpoints = _checkpoints(run, journey_id)
    if not checkpoints:
        return not_applicable("Aucune page enregistrée.", "No page recorded.")
    for checkpoint in checkpoints:
        haystack = "\n".join([checkpoint.text.full_text, *checkpoint.text.microcopy])
        match = _HELP_RE.search(haystack)
        if match:
            start = max(0, match.start() - 40)
            quote = " ".join(haystack[start:match.end() + 60].split())
            return IndicatorValue(
                value=True, params={"quote": quote},
                places=[Place(journey_id=checkpoint.journey_id,
                              step_index=checkpoint.step_index, checkpoint=checkpoint.index,
                              url=checkpoint.url, text=quote)])
    return IndicatorValue(value=False, params={"quote": ""})


# --------------------------------------------------------------------------- sign-up

#: Sign-up check (metrics.md §2.7) that observes each finding id: its status says whether the
#: finding's absence means "pass" or "we could not tell".
_FINDING_CHECK: dict[str, str] = {
    "paste-blocked": "P4", "paste-blocked-other-field": "P4",
    "captcha-cognitive": "P10", "captcha-present": "P10", "captcha-invisible": "P10",
    "password-composition-rules": "P1", "password-max-length": "P1",
    "password-min-length": "P1", "show-password-missing": "P5",
    "autocomplete-off": "P6", "autocomplete-missing": "P6", "autocomplete-wrong": "P6",
    "autocomplete-personal-data-missing": "P6",
    "confirm-password-field": "P7", "confirm-email-field": "P7",
    "email-confirmation-required": "P11", "sms-confirmation-required": "P11",
    "confirmation-code-typed": "P11",
    "extra-personal-data-required": "P9", "extra-personal-data-optional": "P9",
    "proof-document-required": "P9",
    "values-lost-after-error": "P13", "opaque-error-message": "P3-client",
    "identity-provider-offered": "P12",
}
#: Findings a log-in or other password form can carry (checked on journeys without sign-up).
_OTHER_FORM_IDS = frozenset({
    "paste-blocked", "paste-blocked-other-field", "password-max-length",
    "show-password-missing", "autocomplete-off", "autocomplete-missing", "autocomplete-wrong",
    "values-lost-after-error", "opaque-error-message", "captcha-cognitive",
    "captcha-present", "captcha-invisible",
})


def _signup_findings(measures: Measures, journey_id: str | None, fid: str
                     ) -> list[SignupFinding]:
    signup = measures.signup
    found: list[SignupFinding] = []
    for finding in signup.findings:
        if finding.id != fid:
            continue
        if journey_id is None or journey_id == signup.journey_id or any(
                e.journey_id == journey_id for e in finding.evidence):
            found.append(finding)
    for form in signup.other_forms:
        if journey_id is not None and form.journey_id != journey_id:
            continue
        found += [f for f in form.findings if f.id == fid]
    return found


def _signup_scope(measures: Measures, journey_id: str | None, fid: str
                  ) -> Literal["signup", "other", "none"]:
    signup = measures.signup
    has_signup = bool(signup.checkpoints)
    if has_signup and (journey_id is None or journey_id == signup.journey_id):
        return "signup"
    others = [f for f in signup.other_forms
              if journey_id is None or f.journey_id == journey_id]
    if others and fid in _OTHER_FORM_IDS:
        return "other"
    return "none"


def _signup_places(findings: Sequence[SignupFinding]) -> list[Place]:
    places: dict[tuple[int | None, str, str], Place] = {}
    for finding in findings:
        for evidence in finding.evidence:
            key = (evidence.checkpoint, evidence.selector, evidence.text)
            places.setdefault(key, place_of(evidence))
    return list(places.values())


def _labels(findings: Sequence[SignupFinding]) -> str:
    labels = [e.text.strip(" *") for f in findings for e in f.evidence
              if e.selector and e.text and "(" not in e.text]
    return ", ".join(dict.fromkeys(labels)) or "—"


def _signup_finding_indicator(fid: str) -> IndicatorFn:
    """A yes/no indicator: does the sign-up (or another password form) show finding ``fid``?"""

    def read(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
        scope = _signup_scope(measures, journey_id, fid)
        if scope == "none":
            return not_applicable("Pas de formulaire d'inscription dans ce parcours.",
                                  "No sign-up form in this journey.")
        found = _signup_findings(measures, journey_id, fid)
        params: dict[str, ParamValue] = {"fields": _labels(found)}
        params.update(_signup_params(measures, fid))
        if found:
            return IndicatorValue(
                value=True, places=_signup_places(found), params=params,
                evidence=" | ".join(dict.fromkeys(f.detail for f in found)))
        check_id = _FINDING_CHECK.get(fid)
        check = next((c for c in measures.signup.checks if c.id == check_id), None)
        if scope == "signup" and check is not None:
            if check.status == "not_run_dry_run":
                return IndicatorValue(
                    value=None, needs_review=True, params=params,
                    note=T("Non vérifié : mode essai à blanc, l'envoi final n'a pas été fait.",
                           "Not checked: dry-run, the final submit was not made."))
            if check.status == "not_observed" and fid not in ("identity-provider-offered",):
                return IndicatorValue(
                    applicable=False, value=None, params=params,
                    note=T("Non observé pendant ce parcours.",
                           "Not observed during this journey."))
            if check.status == "not_applicable":
                return not_applicable("Sans objet pour ce formulaire.",
                                      "Does not apply to this form.")
        return IndicatorValue(value=False, params=params)

    return read


_CHALLENGE_TEXT: dict[str, Text] = {
    "arithmetic": Text(fr="un calcul", en="a sum"),
    "transcription": Text(fr="des caractères à recopier", en="characters to copy"),
    "puzzle": Text(fr="un puzzle à manipuler", en="a puzzle to move"),
    "question": Text(fr="une question de logique", en="a logic question"),
    "object-recognition": Text(fr="des images à reconnaître", en="pictures to recognise"),
    "checkbox": Text(fr="une case « je ne suis pas un robot »",
                     en="an \"I'm not a robot\" box"),
    "none": Text(fr="aucune tâche visible", en="no visible task"),
    "unknown": Text(fr="un test", en="a test"),
}


def _signup_params(measures: Measures, fid: str) -> dict[str, ParamValue]:
    signup = measures.signup
    params: dict[str, ParamValue] = {}
    if fid in ("password-max-length", "password-min-length") and signup.password:
        if signup.password.max_length is not None:
            params["max"] = signup.password.max_length
        if signup.password.min_length is not None:
            params["min"] = signup.password.min_length
    if fid.startswith("captcha") and signup.captcha.present:
        params["challenge"] = _CHALLENGE_TEXT.get(signup.captcha.challenge or "unknown",
                                                  _CHALLENGE_TEXT["unknown"])
        params["providers"] = ", ".join(signup.captcha.providers)
    if fid == "opaque-error-message":
        messages = [e.detail or e.text for f in signup.findings if f.id == fid
                    for e in f.evidence]
        params["messages"] = " ; ".join(f"« {m} »" for m in dict.fromkeys(messages) if m)
    if fid == "identity-provider-offered":
        params["providers"] = ", ".join(signup.identity_providers)
    return params


_SIGNUP_INDICATORS: tuple[tuple[str, str], ...] = (
    ("paste-blocked", "Paste is cancelled in a password or code field (P4, WCAG 3.3.8)."),
    ("paste-blocked-other-field", "Paste is cancelled in another sign-up field (P4)."),
    ("captcha-cognitive", "A sum, transcription or puzzle CAPTCHA without another way in "
                          "(P10, WCAG 3.3.8)."),
    ("captcha-present", "A visible CAPTCHA challenge at sign-up (P10)."),
    ("captcha-invisible", "An invisible CAPTCHA (reCAPTCHA v3, Turnstile managed) (P10)."),
    ("password-composition-rules", "Character classes required in the password (P1-P3)."),
    ("password-min-length", "A minimum password length above 15 (P1-P3)."),
    ("show-password-missing", "No control shows the password (P5)."),
    ("autocomplete-off", "autocomplete=\"off\" on a password field (P6)."),
    ("autocomplete-missing", "Missing autocomplete token on pseudonym, e-mail or password "
                             "(P6, WCAG 1.3.5)."),
    ("autocomplete-wrong", "Wrong autocomplete token (P6)."),
    ("autocomplete-personal-data-missing", "Personal-data fields without their input purpose "
                                           "(P6, WCAG 1.3.5)."),
    ("confirm-password-field", "The password is asked twice (P7)."),
    ("confirm-email-field", "The e-mail address is asked twice (P7)."),
    ("email-confirmation-required", "An e-mail must be opened before taking part (P11)."),
    ("sms-confirmation-required", "A text message must be received (P11)."),
    ("confirmation-code-typed", "A code must be typed by hand (P11)."),
    ("proof-document-required", "A proof document must be uploaded (P9)."),
    ("values-lost-after-error", "Values are wiped after a rejected submit (P13, WCAG 3.3.7)."),
    ("opaque-error-message", "Rejections that name neither the field nor the fix."),
    ("identity-provider-offered", "FranceConnect or another identity provider is offered "
                                  "(P12)."),
)

for _fid, _description in _SIGNUP_INDICATORS:
    indicator(f"signup.{_fid.replace('-', '_')}", "boolean", _description,
              params=("fields", "max", "min", "challenge", "providers", "messages"),
              )(_signup_finding_indicator(_fid))


@indicator("signup.password_max_length", "number",
           "Longest password the sign-up accepts (declared maxlength, stated rule or probe); "
           "'no limit' when none was found (P1, P3).",
           unit=("caractères", "characters"), params=("max", "fields"))
def signup_password_max_length(measures: Measures, run: Run, journey_id: str | None
                               ) -> IndicatorValue:
    scope = _signup_scope(measures, journey_id, "password-max-length")
    if scope == "none":
        return not_applicable("Pas de formulaire d'inscription dans ce parcours.",
                              "No sign-up form in this journey.")
    found = _signup_findings(measures, journey_id, "password-max-length")
    limit: float | None = None
    if scope == "signup":
        if measures.signup.password is None:
            return not_applicable("Pas de champ de mot de passe à l'inscription.",
                                  "No password field in the sign-up.")
        limit = measures.signup.password.max_length
    if found and limit is None:
        numbers = [int(n) for f in found for n in re.findall(r"longer than (\d+)", f.detail)]
        limit = min(numbers) if numbers else 19
    value = float(limit) if limit is not None else math.inf
    return IndicatorValue(value=value, places=_signup_places(found),
                          params={"max": value, "fields": _labels(found)},
                          evidence=" | ".join(f.detail for f in found))


_AUTOCOMPLETE_STATUS: dict[str, Text] = {
    "missing": Text(fr="absent", en="missing"),
    "off": Text(fr="désactivé (off)", en="turned off"),
    "wrong": Text(fr="erroné", en="wrong"),
}
_IDENTITY_CATEGORIES = frozenset({"pseudonym", "email", "email-confirmation", "password",
                                  "password-confirmation"})
_AUTOCOMPLETE_IDS = ("autocomplete-off", "autocomplete-missing", "autocomplete-wrong")


@indicator("signup.autocomplete_tokens", "list",
           "Pseudonym, e-mail and password fields whose autocomplete token is missing, 'off' "
           "or wrong (P6, WCAG 1.3.5), on the sign-up and on log-in forms; one item per field.",
           unit=("champs", "fields"), params=(),
           item_params=("field", "status", "expected", "page"))
def signup_autocomplete_tokens(measures: Measures, run: Run, journey_id: str | None
                               ) -> IndicatorValue:
    scope = _signup_scope(measures, journey_id, "autocomplete-missing")
    if scope == "none":
        return not_applicable("Pas de formulaire d'inscription dans ce parcours.",
                              "No sign-up form in this journey.")
    items: dict[str, Item] = {}
    if scope == "signup":
        for f in measures.signup.fields:
            if f.category not in _IDENTITY_CATEGORIES or f.autocomplete_status not in \
                    _AUTOCOMPLETE_STATUS:
                continue
            shown = f.autocomplete or "—"
            items.setdefault(f"{path_template(f.evidence.url)}|{f.key}", Item(
                key=f.key, url=f.evidence.url, places=[place_of(f.evidence, text=f.label)],
                params={"field": f.label.strip(" *") or f.name,
                        "status": Text(fr=f"{_AUTOCOMPLETE_STATUS[f.autocomplete_status].fr} "
                                          f"({shown})",
                                       en=f"{_AUTOCOMPLETE_STATUS[f.autocomplete_status].en} "
                                          f"({shown})"),
                        "expected": " / ".join(f.expected_autocomplete) or "—",
                        "page": path_of(f.evidence.url)},
                evidence=f'autocomplete="{f.autocomplete}" ({f.autocomplete_status})'))
    for form in measures.signup.other_forms:
        if journey_id is not None and form.journey_id != journey_id:
            continue
        for finding in form.findings:
            if finding.id not in _AUTOCOMPLETE_IDS:
                continue
            status = finding.id.removeprefix("autocomplete-")
            for e in finding.evidence:
                label = e.text.strip(" *") or e.selector
                items.setdefault(f"{path_template(e.url)}|{e.selector}", Item(
                    key=e.selector or label, url=e.url, places=[place_of(e)],
                    params={"field": label, "status": _AUTOCOMPLETE_STATUS[status],
                            "expected": "current-password / username / email",
                            "page": path_of(e.url)},
                    evidence=finding.detail))
    return IndicatorValue(value=len(items), items=list(items.values()))


def _fr_item(name: str) -> str:
    for en, fr in CATEGORY_NAMES.values():
        if en == name:
            return fr
    return name


@indicator("signup.extra_personal_data", "number",
           "Pieces of personal information required beyond pseudonym, e-mail and password "
           "(P9; a date in three selects is one), on DINUM's 'Dites-le-nous une fois' scale.",
           unit=("informations", "pieces of information"),
           params=("items", "fields", "screens", "level"))
def signup_extra_personal_data(measures: Measures, run: Run, journey_id: str | None
                               ) -> IndicatorValue:
    signup = measures.signup
    personal = signup.personal_data
    if personal is None or not signup.checkpoints or (
            journey_id is not None and journey_id != signup.journey_id):
        return not_applicable("Pas de formulaire d'inscription dans ce parcours.",
                              "No sign-up form in this journey.")
    items_en = personal.extra_required_items
    found = _signup_findings(measures, journey_id, "extra-personal-data-required")
    return IndicatorValue(
        value=len(items_en), places=_signup_places(found),
        facts=[Text(fr=personal.sentence_fr, en=personal.sentence_en)],
        params={"items": Text(fr=", ".join(_fr_item(i) for i in items_en) or "—",
                              en=", ".join(items_en) or "—"),
                "fields": personal.fields_total, "screens": personal.screens,
                "level": personal.dlnuf_level},
        evidence=" | ".join(f.detail for f in found) or personal.sentence_en)


@indicator("signup.extra_personal_data_optional", "number",
           "Optional pieces of personal information asked beyond the baseline (P9).",
           unit=("informations", "pieces of information"), params=("items",))
def signup_extra_personal_data_optional(measures: Measures, run: Run, journey_id: str | None
                                        ) -> IndicatorValue:
    signup = measures.signup
    personal = signup.personal_data
    if personal is None or not signup.checkpoints or (
            journey_id is not None and journey_id != signup.journey_id):
        return not_applicable("Pas de formulaire d'inscription dans ce parcours.",
                              "No sign-up form in this journey.")
    items_en = personal.extra_optional_items
    found = _signup_findings(measures, journey_id, "extra-personal-data-optional")
    return IndicatorValue(
        value=len(items_en), places=_signup_places(found),
        params={"items": Text(fr=", ".join(_fr_item(i) for i in items_en) or "—",
                              en=", ".join(items_en) or "—")})


@indicator("signup.friction_score", "score",
           "The §2.9 password and sign-up friction score computed by the sign-up measure "
           "(100 minus the points of each finding), for reference.",
           unit=("points sur 100", "points out of 100"), params=("blocking",))
def signup_friction_score(measures: Measures, run: Run, journey_id: str | None
                          ) -> IndicatorValue:
    signup = measures.signup
    if not signup.score.measured or signup.score.score is None or (
            journey_id is not None and journey_id != signup.journey_id):
        return not_applicable("Pas de formulaire d'inscription mesuré.",
                              "No sign-up form measured.")
    return IndicatorValue(value=float(signup.score.score),
                          params={"blocking": ", ".join(signup.score.blocking_findings)})


# --------------------------------------------------------------------------- effort

_SWITCH_TEXT: dict[str, Text] = {
    "email": Text(fr="aller lire un courriel et cliquer sur son lien",
                  en="go and read an e-mail and click its link"),
    "upload": Text(fr="envoyer un fichier depuis l'appareil",
                   en="upload a file from the device"),
    "captcha": Text(fr="résoudre un test CAPTCHA", en="solve a CAPTCHA test"),
    "external_site": Text(fr="passer par un autre site", en="go through another site"),
}


def _effort(measures: Measures, journey_id: str | None) -> list[JourneyEffort]:
    return [j for j in measures.effort.journeys
            if (journey_id is None or j.journey_id == journey_id) and j.status != "not_run"]


def _effort_journey(measures: Measures, journey_id: str | None,
                    key: Callable[[JourneyEffort], float]) -> JourneyEffort | None:
    """The journey's effort, or for the run the journey where ``key`` is largest."""
    journeys = _effort(measures, journey_id)
    if not journeys:
        return None
    return max(journeys, key=key)


def _not_run() -> IndicatorValue:
    return not_applicable("Ce parcours n'a pas été joué.", "This journey was not run.")


def _partial_note(partial: bool) -> Text | None:
    if not partial:
        return None
    return T("Parcours interrompu : les chiffres sont un minimum.",
             "Journey interrupted: the figures are a lower bound.")


@indicator("effort.screens", "number",
           "Screens of the journey, each counted once: page loads, client-side steps, the "
           "mailbox (metrics.md §3.1).",
           unit=("écrans", "screens"), params=("page_loads", "interactions"))
def effort_screens(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:

    found = _effort_journey(measures, journey_id,
                            lambda j: float(j.screens))
    if found is None:
        return _not_run()
    title = _title(run, found.journey_id)
    novice = next((k.total_s for k in found.klm if k.persona == "novice"), None)
    facts_fr = (f"{title.fr[0].upper()}{title.fr[1:]} compte {found.screens} "
                f"{plural(found.screens, 'écran', 'écrans')} et {found.interactions} "
                f"{plural(found.interactions, 'action', 'actions')}")
    facts_en = (f"{title.en[0].upper()}{title.en[1:]} takes {found.screens} "
                f"screen{'s' if found.screens != 1 else ''} and {found.interactions} "
                f"action{'s' if found.interactions != 1 else ''}")
    if novice is not None:
        facts_fr += (f" ; environ {duration(novice, 'fr')} pour une personne peu à l'aise "
                     "avec le clavier")
        facts_en += f"; about {duration(novice, 'en')} for someone unused to a keyboard"
    return IndicatorValue(
        value=found.screens, places=[place_of(s.evidence) for s in found.screen_list],
        facts=[T(facts_fr + ".", facts_en + ".")],
        params={"page_loads": found.page_loads, "interactions": found.interactions},
        note=_partial_note(found.partial),
        evidence=", ".join(f"{s.kind} {path_of(s.evidence.url) or s.key}"
                           for s in found.screen_list))


@indicator("effort.fields_required", "number",
           "Fields a person must fill in the journey: filled by the script, or required "
           "(metrics.md §3.1, §2.7 P8).",
           unit=("champs", "fields"), params=("fields_total", "optional"))
def effort_fields_required(measures: Measures, run: Run, journey_id: str | None
                           ) -> IndicatorValue:

    found = _effort_journey(measures, journey_id, lambda j: float(j.fields_required))
    if found is None:
        return _not_run()
    if found.fields_total == 0:
        return IndicatorValue(value=0, params={"fields_total": 0, "optional": 0})
    places = [place_of(f.evidence, text=f.label) for f in found.field_list if f.required]
    return IndicatorValue(
        value=found.fields_required, places=places,
        params={"fields_total": found.fields_total, "optional": found.fields_optional},
        note=_partial_note(found.partial),
        evidence=", ".join(f.label or f.key for f in found.field_list if f.required))


@indicator("effort.context_switches", "list",
           "Moments the person must leave the page flow: e-mail round trip, file upload, "
           "CAPTCHA, another site (metrics.md §3.1). One item per switch.",
           unit=("changements de contexte", "context switches"), params=(),
           item_params=("what", "page"))
def effort_context_switches(measures: Measures, run: Run, journey_id: str | None
                            ) -> IndicatorValue:

    found = _effort_journey(measures, journey_id, lambda j: float(j.context_switches))
    if found is None:
        return _not_run()
    items = [Item(key=f"{s.kind}:{s.evidence.selector or s.evidence.step_index}",
                  url=s.evidence.url, places=[place_of(s.evidence)],
                  params={"what": _SWITCH_TEXT[s.kind], "page": path_of(s.evidence.url)},
                  evidence=s.evidence.detail)
             for s in found.context_switch_list]
    return IndicatorValue(value=found.context_switches, items=items,
                          params={})


@indicator("effort.klm_novice_s", "number",
           "Keystroke-Level Model time on task for a person unfamiliar with the keyboard "
           "(K = 1.2 s), reading time and measured waits included (metrics.md §3.2), seconds.",
           unit=("secondes", "seconds"), params=("average_s", "duration"))
def effort_klm_novice(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:

    def novice(j: JourneyEffort) -> float:
        return next((k.total_s for k in j.klm if k.persona == "novice"), 0.0)

    found = _effort_journey(measures, journey_id, novice)
    if found is None or not found.klm:
        return _not_run()
    value = novice(found)
    average = next((k.total_s for k in found.klm if k.persona == "average"), value)
    return IndicatorValue(
        value=value,
        params={"average_s": average,
                "duration": Text(fr=duration(value, "fr"), en=duration(value, "en"))},
        note=_partial_note(found.partial),
        evidence=f"KLM novice {value} s, average typist {average} s")


@indicator("effort.errors_met", "list",
           "Screens where the scripted, valid input still met error messages (metrics.md "
           "§3.1 errors_encountered). One item per screen.",
           unit=("écrans avec erreur", "screens with errors"), params=(),
           item_params=("page", "errors"))
def effort_errors_met(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:

    found = _effort_journey(measures, journey_id, lambda j: float(j.errors_met))
    if found is None:
        return _not_run()
    items = [Item(key=f"errors:{e.text[:80]}", url=e.url, places=[place_of(e)],
                  params={"page": path_of(e.url), "errors": e.text}, evidence=e.text)
             for e in found.error_list]
    return IndicatorValue(value=found.errors_met, items=items,
                          params={})


# --------------------------------------------------------------------------- language


def _corpora(measures: Measures, journey_id: str | None) -> list[CorpusReadability]:
    if journey_id is None:
        return list(measures.readability.overall)
    journey = next((j for j in measures.readability.journeys if j.journey_id == journey_id),
                   None)
    return list(journey.corpora) if journey else []


def _main(measures: Measures, journey_id: str | None, corpus: str = "main_prose",
          lang: str | None = None) -> CorpusReadability | None:
    """The pooled corpus with most words (several exist when pages differ in language)."""
    candidates = [c for c in _corpora(measures, journey_id) if c.corpus == corpus
                  and (lang is None or c.measures.lang == lang)]
    return max(candidates, key=lambda c: c.measures.words, default=None)


_MAIN_TEXT = Text(fr="texte principal", en="main text")


def _too_little(corpus: CorpusReadability | None, need: tuple[str, ...],
                what: Text = _MAIN_TEXT) -> IndicatorValue | None:
    if corpus is None or corpus.measures.size == "empty":
        return not_applicable(f"Pas de {what.fr} sur ces pages.",
                              f"No {what.en} on these pages.")
    if corpus.measures.size not in need:
        words = corpus.measures.words
        return not_applicable(
            f"Trop peu de texte pour ce calcul ({words} mots).",
            f"Too little text for this measure ({words} words).")
    return None


@indicator("language.mean_sentence_length", "number",
           "Mean words per sentence of the main text (MSL), repeated sentences counted once; "
           "from 30 words (metrics.md §1.3, §1.5).",
           unit=("mots par phrase", "words per sentence"),
           params=("words", "sentences", "lang"))
def language_mean_sentence_length(measures: Measures, run: Run, journey_id: str | None
                                  ) -> IndicatorValue:
    corpus = _main(measures, journey_id)
    missing = _too_little(corpus, ("ok", "low_confidence"))
    if missing is not None or corpus is None:
        return missing or _not_run()
    m = corpus.measures
    return IndicatorValue(
        value=m.mean_sentence_length,
        params={"words": m.words, "sentences": m.sentences, "lang": m.lang or "?"},
        note=(T("Peu de texte : résultat indicatif.", "Little text: indicative result.")
              if m.size == "low_confidence" else None),
        evidence=f"{m.words} words, {m.sentences} sentences, MSL {m.mean_sentence_length}")


def _long_sentence_items(corpus: CorpusReadability | None, minimum: int) -> list[Item]:
    if corpus is None:
        return []
    return [Item(key=s.text, url=s.evidence.url, places=[place_of(s.evidence, text=s.text)],
                 params={"words": s.words, "sentence": s.text, "page": path_of(s.evidence.url)},
                 evidence=f"{s.words} words")
            for s in corpus.measures.long_sentences if s.words > minimum]


@indicator("language.sentences_over_25", "list",
           "Sentences of the main text longer than 25 words (WCAG technique G153), each "
           "listed once with its page.",
           unit=("phrases", "sentences"), params=("share",),
           item_params=("words", "sentence", "page"))
def language_sentences_over_25(measures: Measures, run: Run, journey_id: str | None
                               ) -> IndicatorValue:
    corpora = [c for c in _corpora(measures, journey_id) if c.corpus == "main_prose"
               and c.measures.size in ("ok", "low_confidence")]
    if not corpora:
        return not_applicable("Pas assez de texte principal (moins de 30 mots).",
                              "Not enough main text (under 30 words).")
    items = [i for c in corpora for i in _long_sentence_items(c, 25)]
    sentences = sum(c.measures.sentences for c in corpora)
    of = _of_title(run, journey_id)
    count = len(items)
    if count:
        fact = T(f"{count} {plural(count, 'phrase', 'phrases')} {of.fr} "
                 f"{plural(count, 'dépasse', 'dépassent')} 25 mots.",
                 f"{count} sentence{'s' if count != 1 else ''} {of.en} "
                 f"{'is' if count == 1 else 'are'} longer than 25 words.")
    else:
        fact = T(f"Aucune phrase {of.fr} ne dépasse 25 mots.",
                 f"No sentence {of.en} is longer than 25 words.")
    return IndicatorValue(
        value=count, items=items, facts=[fact],
        params={"share": round(100 * count / sentences) if sentences else 0})


@indicator("language.flesch_fr", "number",
           "Kandel & Moles reading ease of French main text (Flesch adapted to French, "
           "0-100, higher is easier); from 100 words and 5 sentences. A relative measure.",
           unit=("points", "points"), params=("words",))
def language_flesch_fr(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    return _formula_score(measures, journey_id, "fr", "flesch_reading_ease")


def _formula_score(measures: Measures, journey_id: str | None, lang: str,
                   formula: Literal["flesch_reading_ease", "flesch_kincaid_grade"]
                   ) -> IndicatorValue:
    """A readability formula on the main prose in ``lang``, once there is enough text."""
    corpus = _main(measures, journey_id, lang=lang)
    missing = _too_little(corpus, ("ok",))
    if missing is not None or corpus is None:
        return missing or _not_run()
    m = corpus.measures
    value = getattr(m, formula)
    if value is None:
        return not_applicable("Formule non disponible.", "Formula not available.")
    label = m.flesch_formula if formula == "flesch_reading_ease" else "FKGL"
    return IndicatorValue(value=value, params={"words": m.words}, evidence=f"{label}: {value}")


@indicator("language.fkgl_en", "number",
           "Flesch-Kincaid grade level of English main text (school years); from 100 words "
           "and 5 sentences. WCAG 3.1.5 targets lower secondary education (about grade 9).",
           unit=("années d'école", "school grade"), params=("words",))
def language_fkgl_en(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    return _formula_score(measures, journey_id, "en", "flesch_kincaid_grade")


def _microcopy_items(measures: Measures, journey_id: str | None, rules: set[str],
                     ) -> list[Item]:
    items: dict[str, Item] = {}
    for issue in measures.readability.microcopy_issues:
        if issue.rule not in rules:
            continue
        places = [p for p in issue.places if _in_journey(p, journey_id)]
        if not places:
            continue
        _merge_microcopy(items, issue, places)
    return list(items.values())


def _merge_microcopy(items: dict[str, Item], issue: MicrocopyIssue,
                     places: list[Evidence]) -> None:
    key = issue.text
    item = items.get(key)
    details = _MICROCOPY_DETAIL.get(issue.rule, Text(fr=issue.detail, en=issue.detail))
    if item is None:
        items[key] = Item(
            key=key, url=places[0].url,
            places=[place_of(p, text=p.text or issue.text) for p in places],
            params={"text": issue.text, "problem": details, "page": path_of(places[0].url),
                    "pages": len({path_template(p.url) for p in places})},
            evidence=issue.detail)
        return
    problem = item.params.get("problem")
    if isinstance(problem, Text) and details.fr not in problem.fr:
        item.params["problem"] = Text(fr=f"{problem.fr} ; {details.fr}",
                                      en=f"{problem.en}; {details.en}")
    item.evidence = f"{item.evidence}; {issue.detail}"


_MICROCOPY_DETAIL: dict[str, Text] = {
    "label-too-long": Text(fr="intitulé de plus de 5 mots", en="label over 5 words"),
    "unexplained-acronym": Text(fr="sigle jamais expliqué sur la page",
                                en="acronym never spelled out on the page"),
    "error-field-not-named": Text(fr="ne dit pas quel champ est en cause",
                                  en="does not say which field is wrong"),
    "error-fix-not-given": Text(fr="ne dit pas comment corriger",
                                en="does not say how to fix it"),
}


def _microcopy_rule(measures: Measures, run: Run, journey_id: str | None, rules: set[str]
                    ) -> IndicatorValue:
    """One item per microcopy string breaking one of ``rules`` (metrics.md §1.5)."""
    if not _checkpoints(run, journey_id):
        return not_applicable("Aucune page enregistrée.", "No page recorded.")
    items = _microcopy_items(measures, journey_id, rules)
    return IndicatorValue(value=len(items), items=items)


@indicator("language.long_labels", "list",
           "Field labels longer than 5 words (metrics.md §1.5 microcopy rule).",
           unit=("intitulés", "labels"), params=(), item_params=("text", "problem", "page",
                                                                 "pages"))
def language_long_labels(measures: Measures, run: Run, journey_id: str | None
                         ) -> IndicatorValue:
    return _microcopy_rule(measures, run, journey_id, {"label-too-long"})


@indicator("language.unexplained_acronyms", "list",
           "Acronyms in labels, buttons, hints or errors that the page never spells out "
           "(FALC: avoid initials; WCAG 3.1.4).",
           unit=("sigles", "acronyms"), params=(), item_params=("text", "problem", "page",
                                                                "pages"))
def language_unexplained_acronyms(measures: Measures, run: Run, journey_id: str | None
                                  ) -> IndicatorValue:
    return _microcopy_rule(measures, run, journey_id, {"unexplained-acronym"})


@indicator("language.microcopy_issues", "list",
           "Every microcopy problem of metrics.md §1.5 together (labels over 5 words, "
           "unexplained acronyms, error messages without field or fix), one item per string.",
           unit=("textes", "strings"), params=(),
           item_params=("text", "problem", "page", "pages"))
def language_microcopy_issues(measures: Measures, run: Run, journey_id: str | None
                              ) -> IndicatorValue:
    return _microcopy_rule(measures, run, journey_id, set(_MICROCOPY_DETAIL))


@indicator("language.error_messages", "list",
           "Error messages shown on the journey's screens that do not name the field or do "
           "not say how to fix it (metrics.md §1.5; WCAG 3.3.1, 3.3.3).",
           unit=("messages", "messages"), params=("shown",),
           item_params=("text", "problem", "page", "pages"))
def language_error_messages(measures: Measures, run: Run, journey_id: str | None
                            ) -> IndicatorValue:
    checkpoints = [c for j in _journeys(run, journey_id) for c in j.checkpoints]
    shown = {m for c in checkpoints for m in c.text.errors}
    if not shown:
        return not_applicable("Aucun message d'erreur affiché pendant ce parcours.",
                              "No error message shown during this journey.")
    items = _microcopy_items(measures, journey_id,
                             {"error-field-not-named", "error-fix-not-given"})
    return IndicatorValue(value=len(items), items=items, params={"shown": len(shown)})


@indicator("language.legal_sentence_length", "list",
           "Consent and terms text: mean sentence length, with each sentence over 25 words "
           "as an item (metrics.md §1.4: legal text is reported apart, usually the hardest).",
           unit=("mots par phrase", "words per sentence"),
           params=("words", "sentences", "long"),
           item_params=("words", "sentence", "page"))
def language_legal_sentence_length(measures: Measures, run: Run, journey_id: str | None
                                   ) -> IndicatorValue:
    corpus = _main(measures, journey_id, corpus="legal")
    missing = _too_little(corpus, ("ok", "low_confidence"),
                          Text(fr="conditions ni consentement", en="terms or consent text"))
    if missing is not None or corpus is None:
        return missing or _not_run()
    m = corpus.measures
    items = _long_sentence_items(corpus, 25)
    return IndicatorValue(
        value=m.mean_sentence_length, items=items,
        params={"words": m.words, "sentences": m.sentences, "long": len(items)},
        evidence=f"legal text: {m.words} words, MSL {m.mean_sentence_length}")


# --------------------------------------------------------------------------- frugality


def _weight_scope(measures: Measures, journey_id: str | None
                  ) -> JourneyWeight | WeightMeasures | None:
    if journey_id is None:
        return measures.weight
    return next((j for j in measures.weight.journeys if j.journey_id == journey_id), None)


def _no_page_view() -> IndicatorValue:
    return not_applicable("Aucun écran mesuré.", "No screen measured.")


@indicator("weight.ecoindex_mean", "score",
           "Mean EcoIndex-like score (0-100) of the journey's screens, from DOM size, requests "
           "and transfer size (cnumr/EcoIndex method; metrics.md §4.1, §4.5).",
           unit=("points sur 100", "points out of 100"),
           params=("grade", "worst", "screens", "ges", "water", "worst_size"))
def weight_ecoindex_mean(measures: Measures, run: Run, journey_id: str | None
                         ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None:
        return _no_page_view()
    eco = scope.ecoindex
    if eco.mean_score is None:
        return _no_page_view()
    page_views = scope.page_views if isinstance(scope, JourneyWeight) else [
        p for j in scope.journeys for p in j.page_views]
    worst_view = next((p for p in page_views if p.index == eco.worst_page_view), None)
    heaviest = eco.worst_screen_transferred_bytes or 0
    of = _of_title(run, journey_id)
    grade = eco.mean_grade or "?"
    fact = T(f"Score type EcoIndex moyen {of.fr} : "
             f"{format_number(eco.mean_score, 'fr')}/100 ({grade}) ; l'écran le plus lourd "
             f"pèse {size_text(heaviest, 'fr')}.",
             f"Mean EcoIndex-like score {of.en}: {format_number(eco.mean_score, 'en')}"
             f"/100 ({grade}); the heaviest screen weighs {size_text(heaviest, 'en')}.")
    return IndicatorValue(
        value=eco.mean_score, facts=[fact],
        places=[place_of(worst_view.evidence)] if worst_view else [],
        params={"grade": grade, "worst": eco.worst.score if eco.worst else 0,
                "screens": eco.page_views, "ges": eco.ges_total, "water": eco.water_total,
                "worst_size": Text(fr=size_text(heaviest, "fr"), en=size_text(heaviest, "en"))},
        evidence=(f"{eco.page_views} page views, mean {eco.mean_score} ({grade}), worst "
                  f"{eco.worst.score if eco.worst else '-'}; {eco.ges_total} gCO2e, "
                  f"{eco.water_total} cl in total"))


def _page_view_place(scope: JourneyWeight | WeightMeasures, index: int | None) -> list[Place]:
    if index is None:
        return []
    views = (scope.page_views if isinstance(scope, JourneyWeight) else
             [p for j in scope.journeys for p in j.page_views])
    return [place_of(p.evidence) for p in views if p.index == index]


@indicator("weight.worst_screen_kb", "number",
           "Bytes on the wire of the heaviest screen, in kB (1 kB = 1000 bytes, as EcoIndex "
           "counts; metrics.md §4.5 bands: EcoIndex target, HTTP Archive median, Lighthouse).",
           unit=("ko", "kB"), params=("size", "page"))
def weight_worst_screen_kb(measures: Measures, run: Run, journey_id: str | None
                           ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None:
        return _no_page_view()
    eco = scope.ecoindex
    if eco.worst_screen_transferred_bytes is None:
        return _no_page_view()
    n_bytes = eco.worst_screen_transferred_bytes
    places = _page_view_place(scope, eco.worst_screen_transferred_page_view)
    return IndicatorValue(
        value=round(n_bytes / 1000, 1), places=places,
        params={"size": Text(fr=size_text(n_bytes, "fr"), en=size_text(n_bytes, "en")),
                "page": path_of(places[0].url) if places else ""},
        evidence=(f"{n_bytes} bytes on the wire (page view "
                  f"{eco.worst_screen_transferred_page_view})"))


@indicator("weight.worst_screen_requests", "number",
           "Requests of the busiest screen (metrics.md §4.5 bands: EcoIndex target 40, HTTP "
           "Archive mobile median 66, desktop p75 115).",
           unit=("requêtes", "requests"), params=("page",))
def weight_worst_screen_requests(measures: Measures, run: Run, journey_id: str | None
                                 ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None:
        return _no_page_view()
    eco = scope.ecoindex
    if eco.worst_screen_requests is None:
        return _no_page_view()
    places = _page_view_place(scope, eco.worst_screen_requests_page_view)
    return IndicatorValue(value=eco.worst_screen_requests, places=places,
                          params={"page": path_of(places[0].url) if places else ""})


def _host_items(hosts: Iterable[HostWeight], trackers_only: bool) -> list[Item]:
    items = []
    for host in hosts:
        if not host.third_party and not host.is_tracker:
            continue
        if trackers_only and not host.is_tracker:
            continue
        known = host.vendor and not host.vendor.lower().startswith("unknown")
        what = host.vendor if known else (host.registrable_domain or host.host)
        items.append(Item(
            key=host.host, url=host.evidence.url, places=[place_of(host.evidence,
                                                                   text=host.host)],
            params={"host": host.host, "vendor": what, "requests": host.requests,
                    "size": Text(fr=size_text(host.transferred_bytes, "fr"),
                                 en=size_text(host.transferred_bytes, "en")),
                    "category": host.category or "—"},
            evidence=(f"{host.host}: {host.requests} request(s), {host.transferred_bytes} "
                      f"bytes; {host.reason or 'third party'}")))
    return items


@indicator("weight.third_party_requests", "list",
           "Requests to other sites than the platform's own (CDN, fonts, trackers...); one "
           "item per third-party host.",
           unit=("requêtes", "requests"), params=("hosts", "trackers"),
           item_params=("host", "vendor", "requests", "size", "category"))
def weight_third_party_requests(measures: Measures, run: Run, journey_id: str | None
                                ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None or not scope.totals.requests:
        return _no_page_view()
    items = _host_items(scope.hosts, trackers_only=False)
    count = scope.totals.third_party_requests
    trackers = sum(1 for h in scope.hosts if h.is_tracker)
    facts = []
    if count:
        title = _title(run, journey_id)
        facts.append(T(
            f"{title.fr[0].upper()}{title.fr[1:]} fait {count} "
            f"{plural(count, 'requête', 'requêtes')} vers {len(items)} "
            f"{plural(len(items), 'site tiers', 'sites tiers')}, dont {trackers} "
            f"{plural(trackers, 'pisteur', 'pisteurs')}.",
            f"{title.en[0].upper()}{title.en[1:]} makes {count} request"
            f"{'s' if count != 1 else ''} to {len(items)} third-party site"
            f"{'s' if len(items) != 1 else ''}, {trackers} of them tracker"
            f"{'s' if trackers != 1 else ''}."))
    return IndicatorValue(value=count, items=items, facts=facts,
                          params={"hosts": len(items), "trackers": trackers})


@indicator("weight.trackers", "list",
           "Hosts known or recognised as trackers (analytics, advertising, beacons); one item "
           "per host.",
           unit=("pisteurs", "trackers"), params=(),
           item_params=("host", "vendor", "requests", "size", "category"))
def weight_trackers(measures: Measures, run: Run, journey_id: str | None) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None or not scope.totals.requests:
        return _no_page_view()
    items = _host_items(scope.hosts, trackers_only=True)
    return IndicatorValue(value=len(items), items=items)


#: Text resources worth compressing from this decoded size (10 kB).
COMPRESSIBLE_BYTES = 10_000
#: Resource types whose body is text, hence compressible with gzip or brotli.
_TEXT_TYPES = frozenset({"document", "script", "stylesheet", "xhr", "fetch"})
_TYPE_TEXT: dict[str, Text] = {
    "document": Text(fr="pages HTML", en="HTML pages"),
    "script": Text(fr="scripts", en="scripts"),
    "stylesheet": Text(fr="feuilles de style", en="stylesheets"),
    "xhr": Text(fr="données", en="data"), "fetch": Text(fr="données", en="data"),
}


@indicator("weight.uncompressed_text", "list",
           "Text responses (HTML, scripts, styles, data) of 10 kB or more sent without "
           "compression: bytes on the wire about equal to the decoded body. One item per "
           "host and kind of file.",
           unit=("groupes de fichiers", "groups of files"), params=(),
           item_params=("kind", "host", "files", "size", "examples"))
def weight_uncompressed_text(measures: Measures, run: Run, journey_id: str | None
                             ) -> IndicatorValue:
    checkpoints = [c for j in _journeys(run, journey_id) for c in j.checkpoints]
    requests = [(c, r) for c in checkpoints for r in c.requests]
    if not requests:
        return _no_page_view()
    groups: dict[tuple[str, str], list[tuple[Checkpoint, NetworkRequest]]] = {}
    seen: set[str] = set()
    for checkpoint, request in requests:
        kind = request.resource_type.lower()
        if (kind not in _TEXT_TYPES or request.from_cache or request.failed
                or request.decoded_bytes < COMPRESSIBLE_BYTES
                or request.transferred_bytes < 0.9 * request.decoded_bytes
                or path_template(request.url) + request.host in seen):
            continue
        seen.add(path_template(request.url) + request.host)
        host = request.host or urlsplit(request.url).netloc
        groups.setdefault((host, kind), []).append((checkpoint, request))
    items = []
    for (host, kind), members in groups.items():
        total = sum(r.decoded_bytes for _, r in members)
        names = [path_of(r.url).rsplit("/", 1)[-1] or path_of(r.url) for _, r in members]
        first_cp, first = members[0]
        items.append(Item(
            key=f"{host}|{kind}", url=first_cp.url,
            places=[Place(journey_id=c.journey_id, step_index=c.step_index,
                          checkpoint=c.index, url=c.url, text=r.url) for c, r in members],
            params={"kind": _TYPE_TEXT.get(kind, Text(fr=kind, en=kind)), "host": host,
                    "files": len(members),
                    "size": Text(fr=size_text(total, "fr"), en=size_text(total, "en")),
                    "examples": ", ".join(dict.fromkeys(names[:3]))},
            evidence=(f"{len(members)} {kind} response(s) from {host}, {total} bytes decoded, "
                      f"sent uncompressed (e.g. {first.url})")))
    return IndicatorValue(value=len(items), items=items)


#: A response from this size is listed among the heaviest (100 kB).
HEAVY_BYTES = 100_000


@indicator("weight.heaviest_resources", "list",
           "The heaviest responses of the journey over 100 kB (top 5), to know what to slim "
           "first.",
           unit=("ressources", "resources"), params=(),
           item_params=("resource", "type", "size", "host"))
def weight_heaviest_resources(measures: Measures, run: Run, journey_id: str | None
                              ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None or not scope.totals.requests:
        return _no_page_view()
    items = []
    # Only what weighs: a 5 kB stylesheet is no lead worth following.
    for resource in [r for r in scope.heaviest if r.transferred_bytes >= HEAVY_BYTES][:5]:
        name = path_of(resource.url).rsplit("/", 1)[-1] or resource.url
        items.append(Item(
            key=path_template(resource.url), url=resource.url,
            places=[place_of(resource.evidence, text=resource.url)],
            params={"resource": name, "type": resource.resource_type,
                    "size": Text(fr=size_text(resource.transferred_bytes, "fr"),
                                 en=size_text(resource.transferred_bytes, "en")),
                    "host": resource.host},
            evidence=resource.evidence.detail, severity="info"))
    return IndicatorValue(value=len(items), items=items)


@indicator("weight.slow_network", "score",
           "Completion and time to usable under mobileRegular3G (metrics.md §4.4, §4.5: ≤ 5 s "
           "→ 100, ≤ 10 s → 60, ≤ 20 s → 30, else or not completed 0). Measured only when a "
           "throttled run exists.",
           unit=("points sur 100", "points out of 100"), params=("detail",))
def weight_slow_network(measures: Measures, run: Run, journey_id: str | None
                        ) -> IndicatorValue:
    scope = _weight_scope(measures, journey_id)
    if scope is None:
        return _no_page_view()
    component = next((c for c in scope.frugality.components if c.id == "slow-network"), None)
    if component is None or not component.measured or component.score is None:
        return not_applicable("Non mesuré : il faut un passage en réseau lent (3G).",
                              "Not measured: needs a run on a slow (3G) network.")
    return IndicatorValue(value=component.score, params={"detail": component.detail},
                          evidence=component.detail)


def indicator_names() -> list[str]:
    """Every registered indicator name, sorted."""
    return sorted(INDICATORS)
