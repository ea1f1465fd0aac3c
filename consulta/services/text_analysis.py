"""The bridge to ``analysis``: every free text is redacted, coded and checked before storage.

The spaCy pipeline is loaded once per process by ``analysis.pipeline``; a request only pays for
its own texts, analysed in one ``nlp.pipe`` batch. The codebook is the admins' active saved
version when there is one, else the file shipped in ``analysis/``.
"""

from __future__ import annotations

from functools import lru_cache

from analysis.codebook import Codebook
from analysis.core import Analysis, analyse_many
from analysis.tagger import load_codebook

from ..extensions import db
from ..models import CodebookVersion


def current_codebook() -> Codebook:
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

    return learning.adjust(list(analyse_many(texts, codebook=codebook or current_codebook())))
