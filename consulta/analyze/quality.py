"""The quality page: how far the automatic coding agrees with analysts, line by line."""

from __future__ import annotations

from flask import render_template, request, url_for

from ..auth.roles import role_required
from ..extensions import db
from ..models import Consultation
from ..services import agreement as measures
from . import ANALYSIS_ROLES, bp
from .filters import Filters
from .labels import line_names


@bp.route("/calidad")
@role_required(*ANALYSIS_ROLES)
def quality():
    filters = Filters.from_args(request.args)
    consultation = (
        db.session.get(Consultation, filters.consultation) if filters.consultation else None
    )
    result = measures.agreement(consultation.id if consultation else None)
    scope = {"consultation": consultation.id} if consultation else {}
    rows = []
    for text in result.disagreements:
        if text.kind == "note":
            url = url_for("analyze.review_note", note_id=text.key[0], **scope)
        else:
            url = url_for(
                "analyze.review", submission_id=text.key[0], question_id=text.key[1], **scope
            )
        rows.append((text, url))
    return render_template(
        "analyze/quality.html",
        consultation=consultation,
        result=result,
        rows=rows,
        lines=line_names(),
        min_texts=measures.MIN_TEXTS,
        min_cases=measures.MIN_LINE_CASES,
    )
