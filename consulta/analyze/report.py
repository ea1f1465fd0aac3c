"""The plan-adjustment report ("Insumos para el ajuste del Plan"): page, print, HTML and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import role_required
from ..extensions import db
from ..models import ExportLog
from . import ANALYSIS_ROLES, bp, charts, report_data
from .filters import Filters, filter_choices
from .overview import consultation_or_404, explorer_url, line_bars, narrowed, small_cell_k

CSS_FILES = ("staff.css", "analysis.css")


@bp.route("/informe")
@role_required(*ANALYSIS_ROLES)
def report():
    if request.args.get("consultation") is None:
        return redirect(url_for("analyze.index"))
    filters = Filters.from_args(request.args)
    consultation = consultation_or_404(filters)
    k = small_cell_k()
    data = report_data.build(filters, k, narrowed(filters))
    fmt = request.args.get("format")
    stamp = f"informe-ajuste-plan-{consultation.id}-{data['generated_on'].isoformat()}"
    if fmt == "json":
        body = json.dumps(
            report_data.as_json(data, consultation, filters), ensure_ascii=False, indent=2
        )
        _log(filters, "json", data)
        return _attachment(body, "application/json; charset=utf-8", f"{stamp}.json")
    html = render_template(
        "analyze/report.html",
        consultation=consultation,
        filters=filters,
        choices=filter_choices(consultation.id),
        data=data,
        k=k,
        group_names=report_data.group_names(),
        download=fmt == "html",
        inline_css=_inline_css() if fmt == "html" else None,
        explorer_url=explorer_url,
        cell_text=lambda cell: charts.cell_text(cell, k),
        percent=charts.percent,
        number=charts.number,
        group_chart=lambda entry: _group_chart(entry, k),
        summary_chart=charts.bar_chart(
            line_bars({e["id"]: e["texts"] for e in data["lines"]}, filters, data["total"]),
            title=_("Textos por línea del Plan"),
            desc=_("Número de textos codificados a cada línea y su proporción sobre el total."),
            k=k,
        ),
    )
    if fmt == "html":
        _log(filters, "html", data)
        return _attachment(html, "text/html; charset=utf-8", f"{stamp}.html")
    return html


def _group_chart(entry: dict, k: int):
    """Share of each age group's texts that speak to the line (hidden groups drawn as such)."""
    names = report_data.group_names()
    bars = []
    for group, values in entry["groups"].items():
        share = values["share"]
        cell = values["texts"]
        bars.append(
            charts.Bar(
                label=names[group],
                cell=cell,
                color=charts.line_color(entry["id"]),
                note=charts.percent(share),
                measure=share,
            )
        )
    return charts.bar_chart(
        bars,
        title=_("%(line)s por grupo de edad", line=entry["name"]),
        desc=_(
            "Textos de cada grupo de edad que hablan de la línea, y su proporción dentro del grupo."
        ),
        k=k,
        width=470,
        label_width=200,
    )


def _inline_css() -> str:
    """The downloaded file opens offline, so it carries its own styles."""
    folder = Path(current_app.static_folder) / "css"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in CSS_FILES)


def _log(filters: Filters, fmt: str, data: dict) -> None:
    db.session.add(
        ExportLog(
            user_id=current_user.id,
            kind="report",
            format=fmt,
            filters=filters.as_args(),
            row_count=data["total"].value or 0,
        )
    )
    db.session.commit()


def _attachment(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
