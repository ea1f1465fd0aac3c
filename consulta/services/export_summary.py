"""Summary tables for export: the overview's own published cells, in long format.

The counts and the small-cell rule (primary and complementary suppression from
``analysis.suppression``) come from the overview's queries and tables, so a downloaded table
never shows a number the overview hides, nor differs from it.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from analysis import LINES

from ..analyze import aggregates
from ..analyze.breakdowns import overview_tables, theme_table
from ..analyze.filters import Filters
from ..analyze.labels import line_names
from ..profiles import POPULATION_LABELS
from ..territories import territory
from .exporting import theme_names

SUMMARY_FIELDS = ("tabla", "grupo_codigo", "grupo", "linea", "respuestas", "suprimido")
TABLES = (
    "total",
    "por_linea",
    "por_poblacion",
    "poblacion_por_linea",
    "por_territorio",
    "territorio_por_linea",
    "por_tema",
)


def summary_rows(filters: Filters, lang: str) -> tuple[list[dict], int]:
    """Long-format rows (one per published cell) and the number of answers they describe."""
    k = current_app.config["SMALL_CELL_K"]
    narrowed = any(name != "consultation" for name in filters.active())
    sessions, masks, theme_totals = aggregates.line_totals(filters, with_themes=True)
    facts = aggregates.session_facts(row[0] for row in sessions)
    tables = overview_tables(sessions, masks, facts, k, narrowed)
    themes = theme_table(theme_totals, k)
    lines, names = line_names(), theme_names(lang)

    def population(code):
        return str(POPULATION_LABELS.get(code, code))

    def place(code):
        found = territory(code)
        return found.name if found else str(code)

    def row(name, cell, group_code="", group="", line=""):
        return {
            "tabla": name,
            "grupo_codigo": group_code,
            "grupo": group,
            "linea": lines.get(line, "") if line else "",
            "respuestas": "" if cell.value is None else cell.value,
            "suprimido": _("sí") if cell.value is None else _("no"),
        }

    populations = sorted(tables["by_population"], key=str)
    places = sorted(tables["by_territory"])
    rows = [row("total", tables["total"], group=_("Todas las respuestas"))]
    rows += [row("por_linea", tables["by_line"][ln], line=ln) for ln in LINES]
    rows += [
        row("por_poblacion", tables["by_population"][p], p, population(p)) for p in populations
    ]
    rows += [
        row("poblacion_por_linea", tables["population_by_line"][p][ln], p, population(p), ln)
        for p in populations
        for ln in LINES
    ]
    rows += [row("por_territorio", tables["by_territory"][t], t, place(t)) for t in places]
    rows += [
        row("territorio_por_linea", tables["territory_by_line"][t][ln], t, place(t), ln)
        for t in places
        for ln in LINES
    ]
    rows += [
        row("por_tema", themes[th], th, names.get(th, th))
        for th in sorted(themes, key=lambda th: names.get(th, th))
    ]
    total = sum(n for _session, n, _lines in sessions)
    return rows, total


def summary_json(rows: list[dict], k: int) -> dict:
    """The same cells nested by table, with ``null`` for suppressed counts."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for row in rows:
        entry = {key: row[key] for key in ("grupo_codigo", "grupo", "linea") if row[key] != ""}
        entry["respuestas"] = None if row["respuestas"] == "" else row["respuestas"]
        tables[row["tabla"]].append(entry)
    return {"k": k, "tablas": tables}
