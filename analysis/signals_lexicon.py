"""Load the editable word lists under data/signals/ and compile them once, at import.

Entries that share a section, a name and the same options are joined into one regex, so a doc
is scanned a fixed number of times whatever the size of the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.signals_keys import compile_group, compile_pattern, key

DATA_DIR = Path(__file__).parent / "data" / "signals"


@dataclass(frozen=True)
class CueGroup:
    section: str  # strong, weak, help, frames
    name: str  # reason code, weak kind, help strength or frame kind
    regex: re.Pattern
    requires: re.Pattern | None = None  # the sentence must also contain one of these words
    check: str = ""  # extra check by name, e.g. "touch"
    needs_context: bool = False


def _load(name: str) -> dict:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _entry(item) -> tuple[str, tuple]:
    if isinstance(item, str):
        return item, ((), "", False)
    requires = tuple(item.get("requires", ()))
    return item["p"], (requires, item.get("check", ""), bool(item.get("needs_context", False)))


def _compile(cues: dict, sets: dict) -> list[CueGroup]:
    groups: list[CueGroup] = []
    for section, names in cues.items():
        for name, items in names.items():
            by_options: dict[tuple, list[str]] = {}
            for item in items:
                pattern, options = _entry(item)
                by_options.setdefault(options, []).append(pattern)
            for (requires, check, needs_context), patterns in by_options.items():
                req = None
                if requires:
                    req = re.compile(compile_pattern("|".join(f"@{s}" for s in requires), sets))
                groups.append(
                    CueGroup(
                        section, name, compile_group(patterns, sets), req, check, needs_context
                    )
                )
    return groups


SETS: dict[str, list[str]] = _load("sets.yaml")
GROUPS: list[CueGroup] = _compile(_load("cues.yaml"), SETS)


class WordSet:
    """Membership of one token key in a named set, for checks done in code."""

    __slots__ = ("exact", "prefixes")

    def __init__(self, name: str):
        words = SETS[name]
        self.exact = {key(w) for w in words if not w.endswith("*")}
        self.prefixes = tuple(key(w[:-1]) for w in words if w.endswith("*"))

    def __contains__(self, k: str) -> bool:
        return k in self.exact or (bool(self.prefixes) and k.startswith(self.prefixes))
