"""Answers as analysts read them, for the explorer and for exports that leave the system.

Both read the same filtered query (``coded_answers``) in the same order, so an export always
holds exactly the rows the explorer counted. Rows are produced one at a time from a streamed
cursor: 100,000 answers never sit in memory. Order is session date, session, then the
submission's random UUID: nothing reveals in which order participants answered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..analyze.filters import Filters, coded_answers
from ..extensions import db
from ..models import Answer, Encounter, ExportLog, Instrument, Submission, mask_to_lines
from ..profiles import AGE_BANDS, POPULATION_LABELS
from ..territories import all_territories
from .instruments import definition_of
from .retention import deleted_label
from .text_analysis import current_codebook

ANSWER_ORDER = (
    Encounter.held_on.desc(),
    Encounter.id.desc(),
    Answer.submission_id,
    Answer.question_id,
)
ROW_COLUMNS = (
    Answer.submission_id,
    Answer.question_id,
    Answer.value,
    Answer.line_mask,
    Answer.themes,
    Answer.analyst_reviewed,
    Answer.codebook_version,
    Answer.flagged,
    Submission.age_band,
    Submission.encounter_id,
)
# Stable column keys (ASCII, the same in every format and language) for the answers export.
ANSWER_FIELDS = (
    "sesion",
    "fecha_sesion",
    "territorio_codigo",
    "territorio",
    "poblacion",
    "rango_edad",
    "participante",
    "pregunta_id",
    "pregunta",
    "texto",
    "lineas",
    "temas_id",
    "temas",
    "fuente_codificacion",
    "version_codificacion",
)


@dataclass(frozen=True)
class SessionInfo:
    code: str
    held_on: date
    territory_code: int
    territory_name: str
    population: str
    population_label: str
    instrument_id: int


def count_answers(filters: Filters) -> int:
    """The one count shown by the explorer and recorded with every export."""
    return db.session.scalar(coded_answers(filters).with_only_columns(func.count())) or 0


def session_index(
    consultation_id: int | None, only: set[int] | None = None
) -> dict[int, SessionInfo]:
    """Sessions by id with their labels; ``only`` limits it to the sessions of one page."""
    query = select(
        Encounter.id,
        Encounter.code,
        Encounter.held_on,
        Encounter.territory_code,
        Encounter.population,
        Encounter.instrument_id,
    )
    if consultation_id is not None:
        query = query.where(Encounter.consultation_id == consultation_id)
    if only is not None:
        query = query.where(Encounter.id.in_(only))
    populations = {key: str(label) for key, label in POPULATION_LABELS.items()}
    places = {t.code: t.name for t in all_territories()}
    return {
        row.id: SessionInfo(
            code=row.code,
            held_on=row.held_on,
            territory_code=row.territory_code,
            territory_name=places.get(row.territory_code, str(row.territory_code)),
            population=row.population,
            population_label=populations.get(row.population, row.population),
            instrument_id=row.instrument_id,
        )
        for row in db.session.execute(query)
    }


def prompt_index(sessions: dict[int, SessionInfo], lang: str) -> dict[tuple[int, str], str]:
    """(instrument id, question id) → prompt in ``lang``; a handful of instruments at most."""
    ids = {s.instrument_id for s in sessions.values()}
    if not ids:
        return {}
    prompts = {}
    versions = db.session.execute(
        select(Instrument.id, Instrument.checksum).where(Instrument.id.in_(ids))
    )
    for instrument_id, checksum in versions:
        # ``definition_of`` is cached by (checksum, id): no need to load the stored JSON again.
        stub = SimpleNamespace(id=instrument_id, checksum=checksum)
        for question in definition_of(stub).questions:
            text = question.prompt.get(lang) or question.prompt.get("es", question.id)
            prompts[instrument_id, question.id] = text
    return prompts


def theme_names(lang: str) -> dict[str, str]:
    return {t.id: t.name.get(lang) or t.name["es"] for t in current_codebook().themes}


def coding_source(analyst_reviewed: bool) -> str:
    return _("analista") if analyst_reviewed else _("automática")


def reserved_text() -> str:
    """What stands in for a text flagged for safeguarding: its content is for facilitators."""
    return _("Texto reservado por protección")


def answer_rows(filters: Filters, lang: str) -> Iterator[dict]:
    """One dict per answer, keys ``ANSWER_FIELDS``; streamed from the database."""
    sessions = session_index(filters.consultation)
    prompts = prompt_index(sessions, lang)
    names = theme_names(lang)
    shown_bands = _age_bands_shown(filters.consultation)
    pseudonym = _pseudonymiser()
    # Translated once per file, not once per row: 100,000 rows stream in seconds.
    bands = {band: str(label) for band, label in AGE_BANDS.items()}
    sources = {True: coding_source(True), False: coding_source(False)}
    reserved = f"[{reserved_text()}]"
    deleted = f"[{deleted_label()}]"  # past the consultation's retention date
    lines_of = {}
    query = coded_answers(filters).with_only_columns(*ROW_COLUMNS).order_by(*ANSWER_ORDER)
    result = db.session.execute(query.execution_options(yield_per=2000))
    for row in result:
        info = sessions[row.encounter_id]
        themes = [] if row.flagged else list(row.themes or [])
        band = row.age_band if (row.encounter_id, row.age_band) in shown_bands else None
        mask = row.line_mask or 0
        if mask not in lines_of:
            lines_of[mask] = "; ".join(mask_to_lines(mask))
        yield {
            "sesion": info.code,
            "fecha_sesion": info.held_on.isoformat(),
            "territorio_codigo": info.territory_code,
            "territorio": info.territory_name,
            "poblacion": info.population_label,
            "rango_edad": bands.get(band, ""),
            "participante": "" if row.flagged else pseudonym(row.submission_id),
            "pregunta_id": row.question_id,
            "pregunta": prompts.get((info.instrument_id, row.question_id), row.question_id),
            "texto": _shown_text(row, reserved, deleted),
            "lineas": lines_of[mask],
            "temas_id": "; ".join(themes),
            "temas": "; ".join(names.get(t, t) for t in themes),
            "fuente_codificacion": sources[bool(row.analyst_reviewed)],
            "version_codificacion": row.codebook_version or "",
        }


def _shown_text(row, reserved: str, deleted: str) -> str:
    if row.value is None:  # deleted by retention (JSON null)
        return deleted
    return reserved if row.flagged else _as_text(row.value)


def _as_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _pseudonymiser():
    """Keyed hash with a key drawn for this export only and never stored.

    Within one file, the answers of one participant share a code (analysts read a person's
    answers together); across files, codes differ, so exports cannot be joined into a profile,
    and the code cannot be traced back to the UUID that the tablet chose.
    """
    key = secrets.token_bytes(32)

    def pseudonym(submission_id: str) -> str:
        return hmac.new(key, submission_id.encode(), hashlib.sha256).hexdigest()[:12]

    return pseudonym


def _age_bands_shown(consultation_id: int | None) -> set[tuple[int, str]]:
    """(session, age band) pairs with at least k participants; the rest are left blank.

    A session's territory and day are already in every row; an age band held by one or two
    participants of that session would single them out across all their answers.
    """
    k = current_app.config["SMALL_CELL_K"]
    query = (
        select(Submission.encounter_id, Submission.age_band, func.count())
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Submission.age_band.is_not(None))
        .group_by(Submission.encounter_id, Submission.age_band)
    )
    if consultation_id is not None:
        query = query.where(Encounter.consultation_id == consultation_id)
    return {(e, band) for e, band, n in db.session.execute(query) if n >= k}


def log_export(user_id: int, kind: str, fmt: str, filters: Filters, row_count: int) -> None:
    """Written (and committed) before the first byte leaves: an interrupted download is audited too."""
    db.session.add(
        ExportLog(
            user_id=user_id, kind=kind, format=fmt, filters=filters.as_args(), row_count=row_count
        )
    )
    db.session.commit()
