"""The bridge to ``analysis``: every free text is redacted, coded and checked before storage.

The spaCy pipeline is loaded once per process by ``analysis.pipeline``; a request only pays for
its own texts, analysed in one ``nlp.pipe`` batch. The codebook is the admins' active saved
version when there is one, else the file shipped in ``analysis/``.

A broken codebook must never cost a child's answer. When the active version or the shipped
file cannot be loaded, the last codebook this process loaded successfully is used; when there
is none, texts are stored redacted and checked by the safeguarding signals but uncoded
(``codebook_version`` NULL), and ``flask analysis retag`` codes them once a codebook loads.
Redaction is never skipped: if it fails, the submission fails.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from analysis.codebook import Codebook
from analysis.core import Analysis, analyse_many, check_text, run
from analysis.tagger import load_codebook

from ..extensions import db
from ..models import CodebookVersion

log = logging.getLogger(__name__)

# The last codebook this process loaded without error (per process, like the spaCy pipeline).
_last_good: Codebook | None = None


def current_codebook() -> Codebook:
    """The active codebook, strictly: retagging, exports and previews must not guess."""
    global _last_good
    _last_good = _load_active()
    return _last_good


def codebook_for_new_texts() -> Codebook | None:
    """The active codebook, else the last good one, else None (store the texts uncoded)."""
    try:
        return current_codebook()
    except SQLAlchemyError:
        raise  # the database is the problem, not the codebook: the submission fails whole
    except Exception as exc:  # a YAML, pattern or schema error, or a missing file
        if _last_good is None:
            log.error("no codebook could be loaded (%s); texts stored uncoded", type(exc).__name__)
        else:
            log.error(
                "codebook could not be loaded (%s); using the last good one, %s",
                type(exc).__name__,
                _last_good.version,
            )
        return _last_good


def _load_active() -> Codebook:
    row = db.session.execute(
        db.select(CodebookVersion.version, CodebookVersion.content)
        .filter_by(is_active=True)
        .limit(1)
    ).first()
    if row is None:
        return load_codebook()
    return _parse(row.version, row.content)


@lru_cache(maxsize=8)
def _parse(version: str, content: str) -> Codebook:
    return Codebook.from_yaml(content)


def analyse_texts(texts: list[str], codebook: Codebook | None = None) -> list[Analysis]:
    if not texts:
        return []
    from . import learning  # a learned line classifier, only when it beat the rules

    codebook = codebook or codebook_for_new_texts()
    if codebook is None:
        return redact_uncoded(texts)
    return learning.adjust(list(analyse_many(texts, codebook=codebook)))


def redact_uncoded(texts: list[str]) -> list[Analysis]:
    """Redaction and safeguarding signals without coding: no lines, no themes, no version."""
    items = ((check_text(text), None) for text in texts)
    out = []
    for results, _ in run(items, {"redact", "alert"}):
        red, sig = results.redaction, results.signal
        out.append(
            Analysis(
                text=red.text,
                redactions=list(red.redactions),
                themes=[],
                lines=[],
                confidence={},
                evidence=[],
                alert=bool(sig.alert),
                reasons=list(sig.reasons),
                codebook_version=None,
            )
        )
    return out
