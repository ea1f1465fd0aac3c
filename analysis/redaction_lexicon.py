"""Word lists for redaction, read once per process and held as frozensets of folded forms.

Names are recognised by list membership plus context, so lookups must be O(1) and folding must
not be repeated for the same word: both are cached here.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.normalize import fold

DATA_DIR = Path(__file__).parent / "data" / "redaction"

# Given names that are also ordinary Spanish words ("rosa", "julio", "10 lucas"): in lower case
# they are read as words unless a naming context ("se llama", "mi amiga") says otherwise.
AMBIGUOUS_NAMES = frozenset(
    fold(w)
    for w in """
    alba alma amparo angel ángel ángeles angeles armando aurora azucena bella blanca brisa caro
    candela candelaria caridad celeste cielo clara concepción consuelo cristo cruz dalia dolores
    domingo dulce esperanza estrella fe fidel flor franco gloria iris jade jesús julio justo leal
    león linda lucas luca luna luz mar marcos mercedes milagros mona mono nena pastor paz perla
    piedad pilar rey reyes rocío rosa rosario salvador santos sol soledad sonia victoria violeta
    vale pipe memo nacho paco pepe cata isa lau pau mari male mile fer leo ale tato beto mina
    abril mayo tomas ciro lara vera mesa calle gil prado villa valle campo campos
    amado aura barbara clemencia clemente esmeralda gentil hortensia jazmin lisa margarita
    marina melisa mia ninfa pamela tiara zara alondra
    """.split()
)

# Months and weekdays that double as given names: never a name without a naming context.
CALENDAR = frozenset(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "lunes martes miercoles jueves viernes sabado domingo".split()
)

# Short words that are never names even when capitalised at a sentence start.
FUNCTION_WORDS = frozenset(
    fold(w)
    for w in """
    a al ante bajo con contra de del desde durante en entre hacia hasta para por según sin so
    sobre tras y e o u ni que pero sino porque pues como cuando donde mientras si no ya muy más
    menos tan también tampoco el la lo los las un una unos unas este esta esto estos estas ese esa
    eso esos esas aquel aquella mi mis tu tus su sus nuestro nuestra nuestros nuestras yo tú vos
    usted ustedes él ella ellos ellas nosotros nosotras me te se le les nos os hay ser es son era
    fue está están estaba tiene tienen tengo tenía hace hizo ahí allí allá aquí acá entonces luego
    después antes siempre nunca todo toda todos todas nada algo alguien nadie cada otro otra otros
    otras mismo misma cual cuál quien quién qué cómo dónde cuándo cuánto sí bueno hola gracias
    ok pues parce parcero parcera uy ay oiga oigan ojo obvio
    """.split()
)


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    nicknames: frozenset[str]
    brands: frozenset[str]
    # multi-word keep phrases (places, institutions, brands) as tuples of folded tokens,
    # indexed by their first token for a cheap scan over a Doc.
    keep_phrases: dict[str, tuple[tuple[str, ...], ...]]
    place_words: frozenset[str]
    common_words: frozenset[str]


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _words(name: str) -> set[str]:
    return {fold(tok) for entry in _read_list(name) for tok in entry.split()}


def _phrases(*names: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        for entry in _read_list(name):
            toks = tuple(fold(entry).replace("-", " - ").split())
            index.setdefault(toks[0], set()).add(toks)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _dictionary() -> set[str]:
    """A public-domain Spanish word list (Debian wspanish), stored already folded."""
    with gzip.open(DATA_DIR / "spanish_words.txt.gz", "rt", encoding="utf-8") as fh:
        return {ln for ln in fh.read().split("\n") if ln and not ln.startswith("#")}


def _spacy_vocabulary() -> set[str]:
    """Lemmas the Spanish model knows as nouns, verbs, adjectives and adverbs: a dictionary of
    ordinary words that costs no extra file, used to tell "dice" or "mesa" from a name."""
    try:
        from analysis.pipeline import get_nlp

        tables = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError, RuntimeError, OSError):
        return set()
    words: set[str] = set()
    for key in tables.keys():
        words.update(fold(w) for w in tables[key])
    return words


_SWAPS = (
    ("y", "i"),
    ("i", "y"),
    ("ss", "s"),
    ("s", "ss"),
    ("nn", "n"),
    ("th", "t"),
    ("ph", "f"),
    ("k", "c"),
    ("c", "k"),
    ("z", "s"),
    ("ll", "l"),
    ("w", "gu"),
    ("sh", "ch"),
)


def spelling_variants(name: str) -> set[str]:
    """Spellings Colombian registries actually hold for one name: Yeison/Jeison/Jeisson,
    Leidy/Leidi, Jhon/Jon, Yurany/Yurani, Yeraldin/Yeraldine, Yorladis/Yorladys, plus the
    diminutive (Juanito, Valentinita, Carlitos)."""
    out = {name}
    if name[:1] == "j":
        out |= {"y" + name[1:], "jh" + name[1:]} if name[1:2] != "h" else {"j" + name[2:]}
    elif name[:1] == "y":
        out.add("j" + name[1:])
    for a, b in _SWAPS:
        if a in name:
            out.add(name.replace(a, b, 1))
    for a, b in (("y", "i"), ("i", "y"), ("e", "ee"), ("in", "ine"), ("is", "ys"), ("eth", "ed")):
        if name.endswith(a):
            out.add(name[: -len(a)] + b)
    if name.endswith(("a", "o")):
        out.add(name[:-1] + ("ita" if name.endswith("a") else "ito"))
    elif name.endswith("os"):
        out.add(name[:-2] + "itos")
    elif name[-1:] in "nrl":
        out.add(name + "cito")
    return {v for v in out if len(v) > 3}


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    listed = _words("first_names_female.txt") | _words("first_names_male.txt")
    known_words = _spacy_vocabulary()
    dictionary = _dictionary()
    first = set(listed)
    for name in listed - AMBIGUOUS_NAMES - known_words:
        # a generated spelling that is an ordinary word ("caso", "paso") is not added
        first |= {
            v for v in spelling_variants(name) if v not in dictionary and v not in known_words
        }
    nick = _words("nicknames.txt")
    surnames = _words("surnames.txt")
    brands = {fold(e) for e in _read_list("brands.txt")}
    places = _words("places.txt")
    # A name the model also knows as an ordinary word ("rosa", "caro") is ambiguous: a word in
    # lower case. The bigger dictionary also lists "valentina" or "camilo", so for names on our
    # lists only the model's vocabulary and the hand-made list decide.
    names = first | nick
    common = known_words | FUNCTION_WORDS | AMBIGUOUS_NAMES
    common |= (dictionary | _words("common_extra.txt")) - names
    return Lexicon(
        first_names=frozenset(first),
        surnames=frozenset(surnames),
        nicknames=frozenset(nick),
        brands=frozenset(brands),
        keep_phrases=_phrases("places.txt", "institutions.txt", "brands.txt", "public_figures.txt"),
        place_words=frozenset(places),
        common_words=frozenset(common),
    )


@lru_cache(maxsize=65536)
def folded(word: str) -> str:
    return fold(word)
