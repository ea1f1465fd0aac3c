"""Replace personal data in free text with typed placeholders before anything is stored.

Participants type names, phones, documents, addresses, handles, links and plates into answers
even when nobody asks. ``redact_doc`` reads the same spaCy ``Doc`` that coding and safeguarding
read (one model pass per text) and returns the redacted text plus where each placeholder sits,
so evidence spans found on the original text can be moved onto the stored one (``map_span``).
Places, institutions, help lines, ages, years and amounts stay: analysis needs them and they
identify no one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from analysis.redaction_names import find_names
from analysis.redaction_patterns import Hit, find_hits

TYPES = ("NOMBRE", "TELÉFONO", "CORREO", "DOCUMENTO", "DIRECCIÓN", "USUARIO", "ENLACE", "PLACA")
NAME_PRIORITY = 8


@dataclass(frozen=True)
class Redaction:
    type: str
    start: int  # offsets in the redacted text: the span of the placeholder, e.g. "[NOMBRE]"
    end: int


@dataclass(frozen=True)
class RedactionResult:
    text: str
    redactions: list[Redaction]
    # (original start, original end) of each redaction, aligned with ``redactions``
    _original: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a span of the original text to the redacted text; None if it touches redacted data."""
        originals = self._original
        i = bisect_right(originals, (start, float("inf")))
        # the redaction just before may still reach into the span
        if i > 0 and originals[i - 1][1] > start:
            return None
        if i < len(originals) and originals[i][0] < end:
            return None
        if i == 0:
            return (start, end)
        prev_orig_end = originals[i - 1][1]
        shift = self.redactions[i - 1].end - prev_orig_end
        return (start + shift, end + shift)


def _select(hits: list[Hit]) -> list[Hit]:
    """Keep the highest-priority hit where hits overlap; the longer one on a tie."""
    chosen: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.priority, h.start - h.end, h.start)):
        if hit.end <= hit.start:
            continue
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        chosen.append(hit)
        taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: h.start)


def redact_doc(doc) -> RedactionResult:
    text = doc.text
    hits = find_hits(text)
    for start, end in find_names(doc, [(h.start, h.end) for h in hits]):
        last = doc[end - 1]
        hits.append(Hit(doc[start].idx, last.idx + len(last.text), "NOMBRE", NAME_PRIORITY))
    if not hits:
        return RedactionResult(text, [])
    pieces: list[str] = []
    redactions: list[Redaction] = []
    originals: list[tuple[int, int]] = []
    cursor = 0
    out_len = 0
    for hit in _select(hits):
        pieces.append(text[cursor : hit.start])
        out_len += hit.start - cursor
        placeholder = f"[{hit.type}]"
        pieces.append(placeholder)
        redactions.append(Redaction(hit.type, out_len, out_len + len(placeholder)))
        originals.append((hit.start, hit.end))
        out_len += len(placeholder)
        cursor = hit.end
    pieces.append(text[cursor:])
    return RedactionResult("".join(pieces), redactions, tuple(originals))


def redact(text: str) -> RedactionResult:
    from analysis.pipeline import parse

    return redact_doc(parse(text))
