"""The plan's nine lines in words a child understands, with a pictogram each.

The official names ("Fortalecimiento de las acciones de control...") mean nothing to a child of
eight; the ideas wall and the devolución page show these instead. No Flask needed: callers pass
the language, so the same names work in templates, JSON for the kiosk and the command line.
"""

from __future__ import annotations

from analysis import LINES

PICTOGRAM_URL = "/static/pictograms/{}.svg"
LANGUAGES = ("es", "en")

# line -> (pictogram file stem, {lang: (name, short)}). Pictograms avoid the kiosk's own
# buttons (stop, help, next) so a line's picture is never mistaken for an action.
_PLAIN: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "E1": (
        "play",
        {
            "es": ("Estudiar, jugar y crecer con cariño", "Vivir bien"),
            "en": ("Learning, playing and growing up loved", "Living well"),
        },
    ),
    "E2": (
        "warning",
        {
            "es": ("Cuidarnos de engaños y peligros", "Cuidarnos"),
            "en": ("Staying safe from tricks and dangers", "Staying safe"),
        },
    ),
    "E3": (
        "hug",
        {
            "es": ("Ayudar a quien le hicieron daño", "Ayuda"),
            "en": ("Helping children who were hurt", "Help"),
        },
    ),
    "E4": (
        "justice",
        {
            "es": ("Denunciar y castigar a quien hace daño", "Justicia"),
            "en": ("Reporting and punishing those who hurt children", "Justice"),
        },
    ),
    "T1": (
        "handshake",
        {
            "es": ("Barrio y familias unidos para cuidarnos", "Comunidad"),
            "en": ("Neighbours and families keeping us safe together", "Community"),
        },
    ),
    "T2": (
        "community_leader",
        {
            "es": ("Que escuchen a niñas, niños y jóvenes", "Nuestra voz"),
            "en": ("Listening to children and young people", "Our voice"),
        },
    ),
    "T3": (
        "no",
        {
            "es": ("Decir que el abuso no es normal", "No es normal"),
            "en": ("Saying that abuse is not normal", "Not normal"),
        },
    ),
    "T4": (
        "public_institution",
        {
            "es": ("Que las entidades trabajen juntas", "Entidades"),
            "en": ("Public offices working together", "Public offices"),
        },
    ),
    "T5": (
        "data",
        {
            "es": ("Saber lo que pasa para mejorar", "Saber más"),
            "en": ("Knowing what happens to do better", "Knowing more"),
        },
    ),
}

assert tuple(_PLAIN) == LINES, "plain names must cover exactly the plan's lines, in order"


def plain_line(line: str, lang: str = "es") -> dict[str, str]:
    """``{"name", "short", "icon"}`` for a line id; unknown languages fall back to Spanish.

    Raises KeyError for an id that is not one of the plan's nine lines.
    """
    icon, names = _PLAIN[line]
    name, short = names[lang if lang in LANGUAGES else "es"]
    return {"name": name, "short": short, "icon": PICTOGRAM_URL.format(icon)}


def plain_lines(lang: str = "es") -> dict[str, dict[str, str]]:
    """Every line, in the plan's order."""
    return {line: plain_line(line, lang) for line in LINES}
