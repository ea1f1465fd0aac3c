"""Writes of the devolución: the admins' texts per line, stored all together or not at all."""

from __future__ import annotations

from analysis import LINES

from ..extensions import db
from ..models import LineResponse, User

# The form's sub-fields per line are named like the columns.
FIELDS = ("text_es", "text_en", "children_text_es", "children_text_en", "next_update")


def _clean(value):
    if isinstance(value, str):
        return value.strip()
    return value


def save_line_responses(consultation_id: int, data: dict[str, dict], user: User | None) -> int:
    """Upserts the lines whose values changed; returns how many changed. Empty lines that never
    had a row get none, so "no answer yet" stays distinguishable from an answer."""
    rows = {
        row.line: row
        for row in db.session.scalars(
            db.select(LineResponse).filter_by(consultation_id=consultation_id)
        )
    }
    changed = 0
    for line in LINES:
        values = {name: _clean(data.get(line, {}).get(name)) for name in FIELDS}
        values["text_es"] = values["text_es"] or ""
        values["children_text_es"] = values["children_text_es"] or ""
        values["text_en"] = values["text_en"] or None
        values["children_text_en"] = values["children_text_en"] or None
        row = rows.get(line)
        if row is None:
            if not any(values.values()):
                continue
            row = LineResponse(consultation_id=consultation_id, line=line)
            db.session.add(row)
        elif all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by_id = user.id if user is not None else None
        changed += 1
    db.session.commit()
    return changed
