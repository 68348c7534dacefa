"""Where the shipped data folders are, in a wheel and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """Return the folder ``rules`` or ``reports_templates``.

    An installed wheel carries them as ``auditor/_shipped/<name>`` (copied by setup.py); an
    editable install or a checkout reads them at the repository root, so edits show at once.
    """
    inside = PACKAGE_DIR / "_shipped" / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def data_file(name: str) -> Path:
    """A data file shipped inside the package (auditor/data)."""
    return PACKAGE_DIR / "data" / name
