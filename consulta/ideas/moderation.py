"""Reviewing ideas before they reach the wall. Facilitators see the ideas of the sessions they
created; analysts and admins see every idea. Flagged ideas are never offered for approval."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from analysis import LINES

from ..analyze.labels import line_names
from ..auth.roles import role_required
from ..errors import error_response
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation
from ..plain_lines import plain_lines
from ..services import ideas
from ..territories import territory
from . import bp

STATUSES = ("pending", "approved", "rejected")


def _status_labels() -> dict[str, str]:
    return {
        "pending": _("Por revisar"),
        "approved": _("En el muro"),
        "rejected": _("Rechazadas"),
    }


@bp.route("/ideas/revisar")
@role_required("facilitator", "analyst")
def review():
    status = request.args.get("estado", "pending")
    if status not in STATUSES:
        status = "pending"
    consultation_id = request.args.get("consulta", type=int)
    if consultation_id is not None and not 0 < consultation_id < 2**31:
        consultation_id = None  # no such key: a 64-bit overflow in the driver otherwise
    rows = ideas.review_queue(current_user, status, consultation_id)
    consultations = {c.id: c.title for c in db.session.scalars(db.select(Consultation))}
    return render_template(
        "ideas/review.html",
        rows=rows,
        status=status,
        statuses=_status_labels(),
        consultation_id=consultation_id,
        consultations=consultations,
        line_ids=LINES,
        lines=line_names(),
        plain=plain_lines(current_language()),
        default_line=ideas.default_line,
        territory=territory,
    )


@bp.route("/ideas/revisar/<int:idea_id>", methods=["POST"])
@role_required("facilitator", "analyst")
def decide(idea_id: int):
    decision = request.form.get("decision", "")
    try:
        idea = ideas.decide(current_user, idea_id, decision, request.form.get("line"))
    except ideas.ModerationError as refusal:
        return error_response(refusal.status, refusal.message)
    if idea.status == "approved":
        flash(_("Idea publicada en el muro."), "success")
    else:
        flash(_("Idea fuera del muro."), "success")
    back = request.form.get("estado")
    return redirect(
        url_for(
            ".review",
            estado=back if back in STATUSES else "pending",
            consulta=request.form.get("consulta", type=int),
        )
    )
