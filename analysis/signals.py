"""Safeguarding signals: does a text reveal that a specific child is being harmed, or ask for help?

An alert interrupts the facilitator at once, so the rule is recall first without flooding: a cue
from the harm lexicon (data/signals/cues.yaml) alerts only when it concerns a particular child
(the writer, "mi hermana", "la niña de al lado", an age, a name) and is not framed as a hypothesis,
a proposal, news, fiction, a closed case or an adult's childhood memory, and is not negated.
Weaker risk signs (gifts, secrecy, being waited for, invitations to be alone) alert in
combination, the way grooming shows up in disclosures. Reads the shared spaCy ``Doc``; no model
call of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.signals_combos import combos
from analysis.signals_context import Context
from analysis.signals_keys import KeyedDoc, key
from analysis.signals_lexicon import CUES, WordSet

REASONS: dict[str, dict[str, str]] = {
    "sexual_abuse": {
        "es": "Relata abuso sexual o explotación de una niña, niño o adolescente concreto.",
        "en": "Describes sexual abuse or exploitation of a specific child or adolescent.",
    },
    "offer_for_sex": {
        "es": "Le ofrecen dinero, regalos o favores a cambio de actos sexuales, imágenes o compañía.",
        "en": "Money, gifts or favours offered in exchange for sexual acts, images or company.",
    },
    "image_request": {
        "es": "Le piden fotos o videos íntimos, o hacen circular sus imágenes.",
        "en": "Intimate photos or videos are requested, or the child's images are circulated.",
    },
    "threat_or_pressure": {
        "es": "Amenazas, deudas o presión sobre la niña, niño o adolescente.",
        "en": "Threats, debts or pressure on the child or adolescent.",
    },
    "physical_abuse": {
        "es": "Relata que a una niña, niño o adolescente concreto le pegan, lo queman o lo encierran.",
        "en": "Describes a specific child being beaten, burned or locked up.",
    },
    "meeting_pressure": {
        "es": "Presión para encontrarse con un adulto, ir a fiestas, hoteles o subirse a un carro.",
        "en": "Pressure to meet an adult, go to parties or hotels, or get into a vehicle.",
    },
    "grooming": {
        "es": "Señales de captación: adulto con regalos, secretos, aislamiento o 'noviazgo'.",
        "en": "Grooming signs: an adult using gifts, secrecy, isolation or a 'relationship'.",
    },
    "help_request": {
        "es": "Quien escribe pide ayuda o no sabe a quién acudir.",
        "en": "The writer asks for help or does not know whom to turn to.",
    },
}
RISK_KINDS = ("isolation", "stalking", "secrecy", "night", "body")
THREAT_CONTEXT = WordSet("threat_context", "sex_words", "intimate")
GIFTS = WordSet("gift", "money", "pay_verb")
LAUGHTER = WordSet("laughter")
RELATION = {key(w) for w in "novio novia pareja amante moza mozo sugar cuadre".split()}
# An older "amigo" counts like a "novio" when there are gifts or money.
ACQUAINTANCE = {key(w) for w in "amigo conocido man tipo cucho señor parcero vecino".split()}
RELATION_VERBS = {
    key(w)
    for w in "sale salir salía saliendo anda andando está esta cuadró cuadro cuadrando vive vivir viendo "
    "ve veía metida metido enredada cuadrada".split()
}
OBLIGATION_NEXT = {key(w) for w in "que a al ir hacer esperar lavar cuidar".split()}
ARTICLES = {key(w) for w in "el la los las un una mi mis su sus".split()}
RISKY = WordSet("risky_actor")
OLDER = WordSet("older")
BODY = WordSet("body")
CHILD = WordSet("child")
DISTRESS = WordSet("distress")
HOMEWORK = WordSet("homework")


@dataclass(frozen=True)
class SignalResult:
    alert: bool
    reasons: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Hit:
    section: str
    name: str
    start: int
    end: int


def _char_span(doc, start: int, end: int) -> tuple[int, int]:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def _sentence_has(ctx: Context, words: WordSet, start: int) -> bool:
    return bool(ctx.sentence_mask(start) & words.mask)


def _self_disclosed(kd: KeyedDoc, hit: _Hit) -> bool:
    """The cue itself says it happens to the writer: "me", right in or before it."""
    return "me" in kd.keys[max(0, hit.start - 1) : hit.end]


def _obligation(kd: KeyedDoc, end: int) -> bool:
    """'me toca ir', 'le toca a ella': toca = has to, not touches."""
    doc = kd.doc
    if end >= len(doc):
        return False
    if kd.keys[end] in ARTICLES:  # "me toca el aseo" is a chore, "me toca las piernas" is not
        return not any(k in BODY for k in kd.keys[end + 1 : end + 3])
    return kd.keys[end] in OBLIGATION_NEXT or kd.morph[end].get("VerbForm") == "Inf"


def _age_gap(kd: KeyedDoc, ctx: Context) -> list[tuple[int, int]]:
    """A 'novio' or partner who is an adult while the child is a minor: grooming by age gap."""
    keys = kd.keys
    minors = [age for _, age in ctx.ages if age <= 17]
    if not minors and not ctx.doc_mask & CHILD.mask:
        return []
    youngest = min(minors, default=17)
    ages = dict(ctx.ages)
    gifts = bool(ctx.doc_mask & GIFTS.mask)
    out = []
    for i, k in enumerate(keys):
        romantic = k in RELATION or (
            k in RELATION_VERBS and i + 1 < len(keys) and keys[i + 1] == "kon"
        )
        if not romantic and not (k in ACQUAINTANCE and gifts):
            continue
        for j in range(max(0, i - 6), min(len(keys), i + 7)):
            value = ages.get(j)
            # A 'novio mayor' is enough; an 'amigo' must be "mayor" right after, or give an age.
            older = keys[j] in OLDER and (romantic or j == i + 1)
            if (value is not None and value >= 18 and value - youngest >= 5) or older:
                out.append((min(i, j), max(i, j) + 1))
                break
    if not out and any(age >= 18 and age - youngest >= 5 for age in ages.values()):
        # "un man de 30 le escribe a mi amiga de 13 ... que es su novia": gap and romance apart.
        rel = [i for i, k in enumerate(keys) if k in RELATION]
        adult = [i for i, age in ages.items() if age >= 18 and age - youngest >= 5]
        if rel and minors:
            out.append((adult[0], adult[0] + 1))
            out.append((rel[0], rel[0] + 1))
    return out


def _collect(kd: KeyedDoc) -> tuple[list[_Hit], dict[str, list[tuple[int, int]]], list]:
    hits, frames, guarded = [], {}, []
    for group, start, end in CUES.scan(kd):
        if group.section == "frames":
            frames.setdefault(group.name, []).append((start, end))
        else:
            guarded.append((group, _Hit(group.section, group.name, start, end)))
    return hits, frames, guarded


def assess_doc(doc) -> SignalResult:
    kd = KeyedDoc(doc)
    _, frames, found = _collect(kd)
    ctx = Context(kd, frames)
    adult_history = "adult_life" in frames or any(years >= 10 for years in ctx.years_ago)
    risky_in_doc = bool(ctx.doc_mask & RISKY.mask)
    # A threat alone may be a sibling's joke; with an adult, money or a place it is pressure.
    threat_context = bool(ctx.doc_mask & (RISKY.mask | THREAT_CONTEXT.mask))

    def blocked(hit: _Hit) -> bool:
        frame = ctx.frame(hit.start)
        if frame == "childhood":
            return adult_history
        if frame == "proposal" and _self_disclosed(kd, hit):
            return ctx.negated(hit.start)  # "que alguien me ayude", "que castiguen al que me toca"
        return bool(frame) or ctx.negated(hit.start, hit.end)

    live: list[tuple] = []
    for group, hit in found:
        if blocked(hit):
            continue
        if group.requires is not None and not _sentence_has(ctx, group.requires, hit.start):
            continue
        if group.check == "touch" and _obligation(kd, hit.end):
            continue
        live.append((group, hit))

    reasons: dict[str, list[tuple[int, int]]] = {}

    def add(reason: str, start: int, end: int) -> None:
        reasons.setdefault(reason, []).append(_char_span(doc, start, end))

    cues = [h for g, h in live if h.section in ("strong", "weak") and not g.needs_context]
    joking = bool(ctx.doc_mask & LAUGHTER.mask)
    context_present = (bool(cues) or threat_context) and not joking
    weak: dict[str, list[_Hit]] = {}
    for group, hit in live:
        if hit.section == "strong":
            if group.needs_context and not context_present:
                continue
            if ctx.specific(hit.start, hit.end):
                add(hit.name, hit.start, hit.end)
        elif hit.section == "weak":
            weak.setdefault(hit.name, []).append(hit)
    for reason, spans in combos(ctx, joking):
        for start, end in spans:
            add(reason, start, end)
    for start, end in _age_gap(kd, ctx):
        if not blocked(_Hit("strong", "grooming", start, end)) and ctx.specific(start, end):
            add("grooming", start, end)

    risk = [k for k in RISK_KINDS if k in weak]
    if risk and "left_alone" in weak:  # neglect counts only beside another risk sign
        risk.append("left_alone")
    if "flattery" in weak and risky_in_doc:
        risk.append("flattery")
    if ctx.any_specific() and (len(risk) >= 2 or (risk and ("gift" in weak or "fear" in weak))):
        for kind in [*risk, "gift", "fear"]:
            for hit in weak.get(kind, []):
                add("grooming", hit.start, hit.end)

    distress = bool(reasons) or bool(cues) or bool(ctx.doc_mask & DISTRESS.mask)
    for _group, hit in live:
        if hit.section != "help":
            continue
        if hit.name == "soft" and not distress:
            continue
        after = kd.keys[hit.end : hit.end + 5]
        if any(k in HOMEWORK for k in after):
            continue
        if not reasons and not cues and ctx.doc_mask & HOMEWORK.mask:
            continue  # "ayuda: ... es para una tarea"
        add("help_request", hit.start, hit.end)

    ordered = [r for r in REASONS if r in reasons]
    evidence = sorted({span for r in ordered for span in reasons[r]})
    return SignalResult(alert=bool(ordered), reasons=ordered, evidence=evidence)


def assess(text: str) -> SignalResult:
    from analysis.pipeline import parse

    return assess_doc(parse(text))
