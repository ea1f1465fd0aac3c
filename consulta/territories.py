"""Medellín's comunas and corregimientos, read once from the fixture with their official codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FIXTURE = Path(__file__).parent / "fixtures" / "territories.yaml"


@dataclass(frozen=True)
class Territory:
    code: int
    name: str
    kind: str  # comuna | corregimiento

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}"


@lru_cache(maxsize=1)
def all_territories() -> tuple[Territory, ...]:
    rows = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return tuple(Territory(int(r["code"]), r["name"], r["kind"]) for r in rows)


def territory(code: int) -> Territory | None:
    return next((t for t in all_territories() if t.code == code), None)
