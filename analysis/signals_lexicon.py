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
    """Membership of one token key in named sets, for checks done in code."""

    __slots__ = ("exact", "prefixes", "_memo")

    def __init__(self, *names: str):
        words = [w for name in names for w in SETS[name]]
        self.exact = {key(w) for w in words if not w.endswith("*")}
        self.prefixes = tuple(key(w[:-1]) for w in words if w.endswith("*"))
        self._memo: dict[str, bool] = {}

    def __contains__(self, k: str) -> bool:
        found = self._memo.get(k)
        if found is None:
            found = k in self.exact or (bool(self.prefixes) and k.startswith(self.prefixes))
            if len(self._memo) < 100_000:
                self._memo[k] = found
        return found


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
CUES: PatternIndex = _compile(_load("cues.yaml"))
