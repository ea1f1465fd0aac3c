"""The codebook's pattern language: parse once, index by first token, match in one pass.

A pattern is a sequence of elements separated by spaces (documented for analysts at the top of
``codebook.yaml``):

    word      the word, its lemma or its plural, in any spelling with the same phonetic key
    word*     any word starting with ``word`` ("explot*": explotación, explotan, explotador)
    =word     the written form only, never the lemma (for words the lemmatizer confuses)
    a|b|c     any of the alternatives (each one a word, a prefix or a @set)
    (a b|c d) any of the phrases; may be mixed with words: ``x|(a b)|y``; ``(..)?`` optional
    @set      any word of the named list under ``sets:``
    x?        the element is optional
    ^         (first only) the pattern must start the text, e.g. "^ a mi mama"
    ...       skip 0 to 3 words; ``...N`` skips 0 to N words (never across . ! ? ;)

Every token of a text is reduced to three keys (written form, lemma, written form without a
final -s), all passed through :func:`analysis.spelling.phonetic_key`. Patterns are indexed by
their rarest word (see :mod:`analysis.matching_index`), so a text costs a few dictionary
look-ups per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.spelling import phonetic_key, prefix_keys

MAX_GAP = 8
DEFAULT_GAP = 3
BOUNDARY_TEXTS = frozenset({".", "!", "?", ";", "¡", "¿", "\n", "...", "…"})
_GAP_RE = re.compile(r"^\.\.\.(\d+)?$")
_WORD_RE = re.compile(r"^=?[^\s|?*@=]+\*?$")


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says which part and why."""


@dataclass(frozen=True)
class Word:
    exact: frozenset[str]  # keys matched against written form, lemma and de-pluralised form
    surface: frozenset[str]  # keys matched against the written form only
    prefixes: tuple[str, ...]
    optional: bool = False

    def matches(self, keys: tuple[str, str, str]) -> bool:
        surface, lemma, stem = keys
        if surface in self.exact or lemma in self.exact or stem in self.exact:
            return True
        if surface in self.surface:
            return True
        for prefix in self.prefixes:
            if surface.startswith(prefix) or lemma.startswith(prefix):
                return True
        return False


@dataclass(frozen=True)
class Gap:
    max: int


@dataclass(frozen=True)
class Anchor:
    """Marks a pattern that only matches at the start of the text."""


Element = Word | Gap | Anchor


MAX_VARIANTS = 500


def _split_top(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside parentheses ("a|(b c)|d" keeps "(b c)" whole)."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
            if depth > 1:
                raise PatternError(f"'{text}': groups cannot be nested")
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise PatternError(f"'{text}': unbalanced parentheses")
        if depth == 0 and (ch == separator or (separator == " " and ch.isspace())):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if depth:
        raise PatternError(f"'{text}': unbalanced parentheses")
    parts.append("".join(current))
    return [part for part in parts if part] if separator == " " else parts


def _token_phrases(token: str) -> list[str]:
    """The phrases one token stands for: "a|(b c)|d" is "a", "b c" or "d"."""
    optional = token.endswith(")?")
    body = token[:-1] if optional else token
    phrases: list[str] = []
    words: list[str] = []  # single words stay one element: "a|d" instead of two patterns
    for alt in _split_top(body, "|"):
        if alt.startswith("(") and alt.endswith(")"):
            inner = [phrase.strip() for phrase in alt[1:-1].split("|")]
            if not all(inner):
                raise PatternError(f"'{token}': empty phrase in a group")
            for phrase in inner:
                (words if " " not in phrase else phrases).append(phrase)
        elif "(" in alt or ")" in alt:
            raise PatternError(f"'{token}': a group must be written (phrase|phrase)")
        elif not alt:
            raise PatternError(f"'{token}': empty alternative")
        else:
            words.append(alt)
    if words:
        phrases.insert(0, "|".join(words))
    if optional:
        phrases.append("")
    return phrases


def expand_groups(source: str) -> list[str]:
    """Spell out phrase groups into plain patterns, one per combination of phrases."""
    variants = [""]
    for token in _split_top(source, " "):
        if "(" not in token and ")" not in token:
            variants = [f"{v} {token}" for v in variants]
            continue
        variants = [f"{v} {phrase}" for v in variants for phrase in _token_phrases(token)]
        if len(variants) > MAX_VARIANTS:
            raise PatternError(f"'{source}': more than {MAX_VARIANTS} combinations")
    cleaned = []
    for variant in variants:
        parts = variant.split()
        while parts and _GAP_RE.match(parts[-1]):  # an optional group left a dangling gap
            parts.pop()
        if parts:
            cleaned.append(" ".join(parts))
    return cleaned


def parse_patterns(source: str, sets: dict[str, list[str]]) -> list[tuple[Element, ...]]:
    """Compile a pattern that may hold phrase groups into its plain variants."""
    return [parse_pattern(variant, sets) for variant in expand_groups(source)]


def parse_pattern(source: str, sets: dict[str, list[str]]) -> tuple[Element, ...]:
    """Compile one pattern string; raise PatternError with a message an analyst can act on."""
    parts = source.split()
    if not parts:
        raise PatternError("empty pattern")
    elements: list[Element] = []
    if parts[0] == "^":
        if len(parts) == 1:
            raise PatternError("'^' alone is an empty pattern")
        elements.append(Anchor())
        parts = parts[1:]
    for part in parts:
        if part == "^":
            raise PatternError(f"'{source}': '^' may only start a pattern")
        gap = _GAP_RE.match(part)
        if gap:
            size = int(gap.group(1)) if gap.group(1) else DEFAULT_GAP
            if not 1 <= size <= MAX_GAP:
                raise PatternError(f"gap '{part}' must skip between 1 and {MAX_GAP} words")
            elements.append(Gap(size))
            continue
        elements.append(_parse_word(part, sets))
    first, last = elements[1 if isinstance(elements[0], Anchor) else 0], elements[-1]
    if isinstance(first, Gap) or first.optional:
        raise PatternError(f"'{source}': the first element cannot be a gap or optional")
    if isinstance(last, Gap):
        raise PatternError(f"'{source}': the last element cannot be a gap")
    return tuple(elements)


def _parse_word(part: str, sets: dict[str, list[str]]) -> Word:
    optional = part.endswith("?") and len(part) > 1
    body = part[:-1] if optional else part
    exact: set[str] = set()
    surface: set[str] = set()
    prefixes: set[str] = set()
    for alt in body.split("|"):
        if not alt:
            raise PatternError(f"'{part}': empty alternative")
        if alt.startswith("@"):
            name = alt[1:]
            if name not in sets:
                raise PatternError(f"'{part}': unknown set '@{name}'")
            words = sets[name]
        else:
            words = [alt]
        for word in words:
            if not _WORD_RE.match(word):
                raise PatternError(f"'{part}': '{word}' is not a word, a prefix* or =word")
            if word.endswith("*"):
                stem = word.lstrip("=")[:-1]
                if len(stem) < 3:
                    raise PatternError(f"'{part}': prefix '{word}' is too short (3+ letters)")
                prefixes.update(prefix_keys(stem))
            elif word.startswith("="):
                surface.add(phonetic_key(word[1:]))
            else:
                exact.add(phonetic_key(word))
    return Word(frozenset(exact), frozenset(surface), tuple(sorted(prefixes)), optional)
