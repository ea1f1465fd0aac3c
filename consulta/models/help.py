"""Help requests from the kiosk: someone on a tablet tapped "Quiero hablar con alguien".

A help request carries no answer and no participant data: only the session and a random id
chosen by the tablet (so a resend is stored once). Unlike submissions, it keeps its time to the
minute: the facilitator must see that help was asked for *now*, and since nothing links it to
any answer, the minute cannot be used to put answers in order of arrival.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

HELP_COLUMNS = {"id", "encounter_id", "created_at"}


class HelpRequest(db.Model):
    __tablename__ = "help_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    # Truncated to the minute (seconds and microseconds are zero), UTC.
    created_at: Mapped[datetime] = mapped_column(DateTime)
