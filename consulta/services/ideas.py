"""Ideas from idea questions enter moderation on arrival, reviewers approve them onto the wall
under a line of the plan (or reject them), and participants support approved ideas.

Supports travel inside the supporter's own submission (so the kiosk's outbox delivers them
exactly once) and are keyed by an HMAC of that submission's id: one support per participant per
idea, and no way back from the support to the submission without the app's secret.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from analysis import LINES

from ..extensions import db
from ..instruments.definition import InstrumentDefinition
from ..models import Answer, Encounter, Idea, IdeaSupport, User
from ..timeutil import utcnow

MAX_SUPPORTS = 50


def supporter_key(submission_id: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    message = b"idea-support:" + submission_id.encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def register(
    encounter: Encounter,
    submission_id: str,
    definition: InstrumentDefinition,
    answers: list[Answer],
) -> list[Idea]:
    """Adds (without committing) one pending idea per non-empty answer to an idea question.

    A flagged idea is rejected at once: it never reaches the wall.
    """
    ideas = []
    for answer in answers:
        question = definition.question(answer.question_id)
        if question is None or question.type != "idea" or not answer.value:
            continue
        idea = Idea(
            consultation_id=encounter.consultation_id,
            encounter_id=encounter.id,
            submission_id=submission_id,
            question_id=answer.question_id,
            status="rejected" if answer.flagged else "pending",
        )
        db.session.add(idea)
        ideas.append(idea)
    return ideas


def parse_supports(raw: object) -> list[int] | None:
    """Idea ids from a submission's optional ``supports`` list; None when malformed."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_SUPPORTS:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31 for v in raw):
        return None
    return sorted(set(raw))


def add_supports(encounter: Encounter, submission_id: str, idea_ids: list[int]) -> int:
    """Adds (without committing) supports for approved ideas of the same consultation from
    other sessions. Ideas withdrawn while a tablet was offline are skipped, never refused: the
    participant's answers must still be stored."""
    if not idea_ids:
        return 0
    eligible = db.session.scalars(
        db.select(Idea.id).where(
            Idea.id.in_(idea_ids),
            Idea.status == "approved",
            Idea.consultation_id == encounter.consultation_id,
            Idea.encounter_id != encounter.id,
        )
    ).all()
    key = supporter_key(submission_id)
    for idea_id in eligible:
        db.session.add(IdeaSupport(idea_id=idea_id, supporter_key=key))
    return len(eligible)


class ModerationError(Exception):
    """A refused moderation decision; nothing was changed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def may_moderate(user: User, encounter: Encounter) -> bool:
    """Analysts and admins moderate every idea; facilitators those of the sessions they created."""
    return user.has_role("analyst") or (
        user.role == "facilitator" and encounter.created_by_id == user.id
    )


def default_line(answer: Answer) -> str | None:
    """The answer's strongest effective line: where the idea goes unless the reviewer says else."""
    lines = answer.effective_lines
    if not lines:
        return None
    confidence = answer.confidence or {}
    return max(lines, key=lambda line: (confidence.get(line, 0.0), -LINES.index(line)))


def review_queue(
    user: User, status: str = "pending", consultation_id: int | None = None, limit: int = 200
) -> list[tuple[Idea, Encounter]]:
    """Ideas this reviewer may decide on, never flagged ones: those never reach the wall."""
    query = (
        db.select(Idea, Encounter)
        .join(Encounter, Encounter.id == Idea.encounter_id)
        .join(Idea.answer)
        .where(Idea.status == status, Answer.flagged.is_(False))
        .options(contains_eager(Idea.answer))
    )
    if not user.has_role("analyst"):
        query = query.where(Encounter.created_by_id == user.id)
    if consultation_id is not None:
        query = query.where(Idea.consultation_id == consultation_id)
    order = Idea.created_at.asc() if status == "pending" else Idea.reviewed_at.desc()
    return list(db.session.execute(query.order_by(order, Idea.id).limit(limit)).tuples())


def decide(user: User, idea_id: int, decision: str, line: str | None) -> Idea:
    """Approves (under a line of the plan) or rejects an idea; approved ones may change later."""
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        raise ModerationError(404, _("Esa idea no existe."))
    if not may_moderate(user, db.session.get(Encounter, idea.encounter_id)):
        raise ModerationError(403, _("Solo puede revisar las ideas de las sesiones que creó."))
    if decision == "approve":
        if idea.answer.flagged:
            raise ModerationError(
                422, _("Esta idea tiene una señal de protección: no se puede publicar.")
            )
        if line not in LINES:
            raise ModerationError(422, _("Elija una de las nueve líneas del plan."))
        idea.status, idea.line = "approved", line
    elif decision == "reject":
        idea.status = "rejected"
    else:
        raise ModerationError(422, _("Decisión no válida: aprobar o rechazar."))
    idea.reviewed_by_id = user.id
    idea.reviewed_at = utcnow()
    db.session.commit()
    return idea
