"""Versioned questionnaires: YAML files in this folder, parsed by ``definition``."""

from consulta.instruments.definition import (
    ACTIVITIES,
    LINE_IDS,
    POPULATIONS,
    QUESTION_TYPES,
    InstrumentDefinition,
    InstrumentError,
    Option,
    Question,
    discover,
    load_file,
)

__all__ = [
    "ACTIVITIES",
    "LINE_IDS",
    "POPULATIONS",
    "QUESTION_TYPES",
    "InstrumentDefinition",
    "InstrumentError",
    "Option",
    "Question",
    "discover",
    "load_file",
]
