"""Accent- and case-folding shared by every matcher, so that "Niña", "nina" and "NIÑA" meet."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip diacritics (ñ becomes n); length is preserved for ASCII-range input.

    Children write without accents and adults with them: matching on folded forms makes both
    count the same.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold_keep_offsets(text: str) -> str:
    """Fold character by character so that offsets in the result equal offsets in ``text``."""
    out = []
    for ch in text:
        folded = fold(ch)
        out.append(folded[:1] if folded else ch)
    return "".join(out)
