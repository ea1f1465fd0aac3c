"""The workspace's entry page: consultations with how much has been heard in each."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from ..auth.roles import role_required
from ..extensions import db
from ..models import Answer, Consultation, Encounter, Submission
from ..services import alert_care
from . import ANALYSIS_ROLES, bp


@bp.route("/")
@role_required(*ANALYSIS_ROLES)
def index():
    sessions = dict(
        db.session.execute(
            select(Encounter.consultation_id, func.count(Encounter.id)).group_by(
                Encounter.consultation_id
            )
        ).all()
    )
    submissions = dict(
        db.session.execute(
            select(Encounter.consultation_id, func.count(Submission.id))
            .join(Submission, Submission.encounter_id == Encounter.id)
            .group_by(Encounter.consultation_id)
        ).all()
    )
    texts = dict(
        db.session.execute(
            select(Encounter.consultation_id, func.count())
            .select_from(Answer)
            .join(Submission, Answer.submission_id == Submission.id)
            .join(Encounter, Submission.encounter_id == Encounter.id)
            .where(Answer.codebook_version.is_not(None))
            .group_by(Encounter.consultation_id)
        ).all()
    )
    consultations = db.session.scalars(
        select(Consultation).order_by(Consultation.created_at.desc())
    ).all()
    return render_template(
        "analyze/index.html",
        consultations=consultations,
        sessions=sessions,
        submissions=submissions,
        texts=texts,
        alert_counts=alert_care.counts(),  # counts only: alert details are not for analysts
    )
