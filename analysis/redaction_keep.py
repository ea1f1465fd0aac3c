"""What must survive redaction: public places, institutions, brands and public figures from
the word lists, and whatever a place or organisation head names ("Institución Educativa Héctor
Abad Gómez", "Parque Biblioteca Belén", "Red de Jóvenes"). Such tokens are never name seeds.
"""

from __future__ import annotations

from analysis.redaction_lexicon import Lexicon, folded

# Heads whose following capitalised words name a place or institution, not a person.
PLACE_HEADS = frozenset(
    folded(w)
    for w in """
    parque estación estacion biblioteca colegio escuela institución universidad hospital
    clínica iglesia parroquia fundación corporación coliseo estadio liceo jardín hogar avenida
    barrio comuna vereda corregimiento sector urbanización plaza plazoleta cancha teatro museo
    hotel motel residencias discoteca bar centro unidad secretaría comisaría personería
    casa calle carrera quebrada cerro metro instituto ie i.e. sede san santa santo virgen
    red mesa grupo colectivo semillero consejo comité asociación programa proyecto junta club
    corporación fundación escuela ong cooperativa movimiento festival
    """.split()
)
HEAD_LINKS = frozenset({"de", "del", "la", "las", "los", "el", "educativa", "san", "santa", "y"})


def protected_tokens(
    f: list[str], cap: list[bool], alpha: list[bool], text: list[str], lex: Lexicon
) -> tuple[list[bool], list[bool]]:
    """Tokens inside a keep phrase (list) and tokens named by a place head (pattern)."""
    n = len(f)
    listed = [False] * n
    headed = [False] * n
    for i in range(n):
        for phrase in lex.keep_phrases.get(f[i], ()):
            if tuple(f[i : i + len(phrase)]) == phrase:
                for j in range(i, i + len(phrase)):
                    listed[j] = True
                break
        if f[i] not in PLACE_HEADS:
            continue
        # a head right after a capitalised word is a surname ("Jhon Mesa Londoño"), not a head
        if i > 0 and alpha[i - 1] and cap[i - 1] and not headed[i - 1]:
            if f[i - 1] not in PLACE_HEADS:
                continue
        j = i + 1
        while j < n and f[j] in HEAD_LINKS and not cap[j]:
            j += 1
        while j < n and (cap[j] and alpha[j] or text[j].isdigit()):
            headed[j] = True
            j += 1
            if j + 1 < n and f[j] in HEAD_LINKS and cap[j + 1]:
                headed[j] = True
                j += 1
    return listed, headed
