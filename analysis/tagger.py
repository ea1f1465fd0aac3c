"""Code a free text to the plan's lines (E1-E4, T1-T5), with the evidence that justifies it.

Reads the ``Doc`` that the shared pipeline already produced (no extra model call), reduces each
token to phonetic keys once, and looks them up in the codebook's precompiled index: the cost per
text is a few dictionary look-ups per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import LEMMA, ORTH

from analysis import LINES
from analysis.codebook import Codebook, load_codebook
from analysis.matching import BOUNDARY_TEXTS
from analysis.matching_negation import is_negated
from analysis.normalize import fold
from analysis.spelling import phonetic_key

__all__ = ["Evidence", "TagResult", "load_codebook", "tag", "tag_doc"]


@dataclass(frozen=True)
class Evidence:
    theme: str
    start: int  # character offsets in the original text of the doc
    end: int
    text: str


@dataclass(frozen=True)
class TagResult:
    themes: list[str]  # theme ids, in order of first evidence
    lines: list[str]  # sorted line ids
    confidence: dict[str, float]  # per line in ``lines``, 0..1
    evidence: list[Evidence]


_CONDITIONAL = re.compile(r"^(\w{3,}[aei]r)(?:ia|ias|ian|iamos)$")


def _lemma(text: str, lemma: str) -> str:
    """The model's lemma, or the infinitive of a conditional it did not recognise.

    "Si fuera alcalde, cerraría..." answers are full of conditionals; the model sometimes returns
    forms like "capturarir" or the word itself for them.
    """
    folded = fold(text)
    found = _CONDITIONAL.match(folded)
    if (
        found
        and not fold(lemma).endswith(("ar", "er", "ir"))
        or (found and fold(lemma).endswith(("arir", "erir", "irir")))
    ):
        return found.group(1)
    return lemma


_TOKEN_CACHE: dict[tuple[int, int], tuple[tuple[str, str, str], bool]] = {}
_TOKEN_CACHE_MAX = 200_000


def _token_entry(strings, orth: int, lemma_id: int) -> tuple[tuple[str, str, str], bool]:
    text, lemma = strings[orth], strings[lemma_id] if lemma_id else ""
    surface = phonetic_key(text)
    lemma_key = phonetic_key(_lemma(text, lemma)) if lemma else surface
    stem = surface[:-1] if len(surface) > 3 and surface.endswith("s") else surface
    stop = text in BOUNDARY_TEXTS or not text.strip()
    if len(_TOKEN_CACHE) >= _TOKEN_CACHE_MAX:
        _TOKEN_CACHE.clear()
    entry = _TOKEN_CACHE[(orth, lemma_id)] = ((surface, lemma_key, stem), stop)
    return entry


def token_keys(doc) -> tuple[list[tuple[str, str, str]], list[bool]]:
    """Phonetic keys (written form, lemma, written form without final -s) and clause stops.

    Reads the token and lemma ids as one array and caches per id pair: no Token objects.
    """
    keys = []
    boundary = []
    cache = _TOKEN_CACHE
    strings = doc.vocab.strings
    for orth, lemma_id in doc.to_array([ORTH, LEMMA]).tolist():
        entry = cache.get((orth, lemma_id)) or _token_entry(strings, orth, lemma_id)
        keys.append(entry[0])
        boundary.append(entry[1])
    return keys, boundary


def tag_doc(doc, codebook: Codebook | None = None) -> TagResult:
    book = codebook or load_codebook()
    compiled = book.compiled
    keys, boundary = token_keys(doc)
    matches = compiled.index.find(keys, boundary)
    meta = compiled.meta
    context_hits = {pid for pid, _, _ in matches if meta[pid].theme < 0}

    spans: dict[int, list[tuple[int, int, float, frozenset[int]]]] = {}
    for pid, start, end in sorted(matches, key=lambda m: (m[1], m[1] - m[2])):
        info = meta[pid]
        if info.theme < 0:
            continue
        if any(not context_hits.intersection(group) for group in info.requires):
            continue
        if context_hits.intersection(info.excludes):
            continue
        if info.max_tokens and len(keys) > info.max_tokens:
            continue
        if is_negated(info.negation, start, keys, boundary, end):
            continue
        spans.setdefault(info.theme, []).append((start, end, info.weight, info.yields_to))
    return _resolve(book, doc, _drop_passing(spans))


def _drop_passing(spans: dict) -> dict[int, list[tuple[int, int, float]]]:
    """Drop matches that are only a passing mention because a theme they yield to was found.

    Overlaps within a theme are settled afterwards, so that a passing match ("venden fotos",
    yielding to closure of sites) does not hide an overlapping one that stands ("fotos de niñas").
    """
    found = set(spans)
    kept: dict[int, list[tuple[int, int, float]]] = {}
    for number, items in spans.items():
        rest: list[tuple[int, int, float]] = []
        for s, e, w, yields in items:
            if yields & (found - {number}) or any(s < end and start < e for start, end, _ in rest):
                continue
            rest.append((s, e, w))
        if rest:
            kept[number] = rest
    return kept


def _resolve(book: Codebook, doc, spans: dict[int, list[tuple[int, int, float]]]) -> TagResult:
    theme_scores = {number: _combine(w for _, _, w in found) for number, found in spans.items()}
    line_scores: dict[str, float] = {}
    for number, score in theme_scores.items():
        for line in book.themes[number].lines:
            line_scores[line] = 1 - (1 - line_scores.get(line, 0.0)) * (1 - score)
    lines = [line for line in LINES if line_scores.get(line, 0.0) >= book.threshold]
    kept = [
        number
        for number, score in theme_scores.items()
        if book.themes[number].kind == "content"
        and (score >= book.threshold or set(book.themes[number].lines) & set(lines))
    ]
    if not kept:
        kept = [n for n in theme_scores if book.themes[n].kind == "no_content"]
    evidence = []
    for number in kept:
        for start, end, _ in spans[number]:
            span = doc[start:end]
            begin = span.start_char
            evidence.append(Evidence(book.themes[number].id, begin, span.end_char, span.text))
    evidence.sort(key=lambda ev: (ev.start, ev.end))
    themes = list(dict.fromkeys(ev.theme for ev in evidence))
    return TagResult(
        themes=themes,
        lines=sorted(lines),
        confidence={line: round(min(line_scores[line], 0.99), 3) for line in lines},
        evidence=evidence,
    )


def _combine(weights) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1 - weight
    return 1 - remaining


def tag(text: str, codebook: Codebook | None = None) -> TagResult:
    from analysis.pipeline import parse

    return tag_doc(parse(text), codebook)
