"""Find every codebook pattern in a text in one pass over its tokens.

Each pattern is indexed under one *anchor* word: its most selective required word (not "que",
"no" or "la", which start hundreds of phrases). A token only wakes up the patterns anchored on
one of its keys; the words left of the anchor are matched backwards and the words right of it
forwards. The cost per text is a few dictionary look-ups per token plus the few real candidates.
"""

from __future__ import annotations

from analysis.matching import Anchor, Element, Gap, Word
from analysis.spelling import phonetic_key

# Words so frequent that anchoring a pattern on them would wake it up in nearly every text.
COMMON = frozenset(
    phonetic_key(word)
    for word in (
        "que a la el los las lo le les de del en y o se me te nos mi mis su sus tu un una uno es "
        "ser son por para con sin si ya hay haber estar tener hacer dar ir muy mas más todo eso "
        "esto ese esa al como cuando donde no ni yo el ella ellos ellas uno pero porque también "
        "ver decir poder querer saber"
    ).split()
)

Keys = tuple[str, str, str]
PREFIX_BUCKET = 2  # prefixes are at least 3 letters; their keys can lose one (psic- → sic-)


def _anchor_score(element: Word) -> tuple:
    keys = element.exact | element.surface
    common = sum(1 for key in keys if key in COMMON)
    shortest = min((len(key) for key in keys), default=0)
    return (bool(element.prefixes) or not keys, common, len(keys) > 40, -shortest)


class _KeyTable:
    """Pattern ids under the keys of one word each: exact keys, written forms and prefixes."""

    def __init__(self):
        self.exact: dict[str, list[int]] = {}
        self.surface: dict[str, list[int]] = {}
        # prefixes, bucketed by their first PREFIX_BUCKET letters: (prefix, pattern id)
        self.prefix: dict[str, list[tuple[str, int]]] = {}

    def add(self, word: Word, pid: int) -> None:
        for key in word.exact:
            self.exact.setdefault(key, []).append(pid)
        for key in word.surface:
            self.surface.setdefault(key, []).append(pid)
        for key in word.prefixes:
            self.prefix.setdefault(key[:PREFIX_BUCKET], []).append((key, pid))

    def lookup(self, keys: Keys) -> set[int]:
        surface, lemma, stem = keys
        exact = self.exact
        found: set[int] = set()
        for key in (surface, lemma, stem):
            hit = exact.get(key)
            if hit:
                found.update(hit)
        hit = self.surface.get(surface)
        if hit:
            found.update(hit)
        prefixes = self.prefix
        for key in (surface, lemma) if lemma != surface else (surface,):
            bucket = prefixes.get(key[:PREFIX_BUCKET])
            if bucket:
                for prefix, pid in bucket:
                    if key.startswith(prefix):
                        found.add(pid)
        return found


class PatternIndex:
    """All compiled patterns of a codebook, each indexed under its anchor word's keys."""

    def __init__(self, patterns: list[tuple[Element, ...]]):
        self.anchored = [isinstance(elements[0], Anchor) for elements in patterns]
        self.patterns = [e[1:] if a else e for e, a in zip(patterns, self.anchored, strict=True)]
        self.anchor_at: list[int] = []
        self._anchors = _KeyTable()
        self._openers = _KeyTable()  # "^" patterns, tried once per text at its first word
        self.second: list[frozenset[str] | None] = []
        for pid, elements in enumerate(self.patterns):
            required = [
                (j, e) for j, e in enumerate(elements) if isinstance(e, Word) and not e.optional
            ]
            # "^" patterns stay anchored on their first word, where the text must begin.
            j, anchor = (
                required[0]
                if self.anchored[pid]
                else min(required, key=lambda item: _anchor_score(item[1]))
            )
            self.anchor_at.append(j)
            # A second required word, checked against the text's words before trying the pattern.
            others = [
                e for i, e in required if i != j and not e.prefixes and (e.exact or e.surface)
            ]
            second = min(others, key=_anchor_score) if others else None
            self.second.append(frozenset(second.exact | second.surface) if second else None)
            (self._openers if self.anchored[pid] else self._anchors).add(anchor, pid)

    def find(self, keys: list[Keys], boundary: list[bool]) -> list[tuple[int, int, int]]:
        """Every (pattern id, start token, end token) found, with the shortest gaps."""
        matches = []
        n = len(keys)
        opening = next((i for i, k in enumerate(keys) if k[0][:1].isalnum()), -1)
        if opening >= 0:
            for pid in self._openers.lookup(keys[opening]):
                end = _forward(self.patterns[pid], 1, opening + 1, keys, boundary, n)
                if end > opening:
                    matches.append((pid, opening, end))
        present = {key for token in keys for key in token}
        second = self.second
        for i in range(n):
            if boundary[i]:
                continue
            for pid in self._anchors.lookup(keys[i]):
                needed = second[pid]
                if needed is not None and needed.isdisjoint(present):
                    continue
                elements = self.patterns[pid]
                at = self.anchor_at[pid]
                end = _forward(elements, at + 1, i + 1, keys, boundary, n)
                if end < 0:
                    continue
                start = _backward(elements, at - 1, i - 1, keys, boundary)
                if start >= 0:
                    matches.append((pid, start, end))
        return matches


def _forward(elements, j, pos, keys, boundary, n) -> int:
    """Match elements[j:] from token ``pos`` on; the end token (exclusive) or -1."""
    if j == len(elements):
        return pos
    element = elements[j]
    if isinstance(element, Gap):
        for skip in range(element.max + 1):
            at = pos + skip
            if at > n or (skip and boundary[at - 1]):
                break
            end = _forward(elements, j + 1, at, keys, boundary, n)
            if end >= 0:
                return end
        return -1
    if pos < n and not boundary[pos] and element.matches(keys[pos]):
        end = _forward(elements, j + 1, pos + 1, keys, boundary, n)
        if end >= 0:
            return end
    if element.optional:
        return _forward(elements, j + 1, pos, keys, boundary, n)
    return -1


def _backward(elements, j, pos, keys, boundary) -> int:
    """Match elements[:j+1] leftwards ending at token ``pos``; the start token or -1."""
    if j < 0:
        return pos + 1
    element = elements[j]
    if isinstance(element, Gap):
        for skip in range(element.max + 1):
            at = pos - skip
            if at < -1 or (skip and boundary[at + 1]):
                break
            start = _backward(elements, j - 1, at, keys, boundary)
            if start >= 0:
                return start
        return -1
    if pos >= 0 and not boundary[pos] and element.matches(keys[pos]):
        start = _backward(elements, j - 1, pos - 1, keys, boundary)
        if start >= 0:
            return start
    if element.optional:
        return _backward(elements, j - 1, pos, keys, boundary)
    return -1
