"""Receiving a tablet's submission: validated whole, stored whole or not at all, exactly once."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..instruments.definition import InstrumentDefinition, Question
from ..models import Answer, Encounter, Submission
from ..profiles import BANDS_BY_POPULATION, GENDERS
from ..timeutil import today_local
from . import alerts, ideas
from .instruments import definition_of
from .text_analysis import analyse_texts
from .texts import clean_text


@dataclass
class Rejection(Exception):
    status: int
    message: str
    fields: list[dict] = field(default_factory=list)
    reason: str | None = None  # machine-readable cause, e.g. "closed" or "conflict"


@dataclass
class Accepted:
    submission_id: str
    created: bool  # False when the same submission had already been stored


def receive(encounter: Encounter, payload: object) -> Accepted:
    if not encounter.is_open:
        raise Rejection(
            409, _("Esta sesión ya se cerró y no recibe más respuestas."), reason="closed"
        )
    definition = definition_of(encounter.instrument)
    submission_id, profile, answers, supports = _validate(payload, encounter, definition)
    # Personal data is redacted here, before anything is written or hashed.
    text_ids = [qid for qid in answers if definition.question(qid).is_text]
    analyses = dict(zip(text_ids, analyse_texts([answers[q] for q in text_ids]), strict=True))
    for qid, result in analyses.items():
        answers[qid] = result.text
    digest = _content_hash(encounter.code, profile, answers)
    existing = db.session.get(Submission, submission_id)
    if existing is not None:
        return _repeat(existing, digest)
    rows = []
    for qid, value in answers.items():
        row = Answer(question_id=qid, value=value)
        if qid in analyses:
            row.apply_analysis(analyses[qid])
        rows.append(row)
    submission = Submission(
        id=submission_id,
        encounter_id=encounter.id,
        instrument_id=encounter.instrument_id,
        received_on=today_local(),
        age_band=profile["age_band"],
        gender=profile["gender"],
        content_hash=digest,
        answers=rows,
    )
    db.session.add(submission)
    # Same transaction: an alert or an idea exists exactly when its submission does.
    alerts.raise_for_answers(encounter, rows, alerts.clean_tablet_label(payload.get("tablet")))
    ideas.register(encounter, submission_id, definition, rows)
    ideas.add_supports(encounter, submission_id, supports)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request stored the same id between our read and our write.
        db.session.rollback()
        existing = db.session.get(Submission, submission_id)
        if existing is None:
            raise
        return _repeat(existing, digest)
    return Accepted(submission_id, created=True)


def _repeat(existing: Submission, digest: str) -> Accepted:
    if existing.content_hash == digest:
        return Accepted(existing.id, created=False)
    raise Rejection(
        409,
        _("Ya existe un envío con este identificador y un contenido distinto."),
        reason="conflict",
    )


def _content_hash(code: str, profile: dict, answers: dict) -> str:
    canonical = json.dumps(
        {"session": code, "profile": profile, "answers": answers},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _validate(payload: object, encounter: Encounter, definition: InstrumentDefinition):
    errors: list[dict] = []

    def error(where: str, message: str) -> None:
        errors.append({"field": where, "message": message})

    if not isinstance(payload, dict):
        raise Rejection(
            422,
            _("Algunos datos no son válidos."),
            [{"field": "", "message": _("Se esperaba un objeto JSON.")}],
        )
    for key in payload:
        if key not in ("id", "profile", "answers", "tablet", "supports"):
            error(str(key)[:60], _("Campo desconocido."))
    submission_id = _uuid(payload.get("id"))
    if submission_id is None:
        error("id", _("El identificador debe ser un UUID."))
    profile = _profile(payload.get("profile"), encounter.population, error)
    answers = _answers(payload.get("answers"), definition, error)
    supports = ideas.parse_supports(payload.get("supports"))
    if supports is None:
        error("supports", _("Los apoyos deben ser una lista de números de ideas."))
    if errors:
        raise Rejection(422, _("Algunos datos no son válidos."), errors)
    return submission_id, profile, answers, supports


def _uuid(raw: object) -> str | None:
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def _profile(raw: object, population: str, error) -> dict:
    profile = {"age_band": None, "gender": None}
    if raw is None:
        return profile
    if not isinstance(raw, dict):
        error("profile", _("El perfil debe ser un objeto."))
        return profile
    bands = BANDS_BY_POPULATION.get(population, ())
    for key, value in raw.items():
        if key == "age_band":
            if value is not None and value not in bands:
                error("profile.age_band", _("Rango de edad no válido para esta sesión."))
            else:
                profile["age_band"] = value
        elif key == "gender":
            if value is not None and value not in GENDERS:
                error("profile.gender", _("Opción de género no válida."))
            else:
                profile["gender"] = value
        else:
            error(f"profile.{str(key)[:40]}", _("Campo desconocido."))
    return profile


def _answers(raw: object, definition: InstrumentDefinition, error) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        error("answers", _("Las respuestas deben ser una lista."))
        return {}
    answers: dict[str, object] = {}
    for index, item in enumerate(raw[:100]):
        where = f"answers[{index}]"
        if not isinstance(item, dict) or set(item) - {"question", "value"}:
            error(where, _("Cada respuesta necesita solo 'question' y 'value'."))
            continue
        qid = item.get("question")
        question = definition.question(qid) if isinstance(qid, str) else None
        if question is None:
            error(f"{where}.question", _("La pregunta no existe en este instrumento."))
            continue
        if qid in answers:
            error(f"{where}.question", _("La pregunta está respondida dos veces."))
            continue
        value = _value(question, item.get("value"), f"{where}.value", error)
        if value is not None:
            answers[qid] = value
    if len(raw) > 100:
        error("answers", _("Hay demasiadas respuestas."))
    return answers


def _value(question: Question, value: object, where: str, error):
    """The cleaned value, or None when the answer is empty (a skip) or invalid."""
    if question.is_text:
        if not isinstance(value, str):
            error(where, _("Se esperaba un texto."))
            return None
        text = clean_text(value)
        limit = min(question.max_length, current_app.config["MAX_TEXT_LENGTH"])
        if len(text) > limit:
            error(where, _("El texto supera los %(limit)s caracteres.", limit=limit))
            return None
        return text or None
    allowed = question.option_values
    if question.is_multiple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            error(where, _("Se esperaba una lista de opciones."))
            return None
        if len(set(value)) != len(value) or any(v not in allowed for v in value):
            error(where, _("Alguna opción no pertenece a la pregunta."))
            return None
        return [v for v in allowed if v in value] or None
    if not isinstance(value, str):
        error(where, _("Se esperaba una opción."))
        return None
    if value not in allowed:
        error(where, _("La opción no pertenece a la pregunta."))
        return None
    return value
