"""The explorer's queries that need care to stay fast at 100,000 answers.

Order: session date (newest first), session, then the submission's random UUID and the question,
so nothing reveals in which order participants answered.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..models import Answer, Encounter
from .filters import Filters

# The explorer's order read backwards, for "Anterior".
REVERSED_ORDER = (
    Encounter.held_on.asc(),
    Encounter.id.asc(),
    Answer.submission_id.desc(),
    Answer.question_id.desc(),
)


def capped_count(query, cap: int):
    """``count(*)`` that stops reading at ``cap + 1`` rows."""
    capped = query.with_only_columns(Answer.submission_id).limit(cap + 1).subquery()
    return select(func.count()).select_from(capped)


def session_chunks(filters: Filters, cursor: tuple | None = None, backwards: bool = False):
    """The consultation's sessions in explorer order (from ``cursor`` on), in doubling chunks."""
    sessions = select(Encounter.id).where(Encounter.consultation_id == filters.consultation)
    if cursor:
        day, session = cursor[0], cursor[1]
        if backwards:
            sessions = sessions.where(
                or_(
                    Encounter.held_on > day, and_(Encounter.held_on == day, Encounter.id >= session)
                )
            )
        else:
            sessions = sessions.where(
                or_(
                    Encounter.held_on < day, and_(Encounter.held_on == day, Encounter.id <= session)
                )
            )
    order = (Encounter.held_on, Encounter.id)
    sessions = sessions.order_by(*(c.asc() if backwards else c.desc() for c in order))
    ids = list(db.session.scalars(sessions))
    start, size = 0, 4
    while start < len(ids):
        yield ids[start : start + size]
        start, size = start + size, size * 2


def beyond(key: tuple, forward: bool):
    """Rows after ``key`` in the explorer's order (or before it, going back).

    The order mixes directions (newest sessions first, then ids ascending), so no row-value
    comparison fits; spelled out, each branch still seeks in the sessions' index.
    """
    day, session, submission, question = key
    if forward:
        return and_(
            # Redundant with the branches below, but on the session alone: sessions before
            # the cursor are skipped without reading their answers.
            or_(Encounter.held_on < day, and_(Encounter.held_on == day, Encounter.id <= session)),
            or_(
                Encounter.held_on < day,
                and_(Encounter.held_on == day, Encounter.id < session),
                and_(Encounter.id == session, Answer.submission_id > submission),
                and_(
                    Encounter.id == session,
                    Answer.submission_id == submission,
                    Answer.question_id > question,
                ),
            ),
        )
    return and_(
        or_(Encounter.held_on > day, and_(Encounter.held_on == day, Encounter.id >= session)),
        or_(
            Encounter.held_on > day,
            and_(Encounter.held_on == day, Encounter.id > session),
            and_(Encounter.id == session, Answer.submission_id < submission),
            and_(
                Encounter.id == session,
                Answer.submission_id == submission,
                Answer.question_id < question,
            ),
        ),
    )


def keys_by_session_chunks(
    filters: Filters, keys_query, cursor, backwards: bool, limit: int
) -> list:
    """The page's keys, asking for a few sessions at a time in the explorer's order.

    A text search cannot be estimated by the planner (PostgreSQL assumes a handful of matches,
    scans every text and sorts); bounded to a few sessions, each query reads only their texts
    and a common word fills the page from the first sessions. Chunks double in size, so a rare
    word costs a few more queries, not a slower plan.
    """
    found: list[tuple] = []
    for chunk in session_chunks(filters, cursor, backwards):
        query = keys_query.where(Encounter.id.in_(chunk)).limit(limit - len(found))
        found += [tuple(k) for k in db.session.execute(query)]
        if len(found) >= limit:
            break
    return found
