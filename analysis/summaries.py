"""Thematic summaries for analysts, safe to publish: no count below k is ever shown broken down.

Input: records as written by ``python -m analysis tag`` (``text``, ``lines``, ``themes``,
``evidence``, ``confidence``; optional ``population``, ``territory``, ``kind``). Records are
consumed one at a time; only counters, a bounded pool of quote candidates per line and the
term frequencies are kept.

Output (one JSON document; every count is an integer or ``null`` when suppressed)::

    {"schema": "consulta.summary/1", "k": 5, "codebook_version": "...",
     "texts": {"total": n, "with_lines": n, "without_lines": n},
     "by_line": {"E1": n, ... all nine lines},
     "by_theme": {theme_id: n}, "by_population": {population: n},
     "by_territory": {territory: n}, "by_kind": {kind: n},
     "population_by_line": {population: {line: n}},
     "territory_by_line": {territory: {line: n}},
     "line_cooccurrence": {line: {line: n}},   # texts coded to both; diagonal = by_line
     "quotes": {line: [redacted text, ...]},   # only for lines whose count is shown
     "emerging_terms": [{"term": str, "type": "lemma"|"noun_phrase", "texts": n}],
     "suppressed": {"primary": n, "complementary": n}}

Records without population, territory or kind count under ``"sin_dato"``. Suppression: every
cell below k (zeros included) is primary-suppressed; then, for every published sum (the total
over populations, territories, kinds; each line's total over populations and over territories;
texts with and without lines), no single cell may be hidden alone, otherwise it could be
subtracted back from the total, so the smallest other cell of that sum is hidden too, until no
sum has exactly one hidden member. Quotes are redacted, never from texts flagged as alerts, and
diverse (maximal marginal relevance over word-set Jaccard). Emerging terms come from texts that
the codebook coded to no line (no theme, or only "no content" themes), must occur in at least k
texts, exclude stop words, proper nouns, numbers, placeholders and redacted spans, and are
dropped if the codebook alone already tags them.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter

from analysis import LINES, pipeline
from analysis.normalize import fold

MISSING = "sin_dato"
POOL = 40  # quote candidates kept per line
NEAR_DUPLICATE = 0.5  # Jaccard at or above which two quotes count as the same
MMR_LAMBDA = 0.7
MAX_TERMS = 25
CONTENT_POS = {"NOUN", "VERB", "ADJ"}
FUNCTION_POS = {"DET", "ADP", "PRON", "NUM", "CCONJ", "SCONJ", "PUNCT"}
GENERIC = {"querer", "deber", "pasar", "creer", "gustar", "cosa", "parecer", "pensar", "mismo"}
WORD_RE = re.compile(r"\w{3,}")


def check_record(record: dict) -> None:
    """Reject records that were not written by ``tag``; messages are for the user."""
    lines = record.get("lines")
    if not isinstance(lines, list) or not all(line in LINES for line in lines):
        raise ValueError("'lines' debe ser una lista de líneas (E1…T5); use la salida de `tag`")
    themes = record.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise ValueError("'themes' debe ser una lista de identificadores de tema")
    for field in ("population", "territory", "kind"):
        if record.get(field) is not None and not isinstance(record[field], str):
            raise ValueError(f"'{field}' debe ser una cadena de texto")


def _words(text: str) -> frozenset[str]:
    return frozenset(WORD_RE.findall(fold(text)))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class Summarizer:
    def __init__(self, k: int = 5, quotes: int = 3, codebook=None):
        self.k, self.n_quotes = k, quotes
        self._codebook = codebook
        self._lines_of: dict[str, tuple[str, ...]] | None = None
        self.counts: Counter = Counter()
        self.categories: dict[str, set[str]] = {"population": set(), "territory": set()}
        self.categories["kind"] = set()
        self.pools: dict[str, list] = {line: [] for line in LINES}
        self.seen = 0
        self.pending: list[str] = []
        self.term_df: Counter = Counter()

    @property
    def codebook(self):
        if self._codebook is None:
            from analysis.tagger import load_codebook

            self._codebook = load_codebook()
        return self._codebook

    @property
    def _theme_lines(self) -> dict[str, tuple[str, ...]]:
        if self._lines_of is None:
            self._lines_of = {t.id: tuple(t.lines) for t in self.codebook.themes}
        return self._lines_of

    def add(self, record: dict) -> None:
        c = self.counts
        lines = sorted(set(record["lines"]))
        c["total",] += 1
        c["with_lines" if lines else "without_lines",] += 1
        groups = {}
        for field in ("population", "territory", "kind"):
            value = (record.get(field) or "").strip() or MISSING
            self.categories[field].add(value)
            groups[field] = value
            c[field, value] += 1
        for theme in dict.fromkeys(record.get("themes", [])):
            c["theme", theme] += 1
        for i, line in enumerate(lines):
            c["line", line] += 1
            c["population_line", groups["population"], line] += 1
            c["territory_line", groups["territory"], line] += 1
            for other in lines[i + 1 :]:
                c["cooc", line, other] += 1
            if not record.get("alert"):
                self._offer_quote(record, line)
        if not lines and record["text"].strip():  # no content theme: "no_content" yields none
            self.pending.append(record["text"])
            if len(self.pending) >= pipeline.BATCH_SIZE:
                self._count_terms()

    # -- quotes --------------------------------------------------------------------------
    def _offer_quote(self, record: dict, line: str) -> None:
        text = record["text"].strip()
        if not text:
            return
        evidence = [e for e in record.get("evidence") or [] if isinstance(e, dict)]
        support = sum(1 for e in evidence if line in self._theme_lines.get(e.get("theme"), ()))
        confidence = (record.get("confidence") or {}).get(line, 0.5)
        confidence = confidence if isinstance(confidence, int | float) else 0.5
        length = len(text)
        length_score = 1.0 if 40 <= length <= 280 else 0.5 if length < 600 else 0.1
        score = 0.5 * confidence + 0.35 * min(support, 3) / 3 + 0.15 * length_score
        self.seen += 1
        pool = self.pools[line]
        entry = (score, -self.seen, text)
        if len(pool) < POOL:
            heapq.heappush(pool, entry)
        elif entry > pool[0]:
            heapq.heapreplace(pool, entry)

    def _quotes(self, line: str) -> list[str]:
        from analysis.redaction import redact

        candidates, seen = [], set()
        for score, _, text in sorted(self.pools[line], reverse=True):
            words = _words(text)
            if words not in seen:
                seen.add(words)
                candidates.append((score, words, text))
        chosen: list[tuple[frozenset, str]] = []
        while candidates and len(chosen) < self.n_quotes:
            best, best_value = None, None
            for i, (score, words, _) in enumerate(candidates):
                similarity = max((jaccard(words, w) for w, _ in chosen), default=0.0)
                if similarity >= NEAR_DUPLICATE:
                    continue
                value = MMR_LAMBDA * score - (1 - MMR_LAMBDA) * similarity
                if best_value is None or value > best_value:
                    best, best_value = i, value
            if best is None:
                break
            _, words, text = candidates.pop(best)
            chosen.append((words, text))
        return [redact(text).text for _, text in chosen]

    # -- emerging terms ------------------------------------------------------------------
    def _count_terms(self) -> None:
        from analysis.redaction import redact_doc

        texts, self.pending = self.pending, []
        for doc in pipeline.parse_many(texts):
            redaction = redact_doc(doc)

            def clean(token, redaction=redaction) -> bool:
                if token.is_stop or not token.is_alpha or len(token.text) < 3 or token.is_upper:
                    return False
                if token.pos_ == "PROPN" or token.ent_type_ == "PER":
                    return False
                return redaction.map_span(token.idx, token.idx + len(token.text)) is not None

            terms = set()
            for token in doc:
                lemma = fold(token.lemma_ or token.text)
                if token.pos_ in CONTENT_POS and lemma not in GENERIC and clean(token):
                    terms.add((lemma, "lemma"))
            for chunk in doc.noun_chunks:
                words = list(chunk)
                while words and (words[0].pos_ in FUNCTION_POS or words[0].is_stop):
                    words.pop(0)
                while words and (words[-1].pos_ in FUNCTION_POS or words[-1].is_stop):
                    words.pop()
                content = [t for t in words if t.pos_ not in FUNCTION_POS]
                if len(content) >= 2 and all(clean(t) for t in content):
                    terms.add((" ".join(t.lower_ for t in words), "noun_phrase"))
            self.term_df.update(terms)

    def _emerging_terms(self) -> list[dict]:
        if self.pending:
            self._count_terms()
        frequent = [(term, kind, n) for (term, kind), n in self.term_df.items() if n >= self.k]
        frequent.sort(key=lambda item: (-item[2], item[0]))
        if not frequent:
            return []
        from analysis.tagger import tag_doc

        docs = pipeline.parse_many(term for term, _, _ in frequent[: MAX_TERMS * 3])
        out = []
        for (term, kind, n), doc in zip(frequent, docs, strict=False):
            if not tag_doc(doc, self.codebook).lines:
                out.append({"term": term, "type": kind, "texts": n})
            if len(out) == MAX_TERMS:
                break
        return out

    # -- result --------------------------------------------------------------------------
    def result(self) -> dict:
        from analysis.suppression import Table

        c, cats = self.counts, self.categories
        table = Table(self.k)
        for key in (("total",), ("with_lines",), ("without_lines",)):
            table.add(key, c[key], primary=key != ("total",))
        table.add_sum(("total",), [("with_lines",), ("without_lines",)])
        for field in ("population", "territory", "kind"):
            for value in cats[field]:
                table.add((field, value), c[field, value])
            table.add_sum(("total",), [(field, value) for value in cats[field]])
        for line in LINES:
            table.add(("line", line), c["line", line])
            for field, prefix in (
                ("population", "population_line"),
                ("territory", "territory_line"),
            ):
                parts = [(prefix, value, line) for value in cats[field]]
                for key in parts:
                    table.add(key, c[key])
                table.add_sum(("line", line), parts)
            for other in LINES:
                if line < other:
                    table.add(("cooc", line, other), c["cooc", line, other])
        themes = sorted(key[1] for key in c if key[0] == "theme")
        for theme in themes:
            table.add(("theme", theme), c["theme", theme])
        table.suppress()

        def cell(*key):
            return table.value(key)

        def cooc(a, b):
            return cell("line", a) if a == b else cell("cooc", *sorted((a, b)))

        def by(field):
            return {v: cell(field, v) for v in sorted(cats[field])}

        def cross(field, prefix):
            return {v: {ln: cell(prefix, v, ln) for ln in LINES} for v in sorted(cats[field])}

        shown_lines = [line for line in LINES if cell("line", line) is not None]
        return {
            "schema": "consulta.summary/1",
            "k": self.k,
            "codebook_version": str(self.codebook.version) if c["total",] else None,
            "texts": {k: cell(k) for k in ("total", "with_lines", "without_lines")},
            "by_line": {line: cell("line", line) for line in LINES},
            "by_theme": {theme: cell("theme", theme) for theme in themes},
            "by_population": by("population"),
            "by_territory": by("territory"),
            "by_kind": by("kind"),
            "population_by_line": cross("population", "population_line"),
            "territory_by_line": cross("territory", "territory_line"),
            "line_cooccurrence": {a: {b: cooc(a, b) for b in LINES} for a in LINES},
            "quotes": {line: self._quotes(line) for line in shown_lines},
            "emerging_terms": self._emerging_terms(),
            "suppressed": table.stats(),
        }


def summarize(records, k: int = 5, quotes: int = 3, codebook=None) -> dict:
    summary = Summarizer(k=k, quotes=quotes, codebook=codebook)
    for record in records:
        check_record(record)
        summary.add(record)
    return summary.result()
