"""A phonetic-ish key for Spanish words, so that children's spelling meets the codebook.

Children and adolescents write as they speak: "nesesitamos", "aser", "q", "xq", "ai" for "hay",
"yamar" for "llamar", "bamos" for "vamos". Both the codebook's words and the text's tokens are
reduced to the same key, so one pattern covers the standard and the spoken spelling. The key
merges letters that sound the same in Colombian Spanish (s/c/z, b/v, ll/y, k/qu/c, j/g before
e/i, silent h) and collapses repeated letters ("nooo", "porfaaa").
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.normalize import fold

# Chat and school-notebook abbreviations, keyed by folded form. Only whole tokens are expanded.
ABBREVIATIONS: dict[str, str] = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "pk": "porque",
    "porq": "porque",
    "x": "por",
    "xa": "para",
    "pa": "para",
    "pal": "para",
    "d": "de",
    "dl": "del",
    "tb": "tambien",
    "tbn": "tambien",
    "tmb": "tambien",
    "tambn": "tambien",
    "tmbn": "tambien",
    "bn": "bien",
    "nd": "nada",
    "msj": "mensaje",
    "msjs": "mensajes",
    "cel": "celular",
    "celu": "celular",
    "fb": "facebook",
    "face": "facebook",
    "wsp": "whatsapp",
    "wpp": "whatsapp",
    "wasap": "whatsapp",
    "guasap": "whatsapp",
    "insta": "instagram",
    "ig": "instagram",
    "profe": "profesor",
    "profes": "profesores",
    "cole": "colegio",
    "porfa": "porfavor",
    "xfa": "porfavor",
    "toy": "estoy",
    "tamos": "estamos",
    "tons": "entonces",
    "ntonces": "entonces",
    "aki": "aqui",
    "ai": "hay",
    "ay": "hay",
    "nadien": "nadie",
    "naiden": "nadie",
}

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"[^a-z0-9ñ]", ""),  # folded input: drop stray symbols ("q'", "x-q")
        (r"ch", "C"),  # protect ch before h is dropped
        (r"^ps", "s"),  # psicologo / sicologo
        (r"gu([ei])", r"G\1"),  # hard g in gue/gui
        (r"g([ei])", r"j\1"),  # soft g sounds like j
        (r"qu", "k"),
        (r"c([ei])", r"s\1"),
        (r"z", "s"),
        (r"c", "k"),
        (r"h", ""),
        (r"ll", "y"),
        (r"y$", "i"),  # "hay" / "ai", "muy" / "mui"
        (r"v", "b"),
        (r"w", "u"),
        (r"x([^aeiou])", r"s\1"),  # extranjero / estranjero, explotación / esplotación
        (r"n([bp])", r"m\1"),  # tanbien / también, inportante / importante
        (r"([a-zC])\1+", r"\1"),  # nooo, porfaaa, perrro, ss from "sc" (never digits)
        (r"C", "ch"),
        (r"G", "g"),
    )
)


@lru_cache(maxsize=200_000)
def phonetic_key(word: str) -> str:
    """Key of one word; words that sound alike in Medellín's Spanish get the same key."""
    folded = fold(word).strip()
    folded = ABBREVIATIONS.get(folded, folded)
    key = folded
    for pattern, repl in _RULES:
        key = pattern.sub(repl, key)
    return key or folded


def prefix_keys(prefix: str) -> tuple[str, ...]:
    """Keys a word prefix can take: a final c or g sounds different depending on what follows."""
    key = phonetic_key(prefix)
    folded = fold(prefix)
    if folded.endswith("c"):
        return (key[:-1] + "k", key[:-1] + "s")
    if folded.endswith("g"):
        return (key[:-1] + "g", key[:-1] + "j")
    return (key,)
