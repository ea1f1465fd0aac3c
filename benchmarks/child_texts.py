"""Varied, child-like Spanish answers for load tests, composed from templates written here.

The words are everyday Medellín Spanish that children and adolescents use about their
neighbourhood, school and the adults around them. Nothing is taken from any data set: the
point is only that spaCy and the tagger see realistic, varied sentences of realistic length.
"""

from __future__ import annotations

import random

PLACES = [
    "el parque",
    "la cancha",
    "la escuela",
    "el colegio",
    "la biblioteca",
    "la esquina de la casa",
    "la quebrada",
    "la placa del barrio",
    "el salón comunal",
    "la tienda de la cuadra",
    "el puente",
    "la estación del metrocable",
]
GROWN_UPS = [
    "mi mamá",
    "mi abuela",
    "mi papá",
    "mi tía",
    "la profe",
    "el profe de educación física",
    "la señora del restaurante escolar",
    "mi hermano mayor",
    "la psicóloga del colegio",
    "los vecinos",
]
CARING_ACTS = [
    "me ayuda con las tareas",
    "me lleva al colegio y me recoge",
    "me escucha cuando estoy triste",
    "me da un abrazo cuando llego",
    "me cocina arepas con quesito",
    "me explica las cosas sin gritarme",
    "me pregunta cómo me fue",
    "me acompaña al parque por la tarde",
    "no me deja salir sola de noche",
    "me cuida cuando me enfermo",
]
WISHES = [
    "haya más luces en {place}",
    "arreglen {place} porque está todo dañado",
    "pongan juegos nuevos en {place}",
    "hagan clases de dibujo en {place}",
    "limpien la basura de {place}",
    "pongan un policía amable cerca de {place}",
    "abran {place} también los sábados",
    "hagan torneos de fútbol en {place}",
    "siembren árboles y flores en {place}",
    "haya talleres de música para los niños en {place}",
]
FEELINGS = [
    "me da miedo pasar por {place} cuando está oscuro",
    "me gusta mucho ir a {place} con mis amigos",
    "en {place} hay muchachos que dicen groserías",
    "{place} es bonito pero hay mucho ruido",
    "a veces hay peleas cerca de {place}",
    "en {place} nos sentimos tranquilos",
]
OPENERS = ["", "pues ", "yo pienso que ", "a mí me parece que ", "profe, ", "este... "]
CLOSERS = [
    "",
    " y ya",
    " porque eso es lo que más me gusta",
    " para que todos estemos felices",
    " y que nos pregunten más a los niños",
    " gracias",
    " eso es todo",
]
TEEN_VIEWS = [
    "muchos pelados no tienen nada que hacer en la tarde y se quedan en la calle",
    "en las redes sociales la gente escribe cosas feas y nadie dice nada",
    "a veces los adultos no escuchan a los jóvenes y nos regañan por todo",
    "faltan oportunidades de estudio y de trabajo para los que salen del colegio",
    "uno no sabe a dónde ir cuando tiene un problema",
    "en el barrio hay gente que se aprovecha de los que necesitan plata",
    "los profes deberían hablar más de cómo cuidarnos",
    "sería bueno que en el colegio hubiera alguien de confianza",
]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    place = rng.choice(PLACES)
    if kind < 0.35:
        body = f"{rng.choice(GROWN_UPS)} {rng.choice(CARING_ACTS)}"
    elif kind < 0.7:
        body = "que " + rng.choice(WISHES).format(place=place)
    else:
        body = rng.choice(FEELINGS).format(place=place)
    return rng.choice(OPENERS) + body + rng.choice(CLOSERS)


def child_text(rng: random.Random, population: str = "ninez") -> str:
    """One to three sentences, sometimes without capitals or accents, as children type."""
    parts = [_sentence(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
    if population == "adolescencia" and rng.random() < 0.6:
        parts.append(rng.choice(TEEN_VIEWS))
    text = ". ".join(p[0].upper() + p[1:] if rng.random() < 0.6 else p for p in parts)
    if rng.random() < 0.2:
        text = text.translate(str.maketrans("áéíóú", "aeiou"))
    return text + ("." if rng.random() < 0.5 else "")
