"""Summary tables for export: counts by line, population × line, territory × line and theme.

Counted in the database (one grouped query for lines, one for themes), then passed through the
small-cell rule of ``analysis.suppression`` with complementary suppression: every published sum
(total over populations and over territories, each line over populations and over territories)
is declared, so no hidden cell can be recovered by subtraction.
"""

from __future__ import annotations

import json
from collections import Counter

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, case, cast, func

from analysis import LINES
from analysis.suppression import Table

from ..analyze.filters import Filters, coded_answers
from ..analyze.labels import line_names
from ..extensions import db
from ..models import Answer, Encounter
from ..models.coding import LINE_BITS
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
    counts = _count(filters)
    table = Table(k)
    populations = sorted({key[1] for key in counts if key[0] == "population"})
    territories = sorted({key[1] for key in counts if key[0] == "territory"})
    themes = sorted(key[1] for key in counts if key[0] == "theme")
    table.add(("total",), counts["total",], primary=False)
    for field, values in (("population", populations), ("territory", territories)):
        for value in values:
            table.add((field, value), counts[field, value])
        table.add_sum(("total",), [(field, value) for value in values])
    for line in LINES:
        table.add(("line", line), counts["line", line])
        for field, values in (("population", populations), ("territory", territories)):
            parts = [(f"{field}_line", value, line) for value in values]
            for key in parts:
                table.add(key, counts[key])
            table.add_sum(("line", line), parts)
    for theme in themes:
        table.add(("theme", theme), counts["theme", theme])
    table.suppress()

    lines, names = line_names(), theme_names(lang)

    def population(code):
        return str(POPULATION_LABELS.get(code, code))

    def place(code):
        found = territory(code)
        return found.name if found else str(code)

    def row(name, key, group_code="", group="", line=""):
        value = table.value(key)
        return {
            "tabla": name,
            "grupo_codigo": group_code,
            "grupo": group,
            "linea": lines.get(line, "") if line else "",
            "respuestas": "" if value is None else value,
            "suprimido": _("sí") if value is None else _("no"),
        }

    rows = [row("total", ("total",), group=_("Todas las respuestas"))]
    rows += [row("por_linea", ("line", ln), line=ln) for ln in LINES]
    rows += [row("por_poblacion", ("population", p), p, population(p)) for p in populations]
    rows += [
        row("poblacion_por_linea", ("population_line", p, ln), p, population(p), ln)
        for p in populations
        for ln in LINES
    ]
    rows += [row("por_territorio", ("territory", t), t, place(t)) for t in territories]
    rows += [
        row("territorio_por_linea", ("territory_line", t, ln), t, place(t), ln)
        for t in territories
        for ln in LINES
    ]
    rows += [row("por_tema", ("theme", th), th, names.get(th, th)) for th in themes]
    return rows, counts["total",]


def _count(filters: Filters) -> Counter:
    counts: Counter = Counter()
    per_line = [
        func.sum(case((Answer.line_mask.op("&")(LINE_BITS[line]) != 0, 1), else_=0))
        for line in LINES
    ]
    grouped = (
        coded_answers(filters)
        .with_only_columns(Encounter.population, Encounter.territory_code, func.count(), *per_line)
        .group_by(Encounter.population, Encounter.territory_code)
    )
    for population, code, n, *by_line in db.session.execute(grouped):
        counts["total",] += n
        counts["population", population] += n
        counts["territory", code] += n
        for line, m in zip(LINES, by_line, strict=True):
            m = int(m or 0)
            counts["line", line] += m
            counts["population_line", population, line] += m
            counts["territory_line", code, line] += m
    # Theme lists are few distinct combinations: group by their stored form, split here.
    stored = cast(Answer.themes, String)
    combos = coded_answers(filters).with_only_columns(stored, func.count()).group_by(stored)
    for text, n in db.session.execute(combos):
        for theme in dict.fromkeys(json.loads(text) if text else []):
            counts["theme", theme] += n
    return counts


def summary_json(rows: list[dict], k: int) -> dict:
    """The same cells nested by table, with ``null`` for suppressed counts."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for row in rows:
        entry = {key: row[key] for key in ("grupo_codigo", "grupo", "linea") if row[key] != ""}
        entry["respuestas"] = None if row["respuestas"] == "" else row["respuestas"]
        tables[row["tabla"]].append(entry)
    return {"k": k, "tablas": tables}
