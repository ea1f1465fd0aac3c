"""The most supported ideas of a consultation, as the public may read them.

Only approved ideas, never one whose text the safeguarding signals flagged, and never a text
the retention rule already deleted: a quote on a public page is always a reviewed idea.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..analyze.breakdowns import Cell
from ..extensions import db
from ..models import Answer, Idea, IdeaSupport

TOP_IDEAS = 6


@dataclass(frozen=True)
class PublicIdea:
    id: int
    text: str
    line: str | None
    supports: Cell


def top_ideas(consultation_id: int, k: int, limit: int = TOP_IDEAS) -> list[PublicIdea]:
    supports = (
        select(IdeaSupport.idea_id, func.count().label("n"))
        .group_by(IdeaSupport.idea_id)
        .subquery()
    )
    n = func.coalesce(supports.c.n, 0)
    query = (
        select(Idea.id, Idea.line, Answer.value, n)
        .join(
            Answer,
            (Answer.submission_id == Idea.submission_id) & (Answer.question_id == Idea.question_id),
        )
        .outerjoin(supports, supports.c.idea_id == Idea.id)
        .where(
            Idea.consultation_id == consultation_id,
            Idea.status == "approved",
            Answer.flagged.is_not(True),
        )
        .order_by(n.desc(), Idea.id)
        .limit(limit * 2)  # room for texts emptied by retention
    )
    out = []
    for idea_id, line, value, count in db.session.execute(query):
        if not isinstance(value, str) or not value.strip():
            continue
        count = int(count)
        cell = Cell(count) if count >= k else Cell(None, small=True)
        out.append(PublicIdea(idea_id, value.strip(), line, cell))
        if len(out) == limit:
            break
    return out
