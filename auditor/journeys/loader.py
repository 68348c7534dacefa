"""Read a journey file into a TargetConfig, or fail with ``file:line: message``.

People write these files by hand, often far from Python; an error must point at the line and
say what to change, never show a traceback. PyYAML's node tree gives us the line of every key,
so each pydantic error is mapped back to the deepest YAML node that exists on its path.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.journeys.schema import STEP_KINDS, TargetConfig
from auditor.journeys.templating import TemplateError, check_templates


class ConfigError(Exception):
    """A bad journey file. ``str(error)`` is one or more ``file:line: message`` lines."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a silent overwrite hides mistakes)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """1-based line of the deepest node of ``loc`` present in the YAML tree.

    Elements of ``loc`` that are not in the tree (pydantic's union tags, a missing key) are
    skipped, so a missing field points at its parent mapping.
    """
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    found = (key_node, value_node)
                    break
            if found is None:
                continue
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
    return line


def _where(loc: tuple[int | str, ...]) -> str:
    """Readable path such as ``journeys[0].steps[2].fill.value`` without union tags."""
    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == previous or part.startswith("function-"):
            continue  # pydantic repeats the union tag before the field
        else:
            out += f".{part}" if out else part
        previous = part
    return out


def _message(error: dict[str, Any], raw: Any) -> str:
    """One sentence for one pydantic error, with a suggestion where we can make one."""
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "unknown_step_kind":
        step = _dig(raw, loc)
        keys = list(step) if isinstance(step, dict) else []
        unknown = [k for k in keys if k not in ("timeout", "note")]
        if isinstance(step, dict) and unknown:
            name = unknown[0]
            close = difflib.get_close_matches(str(name), STEP_KINDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            return (f"unknown step kind '{name}'{hint} "
                    f"(known kinds: {', '.join(STEP_KINDS)})")
        return f"a step must be a mapping with one of: {', '.join(STEP_KINDS)}"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        return f"unknown key '{name}' in {_where(loc[:-1]) or 'the file'}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}' in {_where(loc[:-1]) or 'the file'}"
    text = str(error["msg"]).removeprefix("Value error, ")
    where = _where(loc)
    return f"{where}: {text}" if where else text


def _dig(raw: Any, loc: tuple[int | str, ...]) -> Any:
    """The raw value at ``loc``, skipping parts that are not in it (union tags)."""
    value = raw
    for part in loc:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
    return value


def parse_config(text: str, source: str, *, base_url: str | None = None,
                 environ: dict[str, str] | None = None) -> TargetConfig:
    """Validate journey-file text; ``source`` names the file in error messages.

    ``base_url`` overrides the file's own (``auditor demo`` and ``--base-url`` use it).
    """
    try:
        root = yaml.compose(text, Loader=_LineLoader)
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError([f"{source}:{line}: invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([f"{source}:1: invalid YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise ConfigError([f"{source}:1: a journey file is a mapping with base_url and "
                           "journeys (see `auditor schema`)"])
    if base_url is not None:
        raw["base_url"] = base_url
    duplicate = _duplicate_journey(raw)
    if duplicate is not None:
        index, name = duplicate
        line = _line_of(root, ("journeys", index, "id"))
        raise ConfigError([f"{source}:{line}: journey id '{name}' is used twice"])
    try:
        config = TargetConfig.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            lines.append(f"{source}:{_line_of(root, loc)}: {_message(dict(error), raw)}")
        raise ConfigError(_unique(lines)) from None
    problems = []
    env = os.environ if environ is None else environ
    for loc, message in _template_problems(raw, env):
        problems.append(f"{source}:{_line_of(root, loc)}: {message}")
    if problems:
        raise ConfigError(problems)
    config._source = source
    for j, journey in enumerate(config.journeys):
        for i in range(len(journey.steps)):
            config._step_lines[(j, i)] = _line_of(root, ("journeys", j, "steps", i))
    return config


def _duplicate_journey(raw: dict[str, Any]) -> tuple[int, str] | None:
    """Index and id of the first journey whose id was already used."""
    journeys = raw.get("journeys")
    if not isinstance(journeys, list):
        return None
    seen: set[str] = set()
    for index, journey in enumerate(journeys):
        name = journey.get("id") if isinstance(journey, dict) else None
        if isinstance(name, str):
            if name in seen:
                return index, name
            seen.add(name)
    return None


def _template_problems(raw: Any, env: Any, loc: tuple[int | str, ...] = ()
                       ) -> list[tuple[tuple[int | str, ...], str]]:
    """Check every ``{{ ... }}`` in the file names a known variable and a set env var."""
    found: list[tuple[tuple[int | str, ...], str]] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            found += _template_problems(value, env, (*loc, key))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            found += _template_problems(value, env, (*loc, index))
    elif isinstance(raw, str) and "{{" in raw:
        try:
            check_templates(raw, env)
        except TemplateError as exc:
            found.append((loc, str(exc)))
    return found


def _unique(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in lines if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]


def load_config(path: str | Path, *, base_url: str | None = None,
                environ: dict[str, str] | None = None) -> TargetConfig:
    """Read and validate a journey file from disk."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{file}: no such file"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{file}: is a directory, not a journey file"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{file}: not UTF-8 text ({exc.reason})"]) from None
    return parse_config(text, str(file), base_url=base_url, environ=environ)


_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*(?:#.*)?$")


def read_url_list(path: str | Path) -> list[str]:
    """URLs of a plain-text file, one per line; blank lines and # comments are skipped."""
    file = Path(path)
    urls = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _URL_LINE.match(line)
        if not match:
            raise ConfigError([f"{file}:{number}: not an http(s) URL: {stripped[:80]}"])
        urls.append(match.group(1))
    if not urls:
        raise ConfigError([f"{file}:1: no URL in the file"])
    return urls
