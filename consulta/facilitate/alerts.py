"""Safeguarding alerts on staff pages: the session's facilitator and the safeguarding lead see them,
with the disclosure checklist and the care route, and record what was done. Nobody else does."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import care_route
from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Alert, Encounter
from ..services import alert_care
from ..territories import territory
from . import bp

lead_bp = Blueprint("safeguarding", __name__)
# A malformed care route must stop the app at start-up, not when a child needs help.
lead_bp.record_once(lambda state: care_route.load(state.app.config.get("CARE_ROUTE_FILE")))


def open_alerts(encounter: Encounter) -> list[dict]:
    lang = current_language()
    return [alert_care.as_json(a, lang) for a in alert_care.open_for_encounter(encounter)]


def _route_view(lang: str) -> dict:
    route = alert_care.route()
    return {
        "checklist": [step.label(lang) for step in route.checklist],
        "contacts": [
            {
                "key": c.key,
                "name": c.text("name", lang),
                "phone": c.phone,
                "where": c.text("where", lang),
                "when": c.text("when", lang),
            }
            for c in route.contacts
        ],
    }


def _done(alert: Alert, lang: str) -> dict:
    route = alert_care.route()
    names = [
        route.contact(k).text("name", lang) if route.contact(k) else k for k in alert.routes or []
    ]
    return {
        **alert_care.as_json(alert, lang),
        "activated": alert.route_activated,
        "routes": names,
        "note": alert.action_note or "",
    }


def context(encounter: Encounter, alert_form: dict | None = None) -> dict:
    """Everything the alerts panel of the session page shows."""
    lang = current_language()
    return {
        "open": open_alerts(encounter),
        "handled": [_done(a, lang) for a in alert_care.handled_for_encounter(encounter)],
        "route": _route_view(lang),
        "form": alert_form or {},
        "action_base": url_for("facilitate.handle_alert", encounter_id=encounter.id, alert_id=0)[
            :-1
        ],
    }


def _read_form() -> tuple[bool | None, list[str], str]:
    choice = request.form.get("route_activated")
    activated = {"yes": True, "no": False}.get(choice or "")
    return activated, request.form.getlist("routes"), request.form.get("note", "")


def _refused(alert_id: int, errors: dict) -> dict:
    activated, routes, note = _read_form()
    return {
        "alert_id": alert_id,
        "errors": errors,
        "activated": activated,
        "routes": routes,
        "note": note,
    }


@bp.route("/<int:encounter_id>/alertas/<int:alert_id>", methods=["POST"])
@role_required("facilitator")
def handle_alert(encounter_id: int, alert_id: int):
    from .routes import _own_encounter, render_detail

    encounter = _own_encounter(encounter_id)
    alert = db.session.get(Alert, alert_id)
    if alert is None or alert.encounter_id != encounter.id:
        abort(404)
    try:
        alert_care.handle(alert, *_read_form(), user=current_user)
    except alert_care.HandleError as exc:
        db.session.rollback()
        return render_detail(encounter, 422, _refused(alert_id, exc.errors))
    flash(_("Quedó registrado lo que se hizo. Gracias por atender la alerta."), "success")
    return redirect(url_for(".detail", encounter_id=encounter.id))


def _lead_row(alert: Alert, lang: str) -> dict:
    encounter = alert.encounter
    place = territory(encounter.territory_code)
    row = _done(alert, lang) if alert.status == "handled" else alert_care.as_json(alert, lang)
    return {
        **row,
        "code": encounter.code,
        "place": place.label if place else "",
        "date": alert_care.local_date(alert),
    }


def _lead_page(status: int = 200, alert_form: dict | None = None):
    lang = current_language()
    return render_template(
        "facilitate/alerts_lead.html",
        open_rows=[_lead_row(a, lang) for a in alert_care.for_leads("open")],
        handled_rows=[_lead_row(a, lang) for a in alert_care.for_leads("handled")],
        counts=alert_care.counts(),
        route=_route_view(lang),
        form=alert_form or {},
        action_base=url_for("safeguarding.handle", alert_id=0)[:-1],
    ), status


@lead_bp.route("/alertas")
@role_required("safeguarding")
def index():
    return _lead_page()


@lead_bp.route("/alertas/estado.json")
@role_required("safeguarding")
def live():
    """Which alerts are open now: the lead's page polls it and offers to refresh on a new one."""
    counts = alert_care.counts()
    return jsonify(
        {
            "open": [a.id for a in alert_care.for_leads("open")],
            "counts": {"total": counts.total, "open": counts.open},
        }
    )


@lead_bp.route("/alertas/<int:alert_id>", methods=["POST"])
@role_required("safeguarding")
def handle(alert_id: int):
    alert = db.get_or_404(Alert, alert_id)
    try:
        alert_care.handle(alert, *_read_form(), user=current_user)
    except alert_care.HandleError as exc:
        db.session.rollback()
        return _lead_page(422, _refused(alert_id, exc.errors))
    flash(_("Quedó registrado lo que se hizo. Gracias por atender la alerta."), "success")
    return redirect(url_for(".index"))
