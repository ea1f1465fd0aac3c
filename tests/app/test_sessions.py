"""Facilitators create sessions, open them with a code or QR, follow them, write notes, close them."""

from __future__ import annotations

import re

from consulta.extensions import db
from consulta.models import Encounter, RelatoriaNote
from consulta.services.encounters import CODE_ALPHABET
from consulta.services.instruments import latest_version

from .helpers import csrf_token, login, make_user, submission


def _logged_in_facilitator(app, client):
    make_user(app, "facilitator")
    login(client, "facilitator@test.co")


def _form(app, client, consultation, **overrides):
    with app.app_context():
        instrument_id = latest_version("ninez").id
    token = csrf_token(client.get("/sesiones/nueva").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "consultation_id": consultation,
        "held_on": "2027-03-14",
        "territory_code": "60",
        "population": "ninez",
        "instrument_id": instrument_id,
        "expected_participants": "25",
        "guardian_authorisation_confirmed": "y",
    }
    data.update(overrides)
    return client.post("/sesiones/nueva", data=data)


def _count(app) -> int:
    with app.app_context():
        return db.session.query(Encounter).count()


def test_facilitator_creates_a_session_with_an_unambiguous_code(app, client, consultation):
    _logged_in_facilitator(app, client)
    response = _form(app, client, consultation)
    assert response.status_code == 302
    with app.app_context():
        encounter = db.session.scalar(db.select(Encounter))
        assert len(encounter.code) == 6 and set(encounter.code) <= set(CODE_ALPHABET)
        assert not set(encounter.code) & set("0O1IL2Z5S8B")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert encounter.code in page and "/k/" + encounter.code in page


def test_minors_need_the_guardian_confirmation(app, client, consultation):
    _logged_in_facilitator(app, client)
    response = _form(app, client, consultation, guardian_authorisation_confirmed="")
    assert response.status_code == 422
    assert "acudientes" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_adult_groups_do_not_need_it(app, client, consultation):
    _logged_in_facilitator(app, client)
    response = _form(
        app, client, consultation, population="familias", guardian_authorisation_confirmed=""
    )
    assert response.status_code == 302 and _count(app) == 1


def test_bad_territory_or_missing_csrf_changes_nothing(app, client, consultation):
    _logged_in_facilitator(app, client)
    assert _form(app, client, consultation, territory_code="17").status_code == 422
    assert _form(app, client, consultation, csrf_token="forged").status_code == 400
    assert _count(app) == 0


def test_qr_code_is_an_svg_that_opens_the_kiosk(app, client, consultation):
    _logged_in_facilitator(app, client)
    location = _form(app, client, consultation).headers["Location"]
    response = client.get(location.rstrip("/") + "/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<path" in response.data


def test_live_count_follows_submissions_and_closing_stops_them(app, client, consultation):
    _logged_in_facilitator(app, client)
    location = _form(app, client, consultation).headers["Location"]
    encounter_id = int(re.search(r"/sesiones/(\d+)", location).group(1))
    with app.app_context():
        code = db.session.get(Encounter, encounter_id).code
    tablet = app.test_client()
    for _ in range(3):
        tablet.post(f"/api/v1/sessions/{code}/submissions", json=submission(tablet, code))
    assert client.get(f"/sesiones/{encounter_id}/estado.json").get_json() == {
        "status": "open",
        "count": 3,
        "help_requests": {"count": 0, "times": []},
        "alerts": [],
    }

    token = csrf_token(client.get(location).get_data(as_text=True))
    client.post(f"/sesiones/{encounter_id}/cerrar", data={"csrf_token": token})
    assert client.get(f"/sesiones/{encounter_id}/estado.json").get_json()["status"] == "closed"
    refused = tablet.post(f"/api/v1/sessions/{code}/submissions", json=submission(tablet, code))
    assert refused.status_code == 409


def test_relatoria_notes_per_activity(app, client, consultation):
    _logged_in_facilitator(app, client)
    location = _form(app, client, consultation).headers["Location"]
    encounter_id = int(re.search(r"/sesiones/(\d+)", location).group(1))
    token = csrf_token(client.get(location).get_data(as_text=True))
    client.post(
        f"/sesiones/{encounter_id}/notas",
        data={
            "csrf_token": token,
            "activity": "general",
            "text": "El grupo pidió más espacios de juego.",
        },
    )
    page = client.get(location).get_data(as_text=True)
    assert "El grupo pidió más espacios de juego." in page
    empty = client.post(
        f"/sesiones/{encounter_id}/notas",
        data={"csrf_token": token, "activity": "general", "text": ""},
    )
    assert empty.status_code == 302
    with app.app_context():
        assert db.session.query(RelatoriaNote).count() == 1
