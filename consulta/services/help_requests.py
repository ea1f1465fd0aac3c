"""Help requests from a kiosk: stored once per tablet-chosen id, never refused for a closed session.

A child who asks for help must be heard even if the facilitator has just closed the session, so a
closed session still records the request.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Encounter, HelpRequest
from . import alerts
from .submissions import Rejection


def _request_id(payload: object) -> str:
    raw = payload.get("id") if isinstance(payload, dict) else None
    try:
        return str(uuid.UUID(str(raw))) if isinstance(raw, str) else ""
    except ValueError:
        return ""


def record(encounter: Encounter, payload: object) -> tuple[str, bool]:
    """Returns (id, created); created is False when that id was already stored."""
    request_id = _request_id(payload)
    if not request_id:
        raise Rejection(
            422, _("La solicitud no es válida."), fields=[{"field": "id", "error": "uuid"}]
        )
    existing = db.session.get(HelpRequest, request_id)
    if existing is not None:
        if existing.encounter_id != encounter.id:
            raise Rejection(409, _("Ese identificador ya se usó."), reason="conflict")
        return request_id, False
    minute = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)
    db.session.add(HelpRequest(id=request_id, encounter_id=encounter.id, created_at=minute))
    alerts.raise_for_help(encounter, alerts.clean_tablet_label(payload.get("tablet")))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same request arrived twice at once
        return request_id, False
    return request_id, True


def for_encounter(encounter: Encounter) -> list[HelpRequest]:
    """Newest first."""
    return list(
        db.session.scalars(
            db.select(HelpRequest)
            .filter_by(encounter_id=encounter.id)
            .order_by(HelpRequest.created_at.desc())
        )
    )
