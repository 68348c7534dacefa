"""Read rule files and profiles from ``rules/`` and from user directories, or fail with
``file:line: message`` lines, never a traceback.

Layout of a rules directory (the shipped one and any user one alike)::

    <dir>/<rule-id>.yml            one rule per file, file name = id
    <dir>/profiles/<id>.yml        profiles (default, strict, or your own)

Directories are read in order: the shipped ``rules/`` first, then each user directory. A user
rule or profile with the id of an earlier one replaces it, so an agency can tune a shipped rule
by copying its file, or add its own, without Python.

Every problem found is reported, one line each, before anything is scored: YAML syntax, unknown
or missing keys (with a suggestion), an id that differs from the file name, an indicator that
does not exist, a ``{placeholder}`` a message cannot fill, a profile naming a rule that does not
exist. The YAML line of each problem comes from PyYAML's node tree, as the journey loader does
(:mod:`auditor.journeys.loader`).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from auditor.journeys.loader import _line_of, _LineLoader
from auditor.paths import shipped_dir
from auditor.scoring.indicators import INDICATORS
from auditor.scoring.rule_model import (
    COMMON_PLACEHOLDERS,
    Profile,
    Rule,
    apply_override,
    merge_overrides,
)
from auditor.scoring.scorecard import Text

RULE_SUFFIXES = (".yml", ".yaml")
DEFAULT_PROFILE = "default"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_M = TypeVar("_M", bound=BaseModel)


class RuleError(Exception):
    """Bad rule or profile files. ``str(error)`` is one ``file:line: message`` per line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class RuleSet:
    """Rules and profiles read from one or more directories."""

    rules: dict[str, Rule] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    rule_files: dict[str, Path] = field(default_factory=dict)
    profile_files: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def from_rules(cls, rules: Iterable[Rule], profiles: Iterable[Profile] = ()) -> RuleSet:
        """A rule set built in memory (tests, API users)."""
        return cls(rules={r.id: r for r in rules}, profiles={p.id: p for p in profiles})

    def profile(self, profile: str | Profile | None = None) -> Profile:
        """The profile with its ``extends`` chain merged in.

        ``None`` means ``default`` when the set has one, else a profile of every rule.
        """
        if isinstance(profile, Profile):
            return _resolve(profile, self.profiles, [])
        name = profile or DEFAULT_PROFILE
        if name not in self.profiles:
            if profile is None:
                return Profile(id=DEFAULT_PROFILE, title=Text(fr="Par défaut", en="Default"))
            known = ", ".join(sorted(self.profiles)) or "none"
            raise RuleError([f"profile '{name}': no such profile (known: {known})"])
        return _resolve(self.profiles[name], self.profiles, [])

    def effective_rules(self, profile: str | Profile | None = None) -> list[Rule]:
        """The rules a profile selects, with its overrides applied, in id order."""
        resolved = self.profile(profile)
        chosen = []
        for rule_id in sorted(self.rules):
            if not _selected(rule_id, resolved):
                continue
            rule = self.rules[rule_id]
            override = resolved.overrides.get(rule_id)
            if override is not None:
                if override.enabled is False:
                    continue
                rule = apply_override(rule, override)
            chosen.append(rule)
        return chosen


def _selected(rule_id: str, profile: Profile) -> bool:
    included = any(fnmatch.fnmatchcase(rule_id, p) for p in profile.rules)
    excluded = any(fnmatch.fnmatchcase(rule_id, p) for p in profile.exclude)
    return included and not excluded


def _resolve(profile: Profile, known: dict[str, Profile], seen: list[str]) -> Profile:
    """``profile`` merged over its parent: the fields it sets win, overrides merge per rule."""
    if profile.extends is None:
        return profile
    if profile.extends in seen or profile.extends == profile.id:
        chain = " -> ".join([*seen, profile.id, profile.extends])
        raise RuleError([f"profile '{profile.id}': 'extends' makes a loop ({chain})"])
    parent_raw = known.get(profile.extends)
    if parent_raw is None:
        raise RuleError([f"profile '{profile.id}': extends unknown profile "
                         f"'{profile.extends}'"])
    parent = _resolve(parent_raw, known, [*seen, profile.id])
    data = parent.model_dump()
    own = profile.model_dump()
    for name in profile.model_fields_set:
        if name not in ("overrides",):
            data[name] = own[name]
    overrides = dict(parent.overrides)
    for rule_id, override in profile.overrides.items():
        base = overrides.get(rule_id)
        overrides[rule_id] = merge_overrides(base, override) if base else override
    data["overrides"] = {k: v.model_dump(exclude_none=True) for k, v in overrides.items()}
    data["id"] = profile.id
    data["extends"] = None
    return Profile.model_validate(data)


# --------------------------------------------------------------------------- parsing


def _compose(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    try:
        root = yaml.compose(text, Loader=_LineLoader)
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise RuleError([f"{source}:{line}: invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise RuleError([f"{source}:1: invalid YAML: {exc}"]) from None
    return root, raw


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "[key]")):
            continue
        else:
            out += f".{part}" if out else part
    return out


def _known_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names valid at ``loc`` (for "did you mean" suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not isinstance(current, type):
            continue
        info = current.model_fields.get(str(part)) if issubclass(current, BaseModel) else None
        if info is None:
            continue
        annotation = info.annotation
        args = [*getattr(annotation, "__args__", ()), annotation]
        nested = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)),
                      None)
        if nested is None:
            return []
        current = nested
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _message(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        name = str(loc[-1])
        close = difflib.get_close_matches(name, _known_keys(model, loc[:-1]), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key '{name}' in {_where(loc[:-1]) or 'the file'}{hint}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}' in {_where(loc[:-1]) or 'the file'}"
    text = str(error["msg"]).removeprefix("Value error, ")
    where = _where(loc)
    return f"{where}: {text}" if where else text


def _validate(model: type[_M], raw: Any, root: yaml.Node | None, source: str,
              kind: str) -> _M:
    if not isinstance(raw, dict):
        raise RuleError([f"{source}:1: a {kind} file is a mapping of keys (see `auditor rules "
                         "schema`)"])
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{source}:{_line_of(root, tuple(e['loc']))}: {_message(dict(e), model)}"
                 for e in exc.errors()]
        raise RuleError(list(dict.fromkeys(lines))) from None


def _texts(rule: Rule) -> list[tuple[str, Text]]:
    texts = [("message", rule.message)]
    if rule.item_message is not None:
        texts.append(("item_message", rule.item_message))
    if rule.pass_message is not None:
        texts.append(("pass_message", rule.pass_message))
    return texts


def check_rule(rule: Rule, root: yaml.Node | None, source: str, stem: str | None
               ) -> list[str]:
    """Problems a schema cannot see: id vs file name, indicator, placeholders."""
    problems: list[str] = []
    if stem is not None and rule.id != stem:
        problems.append(f"{source}:{_line_of(root, ('id',))}: id '{rule.id}' differs from the "
                        f"file name '{stem}' (name the file {rule.id}.yml)")
    indicator = INDICATORS.get(rule.indicator)
    if indicator is None:
        close = difflib.get_close_matches(rule.indicator, list(INDICATORS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        problems.append(f"{source}:{_line_of(root, ('indicator',))}: unknown indicator "
                        f"'{rule.indicator}'; {hint}(`auditor rules list --indicators` shows "
                        "them)")
        return problems
    allowed = COMMON_PLACEHOLDERS | set(indicator.params)
    item_allowed = allowed | set(indicator.item_params)
    for key, text in _texts(rule):
        for lang in ("fr", "en"):
            names = _PLACEHOLDER.findall(getattr(text, lang))
            valid = item_allowed if key == "item_message" else allowed
            for name in names:
                if name not in valid:
                    close = difflib.get_close_matches(name, sorted(valid), n=1)
                    hint = f"; did you mean '{{{close[0]}}}'?" if close else ""
                    problems.append(
                        f"{source}:{_line_of(root, (key, lang))}: {key}.{lang}: unknown "
                        f"placeholder '{{{name}}}' for indicator '{rule.indicator}'{hint}")
    return problems


def parse_rule(text: str, source: str, *, stem: str | None = None) -> Rule:
    """Validate one rule file's text; ``source`` names it in errors, ``stem`` is the expected
    id (the file name without extension)."""
    root, raw = _compose(text, source)
    rule = _validate(Rule, raw, root, source, "rule")
    problems = check_rule(rule, root, source, stem)
    if problems:
        raise RuleError(problems)
    return rule


@dataclass
class _ProfileSource:
    profile: Profile
    root: yaml.Node | None
    source: str


def parse_profile(text: str, source: str, *, stem: str | None = None) -> Profile:
    """Validate one profile file's text (rule names are checked by :func:`load_rules`)."""
    return _parse_profile(text, source, stem).profile


def _parse_profile(text: str, source: str, stem: str | None) -> _ProfileSource:
    root, raw = _compose(text, source)
    profile = _validate(Profile, raw, root, source, "profile")
    if stem is not None and profile.id != stem:
        raise RuleError([f"{source}:{_line_of(root, ('id',))}: id '{profile.id}' differs "
                         f"from the file name '{stem}' (name the file {profile.id}.yml)"])
    return _ProfileSource(profile, root, source)


def check_profile(item: _ProfileSource, rules: dict[str, Rule],
                  profiles: dict[str, Profile]) -> list[str]:
    """Rule names, extends and overrides of a profile against the rules loaded."""
    problems: list[str] = []
    profile, root, source = item.profile, item.root, item.source

    def suggest(name: str) -> str:
        close = difflib.get_close_matches(name, sorted(rules), n=1)
        return f"; did you mean '{close[0]}'?" if close else ""

    for key in ("rules", "exclude"):
        for index, pattern in enumerate(getattr(profile, key)):
            wildcard = any(ch in pattern for ch in "*?[")
            if not any(fnmatch.fnmatchcase(r, pattern) for r in rules):
                what = "pattern matches no rule" if wildcard else "unknown rule"
                problems.append(f"{source}:{_line_of(root, (key, index))}: {key}: {what} "
                                f"'{pattern}'{'' if wildcard else suggest(pattern)}")
    for rule_id, override in profile.overrides.items():
        line = _line_of(root, ("overrides", rule_id))
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(f"{source}:{line}: overrides: unknown rule '{rule_id}'"
                            f"{suggest(rule_id)}")
            continue
        try:
            apply_override(rule, override)
        except ValidationError as exc:
            for error in exc.errors():
                text = str(error["msg"]).removeprefix("Value error, ")
                problems.append(f"{source}:{line}: overrides.{rule_id}: {text}")
    if profile.extends is not None and profile.extends not in profiles:
        known = ", ".join(sorted(profiles))
        problems.append(f"{source}:{_line_of(root, ('extends',))}: extends unknown profile "
                        f"'{profile.extends}' (known: {known})")
    elif profile.extends is not None:
        try:
            _resolve(profile, profiles, [])
        except RuleError as exc:
            problems += [f"{source}:{_line_of(root, ('extends',))}: {line}"
                         for line in exc.lines]
    return problems


# --------------------------------------------------------------------------- directories


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and p.suffix in RULE_SUFFIXES)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError([f"{path}:1: not UTF-8 text ({exc.reason})"]) from None


def load_rules(user_dirs: Sequence[str | Path] = (), *, shipped: bool = True) -> RuleSet:
    """Rules and profiles of the shipped ``rules/`` (unless ``shipped=False``) and of
    ``user_dirs``, later directories replacing earlier ids. Raises :class:`RuleError` with every
    problem found."""
    directories: list[Path] = [shipped_dir("rules")] if shipped else []
    problems: list[str] = []
    for entry in user_dirs:
        path = Path(entry)
        if not path.is_dir():
            problems.append(f"{path}: no such directory of rules")
            continue
        if not _files(path) and not (path / "profiles").is_dir():
            problems.append(f"{path}: no rule (*.yml) nor profiles/ folder in this directory")
            continue
        directories.append(path)
    ruleset = RuleSet()
    profile_sources: dict[str, _ProfileSource] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in _files(directory):
            try:
                rule = parse_rule(_read(path), str(path), stem=path.stem)
            except RuleError as exc:
                problems += exc.lines
                continue
            ruleset.rules[rule.id] = rule
            ruleset.rule_files[rule.id] = path
        profile_dir = directory / "profiles"
        if profile_dir.is_dir():
            for path in _files(profile_dir):
                try:
                    item = _parse_profile(_read(path), str(path), path.stem)
                except RuleError as exc:
                    problems += exc.lines
                    continue
                profile_sources[item.profile.id] = item
                ruleset.profiles[item.profile.id] = item.profile
                ruleset.profile_files[item.profile.id] = path
    for item in profile_sources.values():
        problems += check_profile(item, ruleset.rules, ruleset.profiles)
    if problems:
        raise RuleError(list(dict.fromkeys(problems)))
    return ruleset
