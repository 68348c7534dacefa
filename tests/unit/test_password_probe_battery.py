"""The candidate battery itself: lengths and classes are what the spec says they are."""

from __future__ import annotations

from auditor.journeys.password_probe import CLIENT_BATTERY, SERVER_ORDER, character_classes


def test_battery_lengths_match_their_names() -> None:
    lengths = {c.id: len(c.value) for c in CLIENT_BATTERY}
    assert lengths["C8_lower"] == 8 and lengths["C64"] == 64
    assert lengths["C12_lower"] == 12 and lengths["C15_phrase"] >= 15
    assert set(SERVER_ORDER) <= set(lengths)


def test_character_classes() -> None:
    assert character_classes("papillon") == ["lower"]
    assert character_classes("azerty123") == ["lower", "digit"]
    assert character_classes("Plume-Vol4nte!2024") == ["lower", "upper", "digit", "symbol"]
    assert character_classes("été à la forêt") == ["lower", "space", "non-ascii"]
