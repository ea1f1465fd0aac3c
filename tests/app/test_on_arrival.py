"""Every free text is redacted before it is written anywhere, coded, and checked for signals."""

from __future__ import annotations

import logging

from consulta.extensions import db
from consulta.models import Answer, RelatoriaNote

from .helpers import csrf_token, first_question, login, make_session, make_user, submission
from .test_anonymity import _database_dump

PERSONAL = {
    "name": "Yurany Marcela Ospino",
    "phone": "314 555 0199",
    "email": "yurany.ospino77@gmail.com",
    "id_number": "1.017.555.432",
    "address": "Calle 44 # 52-18",
    "handle": "@yura_ospino07",
}
TEXT = (
    f"Soy {PERSONAL['name']}, mi celular es {PERSONAL['phone']}, correo {PERSONAL['email']}, "
    f"cédula {PERSONAL['id_number']}, vivo en la {PERSONAL['address']} y mi insta es "
    f"{PERSONAL['handle']}. Queremos más canchas y que en el colegio nos enseñen a cuidarnos en redes."
)


def _fragments() -> list[str]:
    # Each datum, and the distinctive parts of it, must be gone.
    return [*PERSONAL.values(), "Ospino", "0199", "yurany", "555 432", "52-18"]


def test_personal_data_sent_by_a_tablet_is_never_stored_or_logged(
    app, client, session_code, caplog
):
    caplog.set_level(logging.DEBUG)
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": TEXT}]
    response = client.post(f"/api/v1/sessions/{session_code}/submissions", json=body)
    assert response.status_code == 201
    dump = _database_dump(app).lower()
    for fragment in _fragments():
        assert fragment.lower() not in dump, fragment
        assert fragment.lower() not in caplog.text.lower(), fragment
    with app.app_context():
        answer = db.session.scalar(db.select(Answer))
        assert "[NOMBRE]" in answer.value and "[TELÉFONO]" in answer.value
        assert "[CORREO]" in answer.value and "canchas" in answer.value
        assert answer.codebook_version and answer.auto_lines
        assert {"E1", "E2"} & set(answer.auto_lines)
        assert answer.effective_lines == answer.auto_lines
        for span in answer.evidence:
            assert 0 <= span["start"] < span["end"] <= len(answer.value)


def test_a_retry_of_the_same_text_is_recognised_after_redaction(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": TEXT}]
    url = f"/api/v1/sessions/{session_code}/submissions"
    assert client.post(url, json=body).status_code == 201
    assert client.post(url, json=body).status_code == 200


def test_a_disclosure_is_flagged_on_arrival(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [
        {
            "question": question["id"],
            "value": "un señor de la cuadra me da plata para que le mande fotos sin ropa y me dijo que no le cuente a nadie",
        }
    ]
    assert client.post(f"/api/v1/sessions/{session_code}/submissions", json=body).status_code == 201
    with app.app_context():
        answer = db.session.scalar(db.select(Answer))
        assert answer.flagged and answer.flag_reasons


def test_facilitator_notes_are_redacted_and_coded(app, client, consultation):
    facilitator = make_user(app, "facilitator")
    make_session(app, consultation, facilitator_id=facilitator)
    login(client, "facilitator@test.co")
    with app.app_context():
        from consulta.models import Encounter

        encounter_id = db.session.scalar(db.select(Encounter.id))
    page = client.get(f"/sesiones/{encounter_id}").get_data(as_text=True)
    client.post(
        f"/sesiones/{encounter_id}/notas",
        data={
            "csrf_token": csrf_token(page),
            "activity": "general",
            "text": f"{PERSONAL['name']} dijo que la policía no hace nada cuando uno denuncia.",
        },
    )
    with app.app_context():
        note = db.session.scalar(db.select(RelatoriaNote))
        assert "Ospino" not in note.text and "[NOMBRE]" in note.text
        assert "E4" in note.auto_lines
