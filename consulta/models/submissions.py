"""Participant data: coarse profile and answers, nothing that could identify a person.

There is deliberately no timestamp finer than the day and no sequential key: submissions of a
session cannot be put in order of arrival (the tablet picks a random UUID as the key).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .coding import CodedText

# The only columns participant tables may have; tests/app/test_anonymity.py enforces it.
PARTICIPANT_COLUMNS = {
    "submission": {
        "id",
        "encounter_id",
        "instrument_id",
        "received_on",
        "age_band",
        "gender",
        "content_hash",
    },
    "answer": {
        "submission_id",
        "question_id",
        "value",
        # automatic coding of free texts (redacted before storage)
        "auto_lines",
        "auto_themes",
        "confidence",
        "evidence",
        "redactions",
        "codebook_version",
        "flagged",
        "flag_reasons",
        "line_mask",
        "themes",
        "analyst_reviewed",
    },
}


class Submission(db.Model):
    # Covers the explorer's join from sessions to submissions (benchmarks/explorer.py).
    __table_args__ = (
        Index("ix_submission_encounter_cover", "encounter_id", "id", "age_band", "received_on"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    received_on: Mapped[date] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(30))
    # Hash of the canonical content: tells a retry (same content) from a conflict.
    content_hash: Mapped[str] = mapped_column(String(64))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class Answer(CodedText, db.Model):
    """One answer; free texts are stored redacted, with their automatic coding."""

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str | list] = mapped_column(JSON)

    submission: Mapped[Submission] = relationship(back_populates="answers")

    __table_args__ = (
        # Coded free texts only: what every analyst view scans, read from the index alone.
        Index(
            "ix_answer_coded",
            "submission_id",
            "question_id",
            "codebook_version",
            "line_mask",
            sqlite_where=text("codebook_version IS NOT NULL"),
            postgresql_where=text("codebook_version IS NOT NULL"),
        ),
    )
