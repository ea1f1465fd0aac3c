"""Last resort for a tablet that cannot reach the server: its waiting answers, exported to a file
on the tablet, are imported on the facilitator's session page through the same service that the
tablet API uses. The tablet's ids travel with the answers, so nothing is ever stored twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..models import Encounter
from . import submissions

FORMAT = "consulta-outbox"


@dataclass
class ImportSummary:
    stored: int = 0
    already: int = 0
    refused: int = 0
    other_session: int = 0


class ImportFileError(ValueError):
    """The file is not a tablet export."""


def read_export(raw: bytes) -> list[dict]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ImportFileError("not json") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError("not an export")
    items = data.get("submissions")
    if not isinstance(items, list):
        raise ImportFileError("no submissions")
    return [item for item in items if isinstance(item, dict)]


def import_submissions(encounter: Encounter, items: list[dict]) -> ImportSummary:
    """Each answer set goes through submissions.receive; answers of other sessions are skipped."""
    summary = ImportSummary()
    for item in items:
        if str(item.get("code", "")).upper() != encounter.code:
            summary.other_session += 1
            continue
        try:
            accepted = submissions.receive(encounter, item.get("submission"))
        except submissions.Rejection:
            summary.refused += 1
            continue
        if accepted.created:
            summary.stored += 1
        else:
            summary.already += 1
    return summary
