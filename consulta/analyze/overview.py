"""The overview of a consultation: what people spoke about, by line, population and territory."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from analysis import LINES

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation
from ..services.text_analysis import current_codebook
from ..territories import territory
from . import ANALYSIS_ROLES, aggregates, bp, charts
from .breakdowns import Cell, overview_tables, theme_table
from .filters import Filters, filter_choices
from .labels import line_names, population_names

TOP_THEMES = 15


def small_cell_k() -> int:
    return int(current_app.config.get("SMALL_CELL_K", 5))


def explorer_url(filters: Filters, **changes) -> str | None:
    """Link into the answers explorer with the same filters (None until the explorer exists)."""
    try:
        return url_for("analyze.explorer", **filters.as_args(**changes))
    except BuildError:
        return None


def theme_names(content_only: bool = False) -> dict[str, str]:
    """Theme names in the current language; ``content_only`` leaves out "no usable content"."""
    lang = current_language()
    return {
        t.id: t.name.get(lang) or t.name["es"]
        for t in current_codebook().themes
        if not content_only or t.kind == "content"
    }


def territory_name(code) -> str:
    place = territory(code) if code is not None else None
    return place.label if place else str(code)


def consultation_or_404(filters: Filters) -> Consultation:
    row = db.session.get(Consultation, filters.consultation) if filters.consultation else None
    if row is None:
        abort(404)
    return row


def narrowed(filters: Filters) -> bool:
    """Filters beyond the consultation turn the totals themselves into breakdowns."""
    return any(name != "consultation" for name in filters.active())


def line_bars(by_line: dict[str, Cell], filters: Filters, total: Cell) -> list[charts.Bar]:
    names = line_names()
    return [
        charts.Bar(
            label=names[line],
            cell=by_line[line],
            href=explorer_url(filters, line=line),
            color=charts.line_color(line),
            note=charts.percent(by_line[line].share_of(total)),
        )
        for line in LINES
    ]


@bp.route("/resumen")
@role_required(*ANALYSIS_ROLES)
def overview():
    if request.args.get("consultation") is None:
        return redirect(url_for("analyze.index"))
    filters = Filters.from_args(request.args)
    consultation = consultation_or_404(filters)
    k = small_cell_k()
    small = narrowed(filters)
    sessions, masks, theme_totals = aggregates.line_totals(filters, with_themes=True)
    facts = aggregates.session_facts(row[0] for row in sessions)
    tables = overview_tables(sessions, masks, facts, k, small)
    total = tables["total"]
    head = {"any": tables["sessions"] > 0, "sessions": tables["sessions"]}
    submissions = aggregates.submissions(filters) if head["sessions"] else 0
    submissions = Cell(submissions) if not small or submissions >= k else Cell(None, small=True)
    themes = theme_table(theme_totals, k)
    names = theme_names(content_only=True)
    shown_themes = sorted(
        (t for t, cell in themes.items() if cell.shown and t in names),
        key=lambda t: (-themes[t].value, names[t]),
    )
    populations = population_names()
    population_rows = [(p, populations.get(p, p)) for p in sorted(tables["by_population"], key=str)]
    territory_rows = sorted(
        ((t, territory_name(t)) for t in tables["by_territory"]), key=lambda r: r[1]
    )
    line_columns = [(line, name) for line, name in line_names().items()]
    day_rows = [(d, d.isoformat()) for d in tables["by_day"]]
    figures = {
        "lines": charts.bar_chart(
            line_bars(tables["by_line"], filters, total),
            title=_("Textos por línea del Plan"),
            desc=_(
                "Número de textos codificados a cada una de las nueve líneas; un texto puede hablar de varias."
            ),
            k=k,
        ),
        "themes": charts.bar_chart(
            [
                charts.Bar(
                    label=names[t],
                    cell=themes[t],
                    href=explorer_url(filters, theme=t),
                    color=charts.TRANSVERSAL,
                )
                for t in shown_themes[:TOP_THEMES]
            ],
            title=_("Temas más frecuentes"),
            desc=_("Los temas del libro de códigos con más textos."),
            k=k,
        ),
        "population": charts.heatmap(
            population_rows,
            line_columns,
            tables["population_by_line"],
            title=_("Población por línea"),
            desc=_(
                "Textos de cada población por línea; el color indica la proporción dentro de la población."
            ),
            k=k,
            row_totals=tables["by_population"],
        ),
        "territory": charts.heatmap(
            territory_rows,
            line_columns,
            tables["territory_by_line"],
            title=_("Territorio por línea"),
            desc=_(
                "Textos de cada comuna o corregimiento por línea; el color indica la proporción dentro del territorio."
            ),
            k=k,
            row_totals=tables["by_territory"],
        ),
        "cooccurrence": charts.heatmap(
            line_columns,
            line_columns,
            tables["cooccurrence"],
            title=_("Líneas que aparecen juntas"),
            desc=_(
                "Textos codificados a la vez a dos líneas; la diagonal es el total de cada línea."
            ),
            k=k,
            label_width=320,
        ),
        "trend": charts.trend_chart(
            [(label, tables["by_day"][d]) for d, label in day_rows],
            title=_("Textos por fecha de sesión"),
            desc=_("Número de textos codificados en las sesiones de cada fecha."),
            k=k,
        ),
        "trend_lines": charts.heatmap(
            day_rows,
            line_columns,
            tables["day_by_line"],
            title=_("Líneas por fecha de sesión"),
            desc=_("Proporción de los textos de cada fecha que habla de cada línea."),
            k=k,
            row_totals=tables["by_day"],
            label_width=120,
        ),
    }
    hidden_themes = sum(1 for cell in themes.values() if not cell.shown)
    return render_template(
        "analyze/overview.html",
        consultation=consultation,
        filters=filters,
        choices=filter_choices(consultation.id),
        k=k,
        head=head,
        total=total,
        submissions=submissions,
        tables=tables,
        figures=figures,
        themes=themes,
        theme_names=names,
        shown_themes=shown_themes[:TOP_THEMES],
        hidden_themes=hidden_themes,
        line_columns=line_columns,
        population_rows=population_rows,
        territory_rows=territory_rows,
        day_rows=day_rows,
        explorer_url=explorer_url,
        cell_text=lambda cell: charts.cell_text(cell, k),
        percent=charts.percent,
        number=charts.number,
    )
