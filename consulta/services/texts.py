"""Free text hygiene before storage: control characters out, personal data redacted."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline; PostgreSQL refuses NUL and nobody means to type them.
# Lone surrogates (JSON allows "\ud800") are not characters and cannot be encoded to store.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
