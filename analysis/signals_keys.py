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
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from spacy.attrs import MORPH, ORTH, POS, SENT_START
from spacy.parts_of_speech import NAMES as POS_NAMES

from analysis.normalize import fold
from analysis.spelling import ABBREVIATIONS as SHARED_ABBREVIATIONS

# One table of chat abbreviations for the whole package (analysis.spelling), plus the few that
# only matter for disclosures ("ta" = está, pleas for help written "plis").
ABBREVIATIONS = {
    **SHARED_ABBREVIATIONS,
    "ta": "esta",
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
_CACHE_LIMIT = 200_000


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


def _first_alternatives(slot: str, sets: dict[str, list[str]]) -> list[tuple[str, bool]]:
    """(literal key, is_prefix) for each way the first slot can begin: the dispatch keys."""
    out = []
    for alt in slot.split("|"):
        if alt.startswith("@"):
            for member in sets[alt[1:]]:
                out.extend(_first_alternatives(member, sets))
            continue
        word = alt.split("_")[0]
        if word.endswith("*"):
            out.append((key(word[:-1]), True))
        else:
            out.append((key(word) if word != "." else ".", False))
    return out


def compile_pattern(pattern: str, sets: dict[str, list[str]]) -> tuple[str, list]:
    """Translate one pattern into a regex anchored at a token start, plus its dispatch keys."""
    parts = []
    slots = pattern.split()
    first = slots[0]
    if first.startswith(("[", "~")):
        raise ValueError(f"a pattern must begin with a required slot: {pattern!r}")
    for slot in slots:
        skip = _SKIP.fullmatch(slot)
        if skip:
            parts.append(f"(?:[^ .]+ ){{0,{skip.group(1)}}}")
            continue
        optional = slot.startswith("[") and slot.endswith("]")
        body = slot[1:-1] if optional else slot
        alts = []
        for alt in body.split("|"):
            alts.extend(_alternative(alt, sets) if alt != "." else [r"\."])
        # Longest first so that a prefix never shadows a longer exact alternative.
        group = "(?:" + "|".join(sorted(set(alts), key=len, reverse=True)) + ") "
        parts.append(f"(?:{group})?" if optional else group)
    return "".join(parts), _first_alternatives(first, sets)


def _slot_words(slot: str, sets: dict[str, list[str]]) -> list[tuple[str, bool]] | None:
    """Keys one of which must be in a doc for this slot to match; None for skips and options."""
    if _SKIP.fullmatch(slot) or slot.startswith("["):
        return None
    return _first_alternatives(slot, sets)


class PatternIndex:
    """Patterns dispatched by the key of the token they start on.

    Instead of scanning every position with every pattern, a doc is walked once and a pattern is
    tried only where its first slot can match, and only if every other required slot has a
    candidate word somewhere in the doc. Both tests are cached per vocabulary key, so the cost per
    doc is O(tokens) whatever the size of the lexicon.
    """

    def __init__(self):
        self.patterns: list[tuple[re.Pattern, object]] = []
        self.exact: dict[str, list[int]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.prefix_lengths: tuple[int, ...] = ()
        self.slots: list[tuple[frozenset, tuple]] = []  # distinct required slots
        self.required: list[int] = []  # per pattern: bit mask of its required slots
        self._slot_ids: dict[tuple, int] = {}
        self._candidates_of: dict[str, tuple[int, ...]] = {}
        self._slots_of: dict[str, int] = {}

    def add(self, pattern: str, sets: dict[str, list[str]], payload) -> None:
        regex, firsts = compile_pattern(pattern, sets)
        index = len(self.patterns)
        self.patterns.append((re.compile(regex), payload))
        for literal, is_prefix in firsts:
            table = self.prefix if is_prefix else self.exact
            ids = table.setdefault(literal, [])
            if index not in ids:
                ids.append(index)
        self.prefix_lengths = tuple(sorted({len(p) for p in self.prefix}))
        required = 0
        for slot in pattern.split()[1:]:
            words = _slot_words(slot, sets)
            if words is None:
                continue
            exact = frozenset(w for w, is_prefix in words if not is_prefix)
            prefixes = tuple(sorted({w for w, is_prefix in words if is_prefix}))
            slot_key = (exact, prefixes)
            if slot_key not in self._slot_ids:
                self._slot_ids[slot_key] = len(self.slots)
                self.slots.append(slot_key)
            required |= 1 << self._slot_ids[slot_key]
        self.required.append(required)
        self._candidates_of.clear()
        self._slots_of.clear()

    def _candidates(self, k: str) -> tuple[int, ...]:
        found = self._candidates_of.get(k)
        if found is None:
            ids = list(self.exact.get(k, ()))
            for length in self.prefix_lengths:
                if length > len(k):
                    break
                ids.extend(self.prefix.get(k[:length], ()))
            found = tuple(ids)
            if len(self._candidates_of) < _CACHE_LIMIT:
                self._candidates_of[k] = found
        return found

    def _satisfied(self, k: str) -> int:
        found = self._slots_of.get(k)
        if found is None:
            found = 0
            for i, (exact, prefixes) in enumerate(self.slots):
                if k in exact or (prefixes and k.startswith(prefixes)):
                    found |= 1 << i
            if len(self._slots_of) < _CACHE_LIMIT:
                self._slots_of[k] = found
        return found

    def scan(self, kd: KeyedDoc) -> list[tuple[object, int, int]]:
        """(payload, first token, end token) for every match; a pattern never overlaps itself."""
        text, starts, keys = kd.text, kd.starts, kd.keys
        satisfied = self._slots_of.get
        present = self._satisfied(".")
        for k in keys:
            found = satisfied(k)
            present |= self._satisfied(k) if found is None else found
        required = self.required
        candidates = self._candidates_of.get
        covered: dict[int, int] = {}
        out = []
        for pos, k in zip([1, *starts], [".", *keys], strict=True):
            ids = candidates(k)
            if ids is None:
                ids = self._candidates(k)
            for index in ids:
                req = required[index]
                if req & present != req or covered.get(index, -1) > pos:
                    continue
                regex, payload = self.patterns[index]
                m = regex.match(text, pos)
                if m is not None:
                    covered[index] = m.end()
                    out.append((payload, *kd.token_span(m.start(), m.end())))
        return out


_KEY_BY_ORTH: dict[int, str] = {}
_MORPH_BY_HASH: dict[int, dict[str, str]] = {0: {}}


def _key_miss(strings, orth: int) -> str:
    k = key(strings[orth])
    if len(_KEY_BY_ORTH) < _CACHE_LIMIT:
        _KEY_BY_ORTH[orth] = k
    return k


def _feats(strings, morph_hash: int) -> dict[str, str]:
    feats = _MORPH_BY_HASH.get(morph_hash)
    if feats is None:
        text = strings[morph_hash]
        feats = dict(f.split("=", 1) for f in text.split("|") if "=" in f)
        if len(_MORPH_BY_HASH) < _CACHE_LIMIT:
            _MORPH_BY_HASH[morph_hash] = feats
    return feats


class KeyedDoc:
    """The keys of a doc joined by spaces, with the map from string offsets back to tokens, and
    the per-token facts the rules read (part of speech, morphology).

    Read through ``Doc.to_array`` and hash-keyed caches: no Token object is created per token.
    """

    __slots__ = ("doc", "keys", "text", "starts", "pos", "morph", "sent_starts")

    def __init__(self, doc):
        self.doc = doc
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, SENT_START]).tolist()
        key_of, feats_of = _KEY_BY_ORTH.get, _MORPH_BY_HASH.get
        keys = [key_of(r[0]) or _key_miss(strings, r[0]) for r in rows]
        self.keys = keys
        self.pos = [POS_NAMES.get(r[1], "") for r in rows]
        self.morph = [feats_of(r[2]) or _feats(strings, r[2]) for r in rows]
        self.sent_starts = [i for i, r in enumerate(rows) if r[3] == 1 or i == 0]
        # Offsets after the sentinel " . ": a pattern may start with "." to mean start of text.
        self.starts = list(accumulate((len(k) + 1 for k in keys), initial=3))[:-1]
        self.text = " . " + " ".join(keys) + " "

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """Token range [first, last + 1) covered by the string range (its trailing space excluded)."""
        first = max(0, bisect_right(self.starts, start) - 1)
        last = bisect_right(self.starts, end - 2)
        return first, max(last, first + 1)
