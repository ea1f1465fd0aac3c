"""Load the editable word lists under data/signals/ and compile them once, at import.

Every pattern is indexed by the keys its first slot can start on (see PatternIndex), so a doc
is walked once whatever the size of the lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.signals_keys import PatternIndex, key

DATA_DIR = Path(__file__).parent / "data" / "signals"


@dataclass(frozen=True)
class CueGroup:
    section: str  # strong, weak, help, frames
    name: str  # reason code, weak kind, help strength or frame kind
    requires: WordSet | None = None  # the sentence must also contain one of these words
    check: str = ""  # extra check by name, e.g. "touch"
    needs_context: bool = False


def _load(name: str) -> dict:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class WordSet:
    """One or more named sets as a bit mask over per-key flags (see :func:`flags_of`)."""

    __slots__ = ("mask",)

    def __init__(self, *names: str):
        self.mask = 0
        for name in names:
            self.mask |= BIT[name]

    def __contains__(self, k: str) -> bool:
        return bool(flags_of(k) & self.mask)


def _compile(cues: dict) -> PatternIndex:
    index = PatternIndex()
    groups: dict[tuple, CueGroup] = {}
    for section, names in cues.items():
        for name, items in names.items():
            for item in items:
                if isinstance(item, str):
                    item = {"p": item}
                requires = tuple(item.get("requires", ()))
                options = (
                    section,
                    name,
                    requires,
                    item.get("check", ""),
                    item.get("needs_context", False),
                )
                if options not in groups:
                    groups[options] = CueGroup(
                        section, name, WordSet(*requires) if requires else None, *options[3:]
                    )
                index.add(item["p"], SETS, groups[options])
    return index


SETS: dict[str, list[str]] = _load("sets.yaml")
BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(SETS)}
_EXACT = {name: {key(w) for w in words if not w.endswith("*")} for name, words in SETS.items()}
_PREFIXES = {
    name: tuple(key(w[:-1]) for w in words if w.endswith("*")) for name, words in SETS.items()
}
_FLAGS: dict[str, int] = {}


def flags_of(k: str) -> int:
    """Bit mask of the named sets a key belongs to; computed once per key in the process."""
    found = _FLAGS.get(k)
    if found is None:
        found = 0
        for name, bit in BIT.items():
            prefixes = _PREFIXES[name]
            if k in _EXACT[name] or (prefixes and k.startswith(prefixes)):
                found |= bit
        if len(_FLAGS) < 200_000:
            _FLAGS[k] = found
    return found


CUES: PatternIndex = _compile(_load("cues.yaml"))
