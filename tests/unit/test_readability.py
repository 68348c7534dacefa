"""Readability measures on plain texts and runs (metrics.md §1), and English offline."""

from __future__ import annotations

import math
from collections.abc import Iterator

import nltk
import pytest
import textstat
import textstat.backend.counts._count_syllables as textstat_count_module

from auditor.metrics import offline_cmudict
from auditor.metrics.evidence import Evidence
from auditor.metrics.readability import (
    MIN_SENTENCES_FOR_FORMULAS,
    MIN_WORDS_FOR_FORMULAS,
    MIN_WORDS_LOW_CONFIDENCE,
    check_error_message,
    check_label,
    find_unexplained_acronyms,
    flesch_kincaid_grade,
    flesch_reading_ease,
    lix,
    measure_readability,
    measure_text,
    reading_time_s,
    text_size,
)
from auditor.models import Run
from tests.unit import factories as f

#: 20 words, 34 syllables by hand (les 1, ha-bi-tants 3, du 1, quar-tier 2, peuvent 1,
#: pro-po-ser 3, une 1, i-dée 2, pour 1, a-mé-lio-rer 4, la 1, vie 1, de 1, tous 1, puis 1,
#: vo-ter 2, pour 1, les 1, meil-leures 2, pro-po-si-tions 4), 7 words of more than 6 letters.
FR_SENTENCE = ("Les habitants du quartier peuvent proposer une idée pour améliorer la vie de "
               "tous, puis voter pour les meilleures propositions. ")
#: 20 words, 30 syllables in the CMU dictionary.
EN_SENTENCE = ("The residents of the area can suggest an idea to improve life for everyone and "
               "vote for the best ones. ")

#: A realistic sign-up page in French, with headings and list items without punctuation.
FR_PAGE = """Bienvenue sur la plateforme de participation citoyenne de votre commune.
Pour déposer une idée, vous devez d'abord créer un compte.
L'inscription est gratuite et ne prend que quelques minutes.
Choisissez un pseudonyme, indiquez votre adresse électronique et un mot de passe.
Nous vous envoyons ensuite un courriel de confirmation.
Cliquez sur le lien qu'il contient pour activer votre compte.
Vous pourrez alors proposer des projets pour votre quartier, commenter les idées des autres \
habitants et voter pour celles que vous préférez.
Les projets qui recueillent le plus de voix seront étudiés par les services de la ville.
Le conseil municipal décidera ensuite lesquels seront réalisés l'année prochaine.
Se connecter
Mot de passe oublié
Valider"""


@pytest.fixture
def textstat_lang() -> Iterator[None]:
    """textstat keeps its language in a global: put the default back after the test."""
    yield
    textstat.set_lang("en_US")


# --------------------------------------------------------------------------- formulas


def test_formulas_use_the_spec_constants() -> None:
    assert flesch_reading_ease(100, 5, 150, "en") == pytest.approx(
        206.835 - 1.015 * 20 - 84.6 * 1.5)
    assert flesch_reading_ease(100, 5, 150, "fr") == pytest.approx(207 - 1.015 * 20 - 73.6 * 1.5)
    assert flesch_reading_ease(100, 5, 150, "de") is None
    assert flesch_kincaid_grade(100, 5, 150) == pytest.approx(0.39 * 20 + 11.8 * 1.5 - 15.59)
    assert lix(100, 5, 40) == pytest.approx(20 + 40)
    assert reading_time_s(1000) == pytest.approx(14.69)
    assert flesch_reading_ease(0, 0, 0, "fr") is None


def test_french_known_paragraph() -> None:
    m = measure_text(FR_SENTENCE * 5, "fr")
    assert (m.words, m.sentences, m.syllables, m.long_words) == (100, 5, 170, 35)
    assert m.size == "ok"
    assert m.flesch_reading_ease == round(207 - 1.015 * 20 - 73.6 * 1.7, 2) == 61.58
    assert m.flesch_formula.startswith("FRE_fr (Kandel & Moles")
    assert m.flesch_kincaid_grade is None  # English-only formula
    assert m.lix == 55.0
    assert m.mean_sentence_length == 20.0
    assert m.share_sentences_over_20 == 0.0


def test_french_score_was_inflated_by_textstat(textstat_lang: None) -> None:
    # Same text: textstat undercounts syllables (Pyphen) and scores it easier.
    textstat.set_lang("fr")
    before = textstat.flesch_reading_ease(FR_SENTENCE * 5)
    after = measure_text(FR_SENTENCE * 5, "fr").flesch_reading_ease
    assert textstat.syllable_count(FR_SENTENCE * 5) < 170
    assert after is not None and before - after > 5

    page_before = textstat.flesch_reading_ease(FR_PAGE)
    page = measure_text(FR_PAGE, "fr")
    assert textstat.sentence_count(FR_PAGE) < page.sentences == 12
    assert page.flesch_reading_ease is not None
    assert page_before - page.flesch_reading_ease > 3


def test_english_matches_textstat_offline(textstat_lang: None) -> None:
    offline_cmudict.install_offline_cmudict()
    text = EN_SENTENCE * 5
    m = measure_text(text, "en")
    assert (m.words, m.sentences, m.syllables) == (100, 5, 150)
    textstat.set_lang("en")
    assert m.flesch_reading_ease == round(textstat.flesch_reading_ease(text), 2) == 59.64
    assert m.flesch_kincaid_grade == round(textstat.flesch_kincaid_grade(text), 2) == 9.91
    assert m.lix == round(textstat.lix(text), 2)
    assert m.reading_time_s == round(textstat.reading_time(text), 2)


# --------------------------------------------------------------------------- offline English


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("a run-time NLTK download was attempted")


def _missing(*args: object, **kwargs: object) -> None:
    raise LookupError("no NLTK data here")


def test_english_syllables_never_download(monkeypatch: pytest.MonkeyPatch,
                                          textstat_lang: None) -> None:
    monkeypatch.setattr(nltk, "download", _no_network)
    monkeypatch.setattr(nltk.data, "find", _missing)
    offline_cmudict.install_offline_cmudict()
    assert offline_cmudict.textstat_is_offline()
    textstat.set_lang("en_US")
    assert textstat.syllable_count("readability participation") == 10
    assert measure_text(EN_SENTENCE * 5, "en").syllables == 150


def test_without_the_hook_textstat_would_download(monkeypatch: pytest.MonkeyPatch,
                                                  textstat_lang: None) -> None:
    # Control: prove the test above can fail. Put textstat's own getter back (monkeypatch
    # restores ours afterwards) and watch it reach for the network.
    from textstat.backend.utils._get_cmudict import get_cmudict as original

    monkeypatch.setattr(textstat_count_module, "get_cmudict", original)
    monkeypatch.setattr(nltk, "download", _no_network)
    monkeypatch.setattr(nltk.data, "find", _missing)
    original.cache_clear()
    textstat_count_module.count_syllables.cache_clear()
    with pytest.raises(AssertionError, match="download was attempted"):
        textstat_count_module.count_syllables("readability", "en")
    textstat_count_module.count_syllables.cache_clear()


# --------------------------------------------------------------------------- sizes


def test_size_thresholds() -> None:
    assert text_size(0, 0) == "empty"
    assert text_size(MIN_WORDS_LOW_CONFIDENCE - 1, 3) == "insufficient"
    assert text_size(MIN_WORDS_LOW_CONFIDENCE, 3) == "low_confidence"
    assert text_size(MIN_WORDS_FOR_FORMULAS, MIN_SENTENCES_FOR_FORMULAS - 1) == "low_confidence"
    assert text_size(MIN_WORDS_FOR_FORMULAS, MIN_SENTENCES_FOR_FORMULAS) == "ok"


def test_insufficient_text_is_a_result_not_an_error() -> None:
    m = measure_text("Se connecter. Mot de passe oublié ? Valider", "fr")
    assert m.size == "insufficient"
    assert m.words == 7 and m.sentences == 3
    assert m.flesch_reading_ease is None and m.mean_sentence_length is None
    assert "insufficient text" in m.notes[0]
    assert m.reading_time_s > 0


def test_low_confidence_gives_sentence_length_only() -> None:
    m = measure_text(FR_SENTENCE * 2, "fr")
    assert m.size == "low_confidence"
    assert m.mean_sentence_length == 20.0
    assert m.long_word_share == 0.35
    assert m.flesch_reading_ease is None and m.lix is None
    assert "low confidence" in m.notes[0]


def test_other_languages_get_language_independent_measures() -> None:
    german = ("Die Einwohner des Viertels können eine Idee vorschlagen, um das Leben aller zu "
              "verbessern, und dann für die besten Vorschläge stimmen. ") * 6
    m = measure_text(german, "de")
    assert m.size == "ok"
    assert m.syllables is None
    assert m.flesch_reading_ease is None and m.flesch_kincaid_grade is None
    assert m.lix is not None and m.mean_sentence_length is not None
    assert any("not available for language 'de'" in n for n in m.notes)


def test_long_sentences_are_listed_with_evidence() -> None:
    long_one = ("Vous pourrez alors proposer des projets pour votre quartier, commenter les "
                "idées des autres habitants, voter pour celles que vous préférez et suivre leur "
                "réalisation par les services de la ville.")
    text = FR_SENTENCE * 4 + long_one + " Merci."
    where = Evidence(journey_id="signup", checkpoint=3, url="https://x.fr/")
    m = measure_text(text, "fr", where)
    assert m.sentences == 6
    [listed] = m.long_sentences
    assert listed.text == long_one and listed.words == 31 and listed.over_25
    assert listed.evidence.checkpoint == 3 and listed.evidence.text == long_one
    assert m.share_sentences_over_25 == round(1 / 6, 4)


# --------------------------------------------------------------------------- microcopy


@pytest.mark.parametrize(("label", "ok"), [
    ("Pseudonyme", True),
    ("Adresse e-mail *", True),
    ("Nom d'utilisateur (obligatoire)", True),
    ("Mot de passe de votre compte citoyen", False),
    ("Indiquez ici l'adresse de votre domicile principal", False),
])
def test_label_length(label: str, ok: bool) -> None:
    assert (check_label(label) is None) is ok


def test_acronyms_must_be_expanded_on_the_page() -> None:
    page = "Lisez le Règlement général sur la protection des données (RGPD)."
    assert find_unexplained_acronyms("J'accepte les CGU et le RGPD", page) == ["CGU"]
    assert find_unexplained_acronyms("CGU (conditions générales d'utilisation)", "") == []
    assert find_unexplained_acronyms("FAQ", "") == ["FAQ"]
    # CSS upper-case buttons are not acronyms; common words and roman numerals neither
    assert find_unexplained_acronyms("ENVOYER MA PROPOSITION", "") == []
    assert find_unexplained_acronyms("OUI", "") == []
    assert find_unexplained_acronyms("Chapitre II", "") == []
    assert find_unexplained_acronyms("Votre QPV et votre IRIS", "") == ["QPV", "IRIS"]


@pytest.mark.parametrize(("message", "broken"), [
    ("Le mot de passe doit contenir au moins 10 caractères.", []),
    ("Ce champ est obligatoire.", ["error-field-not-named"]),
    ("Champ invalide", ["error-field-not-named", "error-fix-not-given"]),
    ("Erreur", ["error-field-not-named", "error-fix-not-given"]),
    ("Adresse e-mail invalide", ["error-fix-not-given"]),
    ("Saisissez une adresse e-mail au format nom@exemple.fr", []),
    ("Please fill out this field.", ["error-field-not-named"]),
    ("Password must be at least 12 characters", []),
    ("Le quartier est incorrect, choisissez-en un dans la liste.", []),
])
def test_error_messages_name_the_field_and_the_fix(message: str, broken: list[str]) -> None:
    assert check_error_message(message) == broken


def test_error_message_can_name_the_field_by_its_label() -> None:
    message = "Votre année de naissance est trop ancienne : indiquez quatre chiffres."
    assert check_error_message(message, ["Année de naissance"]) == []
    assert check_error_message("Le Pseudo public doit être unique", ["Pseudo public *"]) == []
    assert check_error_message("Ce champ doit être rempli", ["Pseudo public *"]) == [
        "error-field-not-named"]


# --------------------------------------------------------------------------- whole run


def _signup_run() -> Run:
    header = "Participer à Ma Ville\n"
    home = f.checkpoint(0, trigger="start", url=f"{f.SITE}/", lang="fr-FR",
                        main_prose=header + FR_PAGE, microcopy=["Se connecter", "FAQ"])
    signup = f.checkpoint(
        1, step_index=0, url=f"{f.SITE}/inscription", lang="fr",
        main_prose=header + "Créez votre compte.\nRenseignez les champs ci-dessous.",
        microcopy=["Pseudonyme", "Valider"],
        errors=["Champ invalide", "Le mot de passe doit contenir au moins 10 caractères."],
        legal=["J'accepte les conditions générales d'utilisation (CGU) de la plateforme."],
        fields=[f.field("pseudo", "Pseudonyme", required=True),
                f.field("password", "Mot de passe", type="password", required=True),
                f.field("quartier", "Quartier où vous habitez le plus souvent", type="select")])
    english = f.checkpoint(2, step_index=1, url=f"{f.SITE}/en", lang="fr",
                           main_prose=EN_SENTENCE * 5)
    no_lang = f.checkpoint(3, step_index=2, url=f"{f.SITE}/merci", lang="",
                           main_prose="Merci !")
    return f.run(f.journey("signup", checkpoints=[home, signup, english, no_lang]))


def test_measure_readability_on_a_run() -> None:
    result = measure_readability(_signup_run())
    home, signup, english, no_lang = result.checkpoints
    [main] = home.corpora
    assert main.corpus == "main_prose"
    assert main.language is not None and main.language.used == "fr"
    assert main.language.declared == "fr" and not main.language.mismatch
    assert main.measures.size == "ok" and main.measures.flesch_reading_ease is not None

    kinds = [c.corpus for c in signup.corpora]
    assert kinds == ["main_prose", "legal", "errors"]  # separate corpora, never pooled
    assert all(c.measures.size == "insufficient" for c in signup.corpora)
    assert signup.corpora[0].language is not None
    assert signup.corpora[0].language.used == "fr"  # too short to detect: declared trusted

    [eng] = english.corpora
    assert eng.language is not None and eng.language.used == "en" and eng.language.mismatch
    assert eng.measures.flesch_kincaid_grade == 9.91
    [unknown] = no_lang.corpora
    assert unknown.language is not None and unknown.language.used is None
    assert unknown.measures.lang is None and unknown.measures.size == "insufficient"
    assert [m.checkpoint for m in result.language_mismatches] == [2, 3]

    rules = {(i.rule, i.text) for i in result.microcopy_issues}
    assert ("label-too-long", "Quartier où vous habitez le plus souvent") in rules
    assert ("unexplained-acronym", "FAQ") in rules
    assert ("unexplained-acronym", "CGU") not in rules  # expanded in the legal text
    assert ("error-field-not-named", "Champ invalide") in rules
    assert ("error-fix-not-given", "Champ invalide") in rules
    assert not any(t.startswith("Le mot de passe") for _, t in rules)


def test_pooled_corpora_count_repeated_sentences_once() -> None:
    result = measure_readability(_signup_run())
    [journey] = result.journeys
    pooled = {(c.corpus, c.measures.lang): c.measures for c in journey.corpora}
    fr_main = pooled[("main_prose", "fr")]
    per_page = [c.measures.sentences for cp in result.checkpoints for c in cp.corpora
                if c.corpus == "main_prose" and c.measures.lang == "fr"]
    # "Participer à Ma Ville" heads both French pages but is counted once.
    assert fr_main.sentences == sum(per_page) - 1
    assert ("main_prose", "en") in pooled and ("main_prose", None) in pooled
    # one journey: the run totals are the journey totals, evidence aside
    assert [c.measures for c in result.overall] == [c.measures for c in journey.corpora]


def test_measure_readability_is_deterministic_and_serialisable() -> None:
    first = measure_readability(_signup_run()).model_dump_json()
    second = measure_readability(_signup_run()).model_dump_json()
    assert first == second
    assert '"caveats"' in first
    assert not math.isnan(measure_readability(_signup_run()).thresholds["reading_ms_per_char"])


def test_an_error_code_is_neither_a_field_nor_a_fix() -> None:
    """'Saisie invalide (code E-412).' names no field and says nothing of the fix."""
    from auditor.metrics.readability import check_error_message

    assert check_error_message("Saisie invalide (code E-412).", ["Mot de passe *"]) == [
        "error-field-not-named", "error-fix-not-given"]
    assert check_error_message("Saisissez votre code postal, par exemple 47300.",
                               ["Code postal"]) == []
