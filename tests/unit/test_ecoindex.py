"""EcoIndex-like formula against every test vector of metrics.md §4.1 (score and grade exact)."""

from __future__ import annotations

import pytest

from auditor.metrics.ecoindex import (
    ECOINDEX_MEDIANS,
    ECOINDEX_TARGETS,
    METHOD_LABEL,
    QUANTILES_DOM,
    QUANTILES_REQ,
    QUANTILES_SIZE,
    bytes_to_size_kb,
    compute_ecoindex,
    get_grade,
    get_quantile,
    get_score,
)

# dom, requests, size (KB), score, grade, ges (gCO2e), water (cl): metrics.md §4.1 table.
VECTORS = [
    (100, 100, 100, 72, "B", 1.56, 2.34),
    (100, 100, 1000, 67, "C", 1.66, 2.49),
    (100, 100, 10000, 58, "C", 1.84, 2.76),
    (200, 200, 10000, 46, "D", 2.08, 3.12),
    (2355, 267, 2493, 10, "G", 2.8, 4.2),
    (240, 20, 331, 83, "A", 1.34, 2.01),
    (2240, 100, 310182.902, 16, "F", 2.68, 4.02),
    (693, 78, 2420, 44, "D", 2.12, 3.18),
    (600, 40, 1024, 61, "C", 1.78, 2.67),
]


@pytest.mark.parametrize(("dom", "requests", "size_kb", "score", "grade", "ges", "water"),
                         VECTORS)
def test_spec_vectors(dom: int, requests: int, size_kb: float, score: int, grade: str,
                      ges: float, water: float) -> None:
    result = compute_ecoindex(dom=dom, requests=requests, size_kb=size_kb)
    assert (result.score, result.grade, result.ges, result.water) == (score, grade, ges, water)
    assert (result.dom, result.requests, result.size_kb) == (dom, requests, size_kb)


def test_quantile_vectors_are_bit_exact() -> None:
    assert get_quantile(QUANTILES_SIZE, 2500) == 14.086372025739513
    assert get_quantile(QUANTILES_DOM, 150) == 2.892857142857143
    assert get_quantile(QUANTILES_REQ, 23) == 2.8


def test_quantile_bounds_and_saturation() -> None:
    assert get_quantile(QUANTILES_DOM, 0) == 0
    # A value equal to a bound sits at that bound's index, not in the bucket below.
    assert get_quantile(QUANTILES_REQ, 15) == 2
    assert get_quantile(QUANTILES_SIZE, 223212.26) == 20
    assert get_quantile(QUANTILES_SIZE, 10**9) == 20


@pytest.mark.parametrize(("score", "grade"), [
    (100, "A"), (81, "A"), (80, "B"), (71, "B"), (70, "C"), (56, "C"), (55, "D"), (41, "D"),
    (40, "E"), (26, "E"), (25, "F"), (11, "F"), (10, "G"), (0, "G"), (80.5, "A"),
])
def test_grade_thresholds_are_strict(score: float, grade: str) -> None:
    assert get_grade(score) == grade


def test_score_range_is_0_to_100() -> None:
    assert get_score(0, 0, 0) == 100
    assert compute_ecoindex(0, 0, 0).grade == "A"
    worst = compute_ecoindex(10**7, 10**6, 10**9)
    assert (worst.score, worst.grade) == (0, "G")


def test_score_does_not_improve_when_any_input_grows() -> None:
    base = get_score(500, 50, 1000)
    assert get_score(900, 50, 1000) < base
    assert get_score(500, 90, 1000) < base
    assert get_score(500, 50, 3000) < base


def test_dom_weighs_three_times_size() -> None:
    # One quantile step of DOM moves the score by 5*3/6 = 2.5 points, of size by 5/6.
    assert get_score(int(QUANTILES_DOM[5]), 0, 0) == round(100 - 5 * 3 * 5 / 6)
    assert get_score(0, 0, QUANTILES_SIZE[6]) == round(100 - 5 * 6 / 6)


def test_tables_are_not_swapped_like_ecoindex_js() -> None:
    # metrics.md §4.1 pitfall: with size and request tables swapped the targets score ~57.
    swapped = round(100 - 5 * (3 * get_quantile(QUANTILES_DOM, 600)
                               + 2 * get_quantile(QUANTILES_SIZE, 40)
                               + get_quantile(QUANTILES_REQ, 1024)) / 6)
    assert swapped == 57
    assert compute_ecoindex(600, 40, 1024).score == 61


def test_reference_points() -> None:
    assert (ECOINDEX_MEDIANS.ecoindex.score, ECOINDEX_MEDIANS.ecoindex.grade) == (44, "D")
    assert (ECOINDEX_TARGETS.ecoindex.score, ECOINDEX_TARGETS.ecoindex.grade) == (61, "C")
    assert (ECOINDEX_MEDIANS.dom, ECOINDEX_MEDIANS.requests, ECOINDEX_MEDIANS.size_kb) == (
        693, 78, 2420)
    assert (ECOINDEX_TARGETS.dom, ECOINDEX_TARGETS.requests, ECOINDEX_TARGETS.size_kb) == (
        600, 40, 1024)


def test_size_unit_is_decimal_kilobytes() -> None:
    # metrics.md §4.2: size_kb = Σ encodedDataLength / 1000.
    assert bytes_to_size_kb(331_000) == 331
    assert compute_ecoindex(240, 20, bytes_to_size_kb(331_000)).score == 83


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        compute_ecoindex(-1, 0, 0)


def test_label_says_it_is_not_the_official_tool() -> None:
    assert METHOD_LABEL == "EcoIndex-like (implemented from the published method)"
