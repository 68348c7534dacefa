"""Plain text for ``auditor rules list`` and ``auditor rules explain RULE-ID``.

Pure: every function returns a string and never prints, so the CLI decides how to show it and
the tests read it directly. The text says what a rule checks, the thresholds of each profile,
and the sources it rests on, in French or English, for people who will never open the YAML.
"""

from __future__ import annotations

import difflib

from auditor.scoring.engine import CATEGORIES, CATEGORY_TITLES, threshold_of
from auditor.scoring.indicators import INDICATORS, format_number
from auditor.scoring.rule_loader import RuleSet
from auditor.scoring.rule_model import Profile, Rule, Scoring
from auditor.scoring.scorecard import Text


class UnknownRule(KeyError):
    """No rule has this id; ``str()`` says so and suggests the closest id."""

    def __init__(self, rule_id: str, known: list[str]) -> None:
        close = difflib.get_close_matches(rule_id, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        self.message = f"unknown rule '{rule_id}'{hint} (`auditor rules list` shows them)"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def _t(text: Text | None, lang: str) -> str:
    if text is None:
        return ""
    return text.fr if lang == "fr" else text.en


def _n(value: float, lang: str) -> str:
    return format_number(int(value) if float(value).is_integer() else value, lang)


_WORDS: dict[str, tuple[str, str]] = {
    "yes": ("oui", "yes"), "no": ("non", "no"), "otherwise": ("sinon", "otherwise"),
    "passes_from": ("réussi à partir de", "passes from"), "score": ("score", "score"),
    "blocking": ("bloquant", "blocking"), "weight": ("poids", "weight"),
    "category": ("catégorie", "category"), "indicator": ("indicateur", "indicator"),
    "journeys": ("parcours", "journeys"), "all": ("tous", "all"),
    "scope": ("portée", "scope"), "aggregate": ("plateforme", "platform"),
    "thresholds": ("seuils par profil", "thresholds per profile"),
    "why": ("Pourquoi", "Why"), "fix": ("Comment corriger", "How to fix"),
    "sources": ("Sources", "Sources"), "message": ("Message", "Message"),
    "file": ("fichier", "file"), "positive": ("bonne pratique", "good practice"),
    "not_in": ("non retenue", "not selected"), "severity": ("gravité", "severity"),
    "unit": ("unité", "unit"), "threshold": ("seuil", "threshold"),
}


def _w(key: str, lang: str) -> str:
    fr, en = _WORDS[key]
    return fr if lang == "fr" else en


def describe_scoring(scoring: Scoring, lang: str = "fr") -> str:
    """One line: how the value becomes a score, and from when it passes."""
    unit = f" {_t(scoring.unit, lang)}" if scoring.unit else ""
    passes = f"{_w('passes_from', lang)} {_n(scoring.pass_at, lang)}"
    if scoring.type == "bands":
        parts = []
        for band in scoring.bands:
            if band.max is not None:
                parts.append(f"≤ {_n(band.max, lang)}{unit} → {_n(band.score, lang)}")
            elif band.min is not None:
                parts.append(f"≥ {_n(band.min, lang)}{unit} → {_n(band.score, lang)}")
        parts.append(f"{_w('otherwise', lang)} {_n(scoring.otherwise, lang)}")
        return f"{' ; '.join(parts) if lang == 'fr' else '; '.join(parts)} ({passes})"
    if scoring.type == "boolean":
        failing = _w("yes" if scoring.fail_when else "no", lang)
        if lang == "fr":
            return (f"oui/non : « {failing} » → {_n(scoring.fail_score, lang)}, "
                    f"sinon 100 ({passes})")
        return f"yes/no: \"{failing}\" → {_n(scoring.fail_score, lang)}, otherwise 100 ({passes})"
    if scoring.type == "value":
        scale = f" × {_n(scoring.scale, lang)}" if scoring.scale != 1 else ""
        if lang == "fr":
            return f"score = valeur{scale}, entre 0 et 100 ({passes})"
        return f"score = value{scale}, between 0 and 100 ({passes})"
    if scoring.type == "per_item":
        if lang == "fr":
            return (f"100 − {_n(scoring.per_item, lang)} par élément au-delà de "
                    f"{scoring.allowed}, au moins {_n(scoring.floor, lang)} ({passes})")
        return (f"100 − {_n(scoring.per_item, lang)} per item beyond {scoring.allowed}, "
                f"at least {_n(scoring.floor, lang)} ({passes})")
    if scoring.type == "review":
        return ("à vérifier à la main : ne compte jamais dans la note" if lang == "fr"
                else "to check by hand: never counts in the grade")
    return ("information, sans note" if lang == "fr" else "information, not scored")


def list_rules(ruleset: RuleSet, profile: str | Profile | None = None, lang: str = "fr"
               ) -> str:
    """Every rule of the profile, grouped by category: id, weight, blocking, title."""
    resolved = ruleset.profile(profile)
    active = {r.id: r for r in ruleset.effective_rules(resolved)}
    lines = [f"{'Profil' if lang == 'fr' else 'Profile'} : {resolved.id} — "
             f"{_t(resolved.title, lang)}" if lang == "fr" else
             f"Profile: {resolved.id} — {_t(resolved.title, lang)}"]
    for category in CATEGORIES:
        rules = sorted((r for r in active.values() if r.category == category),
                       key=lambda r: r.id)
        if not rules:
            continue
        weight = resolved.category_weights.get(category, 0)
        lines.append("")
        lines.append(f"{_t(CATEGORY_TITLES[category], lang)} ({category}, "
                     f"{_w('weight', lang)} {_n(weight, lang)})")
        width = max(len(r.id) for r in rules)
        for rule in rules:
            flags = []
            if rule.blocking:
                flags.append(_w("blocking", lang).upper())
            if rule.positive:
                flags.append(_w("positive", lang))
            flag = f" [{', '.join(flags)}]" if flags else ""
            lines.append(f"  {rule.id:<{width}}  {_w('weight', lang)} "
                         f"{_n(rule.weight, lang):>3}  {_t(rule.title, lang)}{flag}")
    left_out = sorted(set(ruleset.rules) - set(active))
    if left_out:
        lines.append("")
        lines.append(f"{_w('not_in', lang).capitalize()} : {', '.join(left_out)}"
                     if lang == "fr" else f"Not selected: {', '.join(left_out)}")
    return "\n".join(lines) + "\n"


def list_indicators(lang: str = "en") -> str:
    """The named values rules can read, with their placeholders."""
    lines = []
    for name in sorted(INDICATORS):
        indicator = INDICATORS[name]
        unit = f" ({_t(indicator.unit, lang)})" if indicator.unit else ""
        lines.append(f"{name} [{indicator.kind}]{unit}")
        lines.append(f"    {indicator.description}")
        params = sorted({"value", "count", "threshold", "score", "journey", "page", "unit",
                         *indicator.params})
        lines.append(f"    placeholders: {', '.join('{' + p + '}' for p in params)}")
        if indicator.item_params:
            items = ", ".join("{" + p + "}" for p in indicator.item_params)
            lines.append(f"    item_message placeholders: {items}")
    return "\n".join(lines) + "\n"


def _threshold_line(rule: Rule, lang: str) -> str:
    threshold = threshold_of(rule)
    # A yes/no rule has no threshold worth printing: its scoring line says it all.
    shown = "" if threshold is None or isinstance(threshold, bool) else _n(threshold, lang)
    parts = [describe_scoring(rule.scoring, lang)]
    if shown:
        parts.append(f"{_w('threshold', lang)} {shown}")
    parts.append(f"{_w('weight', lang)} {_n(rule.weight, lang)}")
    if rule.blocking:
        parts.append(_w("blocking", lang))
    if rule.applies_to:
        parts.append(f"{_w('journeys', lang)} {', '.join(rule.applies_to)}")
    return " · ".join(parts)


def explain_rule(ruleset: RuleSet, rule_id: str, lang: str = "fr") -> str:
    """A rule in full: what it reads, its thresholds in each profile, why, how to fix, sources.

    Raises :class:`UnknownRule` when no rule has this id.
    """
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        raise UnknownRule(rule_id, sorted(ruleset.rules))
    indicator = INDICATORS.get(rule.indicator)
    lines = [f"{rule.id} — {_t(rule.title, lang)}", ""]
    colon = " :" if lang == "fr" else ":"  # French puts a space before the colon
    lines.append(f"{_w('category', lang)}{colon} {_t(CATEGORY_TITLES[rule.category], lang)} "
                 f"({rule.category}) · {_w('severity', lang)}{colon} "
                 f"{'blocking' if rule.blocking else rule.severity}")
    description = f" — {indicator.description}" if indicator else ""
    lines.append(f"{_w('indicator', lang)}{colon} {rule.indicator}{description}")
    journeys = ", ".join(rule.applies_to) if rule.applies_to else _w("all", lang)
    lines.append(f"{_w('scope', lang)}{colon} {rule.scope} · {_w('journeys', lang)}{colon} "
                 f"{journeys} · {_w('aggregate', lang)}{colon} {rule.aggregate}")
    lines.append("")
    lines.append(f"{_w('thresholds', lang)}{colon}")
    for profile_id in sorted(ruleset.profiles) or ["default"]:
        effective = {r.id: r for r in ruleset.effective_rules(profile_id)}
        chosen = effective.get(rule.id)
        if chosen is None:
            lines.append(f"  {profile_id}: {_w('not_in', lang)}")
        else:
            lines.append(f"  {profile_id}: {_threshold_line(chosen, lang)}")
    lines.append("")
    lines.append(f"{_w('message', lang)}{colon} {_t(rule.message, lang)}")
    lines.append("")
    lines.append(f"{_w('why', lang)}{colon} {_t(rule.why, lang)}")
    lines.append("")
    lines.append(f"{_w('fix', lang)}{colon} {_t(rule.fix, lang)}")
    lines.append("")
    lines.append(f"{_w('sources', lang)}{colon}")
    for ref in rule.references:
        title = f" — {ref.title}" if ref.title else ""
        url = f" <{ref.url}>" if ref.url else ""
        lines.append(f"  - {ref.kind} {ref.ref}{title}{url}")
    source = ruleset.rule_files.get(rule.id)
    if source is not None:
        lines.append("")
        lines.append(f"{_w('file', lang)}{colon} {source}")
    return "\n".join(lines) + "\n"
