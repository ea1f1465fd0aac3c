"""Analysts' workspace records: export audit trail, codebook versions, learned models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class ExportLog(db.Model):
    """Who exported what, when and with which filters: exports leave the system, so they are audited."""

    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))  # answers | summary | report
    format: Mapped[str] = mapped_column(String(10))  # csv | xlsx | json | html
    filters: Mapped[dict] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(default=0)


class CodebookVersion(db.Model):
    """A saved codebook (YAML text, as an admin edited it); the active one codes new texts."""

    __tablename__ = "codebook_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    content: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearnedModel(db.Model):
    """A line classifier trained on analysts' codings; used only when it beat the rules."""

    __tablename__ = "learned_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    codebook_version: Mapped[str] = mapped_column(String(40))
    trained_on: Mapped[int]
    metrics: Mapped[dict] = mapped_column(JSON)  # held-out figures: model vs rules
    parameters: Mapped[dict] = mapped_column(JSON)  # the model itself, as plain numbers
    beats_rules: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=False)
