"""A facilitator imports a tablet's exported waiting answers: stored once, summarised, CSRF-bound."""

from __future__ import annotations

import io
import json
import re

from consulta.extensions import db
from consulta.models import Submission

from .helpers import csrf_token, submission
from .test_help_requests import _facilitator_session


def _export(code: str, payloads: list[dict]) -> bytes:
    items = [{"code": code, "submission": p} for p in payloads]
    return json.dumps({"format": "consulta-outbox", "version": 1, "submissions": items}).encode()


def _upload(client, encounter_id: int, raw: bytes, token: str | None):
    data = {"file": (io.BytesIO(raw), "respuestas.json")}
    if token is not None:
        data["csrf_token"] = token
    return client.post(
        f"/sesiones/{encounter_id}/importar",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_importing_twice_stores_each_answer_once_and_says_what_happened(app, client, consultation):
    encounter_id, code = _facilitator_session(app, client, consultation)
    tablet = app.test_client()
    payloads = [submission(tablet, code), submission(tablet, code, text="Más luz en el parque")]
    # One answer had reached the server before the tablet gave up.
    assert tablet.post(f"/api/v1/sessions/{code}/submissions", json=payloads[0]).status_code == 201
    broken = dict(submission(tablet, code), answers=[{"question": "nope", "value": "x"}])
    raw = _export(code, [*payloads, broken])

    token = csrf_token(client.get(f"/sesiones/{encounter_id}").get_data(as_text=True))
    page = _upload(client, encounter_id, raw, token).get_data(as_text=True)
    assert re.search(r"1 guardadas, 1 ya estaban guardadas, 1 rechazadas", page)
    page = _upload(client, encounter_id, raw, token).get_data(as_text=True)
    assert re.search(r"0 guardadas, 2 ya estaban guardadas, 1 rechazadas", page)
    with app.app_context():
        ids = set(db.session.scalars(db.select(Submission.id)))
    assert ids == {payloads[0]["id"], payloads[1]["id"]}


def test_import_needs_the_csrf_token_and_a_real_export(app, client, consultation):
    encounter_id, code = _facilitator_session(app, client, consultation)
    tablet = app.test_client()
    raw = _export(code, [submission(tablet, code)])
    refused = _upload(client, encounter_id, raw, None)
    assert refused.status_code == 400
    token = csrf_token(client.get(f"/sesiones/{encounter_id}").get_data(as_text=True))
    page = _upload(client, encounter_id, b'{"hello": 1}', token).get_data(as_text=True)
    assert "no es una exportación" in page
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_another_facilitator_cannot_import_into_my_session(app, client, consultation):
    from .helpers import login, make_user

    encounter_id, code = _facilitator_session(app, client, consultation)
    other = app.test_client()
    make_user(app, "facilitator", "otra@test.co")
    login(other, "otra@test.co")
    token = csrf_token(other.get("/sesiones/nueva").get_data(as_text=True))
    response = other.post(
        f"/sesiones/{encounter_id}/importar",
        data={"csrf_token": token, "file": (io.BytesIO(_export(code, [])), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
