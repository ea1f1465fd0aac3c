"""Database models. Participant tables carry no column that could identify a person."""

from .consultations import Consultation, Encounter, Instrument, RelatoriaNote
from .submissions import Answer, Submission
from .users import ROLES, User

__all__ = [
    "ROLES",
    "Answer",
    "Consultation",
    "Encounter",
    "Instrument",
    "RelatoriaNote",
    "Submission",
    "User",
]
