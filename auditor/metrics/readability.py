"""Readability of the text a journey shows, per corpus, in French and English (metrics.md §1).

Entry point: :func:`measure_readability` (``Run`` → :class:`ReadabilityMeasures`). Smaller pure
functions (:func:`measure_text`, :func:`flesch_reading_ease`, :func:`check_label`,
:func:`check_error_message`, :func:`find_unexplained_acronyms`) are what the tests hit.

What is measured, and why this way:

- **Corpora are never pooled** (§1.4): main prose, legal text and error messages are measured
  separately; microcopy (labels, buttons, hints) gets per-string rules instead of formulas (§1.5).
  Pooling *across pages* of one corpus (journey and run totals) de-duplicates repeated sentences,
  so a menu or a footer seen on ten pages counts once (§1.4 "de-duplicate strings repeated across
  steps").
- **Language** comes from ``<html lang>`` normalised to its primary subtag, cross-checked by an
  offline detector (language.py). Formulas exist for ``fr`` and ``en``; any other language gets
  the language-independent measures (sentence length, LIX, reading time) and a note.
- **Counting** is ours (text_prep.py), not textstat's, because textstat drops short sentences,
  glues French elisions and undercounts French syllables (§1.1).
- **Minimum sizes** (§1.5): formula scores only from :data:`MIN_WORDS_FOR_FORMULAS` words and
  :data:`MIN_SENTENCES_FOR_FORMULAS` sentences; between :data:`MIN_WORDS_LOW_CONFIDENCE` and that,
  sentence length and long-word share only, marked low confidence; below, "insufficient text",
  which is a result, not an error.

Formula sources (§1.2):

- FRE_en = 206.835 − 1.015·W/S − 84.6·Sy/W (Flesch 1948; textstat ``utils/constants.py`` "en");
- FRE_fr = 207 − 1.015·W/S − 73.6·Sy/W (Kandel & Moles 1958; textstat "fr", and Cordial's
  "207 − 1,015 (…) − 0,736 (syllabes pour 100 mots)"). A *relative* measure: no validated bands;
- FKGL = 0.39·W/S + 11.8·Sy/W − 15.59 (Kincaid et al. 1975; textstat
  ``metrics/_flesch_kincaid_grade.py``), English only;
- LIX = W/S + 100·L/W, L = words of more than 6 letters (Björnsson 1968; textstat
  ``metrics/_lix.py``), any language;
- reading time = 14.69 ms per non-space character (Demberg & Keller 2008; textstat
  ``metrics/_reading_time.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.metrics.evidence import Evidence
from auditor.metrics.language import LanguageDecision, decide_language
from auditor.metrics.text_prep import (
    Sentence,
    count_syllables,
    letter_count,
    non_space_chars,
    normalise_text,
    split_sentences,
    visible_word_count,
)
from auditor.models import Checkpoint, FormField, Run

# --------------------------------------------------------------------------- constants

#: §1.5: Flesch's and Fry's methods use 100-word samples.
MIN_WORDS_FOR_FORMULAS = 100
#: §1.5: formula scores also need this many counted sentences (SMOG needs 3, norms on 30).
MIN_SENTENCES_FOR_FORMULAS = 5
#: §1.5: from 30 to 99 words, sentence length and long-word share only ("low confidence").
MIN_WORDS_LOW_CONFIDENCE = 30

#: §1.3: "keep most sentences under 20 words" (US plain-language practice).
LONG_SENTENCE_WORDS = 20
#: §1.3: WCAG G153, "no longer than … 25 words"; every such sentence is listed.
VERY_LONG_SENTENCE_WORDS = 25

#: LIX long word: more than this many letters (textstat ``metrics/_lix.py``).
LIX_LONG_WORD_LETTERS = 6
#: Reading time per non-space character, in milliseconds (textstat ``reading_time``).
READING_MS_PER_CHAR = 14.69

#: Flesch Reading Ease constants (base, per word-per-sentence, per syllable-per-word), §1.2.
FRE_CONSTANTS: dict[str, tuple[float, float, float]] = {
    "en": (206.835, 1.015, 84.6),  # Flesch 1948
    "fr": (207.0, 1.015, 73.6),  # Kandel & Moles 1958
}
FRE_FORMULA_NAMES: dict[str, str] = {
    "en": "FRE_en (Flesch 1948)",
    "fr": "FRE_fr (Kandel & Moles 1958), relative measure",
}

#: §1.5 microcopy rule: a label of at most this many words.
MAX_LABEL_WORDS = 5

CorpusKind = Literal["main_prose", "legal", "errors"]
TextSize = Literal["ok", "low_confidence", "insufficient", "empty"]
MicrocopyRule = Literal[
    "label-too-long", "unexplained-acronym", "error-field-not-named", "error-fix-not-given"
]

#: Shown with every readability figure (metrics.md §0.4, §1.2, §1.3).
CAVEATS: tuple[str, ...] = (
    "Automated readability formulas are a partial proxy; they cannot certify plain language "
    "or FALC, which needs validation by readers (Inclusion Europe).",
    "FRE_fr (Kandel & Moles) has no validated bands: compare pages and versions, do not read it "
    "as an absolute grade.",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- result models


class LongSentence(_Model):
    """A sentence over :data:`LONG_SENTENCE_WORDS` words, quoted with where it was seen."""

    text: str
    words: int
    over_25: bool = Field(description="Longer than VERY_LONG_SENTENCE_WORDS (WCAG G153).")
    evidence: Evidence


class TextMeasures(_Model):
    """Readability figures of one corpus (one page, or de-duplicated over several)."""

    lang: str | None = Field(description="Language whose counting rules were applied.")
    size: TextSize = Field(description="ok (formulas), low_confidence (MSL and long words "
                           "only), insufficient (< 30 words) or empty.")
    words: int
    sentences: int
    syllables: int | None = Field(description="None when no syllable counter exists for lang.")
    long_words: int = Field(description="Words of more than 6 letters (LIX).")
    characters: int = Field(description="Non-space characters (reading time).")
    mean_sentence_length: float | None = None
    share_sentences_over_20: float | None = None
    share_sentences_over_25: float | None = None
    long_word_share: float | None = None
    long_sentences: list[LongSentence] = Field(default_factory=list)
    flesch_reading_ease: float | None = None
    flesch_formula: str = ""
    flesch_kincaid_grade: float | None = None
    lix: float | None = None
    reading_time_s: float
    notes: list[str] = Field(default_factory=list)


class CorpusReadability(_Model):
    """One corpus measured, with the language decision behind it."""

    corpus: CorpusKind
    language: LanguageDecision | None = Field(
        None, description="Per page only; pooled results are grouped by language used.")
    measures: TextMeasures
    evidence: Evidence


class MicrocopyIssue(_Model):
    """A microcopy string that breaks a §1.5 rule, and every place it was seen."""

    rule: MicrocopyRule
    text: str
    detail: str
    places: list[Evidence]


class CheckpointReadability(_Model):
    """Readability of one checkpoint's page."""

    checkpoint: int
    journey_id: str
    url: str
    corpora: list[CorpusReadability]
    microcopy_strings: int = Field(description="Distinct microcopy strings on the page.")
    error_messages: int


class JourneyReadability(_Model):
    """A journey's corpora pooled across its pages (repeated sentences counted once)."""

    journey_id: str
    corpora: list[CorpusReadability]


class ReadabilityMeasures(_Model):
    """Everything measure_readability returns."""

    checkpoints: list[CheckpointReadability]
    journeys: list[JourneyReadability]
    overall: list[CorpusReadability] = Field(description="Each corpus pooled over the run.")
    microcopy_issues: list[MicrocopyIssue]
    language_mismatches: list[Evidence] = Field(
        description="Pages whose lang is missing, invalid or contradicted (WCAG 3.1.1).")
    thresholds: dict[str, float]
    caveats: list[str]


# --------------------------------------------------------------------------- formulas


def flesch_reading_ease(words: int, sentences: int, syllables: int, lang: str) -> float | None:
    """FRE with the constants of ``lang`` (``en`` Flesch, ``fr`` Kandel & Moles), else None."""
    constants = FRE_CONSTANTS.get(lang)
    if constants is None or words == 0 or sentences == 0:
        return None
    base, per_sentence, per_syllable = constants
    return base - per_sentence * (words / sentences) - per_syllable * (syllables / words)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float | None:
    """Flesch-Kincaid grade level (English)."""
    if words == 0 or sentences == 0:
        return None
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def lix(words: int, sentences: int, long_words: int) -> float | None:
    """LIX, language-independent."""
    if words == 0 or sentences == 0:
        return None
    return words / sentences + 100 * long_words / words


def reading_time_s(characters: int) -> float:
    """Seconds to read that many non-space characters at 14.69 ms each."""
    return characters * READING_MS_PER_CHAR / 1000


def text_size(words: int, sentences: int) -> TextSize:
    """Which measures a corpus of this size supports (§1.5)."""
    if words == 0:
        return "empty"
    if words >= MIN_WORDS_FOR_FORMULAS and sentences >= MIN_SENTENCES_FOR_FORMULAS:
        return "ok"
    if words >= MIN_WORDS_LOW_CONFIDENCE:
        return "low_confidence"
    return "insufficient"


@dataclass(frozen=True)
class _Located:
    """A sentence and where it was first seen (for pooled corpora)."""

    sentence: Sentence
    evidence: Evidence


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def measure_sentences(sentences: list[_Located], lang: str | None) -> TextMeasures:
    """Measures of already-split sentences in ``lang`` (see :func:`measure_text`)."""
    n_sentences = len(sentences)
    words = [w for s in sentences for w in s.sentence.words]
    n_words = len(words)
    long_words = sum(1 for w in words if letter_count(w) > LIX_LONG_WORD_LETTERS)
    characters = sum(non_space_chars(s.sentence.text) for s in sentences)
    size = text_size(n_words, n_sentences)
    syllable_counts = [count_syllables(w, lang) for w in words]
    syllables: int | None = None
    if all(c is not None for c in syllable_counts):
        syllables = sum(c for c in syllable_counts if c is not None)

    measures = TextMeasures(lang=lang, size=size, words=n_words, sentences=n_sentences,
                            syllables=syllables, long_words=long_words, characters=characters,
                            reading_time_s=round(reading_time_s(characters), 2))
    notes = measures.notes
    if size in ("empty", "insufficient"):
        if size == "insufficient":
            notes.append(f"insufficient text ({n_words} words < {MIN_WORDS_LOW_CONFIDENCE}): "
                         "microcopy rules only")
        return measures

    lengths = [len(s.sentence.words) for s in sentences]
    measures.mean_sentence_length = _r(n_words / n_sentences)
    measures.share_sentences_over_20 = _r(
        sum(1 for n in lengths if n > LONG_SENTENCE_WORDS) / n_sentences, 4)
    measures.share_sentences_over_25 = _r(
        sum(1 for n in lengths if n > VERY_LONG_SENTENCE_WORDS) / n_sentences, 4)
    measures.long_word_share = _r(long_words / n_words, 4)
    measures.long_sentences = [
        LongSentence(text=s.sentence.text, words=len(s.sentence.words),
                     over_25=len(s.sentence.words) > VERY_LONG_SENTENCE_WORDS,
                     evidence=s.evidence.model_copy(update={"text": s.sentence.text}))
        for s in sentences if len(s.sentence.words) > LONG_SENTENCE_WORDS
    ]
    if size == "low_confidence":
        notes.append(f"low confidence: {n_words} words / {n_sentences} sentences, below "
                     f"{MIN_WORDS_FOR_FORMULAS} words and {MIN_SENTENCES_FOR_FORMULAS} sentences; "
                     "no formula score")
        return measures

    measures.lix = _r(lix(n_words, n_sentences, long_words))
    if lang in FRE_CONSTANTS and syllables is not None:
        measures.flesch_reading_ease = _r(
            flesch_reading_ease(n_words, n_sentences, syllables, lang))
        measures.flesch_formula = FRE_FORMULA_NAMES[lang]
        if lang == "en":
            measures.flesch_kincaid_grade = _r(
                flesch_kincaid_grade(n_words, n_sentences, syllables))
    else:
        shown = lang or "unknown"
        notes.append(f"Flesch formulas are not available for language '{shown}': sentence "
                     "length, LIX and reading time only")
    return measures


def measure_text(text: str, lang: str | None, evidence: Evidence | None = None) -> TextMeasures:
    """Readability of one text in ``lang`` (``"fr"``, ``"en"`` or any other primary subtag).

    ``evidence`` locates the text; long sentences are quoted with a copy of it.
    """
    where = evidence or Evidence()
    located = [_Located(s, where) for s in split_sentences(text, lang)]
    return measure_sentences(located, lang)


# --------------------------------------------------------------------------- microcopy rules

#: Markers of required / optional fields that are not part of a label's wording.
_FIELD_MARKERS = re.compile(
    r"\*|\((?:obligatoire|requis|required|optionnel|facultatif|optional)\)", re.IGNORECASE)

_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_ACRONYM = re.compile(rf"(?<![\w-])[{_UPPER}0-9]*[{_UPPER}][{_UPPER}0-9]*[{_UPPER}][{_UPPER}0-9]*"
                      r"(?![\w-])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
#: Upper-case words that are not acronyms when a whole string is in capitals
#: (CSS ``text-transform: uppercase`` shows in ``innerText``).
COMMON_UPPERCASE_WORDS: frozenset[str] = frozenset({
    "OUI", "NON", "OK", "YES", "NO", "OU", "ET", "OR", "AND", "LE", "LA", "LES", "DE", "DU",
    "DES", "UN", "UNE", "THE", "TO", "GO", "MON", "MA", "MES",
})
#: Acronyms understood without expansion. Deliberately tiny: FALC says "avoid initials".
#: Abbreviations a reader meets as words, not as jargon: language switches (EN, FR...) and file
#: formats people see in every file picker. Everything else must be spelled out on the page.
ACRONYM_ALLOWLIST: frozenset[str] = frozenset({
    "OK", "EN", "FR", "DE", "ES", "IT", "NL", "PT", "AR", "PDF", "JPG", "JPEG", "PNG", "GIF"})

#: Generic names of fields an error message can use instead of the exact label (FR, EN).
_FIELD_NOUNS = re.compile(
    r"\b(?:mot de passe|mots de passe|password|e-?mail|courriel|adresse|address|pseudo\w*|"
    r"nom|prénom|name|username|identifiant|login|titre|title|description|date|"
    r"t[ée]l[ée]phone|phone|code postal|postal code|zip|commune|ville|city|quartier|âge|age|"
    r"naissance|birth\w*|conditions|cgu|terms|case|checkbox|message|commentaire|comment|"
    r"fichier|file|document|vote|proposition|proposal|catégorie|category|captcha|"
    # "code" alone is not a field: "(code E-412)" is exactly the opaque message to flag.
    r"code de s[ée]curit[ée]|verification code|code de v[ée]rification)\b",
    re.IGNORECASE)

#: Wording that tells the person what to do or what is expected (FR, EN). "obligatoire" /
#: "required" counts: the fix is to fill the field in.
_FIX_WORDING = re.compile(
    r"\b(?:doi[tv]\w*|veuillez|merci de|saisissez|ressaisissez|entrez|indiquez|renseign\w*|"
    r"choisi\w*|"
    r"s[ée]lectionn\w*|utilisez|cochez|accept\w*|v[ée]rifiez|corrigez|essayez|remplissez|"
    r"au moins|au minimum|au maximum|minimum|maximum|caract[èe]res?|chiffres?|format|"
    r"exemple|comme|sous la forme|obligatoire|requis|"
    r"must|should|please|enter|use|choose|select|tick|check|try|fill|at least|at most|"
    r"characters?|digits?|for example|such as|required|needs? to)\b|\b(?:ex|e\.g)\.",
    re.IGNORECASE)

_STOPWORDS = frozenset({
    "votre", "vos", "your", "avec", "pour", "with", "dans", "from", "this", "that", "cette",
    "obligatoire", "required", "optionnel", "optional", "facultatif", "champ", "field",
})


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching messages against labels."""
    decomposed = unicodedata.normalize("NFD", normalise_text(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label_core(label: str) -> str:
    """A label without required/optional markers and trailing colons."""
    return _FIELD_MARKERS.sub(" ", normalise_text(label)).strip(" :\n")


def check_label(label: str) -> str | None:
    """§1.5: a label has at most :data:`MAX_LABEL_WORDS` words. Returns the problem or None."""
    words = visible_word_count(label_core(label))
    if words > MAX_LABEL_WORDS:
        return f"{words} words (> {MAX_LABEL_WORDS})"
    return None


def is_acronym_expanded(acronym: str, page_text: str) -> bool:
    """Whether ``page_text`` spells the acronym out, as "Words (ACR)" or "ACR (words)".

    ``<abbr title>`` is not in the saved text, so only these written forms count.
    """
    escaped = re.escape(acronym)
    before = re.search(rf"[^\W\d_]{{2,}}[^()]*\(\s*{escaped}\s*\)", page_text)
    after = re.search(rf"(?<![\w-]){escaped}\s*\(\s*[^)]*[a-zà-ÿ]{{2,}}[^)]*\)", page_text)
    return bool(before or after)


def find_unexplained_acronyms(text: str, page_text: str) -> list[str]:
    """Acronyms in ``text`` (2+ capitals) that ``page_text`` does not expand.

    A string written entirely in capitals (often ``text-transform``) only yields an acronym
    when it is a single short token (≤ 5 characters) that is not a common word.
    """
    found: list[str] = []
    letters = [ch for ch in text if ch.isalpha()]
    all_caps = bool(letters) and all(ch.isupper() for ch in letters)
    tokens = _ACRONYM.findall(text)
    if all_caps and not (len(tokens) == 1 and len(text.split()) == 1 and len(tokens[0]) <= 5):
        return []
    for token in tokens:
        if (token in COMMON_UPPERCASE_WORDS or token in ACRONYM_ALLOWLIST
                or _ROMAN.match(token) or token in found):
            continue
        if not is_acronym_expanded(token, f"{text}\n{page_text}"):
            found.append(token)
    return found


def check_error_message(message: str, field_labels: Iterable[str] = ()) -> list[MicrocopyRule]:
    """§1.5: an error message names the field and the fix. Returns the rules it breaks.

    Field: the message contains one of the page's field labels, one content word of a label
    (≥ 4 letters, not a stop word), or a generic field noun (:data:`_FIELD_NOUNS`): "ce champ"
    / "this field" alone does not name it. Fix: wording that says what to do or what is
    expected (:data:`_FIX_WORDING`). Both heuristics match French and English together, so a
    mislabelled page is still judged.
    """
    folded = _fold(message)
    named = bool(_FIELD_NOUNS.search(message))
    for label in field_labels:
        core = _fold(label_core(label))
        if not core:
            continue
        if core in folded:
            named = True
            break
        content = [w for w in re.findall(r"[a-z0-9]{4,}", core) if w not in _STOPWORDS]
        if any(re.search(rf"\b{re.escape(w)}\b", folded) for w in content):
            named = True
            break
    broken: list[MicrocopyRule] = []
    if not named:
        broken.append("error-field-not-named")
    if not _FIX_WORDING.search(message):
        broken.append("error-fix-not-given")
    return broken


_NON_FIELD_TYPES = frozenset({"submit", "button", "reset", "image", "hidden"})


def _user_fields(fields: list[FormField]) -> list[FormField]:
    return [f for f in fields if f.visible and f.type not in _NON_FIELD_TYPES]


def _page_text(checkpoint: Checkpoint) -> str:
    t = checkpoint.text
    parts = [t.full_text, t.main_prose, *t.headings, *t.microcopy, *t.errors, *t.legal]
    parts += [f.hint for f in checkpoint.fields] + [f.label for f in checkpoint.fields]
    return "\n".join(p for p in parts if p)


class _IssueBook:
    """Microcopy issues de-duplicated by (rule, text), keeping every place."""

    def __init__(self) -> None:
        self._issues: dict[tuple[str, str], MicrocopyIssue] = {}

    def add(self, rule: MicrocopyRule, text: str, detail: str, where: Evidence) -> None:
        key = (rule, normalise_text(text).casefold())
        issue = self._issues.get(key)
        if issue is None:
            self._issues[key] = MicrocopyIssue(rule=rule, text=text, detail=detail,
                                               places=[where])
        elif where not in issue.places:
            issue.places.append(where)

    def issues(self) -> list[MicrocopyIssue]:
        return list(self._issues.values())


def _check_microcopy(checkpoint: Checkpoint, where: Evidence, book: _IssueBook) -> None:
    fields = _user_fields(checkpoint.fields)
    labels = [f.label for f in fields if f.label]
    page_text = _page_text(checkpoint)
    for field in fields:
        problem = check_label(field.label) if field.label else None
        if problem:
            book.add("label-too-long", label_core(field.label), problem,
                     where.model_copy(update={"selector": field.selector,
                                              "text": field.label}))
    strings = list(dict.fromkeys(
        [*checkpoint.text.microcopy, *labels, *(f.hint for f in fields if f.hint),
         *(f.placeholder for f in fields if f.placeholder), *checkpoint.text.errors]))
    for text in strings:
        for acronym in find_unexplained_acronyms(text, page_text):
            book.add("unexplained-acronym", acronym,
                     f"'{acronym}' is not spelled out on the page",
                     where.model_copy(update={"text": text}))
    for message in dict.fromkeys(checkpoint.text.errors):
        for rule in check_error_message(message, labels):
            detail = ("the message does not say which field is wrong"
                      if rule == "error-field-not-named"
                      else "the message does not say how to fix the input")
            book.add(rule, message, detail, where.model_copy(update={"text": message}))


# --------------------------------------------------------------------------- per run


def _corpus_text(checkpoint: Checkpoint, corpus: CorpusKind) -> str:
    t = checkpoint.text
    if corpus == "main_prose":
        return t.main_prose
    if corpus == "legal":
        return "\n".join(t.legal)
    return "\n".join(t.errors)


CORPORA: tuple[CorpusKind, ...] = ("main_prose", "legal", "errors")


@dataclass
class _Pool:
    """Sentences of one (corpus, language) pooled over pages, first occurrence kept."""

    corpus: CorpusKind
    lang: str | None
    journey_id: str
    checkpoints: list[int]
    sentences: dict[str, _Located]


_Pools = dict[tuple[CorpusKind, str | None], _Pool]


def _pool_add(pools: _Pools, journey_id: str, corpus: CorpusKind, lang: str | None,
              sentences: list[_Located], checkpoint: int) -> None:
    pool = pools.setdefault((corpus, lang), _Pool(corpus, lang, journey_id, [], {}))
    pool.checkpoints.append(checkpoint)
    for located in sentences:
        # Same words in the same order = the same sentence, whatever the spacing or case.
        key = " ".join(located.sentence.words).casefold()
        pool.sentences.setdefault(key, located)


def _pooled(pools: _Pools) -> list[CorpusReadability]:
    return [
        CorpusReadability(
            corpus=p.corpus,
            measures=measure_sentences(list(p.sentences.values()), p.lang),
            evidence=Evidence(journey_id=p.journey_id, detail=(
                f"{p.corpus} of checkpoints {', '.join(map(str, p.checkpoints))}, "
                "repeated sentences counted once")))
        for p in pools.values()
    ]


def measure_readability(run: Run) -> ReadabilityMeasures:
    """Readability of every checkpoint of ``run``, per corpus, with journey and run totals.

    Pure and deterministic: the same run gives the same result (language detection included).
    """
    checkpoints: list[CheckpointReadability] = []
    journeys: list[JourneyReadability] = []
    run_pools: _Pools = {}
    book = _IssueBook()
    mismatches: list[Evidence] = []

    for journey in run.journeys:
        journey_pools: _Pools = {}
        for checkpoint in journey.checkpoints:
            where = Evidence(journey_id=journey.id, step_index=checkpoint.step_index,
                             checkpoint=checkpoint.index, url=checkpoint.url)
            corpora: list[CorpusReadability] = []
            for corpus in CORPORA:
                text = _corpus_text(checkpoint, corpus)
                if not text.strip():
                    continue
                decision = decide_language(checkpoint.lang, text)
                lang = decision.used
                corpus_where = where.model_copy(update={"detail": corpus})
                located = [_Located(s, corpus_where) for s in split_sentences(text, lang)]
                corpora.append(CorpusReadability(
                    corpus=corpus, language=decision, measures=measure_sentences(located, lang),
                    evidence=corpus_where))
                _pool_add(journey_pools, journey.id, corpus, lang, located, checkpoint.index)
                _pool_add(run_pools, "", corpus, lang, located, checkpoint.index)
                if corpus == "main_prose" and decision.mismatch:
                    mismatches.append(where.model_copy(update={"detail": decision.note}))
            _check_microcopy(checkpoint, where, book)
            checkpoints.append(CheckpointReadability(
                checkpoint=checkpoint.index, journey_id=journey.id, url=checkpoint.url,
                corpora=corpora,
                microcopy_strings=len(set(checkpoint.text.microcopy)),
                error_messages=len(set(checkpoint.text.errors))))
        journeys.append(JourneyReadability(journey_id=journey.id,
                                           corpora=_pooled(journey_pools)))

    return ReadabilityMeasures(
        checkpoints=checkpoints,
        journeys=journeys,
        overall=_pooled(run_pools),
        microcopy_issues=book.issues(),
        language_mismatches=mismatches,
        thresholds={
            "min_words_for_formulas": MIN_WORDS_FOR_FORMULAS,
            "min_sentences_for_formulas": MIN_SENTENCES_FOR_FORMULAS,
            "min_words_low_confidence": MIN_WORDS_LOW_CONFIDENCE,
            "long_sentence_words": LONG_SENTENCE_WORDS,
            "very_long_sentence_words": VERY_LONG_SENTENCE_WORDS,
            "lix_long_word_letters": LIX_LONG_WORD_LETTERS,
            "reading_ms_per_char": READING_MS_PER_CHAR,
            "max_label_words": MAX_LABEL_WORDS,
        },
        caveats=list(CAVEATS),
    )
