"""Names of the plan's lines and of populations, as analysts read them."""

from __future__ import annotations

from flask_babel import gettext as _

from ..profiles import POPULATION_LABELS

# Actions / goals of each strategic line in the plan's action matrix (seed document).
ACTION_MATRIX = {"E1": (5, 7), "E2": (12, 22), "E3": (6, 8), "E4": (9, 16)}


def line_names() -> dict[str, str]:
    return {
        "E1": _("E1 · Promoción de la garantía de derechos"),
        "E2": _("E2 · Prevención de la ESCNNA"),
        "E3": _("E3 · Atención como garantía de derechos"),
        "E4": _("E4 · Control y acceso a la justicia"),
        "T1": _("T1 · Participación social y comunitaria"),
        "T2": _("T2 · Participación autónoma de niñas, niños y adolescentes"),
        "T3": _("T3 · Sanción social y desnormalización"),
        "T4": _("T4 · Gestión del plan y arquitectura institucional"),
        "T5": _("T5 · Gestión de la información y el conocimiento"),
    }


def population_names() -> dict[str, str]:
    return {key: str(label) for key, label in POPULATION_LABELS.items()}
