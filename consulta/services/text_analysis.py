"""The bridge to ``analysis``: every free text is redacted, coded and checked before storage.

The spaCy pipeline is loaded once per process by ``analysis.pipeline``; a request only pays for
its own texts, analysed in one ``nlp.pipe`` batch.
"""

from __future__ import annotations

from analysis.core import Analysis, analyse_many


def current_codebook():
    """The codebook new texts are coded with (the file shipped in ``analysis/``)."""
    from analysis.tagger import load_codebook

    return load_codebook()


def analyse_texts(texts: list[str]) -> list[Analysis]:
    if not texts:
        return []
    return list(analyse_many(texts, codebook=current_codebook()))
