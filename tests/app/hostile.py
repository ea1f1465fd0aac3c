"""Shared pieces of the hostile-input tests: strategies, table snapshots, translation checks.

The strings are what a broken tablet, a curious teenager or an attacker can send: emoji
sequences, zero-width joiners, right-to-left overrides, NUL bytes, lone surrogates (JSON allows
``"\\ud800"``), stacked combining marks, SQL and template fragments, and very long runs.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import text

from consulta.extensions import db, limiter

# Moderate example counts: the same tests run on SQLite and on PostgreSQL.
HOSTILE = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Staff forms: one test per form, each example renders a staff page.
FORMS_SETTINGS = settings(HOSTILE, max_examples=15)

# Every table a tablet can write to: a refused request must leave all of them as they were.
PARTICIPANT_TABLES = (
    "submission",
    "answer",
    "idea",
    "idea_support",
    "safeguarding_alert",
    "help_request",
)

SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
SNIPPETS = [
    "👩‍👧‍👦",  # family: emoji joined by ZWJ
    "🏳️‍🌈",
    "\u200d",  # zero-width joiner
    "\u200b",  # zero-width space
    "\u200c",
    "\ufeff",  # BOM inside the text
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",  # left-to-right isolate
    "مرحبا",
    "שלום",
    "\x00",
    "\x00\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\x7f",
    "\u0085",
    "e\u0301\u0301\u0301\u0301\u0301",  # stacked combining marks
    "Z\u0351\u0308\u0327\u036b",
    "\ufdfd",
    "\U0001d573",
    "\U0010ffff",
    "\uffff",
    "İ",
    "ß",
    "ǅ",
    "'; DROP TABLE answer; --",
    '" OR 1=1 --',
    "\\'); DELETE FROM submission; --",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%s%n%(x)s",
    "\\",
    '"',
    "../../etc/passwd",
    *SURROGATES,
]

hostile_text = st.one_of(
    st.text(st.characters() | st.sampled_from(SURROGATES), max_size=40),
    st.lists(st.sampled_from(SNIPPETS) | st.text(max_size=4), max_size=10).map("".join),
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | hostile_text
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(hostile_text, children, max_size=5)
    ),
    max_leaves=20,
)


def contains_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(contains_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(contains_surrogate(k) or contains_surrogate(v) for k, v in value.items())
    return False


def reset_limits() -> None:
    """Examples are many requests in a few seconds: throttling is tested on its own."""
    limiter.reset()


def counts(app, tables=PARTICIPANT_TABLES) -> dict[str, int]:
    with app.app_context():
        result = {t: db.session.scalar(text(f"SELECT COUNT(*) FROM {t}")) for t in tables}
        db.session.remove()
        return result


def snapshot(app, skip: tuple[str, ...] = ()) -> str:
    """A digest of every row of every table: equal digests mean nothing was written."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = db.session.execute(table.select()).all()
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(table.name.encode() + row.encode("utf-8", "surrogatepass"))
        db.session.remove()
    return digest.hexdigest()


def missing_tables(app) -> set[str]:
    """Tables of the models that the database no longer has (an injection dropped one)."""
    with app.app_context():
        names = set(db.inspect(db.engine).get_table_names())
        db.session.remove()
    return {t.name for t in db.metadata.sorted_tables} - names


# --- translated messages -------------------------------------------------------------------

CATALOGUE = Path(__file__).resolve().parents[2] / "consulta/translations/en/LC_MESSAGES/messages.po"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _pattern(message: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(message.replace("%%", "%"))
    return re.compile("(?s)" + ".+?".join(re.escape(p) for p in parts))


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, list[re.Pattern]]:
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    es, en = [], []
    for message in catalog:
        if not message.id or isinstance(message.id, (list, tuple)) or not message.string:
            continue
        es.append(_pattern(message.id))
        en.append(_pattern(message.string))
    return {"es": es, "en": en}


def is_translated(message: str, lang: str) -> bool:
    """The message is one of the catalogue's texts in ``lang`` (placeholders filled in)."""
    return isinstance(message, str) and any(
        p.fullmatch(message.strip()) for p in _catalogue()[lang]
    )


LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "Error:")


def assert_clean_error(response, lang: str = "es") -> dict:
    """A refusal is JSON with a translated message and nothing of the server's insides."""
    body = response.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in body, (response.status_code, body[:300])
    data = response.get_json(silent=True)
    assert isinstance(data, dict) and "error" in data, (response.status_code, body[:300])
    assert is_translated(data["error"], lang), (lang, data["error"])
    for problem in data.get("fields") or []:
        message = problem.get("message")
        if message is not None:
            assert is_translated(message, lang), (lang, message)
    return data
