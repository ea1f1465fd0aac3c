"""Coarse participant profiles: age bands per population and gender with an opt-out.

Bands are wide on purpose: combined with a session's territory and day they must not single
anyone out.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

POPULATION_GROUPS = ("ninez", "adolescencia", "familias", "actores", "mixto")
MINOR_GROUPS = {"ninez", "adolescencia", "mixto"}

POPULATION_LABELS = {
    "ninez": _l("Niñez (6 a 11 años)"),
    "adolescencia": _l("Adolescencia (12 a 17 años)"),
    "familias": _l("Familias"),
    "actores": _l("Actores comunitarios e institucionales"),
    "mixto": _l("Grupo mixto"),
}

AGE_BANDS = {
    "6-8": _l("6 a 8 años"),
    "9-11": _l("9 a 11 años"),
    "12-14": _l("12 a 14 años"),
    "15-17": _l("15 a 17 años"),
    "18-28": _l("18 a 28 años"),
    "29-59": _l("29 a 59 años"),
    "60+": _l("60 años o más"),
}

BANDS_BY_POPULATION = {
    "ninez": ("6-8", "9-11"),
    "adolescencia": ("12-14", "15-17"),
    "familias": ("18-28", "29-59", "60+"),
    "actores": ("18-28", "29-59", "60+"),
    "mixto": tuple(AGE_BANDS),
}

GENDERS = {
    "mujer": _l("Mujer"),
    "hombre": _l("Hombre"),
    "otro": _l("Otro"),
    "prefiero_no_decir": _l("Prefiero no decir"),
}
# The same stored values, in the words a child uses about themself.
CHILD_GENDER_LABELS = {
    "mujer": _l("Niña"),
    "hombre": _l("Niño"),
    "otro": _l("Otro"),
    "prefiero_no_decir": _l("Prefiero no decir"),
}


def profile_options(population: str) -> dict[str, list[dict[str, str]]]:
    bands = BANDS_BY_POPULATION.get(population, tuple(AGE_BANDS))
    return {
        "age_bands": [{"value": b, "label": str(AGE_BANDS[b])} for b in bands],
        "genders": [
            {"value": g, "label": str(label)}
            for g, label in (CHILD_GENDER_LABELS if population == "ninez" else GENDERS).items()
        ],
    }
