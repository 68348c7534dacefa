"""scorecard.json and its published, versioned JSON Schema.

The JSON is the Scorecard itself (``model_dump_json``), fields in model order, two-space
indent, UTF-8 text (accents kept, not ``\\u`` escaped), so two runs diff line by line and
``Finding.id`` (a stable fingerprint) matches problems from one run to the next.

The schema is generated from the model (``Scorecard.model_json_schema()``, JSON Schema
2020-12) and carries ``$id`` and ``version`` = ``SCORECARD_SCHEMA_VERSION``. A golden copy in
``tests/golden/scorecard.schema.json`` makes every change of the format show in review: a
change there must come with a new ``SCORECARD_SCHEMA_VERSION`` (minor: fields added with
defaults; major: anything that breaks an existing reader).
"""

from __future__ import annotations

from typing import Any

from auditor.scoring.scorecard import SCORECARD_SCHEMA_VERSION, Scorecard

SCHEMA_ID = ("https://github.com/participation-auditor/participation-auditor/schemas/"
             "scorecard-{version}.schema.json")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_json(scorecard: Scorecard) -> str:
    """The whole scorecard as JSON text (ends with a newline)."""
    return scorecard.model_dump_json(indent=2) + "\n"


def scorecard_json_schema() -> dict[str, Any]:
    """The JSON Schema of scorecard.json, for this ``schema_version``."""
    schema = Scorecard.model_json_schema(mode="validation")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": SCHEMA_ID.format(version=SCORECARD_SCHEMA_VERSION),
        "version": SCORECARD_SCHEMA_VERSION,
        **schema,
    }
