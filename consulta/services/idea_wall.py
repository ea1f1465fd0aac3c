"""What the ideas wall shows: approved ideas of one consultation, ranked by support.

Read-only and anonymous: an idea carries its (redacted) text, its line, its count of supports,
the month and the comuna or corregimiento of its session — never the session's code, its day,
or anything about who wrote or supported it. A text flagged by the safeguarding signals is left
out even if it was approved before a re-analysis flagged it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from analysis import LINES

from ..extensions import db
from ..models import Answer, Encounter, Idea, IdeaSupport
from ..plain_lines import plain_line


@dataclass(frozen=True)
class WallIdea:
    id: int
    text: str
    line: str
    supports: int
    month: date  # first day of the session's month: nothing finer is shown
    territory_code: int


def approved_ideas(
    consultation_id: int, exclude_encounter_id: int | None = None, limit: int | None = None
) -> list[WallIdea]:
    """Most supported first; among equals the older idea first."""
    counts = (
        db.select(IdeaSupport.idea_id, func.count().label("n"))
        .group_by(IdeaSupport.idea_id)
        .subquery()
    )
    supports = func.coalesce(counts.c.n, 0)
    query = (
        db.select(Idea.id, Answer.value, Idea.line, supports, Encounter.held_on)
        .add_columns(Encounter.territory_code)
        .join(Idea.answer)
        .join(Encounter, Encounter.id == Idea.encounter_id)
        .outerjoin(counts, counts.c.idea_id == Idea.id)
        .where(
            Idea.consultation_id == consultation_id,
            Idea.status == "approved",
            Idea.line.in_(LINES),
            Answer.flagged.is_(False),
        )
        .order_by(supports.desc(), Idea.id)
    )
    if exclude_encounter_id is not None:
        query = query.where(Idea.encounter_id != exclude_encounter_id)
    if limit is not None:
        query = query.limit(limit)
    return [
        WallIdea(idea_id, value, line, int(n), held_on.replace(day=1), territory_code)
        for idea_id, value, line, n, held_on, territory_code in db.session.execute(query)
        if isinstance(value, str) and value.strip()
    ]


def grouped(ideas: list[WallIdea], lang: str) -> list[dict]:
    """One group per line that has ideas; the group holding the most supported idea comes first,
    so the wall reads from the strongest support down."""
    groups: dict[str, dict] = {}
    for idea in ideas:  # already ranked
        group = groups.setdefault(
            idea.line, {"line": idea.line, "plain": plain_line(idea.line, lang), "ideas": []}
        )
        group["ideas"].append(idea)
    for group in groups.values():
        group["supports"] = sum(i.supports for i in group["ideas"])
    return sorted(
        groups.values(),
        key=lambda g: (-g["ideas"][0].supports, -g["supports"], LINES.index(g["line"])),
    )
