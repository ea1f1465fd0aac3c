"""What the plan will do about each line: written by admins, shown on the public devolución."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class LineResponse(db.Model):
    __tablename__ = "line_response"
    __table_args__ = (UniqueConstraint("consultation_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    line: Mapped[str] = mapped_column(String(10))
    text_es: Mapped[str] = mapped_column(Text, default="")  # for adults
    text_en: Mapped[str | None] = mapped_column(Text)
    children_text_es: Mapped[str] = mapped_column(Text, default="")  # short sentences
    children_text_en: Mapped[str | None] = mapped_column(Text)
    next_update: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
