"""A policy result as plain text (terminal, CI log) or Markdown (PR comment, job summary).

Pure ``PolicyResult → str`` in French or English, like the reporters: no printing, no colour
codes (the CLI may colour the status words), no exit. The status is always a word, never only
a symbol or a colour, so the output reads the same in a screen reader and in a black-and-white
log.
"""

from __future__ import annotations

from auditor.policy.evaluate import BudgetResult, PolicyResult, format_value
from auditor.reporters.markdown_text import md_escape
from auditor.scoring.scorecard import Text

#: Status words, by outcome, fixed width in the text output.
STATUS: dict[str, Text] = {
    "fail": Text(fr="ÉCHEC", en="FAIL"),
    "warn": Text(fr="AVERT.", en="WARN"),
    "known": Text(fr="CONNU", en="KNOWN"),
    "pass": Text(fr="OK", en="PASS"),
    "not_applicable": Text(fr="S.O.", en="N/A"),
    "off": Text(fr="ARRÊT", en="OFF"),
}
SYMBOL = {"fail": "✗", "warn": "!", "known": "≈", "pass": "✓", "not_applicable": "·",
          "off": "–"}
MARKDOWN_STATUS: dict[str, Text] = {
    "fail": Text(fr="❌ échec", en="❌ fail"),
    "warn": Text(fr="⚠️ avertissement", en="⚠️ warning"),
    "known": Text(fr="🟰 connu", en="🟰 known"),
    "pass": Text(fr="✅ tenu", en="✅ pass"),
    "not_applicable": Text(fr="sans objet", en="n/a"),
    "off": Text(fr="désactivé", en="off"),
}
ORDER = ("fail", "warn", "known", "pass", "not_applicable", "off")
MAX_CHECKS = 8


def _t(text: Text, lang: str) -> str:
    return text.fr if lang == "fr" else text.en


def _lang(lang: str) -> str:
    return "fr" if lang.lower().startswith("fr") else "en"


def _counts(result: PolicyResult, lang: str) -> str:
    """``7 non tenus, 3 avertissements, 1 tenu``: only the outcomes present."""
    names = {
        "fail": ("non tenu(s)", "failed"), "warn": ("avertissement(s)", "warning(s)"),
        "known": ("connu(s) (base de référence)", "known (baseline)"),
        "pass": ("tenu(s)", "passed"), "not_applicable": ("sans objet", "not applicable"),
        "off": ("désactivé(s)", "off"),
    }
    parts = []
    for outcome in ORDER:
        count = sum(1 for b in result.budgets if b.outcome == outcome)
        if count:
            word = names[outcome][0 if lang == "fr" else 1]
            parts.append(f"{count} {word}")
    return ", ".join(parts) or ("aucun budget" if lang == "fr" else "no budget")


def headline(result: PolicyResult, lang: str = "en") -> str:
    """One line: the policy, its verdict and the counts."""
    lang = _lang(lang)
    verdict = {"fail": ("ÉCHEC", "FAILED"), "warn": ("RÉUSSI AVEC AVERTISSEMENTS",
                                                     "PASSED WITH WARNINGS"),
               "pass": ("RÉUSSI", "PASSED")}[result.outcome][0 if lang == "fr" else 1]
    title = _t(result.policy_title, lang)
    sep = " : " if lang == "fr" else ": "
    return f"{title} ({result.policy_id}){sep}{verdict} — {_counts(result, lang)}"


RULE_OUTCOMES: dict[str, Text] = {
    "pass": Text(fr="respectée", en="passes"), "fail": Text(fr="non respectée", en="fails"),
}


def _figure(budget: BudgetResult, value: float | str | None, lang: str) -> str:
    """A budget's actual value or limit as words: ``2,7 Mo``, ``E``, ``non respectée``."""
    if budget.kind == "rule" and isinstance(value, str) and value in RULE_OUTCOMES:
        return _t(RULE_OUTCOMES[value], lang)
    return format_value(value, budget.unit, lang)


def _broken_checks(budget: BudgetResult, lang: str) -> list[str]:
    """The messages of a budget's broken checks, new ones first, at most :data:`MAX_CHECKS`."""
    broken = [c for c in budget.checks if not c.passed and not c.known]
    if budget.outcome == "known":
        broken = [c for c in budget.checks if c.known]
    lines = [_t(c.message, lang) for c in broken[:MAX_CHECKS]]
    if len(broken) > MAX_CHECKS:
        more = len(broken) - MAX_CHECKS
        lines.append(f"… +{more} autre(s)" if lang == "fr" else f"… +{more} more")
    return lines


def _baseline_lines(result: PolicyResult, lang: str) -> list[str]:
    fr = lang == "fr"
    if not result.baseline_used:
        return []
    lines = [
        (f"Base de référence : {len(result.known_findings)} constat(s) connu(s), "
         f"{len(result.new_findings)} nouveau(x).") if fr else
        (f"Baseline: {len(result.known_findings)} known finding(s), "
         f"{len(result.new_findings)} new.")]
    if result.expired_entries:
        lines.append((f"{len(result.expired_entries)} entrée(s) expirée(s), de nouveau "
                      "comptée(s) :") if fr else
                     f"{len(result.expired_entries)} expired entr(y/ies), counted again:")
        for ref in result.expired_entries[:MAX_CHECKS]:
            what = " ".join(p for p in (ref.rule_id, ref.journey_id, ref.key) if p)
            lines.append(f"  - {what} ({'expirée le' if fr else 'expired'} {ref.expires}) "
                         f"— {ref.reason}")
        if len(result.expired_entries) > MAX_CHECKS:
            lines.append(f"  … +{len(result.expired_entries) - MAX_CHECKS}")
    if result.stale_entries:
        lines.append((f"{len(result.stale_entries)} entrée(s) ne correspondent plus à rien "
                      "(corrigées ?) : relancez `auditor baseline` pour les retirer.") if fr
                     else (f"{len(result.stale_entries)} entr(y/ies) match nothing any more "
                           "(fixed?): run `auditor baseline` to remove them."))
    return lines


def _exit_line(result: PolicyResult, lang: str) -> str:
    fr = lang == "fr"
    meaning = {
        0: ("budgets tenus", "budgets met"),
        1: ("un budget n'est pas tenu", "a budget failed"),
        3: ("un parcours s'est interrompu", "a journey broke"),
    }.get(result.exit_code, ("", ""))[0 if fr else 1]
    return (f"Code de sortie : {result.exit_code} ({meaning})." if fr else
            f"Exit code: {result.exit_code} ({meaning}).")


def render_policy_text(result: PolicyResult, lang: str = "en") -> str:
    """The verdict for a terminal or a CI log: one line per budget, worst first, with the
    broken places under each failed or warned budget."""
    lang = _lang(lang)
    lines = [headline(result, lang)]
    for outcome in ORDER:
        for budget in (b for b in result.budgets if b.outcome == outcome):
            status = _t(STATUS[outcome], lang)
            actual = _figure(budget, budget.actual, lang)
            limit = _figure(budget, budget.limit, lang)
            figures = "" if outcome in ("off", "not_applicable") else f" — {actual} / {limit}"
            lines.append(f"{SYMBOL[outcome]} {status:<7} {_t(budget.title, lang)} "
                         f"[{budget.id}]{figures}")
            if outcome in ("fail", "warn", "known"):
                lines += [f"          {line}" for line in _broken_checks(budget, lang)]
            elif outcome == "not_applicable":
                lines.append(f"          {_t(budget.message, lang)}")
    lines += _baseline_lines(result, lang)
    if result.broken_journeys:
        journeys = ", ".join(result.broken_journeys)
        lines.append(f"Parcours interrompu(s) : {journeys}." if lang == "fr" else
                     f"Journey(s) that broke: {journeys}.")
    lines.append(_exit_line(result, lang))
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text from a policy file, a journey file or an audited page, as literal Markdown:
    pipes, backticks, HTML and @mentions escaped, one line (table cells stay cells)."""
    return md_escape(text, limit=600)


def render_policy_markdown(result: PolicyResult, lang: str = "en") -> str:
    """The verdict for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: a table of budgets
    (worst first), then the broken places and the baseline's state."""
    lang = _lang(lang)
    fr = lang == "fr"
    lines = [f"### {_cell(headline(result, lang))}", ""]
    header = ("| Statut | Budget | Mesuré | Limite | Où |" if fr else
              "| Status | Budget | Actual | Limit | Where |")
    lines += [header, "|---|---|---|---|---|"]
    for outcome in ORDER:
        for budget in (b for b in result.budgets if b.outcome == outcome):
            actual = _figure(budget, budget.actual, lang)
            limit = _figure(budget, budget.limit, lang)
            where = (_t(budget.message, lang) if outcome == "not_applicable"
                     else _t(budget.scope, lang))
            lines.append(f"| {_t(MARKDOWN_STATUS[outcome], lang)} | "
                         f"{_cell(_t(budget.title, lang))} (`{budget.id}`) | {_cell(actual)} | "
                         f"{_cell(limit)} | {_cell(where)} |")
    broken = [b for b in result.budgets if b.outcome in ("fail", "warn")]
    if broken:
        lines += ["", "#### " + ("Budgets non tenus" if fr else "Broken budgets"), ""]
        for budget in broken:
            lines.append(f"- **{_cell(_t(budget.title, lang))}** (`{budget.id}`, "
                         f"{_t(MARKDOWN_STATUS[budget.outcome], lang)})")
            lines += [f"  - {_cell(line)}" for line in _broken_checks(budget, lang)]
            if budget.why is not None:
                label = "Pourquoi :" if fr else "Why:"
                lines.append(f"  - {label} {_cell(_t(budget.why, lang))}")
    baseline = _baseline_lines(result, lang)
    if baseline:
        lines += ["", "#### " + ("Base de référence" if fr else "Baseline"), ""]
        for line in baseline:
            nested = line.startswith("  ")
            text = _cell(line.strip().removeprefix("- "))
            lines.append(f"  - {text}" if nested else f"- {text}")
    if result.broken_journeys:
        journeys = ", ".join(_cell(j) for j in result.broken_journeys)
        lines += ["", (f"**Parcours interrompu(s) :** {journeys}" if fr else
                       f"**Journey(s) that broke:** {journeys}")]
    lines += ["", _exit_line(result, lang)]
    return "\n".join(lines) + "\n"


__all__ = ["headline", "render_policy_markdown", "render_policy_text"]
