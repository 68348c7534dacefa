"""Save and load run.json: atomic writes, a last redaction pass, one-line errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from auditor.models import RUN_SCHEMA_VERSION, Run
from auditor.urls import Redactor


class RunFileError(Exception):
    """run.json missing, unreadable or of another schema; the message is one line."""


def save_run(run: Run, out_dir: Path, redactor: Redactor | None = None) -> Path:
    """Write ``out_dir/run.json`` atomically; secrets known to ``redactor`` are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = run.model_dump_json(indent=1)
    if redactor is not None:
        text = redactor.text(text)
    target = out_dir / "run.json"
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
    return target


def load_run(path: str | Path) -> Run:
    """Read a saved run (a run.json file or the directory that holds one)."""
    file = Path(path)
    if file.is_dir():
        file = file / "run.json"
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFileError(f"{file}: no such file") from None
    except json.JSONDecodeError as exc:
        raise RunFileError(f"{file}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunFileError(f"{file}: cannot read ({exc})") from None
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise RunFileError(f"{file}: not a participation-auditor run (no schema_version)")
    major = str(raw["schema_version"]).split(".")[0]
    if major != RUN_SCHEMA_VERSION.split(".")[0]:
        raise RunFileError(f"{file}: run schema {raw['schema_version']} is not supported "
                           f"(this version reads {RUN_SCHEMA_VERSION})")
    try:
        return Run.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RunFileError(f"{file}: invalid run at {where}: {first['msg']}") from None
