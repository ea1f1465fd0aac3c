"""Analysts' codings: stored apart from the automatic ones, and made to win in every view.

One decision writes an :class:`AnalystCoding` row (who, when, which codebook version) and sets
the text's effective columns (``line_mask``, ``themes``, ``analyst_reviewed``) in the same
transaction, so a view never sees one without the other.
"""

from __future__ import annotations

from analysis import LINES

from ..extensions import db
from ..models import AnalystCoding, Answer, RelatoriaNote, lines_to_mask
from .text_analysis import current_codebook


class ReviewError(ValueError):
    """The submitted coding names a line or theme that does not exist."""


def text_key(row) -> dict:
    """The AnalystCoding columns that point to ``row`` (an answer or a relatoría note)."""
    if isinstance(row, RelatoriaNote):
        return {"note_id": row.id}
    return {"submission_id": row.submission_id, "question_id": row.question_id}


def save_coding(row: Answer | RelatoriaNote, lines, themes, analyst_id: int) -> AnalystCoding:
    """Record the analyst's lines and themes for ``row``; they become its effective coding."""
    codebook = current_codebook()
    known_themes = {t.id for t in codebook.themes}
    lines = sorted(set(lines), key=LINES.index) if set(lines) <= set(LINES) else None
    if lines is None:
        raise ReviewError("unknown line")
    themes = list(dict.fromkeys(themes))
    # A theme the text already carried stays valid even if a later codebook dropped it.
    allowed = known_themes | set(row.auto_themes or []) | set(row.themes or [])
    if any(t not in allowed for t in themes):
        raise ReviewError("unknown theme")
    coding = AnalystCoding(
        **text_key(row),
        lines=lines,
        themes=themes,
        codebook_version=codebook.version,
        analyst_id=analyst_id,
    )
    try:
        db.session.add(coding)
        row.line_mask = lines_to_mask(lines)
        row.themes = themes
        row.analyst_reviewed = True
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return coding


def history(row) -> list[AnalystCoding]:
    """Earlier decisions on this text, newest first."""
    query = db.select(AnalystCoding).filter_by(**text_key(row))
    return db.session.scalars(
        query.order_by(AnalystCoding.created_at.desc(), AnalystCoding.id.desc())
    ).all()
