"""Language normalisation and the offline detector cross-check (metrics.md §1.1, §1.6)."""

from __future__ import annotations

import pytest

from auditor.metrics.language import (
    MIN_WORDS_FOR_DETECTION,
    decide_language,
    detect_language,
    normalise_lang,
)

FRENCH = ("Pour déposer une idée sur la plateforme de participation de votre commune, vous "
          "devez d'abord créer un compte avec votre adresse électronique et un mot de passe. "
          "Les habitants votent ensuite pour les projets qu'ils préfèrent.")
ENGLISH = ("To submit an idea on the participation platform of your town, you first need to "
           "create an account with your e-mail address and a password. Residents then vote "
           "for the projects they like best.")
GERMAN = ("Um eine Idee auf der Beteiligungsplattform Ihrer Gemeinde einzureichen, müssen Sie "
          "zuerst ein Konto mit Ihrer E-Mail-Adresse und einem Passwort erstellen. Die "
          "Einwohner stimmen dann für die Projekte ab, die ihnen am besten gefallen.")


@pytest.mark.parametrize(("tag", "expected"), [
    ("fr-FR", "fr"),
    ("FR", "fr"),
    ("fr_CA", "fr"),
    ("fr", "fr"),
    (" en-GB ", "en"),
    ("EN-us", "en"),
    ("de-CH-1996", "de"),
    ("", None),
    ("   ", None),
    (None, None),
    ("x-klingon", None),
    ("123", None),
    ("français", None),
])
def test_normalise_lang_keeps_the_lower_case_primary_subtag(tag: str | None,
                                                             expected: str | None) -> None:
    assert normalise_lang(tag) == expected


def test_fr_FR_never_selects_english() -> None:
    # The textstat pitfall (§1.1): "fr-FR" silently gave the English Flesch constants.
    decision = decide_language("fr-FR", FRENCH)
    assert decision.declared == "fr"
    assert decision.used == "fr"
    assert not decision.mismatch


def test_detects_french_and_english_offline() -> None:
    fr = detect_language(FRENCH)
    en = detect_language(ENGLISH)
    assert fr is not None and fr.lang == "fr" and fr.confidence > 0.99
    assert en is not None and en.lang == "en" and en.confidence > 0.99
    assert fr.candidates == ["en", "fr"]


def test_detection_needs_twenty_words() -> None:
    short = "Créez votre compte pour participer"
    assert detect_language(short) is None
    words = FRENCH.split()
    assert detect_language(" ".join(words[:MIN_WORDS_FOR_DETECTION - 1])) is None
    assert detect_language(" ".join(words[:MIN_WORDS_FOR_DETECTION])) is not None


def test_wrong_declared_lang_is_a_mismatch_and_detection_is_used() -> None:
    decision = decide_language("en", FRENCH)
    assert decision.declared == "en"
    assert decision.detected == "fr"
    assert decision.used == "fr"
    assert decision.mismatch
    assert "declared en" in decision.note


def test_missing_lang_is_a_mismatch_and_detection_fills_in() -> None:
    decision = decide_language("", ENGLISH)
    assert decision.declared is None
    assert decision.used == "en"
    assert decision.mismatch
    assert "no lang declared" in decision.note


def test_missing_lang_on_short_text_leaves_the_language_unknown() -> None:
    decision = decide_language(None, "Valider")
    assert decision.used is None
    assert decision.detected is None
    assert decision.mismatch


def test_declared_lang_is_trusted_on_short_text() -> None:
    decision = decide_language("fr", "Mot de passe")
    assert decision.used == "fr"
    assert not decision.mismatch
    assert decision.detected is None


def test_a_declared_third_language_joins_the_candidates() -> None:
    decision = decide_language("de-DE", GERMAN)
    assert decision.detected == "de"
    assert decision.used == "de"
    assert not decision.mismatch


def test_detection_is_deterministic() -> None:
    assert decide_language("en", FRENCH) == decide_language("en", FRENCH)
