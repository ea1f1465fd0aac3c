"""Ideas from idea questions enter moderation on arrival; participants support approved ideas.

Supports travel inside the supporter's own submission (so the kiosk's outbox delivers them
exactly once) and are keyed by an HMAC of that submission's id: one support per participant per
idea, and no way back from the support to the submission without the app's secret.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from ..extensions import db
from ..instruments.definition import InstrumentDefinition
from ..models import Answer, Encounter, Idea, IdeaSupport

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
