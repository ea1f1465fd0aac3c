"""Sessions (encuentros): creation with a join code, notes, closing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Consultation, Encounter, Instrument, RelatoriaNote, Submission, User
from ..profiles import MINOR_GROUPS, POPULATION_GROUPS
from ..territories import territory
from ..timeutil import utcnow

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or copied from a projector stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


class EncounterError(ValueError):
    """A rule of session creation was broken; the message is translated for the facilitator."""


@dataclass
class EncounterInput:
    consultation_id: int
    instrument_id: int
    held_on: date
    territory_code: int
    population: str
    expected_participants: int
    guardian_authorisation_confirmed: bool = False


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).upper()[: CODE_LENGTH * 2]


def create_encounter(data: EncounterInput, created_by: User | None = None) -> Encounter:
    _validate(data)
    for _attempt in range(10):
        encounter = Encounter(
            consultation_id=data.consultation_id,
            instrument_id=data.instrument_id,
            held_on=data.held_on,
            territory_code=data.territory_code,
            population=data.population,
            expected_participants=data.expected_participants,
            guardian_authorisation_confirmed=data.guardian_authorisation_confirmed,
            created_by_id=created_by.id if created_by else None,
            code=new_code(),
        )
        db.session.add(encounter)
        try:
            db.session.commit()
            return encounter
        except IntegrityError:  # the code was taken meanwhile: draw another
            db.session.rollback()
    raise RuntimeError("could not draw a free join code")


def _validate(data: EncounterInput) -> None:
    if db.session.get(Consultation, data.consultation_id) is None:
        raise EncounterError(_("La consulta no existe."))
    if db.session.get(Instrument, data.instrument_id) is None:
        raise EncounterError(_("El instrumento no existe."))
    if territory(data.territory_code) is None:
        raise EncounterError(_("El territorio no es una comuna o un corregimiento de Medellín."))
    if data.population not in POPULATION_GROUPS:
        raise EncounterError(_("El grupo de población no es válido."))
    if not 1 <= data.expected_participants <= 500:
        raise EncounterError(_("Los participantes esperados deben estar entre 1 y 500."))
    if data.population in MINOR_GROUPS and not data.guardian_authorisation_confirmed:
        raise EncounterError(
            _(
                "Con niñas, niños o adolescentes debes confirmar que las autorizaciones de sus "
                "acudientes están guardadas fuera del sistema."
            )
        )


def by_code(code: str) -> Encounter | None:
    code = normalise_code(code)
    # A code that cannot exist is not looked up (and a NUL byte never reaches PostgreSQL).
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    return db.session.scalar(db.select(Encounter).filter_by(code=code))


def close(encounter: Encounter) -> None:
    if encounter.is_open:
        encounter.status = "closed"
        encounter.closed_at = utcnow()
        db.session.commit()


def add_note(encounter: Encounter, activity: str, text: str, author: User | None) -> RelatoriaNote:
    from .text_analysis import analyse_texts
    from .texts import clean_text

    (result,) = analyse_texts([clean_text(text)])
    note = RelatoriaNote(
        encounter_id=encounter.id,
        activity=activity,
        text=result.text,
        author_id=author.id if author else None,
    )
    note.apply_analysis(result)
    db.session.add(note)
    db.session.commit()
    return note


def submission_count(encounter: Encounter) -> int:
    return (
        db.session.scalar(
            db.select(func.count()).select_from(Submission).filter_by(encounter_id=encounter.id)
        )
        or 0
    )
