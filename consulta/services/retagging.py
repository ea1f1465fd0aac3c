"""Recoding stored texts with the current codebook: batched, resumable and idempotent.

A text already coded with the current codebook version is skipped, so an interrupted run picks
up where it stopped and a second run changes nothing. Analysts' codings are never touched: a
reviewed text gets new automatic fields but keeps its effective (analyst) lines and themes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Answer, RelatoriaNote
from .retention import answer_text_kept, note_text_kept
from .text_analysis import analyse_texts, current_codebook

BATCH = 200


@dataclass
class RetagReport:
    codebook_version: str
    examined: int = 0
    recoded: int = 0
    lines_changed: int = 0
    newly_redacted: int = 0
    changed_by_line: dict[str, int] = field(default_factory=dict)


def pending_count(force: bool = False) -> int:
    version = current_codebook().version
    total = 0
    for model in (Answer, RelatoriaNote):
        query = select(db.func.count()).select_from(model).where(_coded(model))
        if not force:
            query = query.where(_not_current(model, version))
        total += db.session.scalar(query) or 0
    return total


def retag(force: bool = False, progress: Callable[[int], None] | None = None) -> RetagReport:
    codebook = current_codebook()
    report = RetagReport(codebook_version=codebook.version)
    for model, key in (
        (Answer, (Answer.submission_id, Answer.question_id)),
        (RelatoriaNote, (RelatoriaNote.id,)),
    ):
        last = None  # keyset pagination: each batch starts after the previous one's last key
        while True:
            query = select(model).where(_coded(model)).order_by(*key).limit(BATCH)
            if not force:
                query = query.where(_not_current(model, codebook.version))
            if last is not None:
                query = query.where(db.tuple_(*key) > db.tuple_(*last))
            rows = db.session.scalars(query).all()
            if not rows:
                break
            last = tuple(getattr(rows[-1], column.key) for column in key)
            texts = [_text(row) for row in rows]
            for row, text, result in zip(rows, texts, analyse_texts(texts, codebook), strict=True):
                _update(row, text, result, report)
            db.session.commit()  # each batch is durable: an interrupted run resumes here
            if progress:
                progress(len(rows))
    return report


def _update(row, text: str, result, report: RetagReport) -> None:
    report.examined += 1
    before = set(row.effective_lines)
    if result.text != text:  # a better redactor found more personal data: remove it too
        report.newly_redacted += 1
        _set_text(row, result.text)
    changed = (
        set(row.auto_lines or []) != set(result.lines) or (row.auto_themes or []) != result.themes
    )
    row.apply_analysis(result)
    if changed:
        report.recoded += 1
    after = set(row.effective_lines)
    if before != after:
        report.lines_changed += 1
        for line in before ^ after:
            report.changed_by_line[line] = report.changed_by_line.get(line, 0) + 1


def _text(row) -> str:
    return row.text if isinstance(row, RelatoriaNote) else row.value


def _set_text(row, text: str) -> None:
    if isinstance(row, RelatoriaNote):
        row.text = text
    else:
        row.value = text


def _coded(model):
    """Free texts: coded ones, and those stored uncoded while no codebook could be loaded
    (redacted, so ``redactions`` is a list; choice answers have neither). Texts deleted by
    retention keep their codes and are never recoded: there is nothing left to read."""
    kept = answer_text_kept() if model is Answer else note_text_kept()
    return and_(or_(model.codebook_version.is_not(None), model.redactions.is_not(None)), kept)


def _not_current(model, version: str):
    return or_(model.codebook_version != version, model.codebook_version.is_(None))
