"""Negation scope for codebook matches: "no hay combos en mi barrio" is not a risk.

Negation changes the meaning only for some themes. "No hay psicólogos en el colegio" is still a
need for care, and "que no acepten regalos" is still prevention advice; but "aquí no hay
combos" or "nunca me han ofrecido plata" deny the risk. Themes say which reading applies:

- ``none``: negation never blocks (needs, complaints, proposals, slogans);
- ``existence``: blocked when a nearby negation denies that the thing exists or happens
  ("no hay", "nunca he visto", "ni", "ningún");
- ``any``: blocked by any negation in the same clause just before the match.
"""

from __future__ import annotations

from analysis.spelling import phonetic_key

WINDOW = 5
NEGATORS = frozenset(
    phonetic_key(w)
    for w in ("no", "nunca", "jamas", "tampoco", "ni", "ningun", "ninguno", "ninguna")
)
DIRECT_NEGATORS = frozenset(phonetic_key(w) for w in ("ni", "ningun", "ninguno", "ninguna"))
EXISTENTIAL = frozenset(
    phonetic_key(w)
    for w in (
        "haber",
        "hay",
        "existir",
        "ver",
        "conocer",
        "tener",
        "pasar",
        "ocurrir",
        "estar",
        "notar",
        "encontrar",
        "oir",
        "escuchar",
        "saber",
        "suceder",
        "mirar",
        "dar",
    )
)
CLAUSE_BREAKS = frozenset(
    phonetic_key(w)
    for w in ("pero", "porque", "aunque", "sino", "cuando", "donde", "mientras", "entonces", "si")
) | frozenset({",", ":", "(", ")", "-"})
_QUE = phonetic_key("que")


def is_negated(
    mode: str, start: int, keys: list[tuple[str, str, str]], boundary: list[bool], end: int = 0
) -> bool:
    """Whether a match over tokens [start, end) is denied, under the theme's negation mode.

    The negation may come just before the match ("no hay combos") or inside a match with gaps
    ("mi papá nunca me ha pegado", "las mamás que no cuidan").
    """
    if mode == "none":
        return False
    lowest = max(0, start - WINDOW)
    for position in range(start - 1, lowest - 1, -1):
        surface, lemma, _ = keys[position]
        if boundary[position] or surface in CLAUSE_BREAKS:
            break
        if surface in NEGATORS:
            if mode == "any":
                return True
            between = range(position + 1, start)
            if not between and surface in DIRECT_NEGATORS:
                return True
            if any(_existential(i, keys) for i in between):
                return True
            break
    for position in range(start + 1, end - 1):
        if keys[position][0] not in NEGATORS:
            continue
        if mode == "any" or any(_existential(i, keys) for i in range(position + 1, end - 1)):
            return True
    return False


def _existential(i: int, keys: list[tuple[str, str, str]]) -> bool:
    surface, lemma, _ = keys[i]
    if surface not in EXISTENTIAL and lemma not in EXISTENTIAL:
        return False
    # "no hay que aceptar regalos" is advice (must not), not a denial that something exists.
    return not (i + 1 < len(keys) and keys[i + 1][0] == _QUE)
