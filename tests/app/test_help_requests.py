"""A tap on "Quiero hablar con alguien" reaches the facilitator: stored once, shown on the page."""

from __future__ import annotations

import re
import uuid

from consulta.extensions import db
from consulta.models import Encounter, HelpRequest

from .helpers import login, make_session, make_user
from .test_sessions import _form


def _facilitator_session(app, client, consultation) -> tuple[int, str]:
    make_user(app, "facilitator")
    login(client, "facilitator@test.co")
    location = _form(app, client, consultation).headers["Location"]
    encounter_id = int(re.search(r"/sesiones/(\d+)", location).group(1))
    with app.app_context():
        return encounter_id, db.session.get(Encounter, encounter_id).code


def test_a_help_request_is_stored_once_and_the_facilitator_sees_it(app, client, consultation):
    encounter_id, code = _facilitator_session(app, client, consultation)
    page = client.get(f"/sesiones/{encounter_id}").get_data(as_text=True)
    assert "No hay alertas abiertas." in page

    tablet = app.test_client()
    request_id = str(uuid.uuid4())
    body = {"id": request_id, "tablet": "Tableta 4"}
    first = tablet.post(f"/api/v1/sessions/{code}/help", json=body)
    again = tablet.post(f"/api/v1/sessions/{code}/help", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert "Set-Cookie" not in first.headers

    live = client.get(f"/sesiones/{encounter_id}/estado.json").get_json()
    assert live["help_requests"]["count"] == 1
    assert re.fullmatch(r"\d\d:\d\d", live["help_requests"]["times"][0])
    assert [(a["source"], a["tablet"]) for a in live["alerts"]] == [("help", "Tableta 4")]
    page = client.get(f"/sesiones/{encounter_id}").get_data(as_text=True)
    assert "Alguien necesita ayuda ahora" in page and "Tocó el botón de ayuda." in page
    with app.app_context():
        rows = db.session.scalars(db.select(HelpRequest)).all()
        # One row, to the minute, with nothing but the session and the tablet's random id.
        assert len(rows) == 1 and rows[0].created_at.second == 0
        assert rows[0].created_at.microsecond == 0


def test_help_is_recorded_even_after_the_session_closed_and_bad_ids_are_refused(app, consultation):
    code = make_session(app, consultation)
    tablet = app.test_client()
    with app.app_context():
        from consulta.services import encounters

        encounters.close(encounters.by_code(code))
    assert (
        tablet.post(f"/api/v1/sessions/{code}/help", json={"id": str(uuid.uuid4())}).status_code
        == 201
    )
    assert tablet.post(f"/api/v1/sessions/{code}/help", json={"id": "1"}).status_code == 422
    assert tablet.post(f"/api/v1/sessions/{code}/help", data=b"{").status_code == 400
    assert (
        tablet.post("/api/v1/sessions/ZZZZZZ/help", json={"id": str(uuid.uuid4())}).status_code
        == 404
    )


def test_a_help_id_from_another_session_is_a_conflict(app, consultation):
    first, second = make_session(app, consultation), make_session(app, consultation)
    tablet = app.test_client()
    request_id = str(uuid.uuid4())
    assert tablet.post(f"/api/v1/sessions/{first}/help", json={"id": request_id}).status_code == 201
    refused = tablet.post(f"/api/v1/sessions/{second}/help", json={"id": request_id})
    assert refused.status_code == 409 and refused.get_json()["reason"] == "conflict"
