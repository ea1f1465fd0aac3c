"""Coding of free texts: the automatic result stored beside each text, and analysts' codings.

Automatic coding lives on the text's own row (answers and relatoría notes share the columns
through :class:`CodedText`) so that the explorer filters 100,000 answers without joins.
``line_mask`` and ``themes`` hold the *effective* coding, ``line_mask`` as bits (analyst coding wins over automatic), which
both SQLite and PostgreSQL filter with a bitwise AND.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, ForeignKeyConstraint, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from analysis import LINES

from ..extensions import db
from ..timeutil import utcnow

LINE_BITS = {line: 1 << index for index, line in enumerate(LINES)}


def lines_to_mask(lines) -> int:
    return sum(LINE_BITS[line] for line in set(lines) if line in LINE_BITS)


def mask_to_lines(mask: int) -> list[str]:
    return [line for line in LINES if mask & LINE_BITS[line]]


class CodedText:
    """Columns of a stored (already redacted) free text and its automatic analysis."""

    @declared_attr
    def auto_lines(cls) -> Mapped[list | None]:
        return mapped_column(JSON)

    @declared_attr
    def auto_themes(cls) -> Mapped[list | None]:
        return mapped_column(JSON)

    @declared_attr
    def confidence(cls) -> Mapped[dict | None]:
        return mapped_column(JSON)

    @declared_attr
    def evidence(cls) -> Mapped[list | None]:
        return mapped_column(JSON)

    @declared_attr
    def redactions(cls) -> Mapped[list | None]:
        return mapped_column(JSON)

    @declared_attr
    def codebook_version(cls) -> Mapped[str | None]:
        return mapped_column(String(40))

    @declared_attr
    def flagged(cls) -> Mapped[bool]:
        return mapped_column(default=False)

    @declared_attr
    def flag_reasons(cls) -> Mapped[list | None]:
        return mapped_column(JSON)

    @declared_attr
    def line_mask(cls) -> Mapped[int]:
        return mapped_column(default=0, index=True)

    @declared_attr
    def themes(cls) -> Mapped[list | None]:
        """Effective themes: the analyst's when reviewed, else the automatic ones."""
        return mapped_column(JSON)

    @declared_attr
    def analyst_reviewed(cls) -> Mapped[bool]:
        return mapped_column(default=False)

    def apply_analysis(self, result) -> None:
        """Store an ``analysis.core.Analysis``; analysts' coding, if any, keeps winning."""
        self.auto_lines = list(result.lines)
        self.auto_themes = list(result.themes)
        self.confidence = {k: round(v, 3) for k, v in result.confidence.items()}
        self.evidence = [
            {"theme": e.theme, "start": e.start, "end": e.end} for e in result.evidence
        ]
        self.redactions = [
            {"type": r.type, "start": r.start, "end": r.end} for r in result.redactions
        ]
        self.codebook_version = result.codebook_version
        self.flagged = bool(result.alert)
        self.flag_reasons = list(result.reasons)
        if not self.analyst_reviewed:
            self.line_mask = lines_to_mask(result.lines)
            self.themes = list(result.themes)

    @property
    def effective_lines(self) -> list[str]:
        return mask_to_lines(self.line_mask or 0)


class AnalystCoding(db.Model):
    """One analyst's decision on one text; the newest per text wins in every view."""

    __tablename__ = "analyst_coding"
    __table_args__ = (
        ForeignKeyConstraint(
            ["submission_id", "question_id"],
            ["answer.submission_id", "answer.question_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str | None] = mapped_column(String(36), index=True)
    question_id: Mapped[str | None] = mapped_column(String(60))
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("relatoria_note.id", ondelete="CASCADE"), index=True
    )
    lines: Mapped[list] = mapped_column(JSON)
    themes: Mapped[list] = mapped_column(JSON)
    codebook_version: Mapped[str] = mapped_column(String(40))
    analyst_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
