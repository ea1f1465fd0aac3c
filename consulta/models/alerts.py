"""Safeguarding alerts: a child asked for help or wrote something that signals harm.

An alert tells the session's facilitator *that* someone on a given tablet needs an adult now, and
records what the facilitator did. It never holds the text nor a link to the submission: the
facilitator talks to the child, the system does not investigate. Details (tablet label, reasons,
what was done) are purged after ``ALERT_DETAIL_DAYS``; the row stays so that counts survive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .consultations import Encounter

ALERT_SOURCES = ("text", "help")
ALERT_STATUSES = ("open", "handled")


class Alert(db.Model):
    __tablename__ = "safeguarding_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # "text" (signals) or "help" (button)
    # Label the facilitator gave the tablet ("Tableta 3"); never a device identifier.
    tablet_label: Mapped[str | None] = mapped_column(String(40))
    # UTC, truncated to the minute (to the day once purged).
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    reasons: Mapped[list | None] = mapped_column(JSON)  # analysis.signals reason codes
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    route_activated: Mapped[bool | None] = mapped_column()
    routes: Mapped[list | None] = mapped_column(JSON)  # keys of the care-route contacts used
    action_note: Mapped[str | None] = mapped_column(Text)  # redacted before storage
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    encounter: Mapped[Encounter] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == "open"
