"""Database models. Participant tables carry no column that could identify a person."""

from .alerts import Alert
from .coding import AnalystCoding, lines_to_mask, mask_to_lines
from .consultations import Consultation, Encounter, Instrument, RelatoriaNote
from .devolucion import LineResponse
from .dialogue import HiddenCard, Idea, IdeaSupport
from .help import HelpRequest
from .submissions import Answer, Submission
from .users import ROLES, User
from .workspace import CodebookVersion, ExportLog, LearnedModel

__all__ = [
    "ROLES",
    "Alert",
    "AnalystCoding",
    "HiddenCard",
    "Idea",
    "IdeaSupport",
    "LineResponse",
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
