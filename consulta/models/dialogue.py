"""The room's dialogue: cards hidden from the projection, ideas on the wall and their support.

Supports are anonymous: the supporter is a keyed hash of the supporting submission's random id,
enough to allow one support per participant per idea, and nothing else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .submissions import Answer

IDEA_STATUSES = ("pending", "approved", "rejected")


class HiddenCard(db.Model):
    """An answer the facilitator took off the projection (before or after it showed)."""

    __tablename__ = "hidden_card"
    __table_args__ = (
        ForeignKeyConstraint(
            ["submission_id", "question_id"],
            ["answer.submission_id", "answer.question_id"],
            ondelete="CASCADE",
        ),
    )

    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)


class Idea(db.Model):
    """An answer to an idea question, waiting for or past a facilitator's or analyst's review."""

    __tablename__ = "idea"
    __table_args__ = (
        ForeignKeyConstraint(
            ["submission_id", "question_id"],
            ["answer.submission_id", "answer.question_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("submission_id", "question_id"),
        Index("ix_idea_consultation_status", "consultation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    submission_id: Mapped[str] = mapped_column(String(36))
    question_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    line: Mapped[str | None] = mapped_column(String(10))  # the wall's group, set at approval
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    answer: Mapped[Answer] = relationship()
    supports: Mapped[list[IdeaSupport]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", passive_deletes=True
    )


class IdeaSupport(db.Model):
    __tablename__ = "idea_support"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True
    )
    # HMAC of the supporting submission's id: one support per participant, unlinkable.
    supporter_key: Mapped[str] = mapped_column(String(64), primary_key=True)

    idea: Mapped[Idea] = relationship(back_populates="supports")
