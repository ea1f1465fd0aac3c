"""Person names in a spaCy ``Doc``: word lists, naming contexts and the model's PER entities.

The small Spanish model misses lower-case names ("mi amiga valentina") and tags places, games
and verbs as people, so its PER label is only one vote. A token becomes a name seed when a
naming context introduces it ("se llama", "mi vecina", "doña", "alias"), when it is a known
given name written as a name, or when the model calls it PER and it is no ordinary word. Seeds
grow to the right over surnames. Public places, institutions and brands are protected first.
"""

from __future__ import annotations

from analysis.redaction_keep import protected_tokens
from analysis.redaction_lexicon import CALENDAR, FUNCTION_WORDS, Lexicon, folded, get_lexicon

# Words that introduce a person: kinship, friendship, school and neighbourhood roles, titles.
ROLE_WORDS = frozenset(
    folded(w)
    for w in """
    amigo amiga amiguito amiguita amigos amigas hermano hermana hermanito hermanita hermanastro
    hermanastra primo prima primito primita vecino vecina vecinito vecinita novio novia esposo
    esposa marido hijo hija hijito hijita nieto nieta sobrino sobrina tío tía tio tia abuelo
    abuela mamá papá padrastro madrastra padrino madrina compañero compañera compa compañerito
    compañerita parcero parcera parce llave profe profesor profesora seño docente coordinador
    coordinadora rector rectora cucho cucha suegro suegra cuñado cuñada ahijado ahijada
    señor señora señorita don doña sr sra srta dr dra doctor doctora madre padre acudiente
    orientador orientadora psicólogo psicóloga psicóloga trabajadora trabajador social líder
    lideresa presidente presidenta funcionario funcionaria agente patrullero capitán sargento
    teniente intendente comisaria comisario fiscal juez jueza hno hna pelado pelada peladito
    peladita niño niña chino china man vieja viejo entrenador entrenadora monitor monitora
    gringo gringa extranjero extranjera turista
    """.split()
)
# Titles written with a capital and a dot ("Sra.") are roles too, never part of a name.
# Given names that also agree as adjectives with a role noun: "mi amiga linda" is no name.
ROLE_ADJECTIVES = frozenset(
    {
        "linda",
        "dulce",
        "clara",
        "blanca",
        "celeste",
        "justo",
        "franco",
        "leal",
        "bella",
        "alegre",
        "perla",
        "querida",
        "querido",
    }
)
# Religious names capitalised mid-sentence ("el niño Jesús"): a name only with a surname.
RELIGIOUS = frozenset({"jesus", "cristo", "dios"})
NAMING_VERBS = frozenset({"llama", "llamo", "llamas", "llaman", "llamaba", "llamamos", "llamar"})
NICK_TRIGGERS = frozenset({"alias", "apodo", "apodado", "apodada", "dicen", "decimos", "decian"})
TAL_WORDS = frozenset({"tal"})
CLITICS = frozenset({"le", "me", "te", "les", "nos", "lo", "la"})
PARTICLES = frozenset({"de", "del"})
ARTICLES = frozenset({"el", "la", "los", "las"})
DETERMINERS = frozenset({"de", "del"})


def _is_cap(text: str) -> bool:
    return text[:1].isupper()


class _Tokens:
    """Token attributes read once per Doc: spaCy's Token objects are costly to rebuild."""

    __slots__ = ("text", "f", "cap", "alpha", "per", "blocked")

    def __init__(self, doc, spans: list[tuple[int, int]]):
        per_id = doc.vocab.strings["PER"]
        self.text, self.f, self.cap, self.alpha, self.per, self.blocked = [], [], [], [], [], []
        for t in doc:
            text, start = t.text, t.idx
            self.text.append(text)
            self.f.append(folded(text))
            self.cap.append(text[:1].isupper())
            self.alpha.append(t.is_alpha)
            self.per.append(t.ent_type == per_id)
            if spans:
                end = start + len(text)
                self.blocked.append(any(a < end and start < b for a, b in spans))
            else:
                self.blocked.append(False)


def _trigger_kind(i: int, f: list[str]) -> str | None:
    """What kind of naming context ends right before token ``i``."""
    if i == 0:
        return None
    p1 = f[i - 1]
    p2 = f[i - 2] if i >= 2 else ""
    p3 = f[i - 3] if i >= 3 else ""
    if p1 in NAMING_VERBS and (p2 in ("se", "me", "te", "hace", "hacia") or p1 == "llamo"):
        return "naming"
    if p1 == "nombre" or (p1 in ("es", ":") and p2 == "nombre"):
        return "naming"
    if p1 == "soy" or (p1 == "," and p2 == "yo"):
        return "soy"
    if p1 in NICK_TRIGGERS and (p1 in ("alias", "apodo", "apodado", "apodada") or p2 in CLITICS):
        return "alias"
    if p1 in ARTICLES and p2 in NICK_TRIGGERS and (p2 == "alias" or p3 in CLITICS):
        return "alias"
    if p1 in ("el", "la") and p2 in ROLE_WORDS:
        return "alias"  # "mi amigo el Mechas", "mi parcera la Flaca"
    if p1 in TAL_WORDS and p2 in ("un", "una", "el", "la"):
        return "tal"
    if p1 in ROLE_WORDS:
        return "role"
    if p1 == "." and p2 in ("sr", "sra", "srta", "dr", "dra", "hno", "hna"):
        return "role"
    return None


def find_names(doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of person names; ``spans`` are character spans already taken."""
    lex = get_lexicon()
    if len(doc) == 0:
        return []
    T = _Tokens(doc, spans)
    f, cap = T.f, T.cap
    listed, headed = protected_tokens(T.f, T.cap, T.alpha, T.text, lex)
    seed = [False] * len(f)
    for i, word in enumerate(f):
        if T.blocked[i] or headed[i] or not T.alpha[i]:
            continue
        if word in FUNCTION_WORDS or word in lex.brands:
            continue
        kind = _trigger_kind(i, f)
        if kind == "role" and listed[i - 1]:
            kind = None  # "Madre Laura", "Don Matías": the role word is part of a public name
        if word in ROLE_WORDS and not (kind == "alias" and cap[i]):
            continue  # "le dicen el Flaco" names someone; "mi amiga" does not
        if word in RELIGIOUS and kind != "naming" and not _is_name_word(T, i + 1, lex):
            continue
        seed[i] = _is_seed(doc, T, i, kind, listed, lex)
    return _grow(T, seed, listed, headed, lex)


def _is_seed(doc, T: _Tokens, i: int, kind: str | None, listed: list[bool], lex: Lexicon) -> bool:
    f, word, cap = T.f, T.f[i], T.cap[i]
    known = word in lex.first_names or word in lex.nicknames
    common = word in lex.common_words or _lemma_common(doc[i], word, lex)
    if kind in ("naming", "tal") and (known or (not common and len(word) > 2)):
        return True
    if kind == "soy" and ((cap and (known or not common)) or (known and not common)):
        return not listed[i] or known
    if kind == "alias" and (cap or known or (f[i - 1] == "alias" and not common)):
        return True
    if kind == "role" and (
        (cap and not common)
        or (known and (cap or word not in ROLE_ADJECTIVES))
        or (cap and word in lex.surnames)
        or (not common and doc[i].pos_ in ("PROPN", "NOUN", "ADJ"))
    ):
        return True
    if listed[i] or word in CALENDAR:
        return False
    if i and word in lex.nicknames and f[i - 1] in ("la", "el"):
        return True  # "la Yuli", "el pipe", "la vale"
    if not known and not (T.per[i] and cap):
        return cap and _person_slot(doc, T, i, lex)
    # after a full stop, colon, bullet or dash a capital says nothing about names
    prev = T.text[i - 1] if i else ""
    initial = i == 0 or (not prev.isalnum() and prev != ",") or doc[i].is_sent_start
    if known:
        if cap and not initial:
            return not common or f[i - 1] not in DETERMINERS
        if cap:
            return not common or _is_name_word(T, i + 1, lex)
        return not common
    # the model's PER vote, for a capitalised word that is no ordinary word or place
    return (
        not common
        and (not initial or doc[i].pos_ == "PROPN")
        and word not in lex.place_words
        and not T.text[i].isupper()
        and not word.endswith(WORD_ENDINGS)
    )


PERSON_GOVERNORS = frozenset({"a", "con", "y", "e", "o", "ni", "para"})
# Endings of abstract and derived nouns and adjectives, never of a given name off our lists.
WORD_ENDINGS = (
    "dad",
    "cion",
    "sion",
    "miento",
    "ismo",
    "ista",
    "anza",
    "encia",
    "ancia",
    "aje",
    "mente",
    "idad",
    "oso",
    "osa",
    "ivo",
    "iva",
    "able",
    "ible",
    "ario",
    "aria",
)


def _person_slot(doc, T: _Tokens, i: int, lex: Lexicon) -> bool:
    """An unknown capitalised word after "a", "con", "y" that is no ordinary word, place or
    brand: a creative given name the lists lack ("le escribí a Yefri")."""
    word = T.f[i]
    if i == 0 or T.f[i - 1] not in PERSON_GOVERNORS or T.text[i].isupper() or len(word) < 3:
        return False
    if word in lex.common_words or word in lex.place_words or word in lex.surnames:
        return False
    if word.endswith(WORD_ENDINGS):
        return False
    if i + 1 < len(T.f) and T.cap[i + 1]:
        return False  # "con Migración Colombia": a multi-word proper name, likely an entity
    return doc[i].pos_ == "PROPN" and not _lemma_common(doc[i], word, lex)


def _lemma_common(tok, word: str, lex: Lexicon) -> bool:
    """Inflected ordinary words the list lacks: "comunitaria" -> "comunitario", "empleos"."""
    if word in lex.first_names or word in lex.nicknames:
        return False
    if word.endswith("s") and (word[:-1] in lex.common_words or word[:-2] in lex.common_words):
        return True
    lemma = folded(tok.lemma_)
    return lemma != word and lemma in lex.common_words


def _is_name_word(T: _Tokens, j: int, lex: Lexicon) -> bool:
    return j < len(T.f) and T.cap[j] and (T.f[j] in lex.first_names or T.f[j] in lex.surnames)


def _extends(T: _Tokens, j: int, lowercase_run: bool, listed, headed, lex: Lexicon) -> bool:
    word = T.f[j]
    if headed[j] or not T.alpha[j] or word in FUNCTION_WORDS or word in ROLE_WORDS:
        return False
    if word in lex.brands:
        return False
    in_list = word in lex.first_names or word in lex.surnames
    if T.cap[j]:
        if in_list:
            return True
        plural = word.endswith("s") and (
            word[:-1] in lex.common_words or word[:-2] in lex.common_words
        )
        return not listed[j] and word not in lex.common_words and not plural
    return lowercase_run and in_list and word not in lex.common_words and not listed[j]


def _grow(T: _Tokens, seed, listed, headed, lex: Lexicon) -> list[tuple[int, int]]:
    f, cap = T.f, T.cap
    spans: list[tuple[int, int]] = []
    n = len(f)
    i = 0
    while i < n:
        if not seed[i]:
            i += 1
            continue
        start = i
        lowercase_run = not cap[i]
        end = i + 1
        while end < n and not T.blocked[end]:
            if seed[end] or _extends(T, end, lowercase_run, listed, headed, lex):
                end += 1
                continue
            # "María de los Ángeles", "Pérez de la Cruz": particles between name words
            k = end
            while k < n and f[k] in PARTICLES | ARTICLES and k - end < 2:
                k += 1
            if (
                k > end
                and k < n
                and cap[k]
                and (not listed[k] or f[k - 1] in ARTICLES)
                and not headed[k]
                and (f[k] in lex.surnames or f[k] in lex.first_names)
            ):
                end = k + 1
                continue
            break
        spans.append((start, end))
        i = end
    return spans
