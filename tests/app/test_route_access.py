"""Every route, walked by every role and by an anonymous visitor, answers as its policy says.

A route missing from POLICY fails the test: whoever adds a page must decide who may see it.
"""

from __future__ import annotations

import pytest

from consulta.extensions import db
from consulta.models import Alert, Answer, Encounter, Idea

from .helpers import login, make_session, make_user, submission

PUBLIC = "public"
STAFF = "staff"  # any signed-in role
ROLES = ("admin", "facilitator", "analyst", "safeguarding")
ANALYSTS = {"admin", "analyst"}
FACILITATORS = {"admin", "facilitator"}

POLICY: dict[str, object] = {
    "static": PUBLIC,
    "auth.home": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": STAFF,
    "set_language": PUBLIC,
    "participate.join": PUBLIC,
    "participate.kiosk": PUBLIC,
    "api.session_detail": PUBLIC,
    "api.submit": PUBLIC,
    "api.help_request": PUBLIC,
    "participate.service_worker": PUBLIC,
    "api.session_ideas": PUBLIC,
    "ideas.wall": PUBLIC,
    "ideas.review": FACILITATORS | ANALYSTS,
    "ideas.decide": FACILITATORS | ANALYSTS,
    "admin.consultations": {"admin"},
    "admin.users": {"admin"},
    "facilitate.index": FACILITATORS,
    "facilitate.create": FACILITATORS,
    "facilitate.detail": FACILITATORS,
    "facilitate.live_status": FACILITATORS,
    "facilitate.qr": FACILITATORS,
    "facilitate.add_note": FACILITATORS,
    "facilitate.close": FACILITATORS,
    "facilitate.import_answers": FACILITATORS,
    "facilitate.handle_alert": FACILITATORS,
    "safeguarding.index": {"admin", "safeguarding"},
    "safeguarding.handle": {"admin", "safeguarding"},
    "safeguarding.live": {"admin", "safeguarding"},
    "devolucion.adults": PUBLIC,
    "devolucion.children": PUBLIC,
    "devolucion.edit": {"admin"},
    "devolucion.qr_page": FACILITATORS,
    "facilitate.projection_control": FACILITATORS,
    "facilitate.projection_answers": FACILITATORS,
    "facilitate.projection_screen": FACILITATORS,
    "facilitate.projection_data": FACILITATORS,
    "analyze.index": ANALYSTS,
    "analyze.overview": ANALYSTS,
    "analyze.report": ANALYSTS,
    "analyze.explorer": ANALYSTS,
    "analyze.export_answers": ANALYSTS,
    "analyze.export_summary": ANALYSTS,
    "analyze.review": ANALYSTS,
    "analyze.review_save": ANALYSTS,
    "analyze.review_note": ANALYSTS,
    "analyze.review_note_save": ANALYSTS,
    "analyze.quality": ANALYSTS,
    "analyze.codebook": {"admin"},
    "analyze.codebook_preview": {"admin"},
    "analyze.codebook_save": {"admin"},
}


def _world(app):
    """A session owned by the facilitator, one coded answer, and the URL values to reach them."""
    consultation_id = None
    with app.app_context():
        from datetime import date

        from consulta.models import Consultation

        row = Consultation(title="Ruta", purpose="Probar", retention_until=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        consultation_id = row.id
    facilitator_id = make_user(app, "facilitator")
    for role in ("admin", "analyst", "safeguarding"):
        make_user(app, role)
    code = make_session(app, consultation_id, facilitator_id=facilitator_id)
    tablet = app.test_client()
    tablet.post(f"/api/v1/sessions/{code}/submissions", json=submission(tablet, code))
    tablet.post(f"/api/v1/sessions/{code}/help", json={"id": "5b0c3a51-2f45-4d7e-9a57-0b1c2d3e4f50"})
    with app.app_context():
        encounter_id = db.session.scalar(db.select(Encounter.id))
        answer = db.session.scalar(db.select(Answer).where(Answer.codebook_version.is_not(None)))
        from consulta.services.encounters import add_note

        note = add_note(db.session.get(Encounter, encounter_id), "arbol", "Más parques", None)
        idea_id = db.session.scalar(db.select(Idea.id))  # the submission's idea, pending
        return {
            "code": code,
            "encounter_id": encounter_id,
            "lang": "en",
            "filename": "css/staff.css",
            "fmt": "csv",
            "submission_id": answer.submission_id,
            "question_id": answer.question_id,
            "note_id": note.id,
            "consultation": consultation_id,
            "alert_id": db.session.scalar(db.select(Alert.id)),
            "consultation_id": consultation_id,
            "idea_id": idea_id,
        }


def _url(app, rule, values) -> str:
    with app.test_request_context():
        from flask import url_for

        args = {name: values[name] for name in rule.arguments}
        return url_for(rule.endpoint, **args, consultation=values["consultation"])


def _expected(policy, role) -> set[int]:
    if policy == PUBLIC:
        return {200, 302, 400, 404, 405, 422}
    if role is None:
        return {302, 401}
    if policy == STAFF or role in policy:
        return {200, 201, 302, 400, 422}
    return {403}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_with_every_role(app, role):
    app.config["WTF_CSRF_ENABLED"] = False  # exercise the role checks, not the CSRF check
    app.config["RATELIMIT_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    if role:
        login(client, f"{role}@test.co")
    unknown = [r.endpoint for r in app.url_map.iter_rules() if r.endpoint not in POLICY]
    assert not unknown, f"routes without an access policy: {unknown}"
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.logout", "auth.login") and role:
            continue  # would end the walk's own login
        url = _url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "POST" and rule.endpoint == "facilitate.close":
                continue  # closing is covered in test_sessions; keep the session open here
            response = client.open(url, method=method, data={})
            response.get_data()
            response.close()  # streamed exports end their request context here
            assert response.status_code in _expected(POLICY[rule.endpoint], role), (
                role,
                method,
                url,
                response.status_code,
            )
