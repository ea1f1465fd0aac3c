"""Downloads of answers and of summary tables, with the explorer's filters; each one audited."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, abort, current_app, request, send_file, stream_with_context
from flask_login import current_user

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation
from ..services.export_formats import FORMATS, csv_chunks, json_chunks, xlsx_file
from ..services.export_summary import SUMMARY_FIELDS, summary_json, summary_rows
from ..services.exporting import ANSWER_FIELDS, answer_rows, count_answers, log_export
from . import ANALYSIS_ROLES, bp
from .filters import Filters


def _filters(fmt: str) -> Filters:
    if fmt not in FORMATS:
        abort(404)
    filters = Filters.from_args(request.args)
    if filters.consultation is None or db.session.get(Consultation, filters.consultation) is None:
        abort(404)
    return filters


def _filename(filters: Filters, kind: str, fmt: str) -> str:
    return f"consulta-{filters.consultation}-{kind}-{date.today().isoformat()}.{fmt}"


def _headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        # Exports hold participants' (redacted) words: no shared or browser cache keeps a copy.
        "Cache-Control": "no-store",
    }


@bp.route("/exportar/respuestas.<fmt>")
@role_required(*ANALYSIS_ROLES)
def export_answers(fmt: str):
    filters = _filters(fmt)
    total = count_answers(filters)
    log_export(current_user.id, "answers", fmt, filters, total)
    rows = answer_rows(filters, current_language())
    filename = _filename(filters, "respuestas", fmt)
    if fmt == "xlsx":
        workbook = xlsx_file([("respuestas", list(ANSWER_FIELDS), rows)])
        response = send_file(
            workbook, mimetype=FORMATS[fmt], as_attachment=True, download_name=filename
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    chunks = csv_chunks(list(ANSWER_FIELDS), rows) if fmt == "csv" else json_chunks(rows)
    return Response(stream_with_context(chunks), mimetype=FORMATS[fmt], headers=_headers(filename))


@bp.route("/exportar/resumen.<fmt>")
@role_required(*ANALYSIS_ROLES)
def export_summary(fmt: str):
    filters = _filters(fmt)
    rows, total = summary_rows(filters, current_language())
    log_export(current_user.id, "summary", fmt, filters, total)
    filename = _filename(filters, "resumen", fmt)
    if fmt == "xlsx":
        sheets = []
        for name in dict.fromkeys(row["tabla"] for row in rows):
            sheets.append((name, list(SUMMARY_FIELDS), [r for r in rows if r["tabla"] == name]))
        response = send_file(
            xlsx_file(sheets), mimetype=FORMATS[fmt], as_attachment=True, download_name=filename
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    if fmt == "csv":
        body = "".join(csv_chunks(list(SUMMARY_FIELDS), rows))
    else:
        body = json.dumps(
            summary_json(rows, current_app.config["SMALL_CELL_K"]), ensure_ascii=False, indent=1
        )
    return Response(body, mimetype=FORMATS[fmt], headers=_headers(filename))
