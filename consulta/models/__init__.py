"""Database models. Participant tables carry no column that could identify a person."""

from .coding import AnalystCoding, lines_to_mask, mask_to_lines
from .consultations import Consultation, Encounter, Instrument, RelatoriaNote
from .help import HelpRequest
from .submissions import Answer, Submission
from .users import ROLES, User
from .workspace import CodebookVersion, ExportLog, LearnedModel

__all__ = [
    "ROLES",
    "AnalystCoding",
    "CodebookVersion",
    "ExportLog",
    "LearnedModel",
    "lines_to_mask",
    "mask_to_lines",
    "Answer",
    "Consultation",
    "Encounter",
    "HelpRequest",
    "Instrument",
    "RelatoriaNote",
    "Submission",
    "User",
]
