"""What happens after a safeguarding alert is raised: who sees it, what was done, how long it lasts.

The facilitator of the session (and the safeguarding lead) see an open alert until someone records
what was done. The note is redacted before storage, like every free text: a facilitator under
stress may type the child's name. After ``ALERT_DETAIL_DAYS`` the details go and only a row that
counts remains; analysts only ever see those counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from analysis.signals import REASONS

from .. import care_route
from ..extensions import db
from ..models import Alert, Encounter, User
from ..timeutil import BOGOTA
from .texts import clean_text

NOTE_MAX = 1000


@dataclass
class HandleError(Exception):
    """Form errors by field ("route_activated", "routes", "note", "alert"); nothing was saved."""

    errors: dict[str, str] = field(default_factory=dict)


def route() -> care_route.CareRoute:
    return care_route.load(current_app.config.get("CARE_ROUTE_FILE"))


def reason_labels(alert: Alert, lang: str) -> list[str]:
    """The signals' reasons in the staff's language; a help button has none (its source says it)."""
    return [REASONS[c].get(lang) or REASONS[c]["es"] for c in alert.reasons or [] if c in REASONS]


def local_time(alert: Alert) -> str:
    """HH:MM in Medellín; a purged alert keeps only its day, so it has no time."""
    if alert.purged_at is not None:
        return ""
    return alert.raised_at.replace(tzinfo=UTC).astimezone(BOGOTA).strftime("%H:%M")


def local_date(alert: Alert) -> str:
    raised = alert.raised_at.replace(tzinfo=UTC)
    if alert.purged_at is None:
        raised = raised.astimezone(BOGOTA)
    return raised.date().isoformat()


def as_json(alert: Alert, lang: str) -> dict:
    """What the facilitator's page needs to show an alert: never a text, never a submission."""
    return {
        "id": alert.id,
        "source": alert.source,
        "tablet": alert.tablet_label or "",
        "time": local_time(alert),
        "reasons": reason_labels(alert, lang),
    }


def open_for_encounter(encounter: Encounter) -> list[Alert]:
    """Oldest first: the child who has waited longest comes first."""
    return list(
        db.session.scalars(
            db.select(Alert)
            .filter_by(encounter_id=encounter.id, status="open")
            .where(Alert.purged_at.is_(None))
            .order_by(Alert.raised_at, Alert.id)
        )
    )


def handled_for_encounter(encounter: Encounter) -> list[Alert]:
    return list(
        db.session.scalars(
            db.select(Alert)
            .filter_by(encounter_id=encounter.id, status="handled")
            .where(Alert.purged_at.is_(None))
            .order_by(Alert.handled_at.desc(), Alert.id.desc())
        )
    )


def open_counts(encounter_ids: list[int]) -> dict[int, int]:
    """Open alerts per session, for the facilitator's list of sessions."""
    if not encounter_ids:
        return {}
    rows = db.session.execute(
        db.select(Alert.encounter_id, func.count(Alert.id))
        .where(Alert.encounter_id.in_(encounter_ids), Alert.status == "open")
        .where(Alert.purged_at.is_(None))
        .group_by(Alert.encounter_id)
    )
    return {encounter_id: int(n) for encounter_id, n in rows}


def for_leads(status: str) -> list[Alert]:
    """Every session's alerts with details, for the safeguarding lead (open: oldest first)."""
    query = db.select(Alert).filter_by(status=status).where(Alert.purged_at.is_(None))
    if status == "open":
        query = query.order_by(Alert.raised_at, Alert.id)
    else:
        query = query.order_by(Alert.handled_at.desc(), Alert.id.desc())
    return list(db.session.scalars(query.limit(500)))


def _redact(note: str) -> str:
    from analysis.redaction import redact

    return redact(note).text


def handle(alert: Alert, route_activated: bool | None, routes: list[str], note: str, user: User):
    """Records what was done. Raises HandleError (and changes nothing) when the form is not right:
    a route activated needs at least one known route; a route not activated needs the reason."""
    errors: dict[str, str] = {}
    if alert.status != "open" or alert.purged_at is not None:
        raise HandleError({"alert": _("Esta alerta ya estaba registrada.")})
    note = clean_text(note or "")
    known = route().keys
    chosen = [key for key in known if key in set(routes)]
    if route_activated is None:
        errors["route_activated"] = _("Indique si activó la ruta de atención.")
    elif route_activated:
        if set(routes) - set(known):
            errors["routes"] = _("Alguna ruta elegida no está en la ruta de atención.")
        elif not chosen:
            errors["routes"] = _("Marque qué ruta activó.")
    elif not note:
        errors["note"] = _("Escriba por qué no activó la ruta.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("La nota admite máximo %(n)s caracteres.", n=NOTE_MAX)
    if errors:
        raise HandleError(errors)
    redacted = _redact(note) if note else None
    # Two adults may record the same alert at once: the first record wins, the second is told.
    done = db.session.execute(
        db.update(Alert)
        .where(Alert.id == alert.id, Alert.status == "open", Alert.purged_at.is_(None))
        .values(
            status="handled",
            route_activated=bool(route_activated),
            routes=chosen if route_activated else [],
            action_note=redacted,
            handled_by_id=user.id,
            handled_at=datetime.now(UTC),
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise HandleError({"alert": _("Esta alerta ya estaba registrada.")})
    db.session.commit()
    db.session.refresh(alert)
    return alert


def purge_expired_details(now: datetime | None = None) -> int:
    """Drops the details of alerts older than ALERT_DETAIL_DAYS; the rows stay, for the counts.
    Open alerts are purged too: an alert nobody handled in that time is reported by its count."""
    now = now or datetime.now(UTC)
    days = int(current_app.config.get("ALERT_DETAIL_DAYS", 30))
    cutoff = now.astimezone(UTC).replace(tzinfo=None) - timedelta(days=days)
    rows = db.session.scalars(
        db.select(Alert).where(Alert.purged_at.is_(None), Alert.raised_at < cutoff)
    ).all()
    for alert in rows:
        alert.tablet_label = None
        alert.reasons = None
        alert.routes = None
        alert.action_note = None
        alert.handled_by_id = None
        alert.raised_at = alert.raised_at.replace(hour=0, minute=0, second=0, microsecond=0)
        if alert.handled_at is not None:
            alert.handled_at = alert.handled_at.replace(hour=0, minute=0, second=0, microsecond=0)
        alert.purged_at = now
    db.session.commit()
    return len(rows)


@dataclass(frozen=True)
class Counts:
    total: int
    open: int
    route_activated: int


def counts(consultation_id: int | None = None) -> Counts:
    """How many alerts, how many still open, how many led to a route: no detail at all."""
    query = db.select(
        func.count(Alert.id),
        func.count(Alert.id).filter(Alert.status == "open"),
        func.count(Alert.id).filter(Alert.route_activated.is_(True)),
    ).select_from(Alert)
    if consultation_id is not None:
        query = query.join(Encounter, Alert.encounter_id == Encounter.id).where(
            Encounter.consultation_id == consultation_id
        )
    total, still_open, activated = db.session.execute(query).one()
    return Counts(int(total), int(still_open), int(activated))
