#!/usr/bin/env bash
# Translation pipeline: extract -> update es and en -> Spanish source fills itself -> compile.
#
# Spanish (es) is the source language, so every es msgstr equals its msgid; English entries that
# are new show up empty and are listed at the end for a translator. Safe to run any number of
# times: with no new strings in the code it changes no committed file.
#
# Usage: scripts/i18n.sh            (run from anywhere; uses the project's .venv)
#        scripts/i18n.sh --check    (same, then exit 1 if any English entry is empty or fuzzy)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-.venv/bin/python}"
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
DIR=consulta/translations
POT="$DIR/messages.pot"
LOCALES=(es en)
CHECK=0
[[ "${1:-}" == "--check" ]] && CHECK=1

mkdir -p "$DIR"
# Several engineers may run this at once in one tree: one run at a time, so no entry is lost.
exec 9>"$DIR/.i18n.lock"
flock 9
fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT

# 1. Extract. babel.cfg holds the file patterns, extra keywords (_l, lazy_gettext...) and comment tag.
"$PYBABEL" -q extract -F babel.cfg --project=Consulta --copyright-holder="Consulta" \
    --sort-by-file -o "$fresh" .

# Keep the committed template when only its creation date would change (idempotent runs).
same_but_date() {
    [[ -f "$POT" ]] && diff -q <(grep -v '^"POT-Creation-Date:' "$POT") \
        <(grep -v '^"POT-Creation-Date:' "$fresh") >/dev/null
}
if ! same_but_date; then
    cp "$fresh" "$POT"
fi

# 2. Update both catalogues: no fuzzy guesses from similar strings, no obsolete (#~) entries.
for locale in "${LOCALES[@]}"; do
    "$PYBABEL" -q update -i "$POT" -d "$DIR" -l "$locale" --init-missing \
        --no-fuzzy-matching --ignore-obsolete
done

# 3. Spanish is the source: fill empty es entries with their msgid; clear the header fuzzy flag.
"$PY" - "$DIR" <<'PYEOF'
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

base = Path(sys.argv[1])


def load(locale):
    path = base / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return path, read_po(handle, locale=locale)


def save(path, catalog):
    path_tmp = path.with_suffix(".po.tmp")
    with path_tmp.open("wb") as handle:
        write_po(handle, catalog, width=76, sort_by_file=True)
    if path_tmp.read_bytes() != path.read_bytes():
        path_tmp.replace(path)
    else:
        path_tmp.unlink()


def empty(message):
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return any(not s for s in strings)


for locale in ("es", "en"):
    path, catalog = load(locale)
    catalog.fuzzy = False  # header flag set by `pybabel init`: compile would skip the catalogue
    if locale == "es":
        for message in catalog:
            if not message.id:
                continue
            if empty(message) or message.fuzzy:
                if isinstance(message.id, (list, tuple)):
                    forms = catalog.num_plurals
                    message.string = tuple([message.id[0]] + [message.id[1]] * (forms - 1))
                else:
                    message.string = message.id
                message.flags.discard("fuzzy")
    save(path, catalog)
PYEOF

# 4. Compile (.mo files are git-ignored; `make setup` runs the same command).
# A failure (e.g. a translation with a placeholder the code never passes) is reported after step 5.
compiled=0
"$PYBABEL" compile -d "$DIR" --statistics || compiled=$?

# 5. Report what a translator still has to do.
"$PY" - "$DIR" "$CHECK" <<'PYEOF'
import sys
from pathlib import Path

from babel.messages.pofile import read_po

base, check = Path(sys.argv[1]), sys.argv[2] == "1"
pending = 0
for locale in ("es", "en"):
    with (base / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    messages = [m for m in catalog if m.id]
    todo = [
        m
        for m in messages
        if m.fuzzy
        or any(not s for s in (m.string if isinstance(m.string, (list, tuple)) else [m.string]))
    ]
    pending += len(todo)
    print(f"{locale}: {len(messages)} messages, {len(todo)} empty or fuzzy")
    for m in todo:
        msgid = m.id[0] if isinstance(m.id, (list, tuple)) else m.id
        print(f"  needs translation: {msgid!r}")
if check and pending:
    sys.exit(1)
PYEOF
if (( compiled != 0 )); then
    echo "pybabel compile failed: see the errors above" >&2
    exit "$compiled"
fi
