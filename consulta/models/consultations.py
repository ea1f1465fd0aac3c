"""Consultations group encounters (sessions); instruments are immutable questionnaire versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .coding import CodedText


class Consultation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    purpose: Mapped[str] = mapped_column(Text)
    retention_until: Mapped[date] = mapped_column(Date)
    # Set by `flask retention apply` once the free texts are gone (only codes and counts remain).
    texts_deleted_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    encounters: Mapped[list[Encounter]] = relationship(back_populates="consultation")


class Instrument(db.Model):
    """One loaded version of a YAML questionnaire; never updated once stored."""

    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    population: Mapped[str] = mapped_column(String(20))
    title_es: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    checksum: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_es


class Encounter(db.Model):
    """A facilitated session (*encuentro*) of a diálogo de saberes; "session" in the UI.

    Named Encounter in code so that it is never confused with a database or login session.
    """

    __table_args__ = (Index("ix_encounter_consultation_date", "consultation_id", "held_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    territory_code: Mapped[int]
    population: Mapped[str] = mapped_column(String(20))
    expected_participants: Mapped[int]
    guardian_authorisation_confirmed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The open or idea question shown on the room's projection, if any.
    projected_question: Mapped[str | None] = mapped_column(String(60))

    consultation: Mapped[Consultation] = relationship(back_populates="encounters")
    instrument: Mapped[Instrument] = relationship()
    notes: Mapped[list[RelatoriaNote]] = relationship(
        back_populates="encounter", order_by="RelatoriaNote.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class RelatoriaNote(CodedText, db.Model):
    """The group's conclusions for one activity, written by the facilitator."""

    __tablename__ = "relatoria_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"))
    activity: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    encounter: Mapped[Encounter] = relationship(back_populates="notes")


@event.listens_for(Instrument, "before_update")
def _instrument_versions_are_immutable(mapper, connection, target) -> None:
    """Every answer points to the exact version it answered, so a version never changes."""
    raise InstrumentImmutableError(
        f"Instrument {target.slug} v{target.version} is immutable; load a new version."
    )


class InstrumentImmutableError(RuntimeError):
    pass
