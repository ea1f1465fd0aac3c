"""SQL-injection strings are data: stored exactly as typed (after redaction, which finds
nothing personal in them), harmless in every filter, and every table is still there."""

from __future__ import annotations

import uuid

from consulta.extensions import db
from consulta.models import Answer, RelatoriaNote, Submission

from .helpers import first_question, login
from .hostile import missing_tables, snapshot
from .test_hostile_api import _encode, _post
from .test_hostile_forms import VOLATILE
from .test_route_access import _world

SQL_INJECTIONS = [
    "'; DROP TABLE answer; --",
    '" OR 1=1 --',
    "\\'); DELETE FROM submission; --",
    "1; UPDATE submission SET gender='x' --",
    "') UNION SELECT value FROM answer --",
    "%' AND 1=(SELECT COUNT(*) FROM answer) AND '%'='",
]


def test_sql_injection_in_answers_is_stored_verbatim(app, client, session_code):
    from analysis.redaction import redact

    question = first_question(client, session_code, "open_text")
    # "staff_user" looks like a user handle to the redactor: stored as the redactor alone leaves it.
    attacks = [*SQL_INJECTIONS, "1; UPDATE staff_user SET role='admin' --"]
    for attack in attacks:
        body = {"id": str(uuid.uuid4()), "answers": [{"question": question["id"], "value": attack}]}
        url = f"/api/v1/sessions/{session_code}/submissions"
        assert _post(client, url, _encode(body, True)).status_code == 201
        with app.app_context():
            stored = db.session.get(Answer, (body["id"], question["id"])).value
        assert stored == redact(attack).text
        if attack in SQL_INJECTIONS:
            assert stored == attack  # nothing personal in it: kept character for character
    with app.app_context():
        assert db.session.query(Submission).count() == len(attacks)
    assert not missing_tables(app)


# --- SQL injection in staff texts and filters ----------------------------------------------

SQL = [
    "'; DROP TABLE answer; --",
    '" OR 1=1 --',
    "\\'); DELETE FROM submission; --",
    "%' OR '1'='1",
    "1) UNION SELECT value FROM answer --",
]
# Snake-case names look like user handles to the redactor, which replaces them before storage.
HANDLES = ["1) UNION SELECT password_hash FROM staff_user --", "'); DELETE FROM relatoria_note; --"]


def test_sql_injection_in_notes_is_stored_verbatim(app):
    from analysis.redaction import redact

    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "facilitator@test.co")
    for attack in SQL + HANDLES:
        response = client.post(
            f"/sesiones/{values['encounter_id']}/notas",
            data={"activity": "general", "text": attack},
        )
        assert response.status_code == 302
    with app.app_context():
        texts = set(db.session.scalars(db.select(RelatoriaNote.text)))
    assert set(SQL) <= texts  # nothing personal in them: kept character for character
    assert {redact(h).text for h in HANDLES} <= texts  # exactly what the redactor alone leaves
    assert not missing_tables(app)


FILTERS = ["q", "territory", "session", "question", "theme", "line", "date_from", "age_band"]


def test_sql_injection_in_explorer_filters(app):
    values = _world(app)
    client = app.test_client()
    login(client, "analyst@test.co")
    before = snapshot(app, skip=VOLATILE)
    consultation = values["consultation"]
    for attack in [*SQL, "\x00", "9" * 30, "\u202e😀"]:
        for param in FILTERS:
            response = client.get(
                "/analisis/respuestas", query_string={"consultation": consultation, param: attack}
            )
            assert response.status_code in (200, 422), (param, attack, response.status_code)
        query = {"consultation": consultation, "q": attack, "territory": attack, "page": attack}
        for page in ("/analisis/resumen", "/analisis/informe", "/analisis/exportar/respuestas.csv"):
            response = client.get(page, query_string=query)
            response.get_data()
            response.close()
            assert response.status_code in (200, 422), (page, attack, response.status_code)
    assert snapshot(app, skip=VOLATILE) == before
    assert not missing_tables(app)
