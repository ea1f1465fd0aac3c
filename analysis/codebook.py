"""The versioned codebook: themes of what people say, each tied to the plan's lines.

Analysts and administrators edit it as YAML; the app saves new versions, so a codebook can come
from any path or from a dict, and a broken one is rejected with a message that says what to fix
instead of silently coding nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from analysis import LINES
from analysis.matching import PatternError, parse_patterns
from analysis.matching_index import PatternIndex

DEFAULT_PATH = Path(__file__).with_name("codebook.yaml")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
NEGATION_MODES = ("none", "existence", "any")
KINDS = ("content", "no_content")
DEFAULT_WEIGHT = 0.8
DEFAULT_THRESHOLD = 0.5


class CodebookError(ValueError):
    """The codebook is invalid; the message names the theme and the field."""


@dataclass(frozen=True)
class PatternSpec:
    source: str
    weight: float
    negation: str
    requires: tuple[tuple[str, ...], ...]  # every group needs one of its patterns in the text
    excludes: tuple[str, ...]  # none of these may occur in the text
    yields_to: tuple[str, ...] = ()  # theme ids that, when found, make this match a passing mention
    max_tokens: int = 0  # if set, only texts this short count (bare answers like "mi abuela")


@dataclass(frozen=True)
class Theme:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    lines: tuple[str, ...]
    patterns: tuple[PatternSpec, ...]
    kind: str = "content"


@dataclass(frozen=True)
class PatternMeta:
    """What the tagger needs to know about one compiled pattern."""

    theme: int  # index into Codebook.themes, or -1 for a context pattern
    weight: float = 0.0
    negation: str = "none"
    requires: tuple[tuple[int, ...], ...] = ()  # context pattern ids; one per group must match
    excludes: tuple[int, ...] = ()  # ids of context patterns; none may match
    yields_to: frozenset[int] = frozenset()  # theme numbers that override this match
    max_tokens: int = 0


@dataclass(frozen=True)
class Compiled:
    index: PatternIndex
    meta: tuple[PatternMeta, ...]


@dataclass
class Codebook:
    version: str
    themes: list[Theme]
    sets: dict[str, list[str]] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    source: dict[str, Any] = field(default_factory=dict, repr=False)

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    @classmethod
    def from_dict(cls, data: Any) -> Codebook:
        if not isinstance(data, dict):
            raise CodebookError("the codebook must be a mapping with 'version' and 'themes'")
        version = data.get("version")
        if not isinstance(version, str | int | float) or not str(version).strip():
            raise CodebookError("the codebook needs a 'version' such as \"2026.11.1\"")
        sets = _read_sets(data.get("sets") or {})
        threshold = data.get("threshold", DEFAULT_THRESHOLD)
        if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
            raise CodebookError("'threshold' must be a number in (0, 1]")
        raw_themes = data.get("themes")
        if not isinstance(raw_themes, list) or not raw_themes:
            raise CodebookError("the codebook needs a non-empty list of 'themes'")
        themes: list[Theme] = []
        seen: set[str] = set()
        for position, raw in enumerate(raw_themes, 1):
            theme = _read_theme(raw, position)
            if theme.id in seen:
                raise CodebookError(f"duplicate theme id '{theme.id}'")
            seen.add(theme.id)
            themes.append(theme)
        for theme in themes:
            for spec in theme.patterns:
                unknown = [t for t in spec.yields_to if t not in seen]
                if unknown:
                    raise CodebookError(f"theme '{theme.id}': yields_to names unknown {unknown}")
        book = cls(str(version).strip(), themes, sets, float(threshold), data)
        book.compiled  # noqa: B018 - compile now so that bad patterns fail at load time
        return book

    @classmethod
    def from_yaml(cls, text: str) -> Codebook:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CodebookError(f"the codebook is not valid YAML: {exc}") from exc
        return cls.from_dict(data)

    @cached_property
    def compiled(self) -> Compiled:
        patterns: list = []
        meta: list[PatternMeta] = []
        context_ids: dict[str, tuple[int, ...]] = {}

        def context(source: str, where: str) -> tuple[int, ...]:
            if source not in context_ids:
                variants = _compile(source, self.sets, where)
                first = len(patterns)
                patterns.extend(variants)
                meta.extend(PatternMeta(theme=-1) for _ in variants)
                context_ids[source] = tuple(range(first, len(patterns)))
            return context_ids[source]

        numbers = {theme.id: number for number, theme in enumerate(self.themes)}
        for number, theme in enumerate(self.themes):
            for spec in theme.patterns:
                where = f"theme '{theme.id}'"
                requires = tuple(
                    tuple(pid for s in group for pid in context(s, where))
                    for group in spec.requires
                )
                excludes = tuple(pid for s in spec.excludes for pid in context(s, where))
                yields = frozenset(numbers[t] for t in spec.yields_to)
                info = PatternMeta(
                    number, spec.weight, spec.negation, requires, excludes, yields, spec.max_tokens
                )
                variants = _compile(spec.source, self.sets, where)
                patterns.extend(variants)
                meta.extend(info for _ in variants)
        return Compiled(PatternIndex(patterns), tuple(meta))


def _compile(source: str, sets: dict[str, list[str]], where: str) -> list:
    try:
        return parse_patterns(source, sets)
    except PatternError as exc:
        raise CodebookError(f"{where}: bad pattern {source!r}: {exc}") from exc


def _read_sets(raw: Any) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        raise CodebookError("'sets' must map a name to a list of words")
    sets: dict[str, list[str]] = {}
    for name, words in raw.items():
        if not isinstance(name, str) or not ID_RE.match(name):
            raise CodebookError(f"set name '{name}' must be snake_case")
        if not isinstance(words, list) or not words:
            raise CodebookError(f"set '{name}' must be a non-empty list of words")
        sets[name] = [str(word).strip() for word in words]
        if any(not word or " " in word for word in sets[name]):
            raise CodebookError(f"set '{name}' holds an empty or multi-word entry")
    return sets


def _bilingual(raw: Any, field_name: str, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(lang), str) and raw[lang].strip() for lang in ("es", "en")
    ):
        raise CodebookError(f"{where}: '{field_name}' needs non-empty 'es' and 'en' texts")
    extra = sorted(str(key) for key in raw if key not in ("es", "en"))
    if extra:
        # Typically a comma inside an unquoted {es: .., en: ..}: YAML split the text in two.
        raise CodebookError(
            f"{where}: '{field_name}' has unexpected keys {extra}; quote texts that contain commas"
        )
    return {"es": raw["es"].strip(), "en": raw["en"].strip()}


def _read_theme(raw: Any, position: int) -> Theme:
    if not isinstance(raw, dict):
        raise CodebookError(f"theme #{position} must be a mapping")
    theme_id = raw.get("id")
    if not isinstance(theme_id, str) or not ID_RE.match(theme_id):
        raise CodebookError(f"theme #{position}: 'id' must be snake_case, got {theme_id!r}")
    where = f"theme '{theme_id}'"
    kind = raw.get("kind", "content")
    if kind not in KINDS:
        raise CodebookError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    lines = raw.get("lines")
    if not isinstance(lines, list):
        raise CodebookError(f"{where}: 'lines' must be a list of line ids")
    for line in lines:
        if line not in LINES:
            raise CodebookError(f"{where}: unknown line id {line!r} (use {', '.join(LINES)})")
    if not lines and kind == "content":
        raise CodebookError(f"{where}: 'lines' is empty (only kind: no_content may have none)")
    base = _pattern_options(raw, where, DEFAULT_WEIGHT, "none", (), (), (), 0)
    raw_patterns = raw.get("patterns")
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise CodebookError(f"{where}: 'patterns' must be a non-empty list")
    patterns = []
    for item in raw_patterns:
        if isinstance(item, dict):
            source = item.get("match")
            options = _pattern_options(item, where, *base)
        else:
            source, options = item, base
        if not isinstance(source, str) or not source.strip():
            raise CodebookError(f"{where}: empty pattern")
        patterns.append(PatternSpec(" ".join(source.split()), *options))
    return Theme(
        id=theme_id,
        name=_bilingual(raw.get("name"), "name", where),
        description=_bilingual(raw.get("description"), "description", where),
        lines=tuple(sorted(set(lines))),
        patterns=tuple(patterns),
        kind=kind,
    )


def _pattern_options(
    raw: dict, where: str, weight, negation, requires, excludes, yields, max_tokens
) -> tuple:
    weight = raw.get("weight", weight)
    if not isinstance(weight, int | float) or not 0 < weight <= 1:
        raise CodebookError(f"{where}: 'weight' must be a number in (0, 1]")
    negation = raw.get("negation", negation)
    if negation not in NEGATION_MODES:
        raise CodebookError(f"{where}: 'negation' must be one of {', '.join(NEGATION_MODES)}")
    return (
        float(weight),
        negation,
        requires + _requires_groups(raw.get("requires"), where),
        excludes + _context_list(raw.get("excludes"), "excludes", where),
        yields + _context_list(raw.get("yields_to"), "yields_to", where),
        _max_tokens(raw.get("max_tokens", max_tokens), where),
    )


def _max_tokens(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CodebookError(f"{where}: 'max_tokens' must be a whole number (0 = no limit)")
    return value


def _context_list(raw: Any, field_name: str, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        raise CodebookError(f"{where}: '{field_name}' must be a list of non-empty patterns")
    return tuple(" ".join(s.split()) for s in raw)


def _requires_groups(raw: Any, where: str) -> tuple[tuple[str, ...], ...]:
    group = _context_list(raw, "requires", where)
    return (group,) if group else ()


_CACHE: dict[tuple[str, int], Codebook] = {}


def load_codebook(path: str | os.PathLike | None = None) -> Codebook:
    """Load and validate a codebook file; cached until the file changes on disk."""
    resolved = Path(path or DEFAULT_PATH).resolve()
    try:
        stamp = resolved.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise CodebookError(f"codebook file not found: {resolved}") from exc
    key = (str(resolved), stamp)
    if key not in _CACHE:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        _CACHE[key] = Codebook.from_yaml(resolved.read_text(encoding="utf-8"))
    return _CACHE[key]
