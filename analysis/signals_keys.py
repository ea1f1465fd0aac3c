"""Spelling-tolerant token keys and a tiny pattern language compiled to regular expressions.

Children write "dise", "boi", "aiuda", "q", "xq": every token and every lexicon word is reduced to
the same phonetic key (accents, h, b/v, c/s/z, ll/y/i, repeated letters), so one lexicon entry
meets its misspellings. Patterns run over the space-joined keys of a doc, so matching a whole
lexicon costs a handful of C-level regex scans per text.

Pattern language (one pattern = space-separated slots):
  word          the token's key equals key(word)
  pref*         the token's key starts with key(pref) (a prefix must not end in c, g, q, l, u, y)
  a|b*|@set     alternatives; @set expands a named word set; a_b is two tokens in a row
  [slot]        optional slot
  ~N            skip 0..N tokens, never across sentence punctuation
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.normalize import fold

# Chat abbreviations and frequent child spellings, applied to the folded token before keying.
ABBREVIATIONS = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "pk": "porque",
    "porq": "porque",
    "x": "por",
    "d": "de",
    "tb": "tambien",
    "tmb": "tambien",
    "pa": "para",
    "pal": "para",
    "toy": "estoy",
    "ta": "esta",
    "porfa": "porfavor",
    "plis": "porfavor",
    "pls": "porfavor",
}
SENTENCE_PUNCT = set(".!?;…")
_NON_WORD = re.compile(r"[^a-z0-9ñ]+")
_PHONETIC = (
    (re.compile(r"ch"), "ç"),
    (re.compile(r"qu"), "k"),
    (re.compile(r"c(?=[ei])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"g(?=[ei])"), "j"),
    (re.compile(r"gu(?=[ei])"), "g"),
    (re.compile(r"v"), "b"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"y"), "i"),
    (re.compile(r"h"), ""),
    (re.compile(r"ç"), "ch"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """Phonetic key of one token; punctuation becomes "." (sentence end) or "," (other)."""
    folded = fold(word)
    stripped = _NON_WORD.sub("", folded)
    if not stripped:
        if any(ch in SENTENCE_PUNCT for ch in word):
            return "."
        return ","
    stripped = ABBREVIATIONS.get(stripped, stripped)
    if stripped.isdigit():
        return stripped
    for pattern, repl in _PHONETIC:
        stripped = pattern.sub(repl, stripped)
    return stripped or ","


def prefix_is_stable(prefix: str) -> bool:
    """A prefix keys consistently only if every vowel after it leaves its key unchanged."""
    base = key(prefix)
    return all(key(prefix + v).startswith(base) for v in "aeiou")


_SKIP = re.compile(r"~(\d+)")


def _alternative(alt: str, sets: dict[str, list[str]]) -> list[str]:
    if alt.startswith("@"):
        out = []
        for member in sets[alt[1:]]:
            out.extend(_alternative(member, sets))
        return out
    if "_" in alt:  # several tokens in a row: caso_cerrado
        words = alt.split("_")
        return [" ".join(_alternative(w, sets)[0] for w in words)]
    if alt.endswith("*"):
        return [re.escape(key(alt[:-1])) + "[^ ]*"]
    return [re.escape(key(alt))]


def compile_pattern(pattern: str, sets: dict[str, list[str]]) -> str:
    """Translate one pattern of the mini-language into a regex over the joined key string."""
    parts = []
    for slot in pattern.split():
        skip = _SKIP.fullmatch(slot)
        if skip:
            parts.append(f"(?:[^ .]+ ){{0,{skip.group(1)}}}")
            continue
        optional = slot.startswith("[") and slot.endswith("]")
        body = slot[1:-1] if optional else slot
        alts = []
        for alt in body.split("|"):
            alts.extend(_alternative(alt, sets))
        # Longest first so that a prefix never shadows a longer exact alternative.
        group = "(?:" + "|".join(sorted(set(alts), key=len, reverse=True)) + ") "
        parts.append(f"(?:{group})?" if optional else group)
    return "(?<= )" + "".join(parts)


def compile_group(patterns: list[str], sets: dict[str, list[str]]) -> re.Pattern:
    """One regex for a list of patterns: a doc is scanned once per group, not once per pattern."""
    return re.compile("|".join(f"(?:{compile_pattern(p, sets)})" for p in patterns))


class KeyedDoc:
    """The keys of a doc joined by spaces, with the map from string offsets back to tokens."""

    __slots__ = ("doc", "keys", "text", "starts")

    def __init__(self, doc):
        self.doc = doc
        self.keys = [key(t.text) if not t.is_space else "," for t in doc]
        starts = []
        pos = 1
        for k in self.keys:
            starts.append(pos)
            pos += len(k) + 1
        self.starts = starts
        self.text = " " + " ".join(self.keys) + " "

    def token_span(self, match: re.Match) -> tuple[int, int]:
        """Token range [start, end) covered by a match (its trailing space excluded)."""
        from bisect import bisect_right

        start = bisect_right(self.starts, match.start()) - 1
        end = bisect_right(self.starts, match.end() - 2)
        return start, max(end, start + 1)

    def find(self, regex: re.Pattern) -> list[tuple[int, int]]:
        return [self.token_span(m) for m in regex.finditer(self.text) if m.end() > m.start()]
