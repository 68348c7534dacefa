"""EcoIndex-like score of one page view, implemented from the published method.

EcoIndex (cnumr, "Collectif Conception Numérique Responsable") rates a page view from 0 to 100
by where three figures fall in the distribution of 500,000 HTTP Archive pages: the number of DOM
elements (weight 3, the user's device), the number of requests (weight 2, the servers) and the
transferred size in KB (weight 1, the network) (cnumr/EcoIndex
``content/en/how-it-works/_30_criterias.md`` and ``_40_ecoindex.md`` @916a0da).

**Licence.** The reference implementations (``ecoindex-compute``, ``ecoindex_python_fullstack``,
``ecoindex_js``) are CC BY-NC-ND and the footprint factors are "not under free license –
©Frédéric Bordage", so nothing here is copied from them and no such package is imported. This
module implements the method as written in our measurement spec (metrics.md §4.1), which
records the formula, the quantile tables and the grade thresholds, and is checked against the
test vectors listed there. Every result must therefore be labelled :data:`METHOD_LABEL`, never
plain "EcoIndex".

Units (metrics.md §4.2, "Our definition"): ``size_kb`` is the sum of the bytes on the wire
(CDP ``encodedDataLength``) divided by **1000**, as cnumr's Python scraper does
(``Σ HAR _transferSize / 1000``). HTTP Archive and Lighthouse use 1024-byte KiB; convert with
:func:`bytes_to_size_kb`, never by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: How every score of this module must be labelled in reports (metrics.md §4.1, licence).
METHOD_LABEL = "EcoIndex-like (implemented from the published method)"

#: Recorded as ``ecoindex_tool_version`` (metrics.md §4.2): which implementation produced a
#: score, since EcoIndex tools disagree on the same page (cnumr/GreenIT-Analysis issue #61).
IMPLEMENTATION = (
    "participation-auditor ecoindex-like 1.0: cnumr/EcoIndex method @916a0da, constants as in "
    "cnumr/ecoindex_python @641ccd0 (metrics.md §4.1)"
)

#: Bytes in one EcoIndex "KB" (decimal kilobyte; metrics.md §4.2, "size_kb = Σ
#: encodedDataLength / 1000").
SIZE_KB_BYTES = 1000

# Quantile tables: the 0th..20th 5 %-quantiles of the HTTP Archive reference set, one table per
# criterion (metrics.md §4.1, from cnumr/ecoindex_python @641ccd0 ``ecoindex/data/quantiles.py``).
# Beware cnumr/ecoindex_js @800f969, which swaps the size and request tables (metrics.md §4.1,
# pitfalls): a test below the vectors guards against that mistake here.
QUANTILES_DOM: tuple[float, ...] = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949,
    1076, 1237, 1459, 1801, 2479, 594601,
)
QUANTILES_REQ: tuple[float, ...] = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170,
    205, 281, 3920,
)
QUANTILES_SIZE: tuple[float, ...] = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47,
    1448.32, 1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73,
    5400.08, 8037.54, 223212.26,
)

Grade = Literal["A", "B", "C", "D", "E", "F", "G"]

#: A score must be strictly greater than the threshold to earn the grade: 80 is a B, 25 an F,
#: 10 a G (metrics.md §4.1). Our scorecard grades (§6.1) use ">=" instead; do not share code.
GRADE_THRESHOLDS: tuple[tuple[Grade, int], ...] = (
    ("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10),
)


def bytes_to_size_kb(transferred_bytes: int | float) -> float:
    """Bytes on the wire to the EcoIndex size unit (decimal KB, metrics.md §4.2)."""
    return transferred_bytes / SIZE_KB_BYTES


def get_quantile(quantiles: Sequence[float], value: float) -> float:
    """Position of ``value`` in a quantile table, linearly interpolated, from 0 to 20.

    Method of metrics.md §4.1: find the first bucket whose upper bound is above the value and
    interpolate inside it; a value at or beyond the last bound saturates at ``len - 1`` (20).
    The arithmetic is written in the same order as the published pseudo-code so that results
    match the spec's vectors to the last bit (``get_quantile(QUANTILES_SIZE, 2500)`` is exactly
    ``14.086372025739513``).
    """
    for i in range(1, len(quantiles)):
        if value < quantiles[i]:
            return i - 1 + (value - quantiles[i - 1]) / (quantiles[i] - quantiles[i - 1])
    return len(quantiles) - 1


def get_score(dom: int, requests: int, size_kb: float) -> int:
    """EcoIndex-like score from 0 (worst) to 100 (best), weights DOM 3 : requests 2 : size 1.

    ``round`` is Python's (round half to even), as in the reference (metrics.md §4.1).
    """
    q_dom = get_quantile(QUANTILES_DOM, dom)
    q_req = get_quantile(QUANTILES_REQ, requests)
    q_size = get_quantile(QUANTILES_SIZE, size_kb)
    return round(100 - 5 * (3 * q_dom + 2 * q_req + q_size) / 6)


def get_grade(score: float) -> Grade:
    """Letter A..G: the first grade whose threshold the score strictly exceeds, else G."""
    for grade, threshold in GRADE_THRESHOLDS:
        if score > threshold:
            return grade
    return "G"


def get_ges(score: float) -> float:
    """Greenhouse-gas estimate in gCO2e per page view: 2 g at score 50, ±0.02 g per point.

    Footprint base "2g CO2e and 3cl blue water per webpage", modulated by the score, "based on
    an ADSL connection from a landline" (cnumr/EcoIndex ``_60_footprint.md``); rounded to 0.01.
    """
    return round(100 * (2 + 2 * (50 - score) / 100)) / 100


def get_water(score: float) -> float:
    """Blue-water estimate in centilitres per page view: 3 cl at score 50, ±0.03 cl per point."""
    return round(100 * (3 + 3 * (50 - score) / 100)) / 100


class EcoIndex(BaseModel):
    """The EcoIndex-like result of one page view (or of a reference point), with its inputs."""

    model_config = ConfigDict(extra="forbid")

    dom: int = Field(description="DOM elements, counted as metrics.md §4.2 defines.")
    requests: int = Field(description="Finished network requests of the page view.")
    size_kb: float = Field(description="Bytes on the wire / 1000 (metrics.md §4.2).")
    score: int = Field(ge=0, le=100)
    grade: Grade
    ges: float = Field(description="gCO2e per page view.")
    water: float = Field(description="Centilitres of blue water per page view.")


def compute_ecoindex(dom: int, requests: int, size_kb: float) -> EcoIndex:
    """Score, grade, greenhouse gas and water of a page view from its three inputs.

    >>> compute_ecoindex(dom=240, requests=20, size_kb=331)
    EcoIndex(dom=240, requests=20, size_kb=331.0, score=83, grade='A', ges=1.34, water=2.01)
    """
    if dom < 0 or requests < 0 or size_kb < 0:
        raise ValueError(
            f"EcoIndex inputs must be >= 0, got dom={dom} requests={requests} size_kb={size_kb}"
        )
    score = get_score(dom, requests, size_kb)
    return EcoIndex(
        dom=dom,
        requests=requests,
        size_kb=float(size_kb),
        score=score,
        grade=get_grade(score),
        ges=get_ges(score),
        water=get_water(score),
    )


# --------------------------------------------------------------------------- reference points


class ReferencePoint(BaseModel):
    """A page profile to compare a journey with: its three inputs and their EcoIndex-like score."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    source: str
    dom: int
    requests: int
    size_kb: float
    ecoindex: EcoIndex


def _reference(id_: str, label: str, source: str, dom: int, requests: int,
               size_kb: float) -> ReferencePoint:
    return ReferencePoint(id=id_, label=label, source=source, dom=dom, requests=requests,
                          size_kb=size_kb, ecoindex=compute_ecoindex(dom, requests, size_kb))


#: The median page of EcoIndex's HTTP Archive reference set (score 44, grade D).
ECOINDEX_MEDIANS = _reference(
    "ecoindex-median",
    "EcoIndex reference set median page",
    "cnumr/ecoindex_python @641ccd0 ecoindex/data/medians.py (metrics.md §4.1, §4.3)",
    dom=693, requests=78, size_kb=2420,
)

#: EcoIndex's target page (score 61, grade C).
ECOINDEX_TARGETS = _reference(
    "ecoindex-target",
    "EcoIndex target page",
    "cnumr/ecoindex_python @641ccd0 ecoindex/data/targets.py (metrics.md §4.1, §4.3)",
    dom=600, requests=40, size_kb=1024,
)
