"""Raising safeguarding alerts from the tablets, in the same transaction as what raised them.

A flagged text raises one alert per submission (the reasons of all its flagged answers); a help
request raises one alert. Neither stores the text or the submission's id.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..extensions import db
from ..models import Alert, Answer, Encounter
from .texts import clean_text

TABLET_LABEL_MAX = 40


def clean_tablet_label(raw: object) -> str | None:
    """The facilitator's label for the tablet, trimmed; anything else is ignored, not refused."""
    if not isinstance(raw, str):
        return None
    label = " ".join(clean_text(raw).split())[:TABLET_LABEL_MAX]
    return label or None


def _minute() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)


def raise_for_answers(encounter: Encounter, answers: list[Answer], tablet_label: str | None):
    """Adds (without committing) an alert when any answer was flagged by the signals."""
    reasons: list[str] = []
    for answer in answers:
        if answer.flagged:
            reasons.extend(r for r in (answer.flag_reasons or []) if r not in reasons)
    if not any(answer.flagged for answer in answers):
        return None
    alert = Alert(
        encounter_id=encounter.id,
        source="text",
        tablet_label=tablet_label,
        raised_at=_minute(),
        reasons=reasons,
        status="open",
    )
    db.session.add(alert)
    return alert


def raise_for_help(encounter: Encounter, tablet_label: str | None) -> Alert:
    """Adds (without committing) the alert for a help button pressed on a tablet."""
    alert = Alert(
        encounter_id=encounter.id,
        source="help",
        tablet_label=tablet_label,
        raised_at=_minute(),
        reasons=["help_button"],
        status="open",
    )
    db.session.add(alert)
    return alert
