"""The projection's word cloud: lemmas of the room's answers, sized by how often they are said.

Lemmas rather than words, so "jugamos" and "jugar" count together; stop words, light verbs,
laughter, numbers and the redaction placeholders are left out, and so are the words of the
question itself (every answer repeats them, and they would drown what the room adds).
The projection polls every few seconds: each text is parsed once per process (per-text cache)
and each set of visible cards is counted once (per-set cache), so polling never reruns spaCy.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import zlib
from collections import Counter, OrderedDict
from collections.abc import Hashable, Iterable

from analysis.pipeline import get_nlp

MAX_WORDS = 36
WEIGHTS = 6  # CSS classes w1..w6, smallest to largest
RANK_CAPS = (6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3)
TONES = 6  # CSS classes t0..t5: colours, stable per word
MIN_LENGTH = 3
CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV", "PROPN"}
# Verbs that carry grammar more than meaning in children's Spanish; spaCy lists some of their
# forms as stop words but not always the lemma (it lists "queremos", not "querer").
LIGHT_VERBS = {
    "haber", "ser", "estar", "tener", "hacer", "poder", "querer", "ir", "decir", "dar", "deber",
    "saber", "poner", "parecer", "quedar", "pasar", "llegar", "volver", "dejar", "seguir",
    "venir", "creer", "gustar", "encantar",
}  # fmt: skip
PLACEHOLDER = re.compile(r"\[[A-ZÁÉÍÓÚÑ_]+\]")
# Spanish words end in a vowel or one of these; a lemma that does not ("tristes" -> "trist") is a
# slip of the small model's lemmatizer.
WORD_ENDINGS = set("aeiouáéíóúlnrsdzjxy")
LAUGHTER = re.compile(r"^(?:[jh][aeiou]){2,}[jh]?$|^(?:js)+j?$|^x+d+$")


class _Lru:
    """A small thread-safe LRU map: the app serves requests from several threads."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: Hashable, value) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_texts = _Lru(4000)
_clouds = _Lru(128)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stop_words() -> set[str]:
    return get_nlp().Defaults.stop_words


def _keep(token, stop: set[str]) -> str | None:
    lemma = _lemma(token)
    if token.is_stop or not token.is_alpha or token.like_num or token.pos_ not in CONTENT_POS:
        return None
    # The small model tags many lower-case nouns PROPN; a capitalised one may be a name the
    # redaction missed, and a name must never reach the room's screen.
    if token.pos_ == "PROPN" and not token.text.islower():
        return None
    if len(lemma) < MIN_LENGTH or lemma in stop or lemma in LIGHT_VERBS:
        return None
    if LAUGHTER.match(token.text.lower()) or LAUGHTER.match(lemma):
        return None
    return lemma


def _lemma(token) -> str:
    lemma = token.lemma_.lower().strip()
    if lemma and lemma[-1] in WORD_ENDINGS:
        return lemma
    text = token.text.lower()
    if "Plur" in token.morph.get("Number") and text.endswith("s"):
        return text[:-1]
    return text


def lemmas_of(texts: Iterable[str]) -> list[list[str]]:
    """Content lemmas of each text, in order; each distinct text is parsed once per process."""
    texts = list(texts)
    found: dict[str, list[str]] = {}
    missing: list[str] = []
    for text in texts:
        key = _digest(text)
        cached = _texts.get(key)
        if cached is None:
            missing.append(text)
        else:
            found[key] = cached
    if missing:
        stop = _stop_words()
        cleaned = (PLACEHOLDER.sub(" ", text) for text in missing)
        for text, doc in zip(missing, get_nlp().pipe(cleaned), strict=True):
            lemmas = [lemma for token in doc if (lemma := _keep(token, stop))]
            _texts.put(_digest(text), lemmas)
            found[_digest(text)] = lemmas
    return [found[_digest(text)] for text in texts]


def cloud(key: Hashable, texts: list[str], question: str = "") -> list[dict]:
    """Words to draw, largest in the middle: ``{"word", "weight" 1..6, "tone" 0..5}``.

    ``key`` names the set of texts (the caller's encounter, question and visible cards); a
    repeated key is answered from the cache.
    """
    cached = _clouds.get(key)
    if cached is not None:
        return cached
    counts: Counter[str] = Counter()
    for lemmas in lemmas_of(texts):
        counts.update(set(lemmas))  # how many answers say it, not how many times
    for lemma in lemmas_of([question])[0] if question else []:
        counts.pop(lemma, None)
    result = _layout(counts)
    _clouds.put(key, result)
    return result


def _layout(counts: Counter[str]) -> list[dict]:
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_WORDS]
    if not top:
        return []
    high, low = top[0][1], top[-1][1]
    # Few words are drawn bigger; a word said a little more often stands out without dwarfing
    # the rest, and words said equally often are drawn alike.
    base = 3 if len(top) <= 20 else 2 if len(top) <= 30 else 1
    peak = min(WEIGHTS, base + 2 * (high - low))
    words = []
    for rank, (word, count) in enumerate(top):
        share = math.sqrt((count - low) / (high - low)) if high > low else 0.0
        # Rank caps keep a hierarchy: one word at the top size, a couple below it, and so on.
        cap = RANK_CAPS[rank] if rank < len(RANK_CAPS) else base
        weight = max(1, min(base + round((peak - base) * share), cap))
        tone = zlib.crc32(word.encode("utf-8")) % TONES
        words.append({"word": word, "weight": weight, "tone": tone, "count": count})
    # Centre-out: the most said word in the middle, the rest alternating to either side.
    arranged: list[dict] = []
    for index, item in enumerate(words):
        if index % 2:
            arranged.insert(0, item)
        else:
            arranged.append(item)
    return arranged


def clear_caches() -> None:
    _texts.clear()
    _clouds.clear()
