"""Small builders of plain Run objects for unit tests (no browser, no files).

Every builder takes keyword arguments with sensible defaults, so a test states only what it is
about: ``checkpoint(0, violations=[rule("label", "critical", ["form > input"])])``.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.models import (
    AxeNode,
    AxeResults,
    AxeRuleResult,
    Checkpoint,
    FormField,
    Impact,
    JourneyResult,
    Run,
    StepResult,
    TargetInfo,
    TextCorpora,
    ToolInfo,
)

SITE = "https://participer.example.fr"

#: Tags axe-core 4.11 puts on a few rules (dequelabs/axe-core lib/rules/*.json).
RULE_TAGS: dict[str, list[str]] = {
    "label": ["cat.forms", "wcag2a", "wcag412", "section508", "ACT", "RGAAv4", "RGAA-11.1.1"],
    "color-contrast": ["cat.color", "wcag2aa", "wcag143", "TTv5", "RGAAv4", "RGAA-3.2.1"],
    "region": ["cat.keyboard", "best-practice", "RGAAv4", "RGAA-9.2.1"],
    "target-size": ["cat.sensory-and-visual-cues", "wcag22aa", "wcag258"],
    "image-alt": ["cat.text-alternatives", "wcag2a", "wcag111", "RGAAv4", "RGAA-1.1.1"],
    "html-has-lang": ["cat.language", "wcag2a", "wcag311", "RGAAv4", "RGAA-8.3.1"],
    "button-name": ["cat.name-role-value", "wcag2a", "wcag412", "RGAAv4", "RGAA-11.9.1"],
    "autocomplete-valid": ["cat.forms", "wcag21aa", "wcag135", "RGAAv4", "RGAA-11.13.1"],
}


def node(target: str | Sequence[str], html: str = "<x>", impact: Impact | None = None,
         summary: str = "") -> AxeNode:
    """An axe node; a single selector or a frame path."""
    targets = [target] if isinstance(target, str) else list(target)
    return AxeNode(target=targets, html=html, impact=impact, failure_summary=summary)


def rule(rule_id: str, impact: Impact | None = "serious",
         targets: Sequence[str | Sequence[str]] = ("#x",), tags: Sequence[str] | None = None,
         help: str = "", description: str = "") -> AxeRuleResult:
    """An axe rule result with one node per target; tags default to :data:`RULE_TAGS`."""
    return AxeRuleResult(
        id=rule_id, impact=impact,
        tags=list(tags) if tags is not None else list(RULE_TAGS.get(rule_id, [])),
        help=help or f"{rule_id} help", description=description or f"{rule_id} description",
        help_url=f"https://dequeuniversity.com/rules/axe/4.11/{rule_id}",
        nodes=[node(t, html=f"<el {rule_id}>", impact=impact) for t in targets])


def field(name: str, label: str = "", *, type: str = "text", required: bool = False,
          form_index: int = 0, visible: bool = True, disabled: bool = False,
          placeholder: str = "", hint: str = "", tag: str = "input") -> FormField:
    """A form control as the gatherer records it."""
    return FormField(tag=tag, type=type, name=name, id=name, form_index=form_index,
                     label=label or name, label_source="label", placeholder=placeholder,
                     hint=hint, required=required, visible=visible, disabled=disabled,
                     selector=f"#{name}")


def checkpoint(index: int, *, journey_id: str = "signup", url: str = f"{SITE}/",
               trigger: str = "navigation", step_index: int = -1, name: str = "",
               lang: str = "fr", main_prose: str = "", microcopy: Sequence[str] = (),
               errors: Sequence[str] = (), legal: Sequence[str] = (),
               headings: Sequence[str] = (), fields: Sequence[FormField] = (),
               violations: Sequence[AxeRuleResult] = (),
               incomplete: Sequence[AxeRuleResult] = (), passed_rules: Sequence[str] = (),
               inapplicable_rules: Sequence[str] = (), axe_error: str | None = None,
               full_text: str = "") -> Checkpoint:
    """A checkpoint with the given text corpora, fields and axe results."""
    return Checkpoint(
        index=index, journey_id=journey_id, step_index=step_index, name=name,
        trigger=trigger,
        url=url, lang=lang,
        axe=AxeResults(violations=list(violations), incomplete=list(incomplete),
                       passes_count=len(passed_rules), passed_rules=list(passed_rules),
                       inapplicable_count=len(inapplicable_rules),
                       inapplicable_rules=list(inapplicable_rules), error=axe_error),
        text=TextCorpora(main_prose=main_prose, main_source="main", headings=list(headings),
                         microcopy=list(microcopy), errors=list(errors), legal=list(legal),
                         full_text=full_text or main_prose),
        fields=list(fields))


def step(index: int, kind: str, target: str = "", *, value: str = "", typed_chars: int = 0,
         navigated: bool = False, duration_ms: float = 100.0, line: int | None = None,
         outcome: str = "ok", url_before: str = f"{SITE}/", url_after: str = "",
         checkpoints: Sequence[int] = (), secret: bool = False) -> StepResult:
    """A step result; ``line`` defaults to 10 + index (as if from a journey file)."""
    return StepResult(index=index, kind=kind, line=line if line is not None else 10 + index,
                      target=target, value=value, typed_chars=typed_chars, secret=secret,
                      outcome=outcome,
                      duration_ms=duration_ms, url_before=url_before,
                      url_after=url_after or url_before, navigated=navigated,
                      checkpoints=list(checkpoints))


def journey(journey_id: str = "signup", *, steps: Sequence[StepResult] = (),
            checkpoints: Sequence[Checkpoint] = (), status: str = "completed",
            start_url: str = f"{SITE}/", failed_step: int | None = None) -> JourneyResult:
    """A journey result."""
    return JourneyResult(id=journey_id, title=journey_id.title(), start_url=start_url,
                         status=status,
                         failed_step=failed_step, steps=list(steps),
                         checkpoints=list(checkpoints))


def run(*journeys: JourneyResult) -> Run:
    """A run holding the given journeys."""
    return Run(tool=ToolInfo(version="0.0.0-test"), target=TargetInfo(base_url=SITE),
               journeys=list(journeys))
