"""Aggregated rows folded into the published tables, with the small-cell rule applied.

The rule itself lives in ``analysis.suppression`` (primary and complementary suppression); this
module only declares which cells are published and which published sums tie them together, so
that no hidden cell can be subtracted back from a total shown beside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from analysis import LINES
from analysis.suppression import Table

from ..models.coding import mask_to_lines


@dataclass(frozen=True)
class Cell:
    """A published count: ``value`` is None when the small-cell rule hides it."""

    value: int | None
    small: bool = False  # hidden because below k (else hidden to protect another cell)

    @property
    def shown(self) -> bool:
        return self.value is not None

    def share_of(self, total: Cell) -> float | None:
        if self.value is None or not total.value:
            return None
        return self.value / total.value


@lru_cache(maxsize=512)
def lines_of(mask: int) -> tuple[str, ...]:
    return tuple(mask_to_lines(mask or 0))


class Published:
    """A suppression table whose cells come back as :class:`Cell`."""

    def __init__(self, k: int):
        self.k = k
        self.table = Table(k)
        self.counts: dict = {}

    def add(self, key, value: int, primary: bool = True) -> None:
        self.counts[key] = value
        self.table.add(key, value, primary=primary)

    def add_sum(self, total, parts) -> None:
        self.table.add_sum(total, list(parts))

    def suppress(self) -> None:
        self.table.suppress()

    def cell(self, *key) -> Cell:
        value = self.table.value(key)
        return Cell(value, small=value is None and self.counts[key] < self.k)

    @property
    def stats(self) -> dict[str, int]:
        return self.table.stats()


def overview_tables(sessions, masks, facts, k: int, total_is_small_cell: bool) -> dict:
    """Fold per-session line totals and per-mask totals (``aggregates.line_totals``) and the
    sessions' (population, territory, date) into the overview's tables.

    ``total_is_small_cell``: when filters narrow the texts, the total itself is a breakdown
    and obeys the rule too.
    """
    c: Counter = Counter()
    for mask, n in masks:
        lines = lines_of(mask)
        c["total",] += n
        c["with_lines" if lines else "without_lines",] += n
        for i, line in enumerate(lines):
            for other in lines[i + 1 :]:
                c["cooc", line, other] += n
    values = {"pop": set(), "terr": set(), "day": set()}
    for session, n, per_line in sessions:
        population, territory, day = facts[session]
        for name, value in (("pop", population), ("terr", territory), ("day", day)):
            values[name].add(value)
            c[name, value] += n
            for line, count in zip(LINES, per_line, strict=True):
                c[f"{name}_line", value, line] += count
        for line, count in zip(LINES, per_line, strict=True):
            c["line", line] += count
    populations, territories, days = values["pop"], values["terr"], values["day"]
    t = Published(k)
    t.add(("total",), c["total",], primary=total_is_small_cell)
    t.add(("with_lines",), c["with_lines",])
    t.add(("without_lines",), c["without_lines",])
    t.add_sum(("total",), [("with_lines",), ("without_lines",)])
    for line in LINES:
        t.add(("line", line), c["line", line])
    for name, values in (("pop", populations), ("terr", territories), ("day", days)):
        for value in values:
            t.add((name, value), c[name, value])
            for line in LINES:
                t.add((f"{name}_line", value, line), c[f"{name}_line", value, line])
        t.add_sum(("total",), [(name, value) for value in values])
        for line in LINES:
            t.add_sum(("line", line), [(f"{name}_line", value, line) for value in values])
    for i, line in enumerate(LINES):
        for other in LINES[i + 1 :]:
            t.add(("cooc", line, other), c["cooc", line, other])
    t.suppress()

    def cross(name, values):
        return {v: {line: t.cell(f"{name}_line", v, line) for line in LINES} for v in values}

    def cooc(a, b):
        return t.cell("line", a) if a == b else t.cell("cooc", *sorted((a, b)))

    return {
        "total": t.cell("total"),
        "with_lines": t.cell("with_lines"),
        "without_lines": t.cell("without_lines"),
        "by_line": {line: t.cell("line", line) for line in LINES},
        "by_population": {p: t.cell("pop", p) for p in populations},
        "population_by_line": cross("pop", populations),
        "by_territory": {v: t.cell("terr", v) for v in territories},
        "territory_by_line": cross("terr", territories),
        "by_day": {d: t.cell("day", d) for d in sorted(days)},
        "day_by_line": cross("day", sorted(days)),
        "cooccurrence": {a: {b: cooc(a, b) for b in LINES} for a in LINES},
        "sessions": len(sessions),
        "suppressed": t.stats,
    }


def theme_table(counts: dict[str, int], k: int) -> dict[str, Cell]:
    """Themes overlap (a text has several), so there is no sum to protect: each is primary."""
    t = Published(k)
    for theme, n in counts.items():
        t.add(("theme", theme), n)
    t.suppress()
    return {theme: t.cell("theme", theme) for theme in counts}


def group_tables(rows, groups: tuple[str, ...], k: int, total_is_small_cell: bool) -> dict:
    """Fold (age group, mask, n) rows: texts per group and per group and line."""
    c: Counter = Counter()
    for group, mask, n in rows:
        c["total",] += n
        c["group", group] += n
        for line in lines_of(mask):
            c["line", line] += n
            c["group_line", group, line] += n
    present = [g for g in groups if c["group", g]] + (
        ["sin_dato"] if c["group", "sin_dato"] else []
    )
    t = Published(k)
    t.add(("total",), c["total",], primary=total_is_small_cell)
    for group in present:
        t.add(("group", group), c["group", group])
    t.add_sum(("total",), [("group", g) for g in present])
    for line in LINES:
        t.add(("line", line), c["line", line])
        for group in present:
            t.add(("group_line", group, line), c["group_line", group, line])
        t.add_sum(("line", line), [("group_line", g, line) for g in present])
    t.suppress()
    return {
        "total": t.cell("total"),
        "by_line": {line: t.cell("line", line) for line in LINES},
        "by_group": {g: t.cell("group", g) for g in present},
        "group_by_line": {
            g: {line: t.cell("group_line", g, line) for line in LINES} for g in present
        },
        "suppressed": t.stats,
    }
