"""Suite-wide pytest options: ``--regen-golden`` rewrites the reporters' golden files.

Golden files (tests/golden/) are compared byte for byte; when an output changes on purpose,
run ``pytest tests/unit/test_reporters.py --regen-golden`` and review the diff before commit.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output instead of comparing")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, text)``: compare ``text`` with tests/golden/<name> (or rewrite it)."""
    regen = bool(request.config.getoption("--regen-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if regen:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return
        assert path.is_file(), f"{path} is missing: run pytest --regen-golden, review, commit"
        with path.open(encoding="utf-8", newline="") as handle:
            expected = handle.read()
        if text != expected:
            diff = "".join(difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True),
                f"golden/{name}", "current output", n=1))
            pytest.fail(f"output differs from golden/{name} (pytest --regen-golden rewrites "
                        f"it on purpose):\n{diff[:4000]}")

    return check
