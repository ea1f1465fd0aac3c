"""Recognisers for personal data with a shape: e-mails, links, handles, Colombian phones,
identity numbers, street addresses and vehicle plates.

Everything is compiled at import and runs on the raw text, so the cost per text is a few regex
scans. Each hit carries a priority: when two hits overlap, the lower number wins.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from analysis.redaction_lexicon import folded, get_lexicon


class Hit(NamedTuple):
    start: int
    end: int
    type: str
    priority: int


_I = re.IGNORECASE
DIGIT = re.compile(r"\d")
_TRAILING = ".,;:!?)]}'\"…"

EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", _I)
EMAIL_SPOKEN = re.compile(
    r"\b[\w.-]{3,}\s+arroba\s+[\w-]+\s*(?:\.|punto)\s*(?:com|co|net|org|es)\b"
    r"(?:\s*(?:\.|punto)\s*co\b)?",
    _I,
)
URL = re.compile(
    r"\bhttps?://[^\s<>\"']+|\bwww\.[^\s<>\"']+"
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,6}/[^\s<>\"']+",
    _I,
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# A handle written without "@" right after the platform or "usuario": "en insta como sofi_23".
HANDLE_CONTEXT = re.compile(
    r"\b(?:insta(?:gram)?|ig|tik\s?tok|face(?:book)?|fb|twitter|snap(?:chat)?|telegram|discord"
    r"|kwai|free\s?fire|ff|twitch|roblox|usuario|user|nick|perfil|cuenta)\b(?P<colon>\s*:)?\s*"
    r"(?P<said>(?:es|como|soy|de|me\s+encuentran\s+como|aparezco\s+como|salgo\s+como"
    r"|sale\s+como)\s+)*"
    r"(?P<h>[A-Za-z0-9_][A-Za-z0-9_.]{2,29})(?![\w@])",
    _I,
)
# A gamer tag or user name given as a name: "se hace llamar DarkAngel777", "mi nick es x_z".
HANDLE_NAMED = re.compile(
    r"\b(?:llam\w+|nick|apodo|gamertag|usuario)\s+(?:es\s+|como\s+|:\s*)?"
    r"(?P<h>(?=[A-Za-z0-9_.]*[A-Za-z]{2})[A-Za-z0-9_.]*(?:\d|_)[A-Za-z0-9_.]*)(?![\w@])",
    _I,
)
HANDLE_BARE = re.compile(r"(?<![\w@.])[A-Za-z][A-Za-z0-9.]*_[A-Za-z0-9_.]*(?![\w@])")

_SEP = r"[\s.-]?"
MOBILE = re.compile(
    rf"(?<![\w$.,/])(?:\(?\+\s?57\)?{_SEP}|\(?57\)?\s)?(?:\(3\d\d\)|3\d\d)(?:{_SEP}\d){{7}}(?![\d])"
)
INTERNATIONAL = re.compile(r"(?<![\w$])\+\d{1,3}[\s.-]?\(?\d{2,4}\)?(?:[\s.-]?\d{2,4}){2,3}(?!\d)")
LANDLINE = re.compile(
    rf"(?<![\w$.,/])(?:\(?\+\s?57\)?{_SEP})?\(?60[1-8]\)?{_SEP}\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?!\d)"
)
PHONE_CONTEXT = re.compile(
    r"\b(?:tel(?:[ée]fono)?|fijo|cel(?:ular)?|whats?app|wasap|wsp|n[úu]mero|contacto|m[óo]vil"
    r"|llam\w*(?:\s+al)?|marc\w*(?:\s+al)?|escrib\w*(?:\s+al)?)\.?\s*(?:es\s+(?:el\s+)?|:\s*|al\s+)?"
    r"(?P<n>(?:\(?\d\)?[\s.-]?)?\d{3}[\s.-]?(?:\d{2}[\s.-]?\d{2}|\d{4}))(?!\d)",
    _I,
)
DOC_CONTEXT = re.compile(
    r"\b(?:c\.\s?c\.?|cc|c[ée]dula|t\.\s?i\.?|ti|tarjeta\s+de\s+identidad|nuip|n\.u\.i\.p\.?"
    r"|registro\s+civil(?:\s+de\s+nacimiento)?|r\.?c\.?|pasaporte|ppt|pep|c\.?e\.?|nit"
    r"|permiso\s+(?:por|de)\s+protecci[óo]n\s+temporal|documento(?:\s+de\s+identidad)?|doc"
    r"|identificad[oa]\s+con)\b\.?"
    r"(?:\s*(?:de\s+ciudadan[íi]a|de\s+extranjer[íi]a|n[°º]\.?|no\.|no|nro\.?|n[úu]mero|#|:|es"
    r"|el|la|mi|su|de))*\s*"
    r"(?P<n>\d{1,3}(?:[.,\s]\d{3}){1,3}(?![\d])|\d{5,12}|[A-Z]{1,3}\d{5,10})",
    _I,
)
BARE_NUMBER = re.compile(r"(?<![\w$.,/])(?:\d{1,3}(?:\.\d{3}){2,3}|\d{7,12})(?![\d]|[.,]\d)")
MONEY_AFTER = re.compile(r"\s*(?:pesos|mil|millones|cop|d[óo]lares|usd|lucas|barras)\b", _I)

_STREET = (
    r"(?:calle|cll|clle|cl|carrera|cra|kra|kr|crr|carr|cr|diagonal|diag|dg|transversal|transv"
    r"|trans|tv|tr|avenida|avda|av|circular|circ|cq|autopista)"
)
_NUM = r"\d{1,3}\s?(?:[A-Za-z]{1,2}\b|[A-Za-z](?=\d|\s|-|#))?(?:\s?bis)?"
_COMPLEMENT = (
    r"(?:\s*,?\s*(?:interior|int\.?|apto\.?|apartamento|apt\.?|casa|piso|bloque|bl\.?|torre"
    r"|local|oficina|of\.?|edificio|etapa)\s*(?:\d[\dA-Za-z-]{0,5}|[A-Za-z]\b))*"
)
ADDRESS = re.compile(
    rf"\b{_STREET}\.?\s*{_NUM}(?:\s?(?:sur|norte|este|oeste))?\s*"
    rf"(?:(?:(?:#|n[°º]\.?|no\.?|nro\.?|n[úu]mero|num\.?)\s*)?{_NUM}\s*[-–]\s*\d{{1,3}}"
    rf"|(?:#|n[°º]\.?|no\.?|nro\.?)\s*\d{{1,3}}\s?[A-Za-z]?\b)"
    rf"(?:\s?(?:sur|este))?(?!\d){_COMPLEMENT}",
    _I,
)
ADDRESS_BLOCK = re.compile(
    r"\b(?:(?:manzana|mz)\.?\s*[A-Za-z0-9]{1,4}\s*,?\s*(?:casa|lote|lt\.?)\s*\d{1,4}"
    r"|(?:bloque|torre)\s*[A-Za-z0-9]{1,3}\s*,?\s*(?:apto\.?|apartamento|apt\.?)\s*\d{2,4})",
    _I,
)
# A private home described by a landmark: "vivo en la casa azul al lado de la tienda de don X".
HOME = re.compile(
    r"\b(?:viv[eoií]\w*|qued[ao]\w*|mi\s+casa\s+es|nuestra\s+casa\s+es)"
    r"(?:[^.;!?\n]{0,60}?\s+en)?\s+"
    r"(?P<h>(?:la|el|mi|nuestra|su)\s+(?:casa|casita|apartamento|apto|rancho|finca|pieza)\b"
    r"[^,.;:!?\n]{0,60}?\s(?P<rel>al\s+frente|al\s+lado|enseguida|diagonal|junto|detr[áa]s"
    r"|atr[áa]s|encima|debajo|frente|pegad[oa])\b[^,.;:!?\n]{0,80}?)"
    r"(?=\s+(?:en|y|donde|porque|pero|que|con|cerca|por)\b|[,.;:!?\n)]|$)",
    _I,
)
PLATE = re.compile(r"(?<![\w-])[A-Z]{3}[\s-]?(?:\d{3}|\d{2}[A-Z])(?![\w-])")
PLATE_CONTEXT = re.compile(
    r"\bplacas?\s*(?:es\s+|:\s*|n[°º.]?\s*)?(?:la\s+|el\s+)?(?P<p>[A-Za-z]{3}[\s-]?\d{2}[\dA-Za-z]?)\b",
    _I,
)
NOT_PLATE = frozenset(
    "COP USD EUR NNA LEY SOS CRA CLL KRA AVE TRV DIA PPT PEP NIT RUT EPS IPS JAC JAL TIC ICB MSN "
    "CAI CTI SIM DVD USB MP3 MP4 APP WEB PDF".split()
)


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _is_help_line(number: str) -> bool:
    d = _digits(number)
    return d.startswith("01800") or d.startswith("1800") or len(d) <= 3


def _is_money(text: str, start: int, end: int, round_is_money: bool = True) -> bool:
    before = text[max(0, start - 2) : start]
    if "$" in before or (round_is_money and text[start:end].endswith("000")):
        return True
    if MONEY_AFTER.match(text, end):
        return True
    groups = text[start:end].split(".")
    return len(groups) > 1 and all(g == "000" for g in groups[1:])


def _looks_like_handle(h: str, introduced: bool) -> bool:
    lex = get_lexicon()
    word = folded(h)
    if h.isdigit() or word in lex.common_words or word in lex.brands:
        return False
    if any(ch in h for ch in "_.") or any(ch.isdigit() for ch in h):
        return True
    # "mi insta es sofimartinez": one unbroken word that is no dictionary word and no lone name
    is_name = word in lex.first_names or word in lex.surnames or word in lex.place_words
    return introduced and len(h) >= 5 and not is_name and (h.islower() or not h[0].isupper())


def _mentions_public_place(fragment: str) -> bool:
    lex = get_lexicon()
    words = folded(fragment).split()
    for i, w in enumerate(words):
        for phrase in lex.keep_phrases.get(w, ()):
            if tuple(words[i : i + len(phrase)]) == phrase and phrase[0] not in ("colegio",):
                return True
    return False


def find_hits(text: str) -> list[Hit]:
    hits: list[Hit] = []
    _links_and_handles(text, text.lower(), hits)
    if DIGIT.search(text):  # cheap guard: most answers hold no number at all
        _numbers(text, hits)
    return hits


def _echoes(text: str, user: str, hits: list[Hit]) -> None:
    """The user part of an address written again on its own ("escríbanle a sara88 al correo
    sara88@gmail.com") identifies as much as the address."""
    if len(user) < 4 or folded(user) in get_lexicon().common_words:
        return
    for m in re.finditer(rf"(?<![\w.@]){re.escape(user)}(?![\w@])", text):
        hits.append(Hit(m.start(), m.end(), "USUARIO", 2))


def _links_and_handles(text: str, low: str, hits: list[Hit]) -> None:
    add = hits.append
    if "@" in text:
        for m in EMAIL.finditer(text):
            add(Hit(m.start(), m.end(), "CORREO", 0))
            _echoes(text, m.group().split("@", 1)[0], hits)
        for m in HANDLE.finditer(text):
            end = _trim(text, m.start(), m.end())
            if end - m.start() > 2:
                add(Hit(m.start(), end, "USUARIO", 2))
    if "arroba" in low:
        for m in EMAIL_SPOKEN.finditer(text):
            add(Hit(m.start(), m.end(), "CORREO", 0))
    if "/" in text or "www." in low:
        for m in URL.finditer(text):
            add(Hit(m.start(), _trim(text, m.start(), m.end()), "ENLACE", 1))
    for m in HANDLE_CONTEXT.finditer(text):
        end = _trim(text, m.start("h"), m.end("h"))
        introduced = bool(m.group("colon") or m.group("said"))
        if _looks_like_handle(text[m.start("h") : end], introduced):
            add(Hit(m.start("h"), end, "USUARIO", 2))
    if "_" in text or DIGIT.search(text):
        for m in HANDLE_NAMED.finditer(text):
            add(Hit(m.start("h"), _trim(text, *m.span("h")), "USUARIO", 2))
    if "_" in text:
        for m in HANDLE_BARE.finditer(text):
            add(Hit(m.start(), _trim(text, m.start(), m.end()), "USUARIO", 2))
    if "viv" in low or "qued" in low or "casa es" in low:
        for m in HOME.finditer(text):
            # a landmark that is a public place ("al lado del Parque Berrío") locates no home
            if not _mentions_public_place(text[m.start("rel") : m.end("h")]):
                add(Hit(m.start("h"), m.end("h"), "DIRECCIÓN", 3))


def _numbers(text: str, hits: list[Hit]) -> None:
    add = hits.append
    for m in ADDRESS.finditer(text):
        add(Hit(m.start(), m.end(), "DIRECCIÓN", 3))
    for m in ADDRESS_BLOCK.finditer(text):
        add(Hit(m.start(), m.end(), "DIRECCIÓN", 3))
    for m in DOC_CONTEXT.finditer(text):
        if len(_digits(m.group("n"))) >= 5 and not _is_money(text, *m.span("n"), False):
            add(Hit(m.start("n"), _trim(text, *m.span("n")), "DOCUMENTO", 4))
    for rx in (MOBILE, LANDLINE, INTERNATIONAL):
        for m in rx.finditer(text):
            if not _is_money(text, m.start(), m.end()):
                add(Hit(m.start(), m.end(), "TELÉFONO", 5))
    for m in PHONE_CONTEXT.finditer(text):
        if not _is_help_line(m.group("n")):
            add(Hit(m.start("n"), m.end("n"), "TELÉFONO", 5))
    for m in PLATE.finditer(text):
        if m.group()[:3] not in NOT_PLATE:
            add(Hit(m.start(), m.end(), "PLACA", 6))
    for m in PLATE_CONTEXT.finditer(text):
        add(Hit(m.start("p"), m.end("p"), "PLACA", 6))
    for m in BARE_NUMBER.finditer(text):
        if not _is_help_line(m.group()) and not _is_money(text, m.start(), m.end()):
            add(Hit(m.start(), m.end(), "DOCUMENTO", 7))
