"""Disclosures recognised by what co-occurs in a sentence, whatever the word order.

Children and worried adults rarely use the phrasings a pattern expects ("el esposo de la niñera
le baja los calzones", "la vienen a buscar unos señores en carros"), but a disclosure nearly
always puts two kinds of risk words in one sentence about a specific child: something sexual
and an adult, money and a private place, coercion and images. Category words come from
data/signals/sets.yaml; only words outside hypothetical, proposal, news, fiction and closed-case
frames, and not right after a negation, count. Cost: one pass over the tokens.
"""

from __future__ import annotations

from analysis.signals_context import CLAUSE_BREAK, NEGATORS, OPINION, REPORTING, Context
from analysis.signals_lexicon import WordSet

SEX = WordSet("sex_words").mask
IMAGE = WordSet("image").mask
MONEY = WordSet("money", "gift", "pay_verb").mask
COERCION = WordSet("coercion").mask
PRIVATE = WordSet("private_place").mask
VEHICLE = WordSet("vehicle").mask
NIGHT = WordSet("night").mask
ADULT = WordSet("adult", "risky_actor", "older").mask
MEN = WordSet("men_group").mask
SECRET = WordSet("secret_words").mask
GROUP = WordSet("children_group").mask
STRANGER = WordSet("stranger").mask
FIRST_SINGULAR = {"me", "io", "konmigo"}  # keys of me, yo, conmigo
CATEGORIES = 0

# (reason, categories that must all be present, at least one of these must be present too)
RULES: tuple[tuple[str, tuple[int, ...], int], ...] = (
    ("sexual_abuse", (SEX,), ADULT | COERCION | MONEY | PRIVATE),
    ("image_request", (IMAGE, ADULT), SEX | COERCION | MONEY),
    ("offer_for_sex", (MONEY, ADULT), PRIVATE | SEX),
    ("threat_or_pressure", (COERCION,), SEX | IMAGE),
    ("threat_or_pressure", (COERCION, ADULT), PRIVATE | NIGHT),
    ("meeting_pressure", (MEN,), NIGHT | VEHICLE | PRIVATE),
    ("grooming", (ADULT, SECRET), MONEY | PRIVATE | SEX | NIGHT | VEHICLE),
    ("meeting_pressure", (STRANGER,), VEHICLE | PRIVATE | NIGHT),
)


for _reason, _required, _extra in RULES:
    CATEGORIES |= _extra
    for _category in _required:
        CATEGORIES |= _category


def _live_masks(ctx: Context) -> list[int]:
    """Per sentence, the categories of words that are neither framed nor just negated."""
    keys, flags, framed = ctx.kd.keys, ctx.flags, ctx.framed
    masks = [0] * len(ctx.sent_bounds)
    negated_until = -1
    for i, k in enumerate(keys):
        if k in NEGATORS:
            negated_until = i + 6
            continue
        if k in CLAUSE_BREAK:
            negated_until = -1
        f = flags[i] & CATEGORIES
        if f and not framed[i] and i > negated_until:
            masks[ctx.sent_of[i]] |= f
    return masks


def _one_child(ctx: Context, s0: int, s1: int) -> bool:
    """The writer ("me", "mi") or a minor's age points at one child despite a plural noun."""
    keys = ctx.kd.keys
    for j in range(s0, s1):
        nxt = keys[j + 1] if j + 1 < len(keys) else ""
        if keys[j] in FIRST_SINGULAR and nxt not in REPORTING and nxt not in OPINION:
            return True
    return any(s0 <= i < s1 and age <= 17 for i, age in ctx.ages)


def combos(ctx: Context, joking: bool = False) -> list[tuple[str, list[tuple[int, int]]]]:
    """(reason, token spans of the words that made it) for each rule a sentence satisfies."""
    masks = _live_masks(ctx)
    found = []
    for index, (s0, s1) in enumerate(ctx.sent_bounds):
        mask = masks[index] | (masks[index - 1] if index else 0)
        if not mask & CATEGORIES or not ctx.sentence_specific(index):
            continue
        if ctx.sent_masks[index] & GROUP and not _one_child(ctx, s0, s1):
            continue  # "hay un hotel donde entran señores con niñas": a place, not a child
        for reason, required, extra in RULES:
            if joking and reason == "threat_or_pressure":
                continue  # "jajaja me amenazó con...": banter between peers
            if all(mask & category for category in required) and mask & extra:
                used = extra
                for category in required:
                    used |= category
                spans = [(i, i + 1) for i in range(s0, s1) if ctx.flags[i] & used]
                found.append((reason, spans))
    return found
