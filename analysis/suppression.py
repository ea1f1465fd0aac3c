"""Small-cell suppression for published tables, including complementary suppression.

Hiding a cell below k is not enough when a total is shown: the hidden cell could be subtracted
back from it. Each published sum is an equation; an equation with exactly one hidden member
leaks that member, so another member (the smallest shown part, else the total) is hidden too,
repeated until no equation leaks. This is the standard heuristic of statistical offices; it does
not solve interval inference across many equations, which these few tables do not need.
"""

from __future__ import annotations

from collections.abc import Hashable


class Table:
    def __init__(self, k: int):
        self.k = k
        self.cells: dict[Hashable, int] = {}
        self.hidden: set[Hashable] = set()
        self.sums: list[tuple[Hashable, list[Hashable]]] = []
        self.primary = 0

    def add(self, key: Hashable, value: int, primary: bool = True) -> None:
        """Register a published cell; below k (zero included) it is hidden unless ``primary``
        is false (a grand total, which identifies nobody by itself)."""
        self.cells[key] = value
        if primary and value < self.k:
            self.hidden.add(key)
            self.primary += 1

    def add_sum(self, total: Hashable, parts: list[Hashable]) -> None:
        """Declare that ``total`` equals the sum of ``parts`` (all already added)."""
        self.sums.append((total, list(parts)))

    def suppress(self) -> None:
        changed = True
        while changed:
            changed = False
            for total, parts in self.sums:
                members = [total, *parts]
                if sum(m in self.hidden for m in members) != 1:
                    continue
                shown = [p for p in parts if p not in self.hidden]
                if shown:
                    victim = min(shown, key=lambda p: (self.cells[p], repr(p)))
                elif total not in self.hidden:
                    victim = total
                else:
                    continue  # a hidden total with no parts gives nothing away
                self.hidden.add(victim)
                changed = True

    def value(self, key: Hashable) -> int | None:
        return None if key in self.hidden else self.cells[key]

    def stats(self) -> dict[str, int]:
        return {"primary": self.primary, "complementary": len(self.hidden) - self.primary}
