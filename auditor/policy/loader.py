"""Read a policy (a preset or a YAML file) into a :class:`~auditor.policy.model.Policy`, or
fail with ``file:line: message`` lines, never a traceback.

The approach is the rule loader's (:mod:`auditor.scoring.rule_loader`), and so are its helpers:
PyYAML's node tree gives each problem its line, pydantic's errors become one sentence each with
a "did you mean" for misspelt keys. On top of the schema this loader checks what a schema
cannot: a budget id used twice, an ``extends`` that loops or names nothing, a ``levels`` entry
that matches no budget.

Presets ship inside the package (``auditor/policy/presets/*.yml``) so ``--policy default``
works from a wheel with no file around; a team's own file usually ``extends: default`` and
changes a few levels or limits.
"""

from __future__ import annotations

import difflib
import fnmatch
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.journeys.loader import _line_of
from auditor.policy.model import SIZE_PATTERN as _SIZE_PATTERN
from auditor.policy.model import Budget, Level, Policy, PolicyFile, as_text
from auditor.scoring.rule_loader import RuleError, _compose, _message
from auditor.scoring.scorecard import Text

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
POLICY_SUFFIXES = (".yml", ".yaml")
DEFAULT_TOLERANCE = 0.05


class PolicyError(Exception):
    """A bad policy or baseline file. ``str(error)`` is one ``file:line: message`` per line;
    the CLI prints them and exits with the usage/configuration code (2)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def preset_names() -> list[str]:
    """The presets shipped with the tool (``default``, ``strict``, ``warn-only``)."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yml"))


def preset_path(name: str) -> Path:
    """The file of a shipped preset."""
    return PRESETS_DIR / f"{name}.yml"


def read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The YAML tree (for lines) and its value; a syntax error becomes a :class:`PolicyError`.
    Duplicate keys are refused, as in journey and rule files."""
    try:
        return _compose(text, source)
    except RuleError as exc:
        raise PolicyError(exc.lines) from None


def validation_lines(exc: ValidationError, root: yaml.Node | None, source: str,
                     model: type[Any]) -> list[str]:
    """One ``file:line: message`` per pydantic error, duplicates dropped."""
    lines = [f"{source}:{_line_of(root, tuple(e['loc']))}: {_message(dict(e), model)}"
             for e in exc.errors()]
    return list(dict.fromkeys(lines))


def parse_policy_file(text: str, source: str) -> tuple[PolicyFile, yaml.Node | None]:
    """Validate one policy file's text (``extends`` is not followed here)."""
    root, raw = read_yaml(text, source)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise PolicyError([f"{source}:1: a policy file is a mapping of keys (title, extends, "
                           "levels, budgets; see `auditor/policy/README.md`)"])
    try:
        policy_file = PolicyFile.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(validation_lines(exc, root, source, PolicyFile)) from None
    problems = []
    seen: set[str] = set()
    for index, budget in enumerate(policy_file.budgets):
        if budget.id in seen:
            problems.append(f"{source}:{_line_of(root, ('budgets', index, 'id'))}: budget id "
                            f"'{budget.id}' is used twice")
        seen.add(budget.id)
    if problems:
        raise PolicyError(problems)
    return policy_file, root


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        close = difflib.get_close_matches(path.name, preset_names(), n=1)
        hint = f"; did you mean the preset '{close[0]}'?" if close else ""
        raise PolicyError([f"{path}: no such policy file (presets: "
                           f"{', '.join(preset_names())}){hint}"]) from None
    except IsADirectoryError:
        raise PolicyError([f"{path}: is a directory, not a policy file"]) from None
    except UnicodeDecodeError as exc:
        raise PolicyError([f"{path}:1: not UTF-8 text ({exc.reason})"]) from None


def _locate(reference: str | Path, relative_to: Path | None) -> tuple[str, Path]:
    """A preset name or a path → (policy id, file). Paths of ``extends`` are relative to the
    file that names them."""
    text = str(reference)
    if isinstance(reference, str) and text in preset_names():
        return text, preset_path(text)
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to.parent / path
    return path.stem, path


def _apply_levels(budgets: list[Budget], levels: dict[str, Level], root: yaml.Node | None,
                  source: str) -> tuple[list[Budget], list[str]]:
    """Levels by id or glob, in file order: ``{'*': warn, 'no-blocking-finding': error}``."""
    problems = []
    out = list(budgets)
    for pattern, level in levels.items():
        hits = [i for i, b in enumerate(out) if fnmatch.fnmatchcase(b.id, pattern)]
        if not hits:
            close = difflib.get_close_matches(pattern, [b.id for b in out], n=1)
            hint = (f"did you mean '{close[0]}'?" if close else
                    "budgets: " + (", ".join(b.id for b in out) or "none"))
            problems.append(f"{source}:{_line_of(root, ('levels', pattern))}: levels: "
                            f"'{pattern}' matches no budget ({hint})")
        for i in hits:
            out[i] = out[i].model_copy(update={"level": level})
    return out, problems


def _merge(policy_file: PolicyFile, root: yaml.Node | None, source: str, policy_id: str,
           parent: Policy | None) -> Policy:
    """``policy_file`` over its parent: same-id budgets replaced in place, new ones appended,
    then ``levels`` applied to the result (so a child can soften an inherited budget)."""
    budgets = list(parent.budgets) if parent else []
    for budget in policy_file.budgets:
        index = next((i for i, b in enumerate(budgets) if b.id == budget.id), None)
        if index is None:
            budgets.append(budget)
        else:
            budgets[index] = budget
    budgets, problems = _apply_levels(budgets, policy_file.levels, root, source)
    if problems:
        raise PolicyError(problems)
    title = policy_file.title or (parent.title if parent else None) or Text(
        fr=f"Politique « {policy_id} »", en=f"“{policy_id}” policy")
    tolerance = (policy_file.baseline_tolerance if policy_file.baseline_tolerance is not None
                 else parent.baseline_tolerance if parent else DEFAULT_TOLERANCE)
    return Policy(id=policy_id, title=title,
                  sources=[*(parent.sources if parent else []), source],
                  baseline_tolerance=tolerance, budgets=budgets)


def _parent(policy_file: PolicyFile, root: yaml.Node | None, source: str, anchor: Path,
            chain: list[Path]) -> Policy | None:
    """The policy named by ``extends``; its own errors keep their file and line, and one line
    here says which ``extends`` led there."""
    if policy_file.extends is None:
        return None
    try:
        return _resolve(policy_file.extends, anchor, chain)
    except PolicyError as exc:
        line = _line_of(root, ("extends",))
        raise PolicyError([f"{source}:{line}: extends '{policy_file.extends}' failed:",
                           *exc.lines]) from None


def _resolve(reference: str | Path, relative_to: Path | None, chain: list[Path]) -> Policy:
    policy_id, path = _locate(reference, relative_to)
    resolved = path.resolve()
    if resolved in chain:
        loop = " -> ".join(str(p) for p in [*chain, resolved])
        raise PolicyError([f"{path}:1: 'extends' makes a loop ({loop})"])
    source = str(path)
    policy_file, root = parse_policy_file(_read(path), source)
    parent = _parent(policy_file, root, source, path, [*chain, resolved])
    return _merge(policy_file, root, source, policy_id, parent)


def load_policy(path_or_preset: str | Path) -> Policy:
    """A preset (``default``, ``strict``, ``warn-only``) or a policy file, with its ``extends``
    chain merged and its ``levels`` applied. Raises :class:`PolicyError` on any problem."""
    return _resolve(path_or_preset, None, [])


def parse_policy(text: str, source: str = "<policy>", *, policy_id: str = "policy",
                 base_dir: Path | None = None) -> Policy:
    """A policy from YAML text (tests, API users). A file named by ``extends`` is looked up
    relative to ``base_dir`` (default: the current directory); presets by name."""
    policy_file, root = parse_policy_file(text, source)
    anchor = (base_dir or Path.cwd()) / source
    parent = _parent(policy_file, root, source, anchor, [])
    return _merge(policy_file, root, source, policy_id, parent)


def _also(properties: dict[str, Any], name: str, *alternatives: dict[str, Any]) -> None:
    """Let a property also take the short forms the validators accept (a plain string title,
    ``max_findings: 0``, ``scope: platform``, ``value: 1 MB``...), so editors using the schema
    do not flag what the loader reads fine."""
    original = properties[name]
    described = {k: original.pop(k) for k in ("description", "title", "default")
                 if k in original}
    properties[name] = {**described, "anyOf": [*alternatives, original]}


def policy_json_schema() -> dict[str, Any]:
    """The JSON Schema of a policy file (for editors: ``# yaml-language-server: $schema=``)."""
    schema = PolicyFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "participation-auditor policy"
    schema["description"] = ("Budgets a CI run must meet: minimum grades, maximum findings, "
                             "rule outcomes and measure limits, each off, warn or error. "
                             "See auditor/policy/README.md.")
    text = {"type": "string"}
    defs = schema["$defs"]
    _also(schema["properties"], "title", text)
    budget = defs["Budget"]["properties"]
    _also(budget, "title", text)
    _also(budget, "why", text)
    _also(budget, "scope", {"const": "platform"})
    _also(budget, "max_findings", {"type": "integer", "minimum": 0})
    _also(defs["MeasureLimit"]["properties"], "value",
          {"type": "string", "pattern": _SIZE_PATTERN})
    kinds = defs["Scope"]["properties"]["kind"]["items"]
    _also(defs["Scope"]["properties"], "kind", dict(kinds))
    for name in ("rules", "severity", "category"):
        items = defs["MaxFindings"]["properties"][name]["items"]
        _also(defs["MaxFindings"]["properties"], name, dict(items))
    return schema


__all__ = ["PRESETS_DIR", "PolicyError", "as_text", "load_policy", "parse_policy",
           "parse_policy_file", "policy_json_schema", "preset_names", "preset_path",
           "read_yaml", "validation_lines"]
