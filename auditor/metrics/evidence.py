"""Where a measured value comes from, so every figure in a report can be checked by hand."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Evidence(BaseModel):
    """A pointer into the run: which journey, step, page, element or sentence."""

    model_config = ConfigDict(extra="forbid")

    journey_id: str = ""
    step_index: int | None = None
    checkpoint: int | None = None
    url: str = ""
    selector: str = ""
    text: str = ""
    detail: str = ""
