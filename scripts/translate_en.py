"""Fill English translations from a JSON file of {"msgid in Spanish": "English"}.

Usage: .venv/bin/python scripts/translate_en.py my_strings.json
Takes the same lock as scripts/i18n.sh, so parallel runs never lose each other's entries.
Run scripts/i18n.sh first (so the msgids exist), then this, then scripts/i18n.sh again to compile.
"""

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "consulta" / "translations"


def main(source: str) -> int:
    wanted = json.loads(Path(source).read_text(encoding="utf-8"))
    with open(DIR / ".i18n.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = DIR / "en" / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="en")
        filled, missing = 0, []
        for msgid, english in wanted.items():
            message = catalog.get(msgid)
            if message is None:
                missing.append(msgid)
                continue
            message.string = english
            message.flags.discard("fuzzy")
            filled += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=76, sort_by_file=True)
    print(f"filled {filled}; not in the catalogue (run scripts/i18n.sh first): {len(missing)}")
    for msgid in missing:
        print("  missing:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
