"""Time helpers: staff records keep full timestamps, participant records only the day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    """The calendar day in Medellín: submissions are stamped with nothing finer."""
    return datetime.now(BOGOTA).date()
