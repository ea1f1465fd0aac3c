"""The room's projection: which question is on the screen, which cards the facilitator took off.

Safeguarding first: a flagged answer (the signals saw a disclosure or a request for help) is
never projected, never sent to the screen's JSON and never counted in the word cloud; the
facilitator's control page shows only that a text is reserved, never its words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..instruments.definition import Question, Translations
from ..models import Answer, Encounter, HiddenCard, Submission
from . import word_cloud
from .instruments import definition_of


class ProjectionError(ValueError):
    """A projection change that cannot be made; the message is translated for the facilitator."""


@dataclass(frozen=True)
class Card:
    submission_id: str
    question_id: str
    text: str | None  # None when reserved: the text never leaves the server
    hidden: bool
    reserved: bool

    @property
    def key(self) -> str:
        """Opaque and stable: what the screen knows a card by (not the submission's id)."""
        raw = f"{self.submission_id}:{self.question_id}".encode("ascii", "replace")
        return hashlib.sha256(raw).hexdigest()[:16]

    @property
    def on_screen(self) -> bool:
        return not (self.hidden or self.reserved)


def projectable_questions(encounter: Encounter) -> list[Question]:
    """Open and idea questions of the session's instrument, in the instrument's order."""
    return [q for q in definition_of(encounter.instrument).questions if q.is_text]


def question_for(encounter: Encounter, question_id: str | None) -> Question | None:
    return next((q for q in projectable_questions(encounter) if q.id == question_id), None)


def prompt(question: Question, lang: str) -> str:
    return Translations(question.prompt).get_text(lang)


def set_question(encounter: Encounter, question_id: str | None) -> None:
    """Projects a text question of the session, or nothing (``None`` or ``""``: a paused screen)."""
    if question_id:
        if question_for(encounter, question_id) is None:
            raise ProjectionError(
                _("Solo se puede proyectar una pregunta abierta o de ideas de esta sesión.")
            )
    encounter.projected_question = question_id or None
    db.session.commit()


def set_hidden(encounter: Encounter, submission_id: str, question_id: str, hidden: bool) -> None:
    """Takes a card off the projection, or puts it back; works before the card ever showed."""
    answer = _answer(encounter, submission_id, question_id)
    if answer is None or question_for(encounter, question_id) is None:
        raise ProjectionError(_("Esa respuesta no es de esta sesión."))
    if answer.flagged and not hidden:
        raise ProjectionError(_("Un texto reservado por protección nunca se proyecta."))
    row = db.session.get(HiddenCard, (submission_id, question_id))
    if hidden and row is None:
        db.session.add(
            HiddenCard(
                submission_id=submission_id, question_id=question_id, encounter_id=encounter.id
            )
        )
    elif not hidden and row is not None:
        db.session.delete(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same card was hidden from another window meanwhile
        db.session.rollback()


def _answer(encounter: Encounter, submission_id: str, question_id: str) -> Answer | None:
    return db.session.scalar(
        db.select(Answer)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(
            Submission.encounter_id == encounter.id,
            Answer.submission_id == submission_id,
            Answer.question_id == question_id,
        )
    )


def cards(encounter: Encounter, question_id: str) -> list[Card]:
    """Every non-empty answer to the question, in a stable order (arrival order is unknown by
    design: submissions carry no timestamp). Reserved cards come without their text."""
    rows = db.session.execute(
        db.select(Answer.submission_id, Answer.value, Answer.flagged)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.encounter_id == encounter.id, Answer.question_id == question_id)
    ).all()
    hidden = set(
        db.session.scalars(
            db.select(HiddenCard.submission_id).where(
                HiddenCard.encounter_id == encounter.id, HiddenCard.question_id == question_id
            )
        )
    )
    result = []
    for submission_id, value, flagged in rows:
        if not isinstance(value, str) or not value.strip():
            continue  # skipped, or the text was deleted at the end of its retention
        result.append(
            Card(
                submission_id=submission_id,
                question_id=question_id,
                text=None if flagged else value.strip(),
                hidden=submission_id in hidden,
                reserved=bool(flagged),
            )
        )
    return sorted(result, key=lambda card: card.key)


def visible_cards(encounter: Encounter) -> list[Card]:
    """What the screen may show now: the projected question's cards, minus hidden and reserved."""
    if question_for(encounter, encounter.projected_question) is None:
        return []
    return [card for card in cards(encounter, encounter.projected_question) if card.on_screen]


def screen_data(encounter: Encounter, lang: str, on_screen: set[str] | None = None) -> dict:
    """Everything the projected page draws, and nothing else (no ids, no staff data).

    ``on_screen`` names the cards the screen shows now (a new card waits a few seconds there):
    the cloud counts only those of them that are still visible, or every visible card if None.
    """
    question = question_for(encounter, encounter.projected_question)
    if question is None:
        return {"question": None, "cards": [], "cloud": []}
    visible = visible_cards(encounter)
    counted = [c for c in visible if on_screen is None or c.key in on_screen]
    key = (encounter.id, question.id, frozenset(card.key for card in counted))
    words = word_cloud.cloud(key, [card.text for card in counted], prompt(question, "es"))
    return {
        "question": {"id": question.id, "prompt": prompt(question, lang)},
        "cards": [{"key": card.key, "text": card.text} for card in visible],
        "cloud": [{k: w[k] for k in ("word", "weight", "tone")} for w in words],
    }
