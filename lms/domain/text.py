"""Normalising short text answers so that equal answers compare equal.

Learners in Mongolia type on phones and keyboards that switch between Cyrillic and Latin layouts;
a word typed as ``дэмжлэгтэй`` may contain a Latin ``e`` or ``o`` that looks identical. Both the
accepted answers and the learner's answer go through `normalise_answer`, and the grader compares
the results.

Direction of the look-alike mapping: **Latin letters become their Cyrillic twins.** The course's
main language is Mongolian, so the canonical form of a Mongolian answer stays readable Cyrillic
(useful in logs and reviews); an English answer becomes a mixed-script comparison key, which is
harmless because the key is only ever compared, never shown. Either direction would give the same
equalities, since both sides are normalised the same way.

The Mongolian letters ``ө`` and ``ү`` are distinct letters, not look-alikes: ``ө`` never equals
``o``/``о`` and ``ү`` never equals ``y``/``у``.
"""

from __future__ import annotations

import unicodedata

# After casefolding: Latin letter -> Cyrillic letter that looks the same in upper or lower case.
# (m/t/h/b/k look alike mostly in upper case, М T Н В К; casefolding makes that case count.)
_LATIN_TO_CYRILLIC = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "i": "і",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
    }
)


def _drop_format_characters(text: str) -> str:
    """Remove invisible format characters (soft hyphen, zero-width space/joiners, BOM)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def normalise_answer(s: str) -> str:
    """Return the comparison key of a short text answer.

    Steps: Unicode NFKC (full-width letters, ligatures, non-breaking spaces become plain ones),
    removal of invisible format characters, case folding, Latin look-alike letters mapped to
    their Cyrillic twins (see the module docstring), runs of white space collapsed to one space,
    leading and trailing white space removed. ``ө``/``ү`` stay distinct from ``о``/``у``.
    """
    text = unicodedata.normalize("NFKC", s)
    # Case folding can undo NFKC (e.g. "İ" folds to "i" + a combining dot), so normalise again.
    text = unicodedata.normalize("NFKC", _drop_format_characters(text).casefold())
    text = text.translate(_LATIN_TO_CYRILLIC)
    return " ".join(text.split())
