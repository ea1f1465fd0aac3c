"""Both catalogues cover every message in the code, and the app really serves them.

Spanish is the source language; English must be complete. Messages are extracted here with
babel's own API and babel.cfg (the file scripts/i18n.sh uses), so a string added to the code
without re-running the pipeline and translating it fails this test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from consulta import create_app

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "consulta" / "translations"
LOCALES = ("es", "en")

# %(name)s / %(n)d, bare %s / %d, and {name} filled in by the kiosk script; "%%" is a literal.
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"(?<!%)%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _extracted() -> dict[tuple[str, str | None], tuple[str, int]]:
    """Every message in the source, keyed like a catalogue (msgid, context) -> first location."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    tops = {pattern.split("/", 1)[0] for pattern, _method in method_map}

    def only_mapped_trees(dirpath: str) -> bool:
        relative = Path(dirpath).relative_to(ROOT).parts
        hidden = any(part.startswith((".", "_")) for part in relative)
        return not hidden and (not relative or relative[0] in tops)

    found: dict[tuple[str, str | None], tuple[str, int]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, directory_filter=only_mapped_trees
    ):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        if msgid:
            found.setdefault((msgid, context), (filename, lineno))
    return found


def _catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _placeholders(text: str) -> tuple[set[str], Counter, Counter]:
    return (
        set(NAMED.findall(text)),
        Counter(POSITIONAL.findall(text)),
        Counter(BRACES.findall(text)),
    )


@pytest.fixture(scope="module")
def compiled() -> None:
    """Compile like `make setup` does when a .mo file is missing or older than its .po."""
    stale = False
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        stale = stale or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
    if stale:
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(TRANSLATIONS)],
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="module")
def client(compiled):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client()


def test_source_has_messages_to_check():
    # Guards the other tests against an extraction that silently finds nothing.
    assert len(_extracted()) > 50


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_message_is_in_the_catalogue(locale):
    catalog = _catalog(locale)
    missing = [
        f"{where[0]}:{where[1]}: {msgid!r}"
        for (msgid, context), where in sorted(_extracted().items(), key=lambda kv: kv[1])
        if catalog.get(msgid, context=context) is None
    ]
    assert not missing, f"run scripts/i18n.sh and translate ({locale}):\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_empty_or_fuzzy(locale):
    catalog = _catalog(locale)
    problems = [
        f"{'fuzzy' if message.fuzzy else 'empty'}: {_forms(message.id)[0]!r}"
        for message in catalog
        if message.id and (message.fuzzy or not all(_forms(message.string)))
    ]
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match_the_source(locale):
    catalog = _catalog(locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        for index, translated in enumerate(strings):
            source = ids[0] if index == 0 else ids[-1]
            if translated and _placeholders(translated) != _placeholders(source):
                problems.append(f"{source!r} -> {translated!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


class _AnyValue(dict):
    """Stands in for any template variable: 1 formats as %s, %d and %f alike."""

    def __missing__(self, key):
        return 1


def test_template_messages_survive_jinja_formatting():
    # Jinja's new-style gettext always applies "%" to the message, so a bare "%" (e.g. "100 %" or
    # "% de los textos") breaks the page in every language: it must be written "%%".
    templates = {key: where for key, where in _extracted().items() if where[0].endswith(".html")}
    problems = set()
    for locale in LOCALES:
        for message in _catalog(locale):
            where = templates.get((_forms(message.id)[0], message.context)) if message.id else None
            if where is None:
                continue
            for text in _forms(message.id) + [s for s in _forms(message.string) if s]:
                try:
                    text % _AnyValue()
                except (TypeError, ValueError, KeyError) as error:
                    problems.add(f"{locale} {where[0]}:{where[1]}: {text!r}: {error}")
    assert not problems, "write %% for a literal percent sign:\n" + "\n".join(sorted(problems))


def test_english_differs_from_spanish_where_it_should():
    # An "English" catalogue that copies the Spanish would pass the emptiness check.
    english = _catalog("en")
    copied = [m.id for m in english if m.id and isinstance(m.id, str) and m.string == m.id]
    assert len(copied) < len(english) * 0.1, copied


def _translation(msgid: str) -> str:
    message = _catalog("en").get(msgid)
    assert message is not None and message.string and message.string != msgid
    return message.string


def test_login_page_in_english_and_in_spanish(client):
    heading, password = _translation("Ingreso del equipo"), _translation("Contraseña")

    english = client.get("/login?lang=en").get_data(as_text=True)
    assert heading in english
    assert password in english  # lazy_gettext form label
    assert "Ingreso del equipo" not in english
    assert '<html lang="en"' in english

    spanish = client.get("/login?lang=es").get_data(as_text=True)
    assert "Ingreso del equipo" in spanish
    assert "Contraseña" in spanish
    assert heading not in spanish


def test_spanish_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Ingreso del equipo" in page
    assert _translation("Ingreso del equipo") not in page


def test_participant_page_in_english(client):
    page = client.get("/k?lang=en").get_data(as_text=True)
    assert _translation("Escribe el código") in page
    assert "Escribe el código" not in page
