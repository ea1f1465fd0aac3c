"""Where a consultation's words linger besides its texts: learned models and export search words.

Both are derived data that retention (``retention.py``) must find before deleting the texts.
"""

from __future__ import annotations

from sqlalchemy import String, and_, cast, func, or_, select

from ..extensions import db
from ..models import AnalystCoding, Answer, ExportLog, LearnedModel, RelatoriaNote


def _count(model, where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(where)) or 0


def models_holding(answers, notes) -> list[int]:
    """Learned models that may have been trained on the texts about to go: those created since
    the first analyst review of any of them (training reads reviewed texts only)."""
    reviewed_answers = (
        select(Answer.submission_id, Answer.question_id)
        .where(answers, Answer.analyst_reviewed.is_(True))
        .subquery()
    )
    reviewed_notes = select(RelatoriaNote.id).where(notes, RelatoriaNote.analyst_reviewed.is_(True))
    if not (
        db.session.scalar(select(func.count()).select_from(reviewed_answers))
        or _count(RelatoriaNote, and_(notes, RelatoriaNote.analyst_reviewed.is_(True)))
    ):
        return []
    first = db.session.scalar(
        select(func.min(AnalystCoding.created_at)).where(
            or_(
                AnalystCoding.note_id.in_(reviewed_notes),
                db.tuple_(AnalystCoding.submission_id, AnalystCoding.question_id).in_(
                    select(reviewed_answers.c.submission_id, reviewed_answers.c.question_id)
                ),
            )
        )
    )
    query = select(LearnedModel.id).order_by(LearnedModel.id)
    # No recorded review (reviewed flag set some other way): any model may hold the words.
    if first is not None:
        query = query.where(LearnedModel.created_at >= first)
    return list(db.session.scalars(query))


def export_searches(consultation_id: int) -> list[ExportLog]:
    """Export audit rows of this consultation that recorded a search: the words searched for
    may be a participant's. Who exported what, when, and how many rows stays."""
    rows = db.session.scalars(
        select(ExportLog).where(cast(ExportLog.filters, String).like('%"q"%'))
    ).all()
    return [
        row
        for row in rows
        if row.filters.get("q") and row.filters.get("consultation") == str(consultation_id)
    ]
