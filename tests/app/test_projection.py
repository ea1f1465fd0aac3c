"""The room's projection: what the facilitator controls and what the screen may ever show."""

from __future__ import annotations

import uuid

import pytest

from consulta.extensions import db
from consulta.models import Encounter
from consulta.services import word_cloud

from .helpers import csrf_token, full_answers, login, make_session, make_user

OPEN = "te_hace_sentir_cuidado"  # the ninez instrument's open question
IDEA = "idea_alcaldia"
CHOICE = "como_te_sientes"
DISCLOSURE = "Un señor grande me toca en mi cuarto y me dijo que si le cuento a alguien me pega"
BENIGN = [
    "Mi abuela me abraza y me prepara arepas con queso",
    "Cuando la profe nos escucha y jugamos fútbol en la cancha",
    "Mi mamá me abraza antes de dormir y me lee cuentos",
    "Que mi papá juega conmigo fútbol los domingos en el parque",
]


@pytest.fixture
def room(app, client, consultation):
    """A facilitator's session with four benign answers and a disclosure to the open question."""
    facilitator = make_user(app, "facilitator", "profe@test.co")
    code = make_session(app, consultation, facilitator_id=facilitator)
    tablet = app.test_client()
    detail = tablet.get(f"/api/v1/sessions/{code}").get_json()
    for text in [*BENIGN, DISCLOSURE]:
        answers = [
            {**a, "value": text} if a["question"] == OPEN else a
            for a in full_answers(detail, "Más parques con luces")
        ]
        payload = {"id": str(uuid.uuid4()), "profile": {}, "answers": answers}
        assert tablet.post(f"/api/v1/sessions/{code}/submissions", json=payload).status_code == 201
    with app.app_context():
        encounter_id = db.session.scalar(db.select(Encounter.id).filter_by(code=code))
    word_cloud.clear_caches()
    login(client, "profe@test.co")
    return encounter_id


def _post(client, encounter_id, **data):
    url = f"/sesiones/{encounter_id}/proyeccion"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=True)


def _data(client, encounter_id) -> dict:
    response = client.get(f"/sesiones/{encounter_id}/proyeccion/datos.json")
    assert response.status_code == 200
    return response.get_json()


def _projected(app, encounter_id):
    with app.app_context():
        return db.session.get(Encounter, encounter_id).projected_question


def test_the_screen_shows_the_chosen_question_and_its_cards(client, room):
    assert _data(client, room) == {"question": None, "cards": [], "cloud": []}
    page = _post(client, room, action="question", question=OPEN).get_data(as_text=True)
    assert "La pantalla se actualiza en unos segundos." in page
    data = _data(client, room)
    assert data["question"]["prompt"].startswith("¿Qué cosas hacen los grandes")
    assert sorted(card["text"] for card in data["cards"]) == sorted(BENIGN)
    screen = client.get(f"/sesiones/{room}/proyeccion/pantalla").get_data(as_text=True)
    for text in BENIGN:
        assert text in screen


def test_flagged_answers_never_reach_the_screen_the_json_or_the_cloud(client, room):
    _post(client, room, action="question", question=OPEN)
    raw = client.get(f"/sesiones/{room}/proyeccion/datos.json").get_data(as_text=True)
    words = {w["word"] for w in _data(client, room)["cloud"]}
    assert "señor" not in raw and "cuarto" not in raw and "toca" not in raw
    assert not words & {"señor", "cuarto", "tocar", "contar", "pegar"}
    screen = client.get(f"/sesiones/{room}/proyeccion/pantalla").get_data(as_text=True)
    assert "cuarto" not in screen
    control = client.get(f"/sesiones/{room}/proyeccion").get_data(as_text=True)
    assert "Texto reservado por protección" in control
    assert "cuarto" not in control
    assert control.count('value="hide"') == len(BENIGN)  # no button for the reserved text


def test_a_reserved_text_cannot_be_shown(app, client, room):
    from consulta.models import Answer

    _post(client, room, action="question", question=OPEN)
    with app.app_context():
        flagged = db.session.scalar(db.select(Answer).filter_by(question_id=OPEN, flagged=True))
        submission_id = flagged.submission_id
    page = _post(
        client, room, action="show", submission_id=submission_id, question_id=OPEN
    ).get_data(as_text=True)
    assert "Un texto reservado por protección nunca se proyecta." in page
    assert len(_data(client, room)["cards"]) == len(BENIGN)


def test_the_cloud_counts_lemmas_and_leaves_out_stop_words(client, room):
    _post(client, room, action="question", question=OPEN)
    cloud = {w["word"]: w["weight"] for w in _data(client, room)["cloud"]}
    # "abraza" twice and "jugamos"/"juega" fold into their lemmas.
    assert {"abrazar", "jugar", "fútbol", "arepa", "abuela"} <= set(cloud)
    assert not set(cloud) & {"me", "mi", "que", "y", "con", "los", "el", "la", "en", "cuando"}
    assert cloud["abrazar"] > cloud["arepa"]  # said in two answers, drawn bigger
    assert all(word == word.lower() and word.isalpha() for word in cloud)


def test_hidden_cards_vanish_and_come_back(app, client, room):
    from consulta.models import Answer

    # Hidden before the question is ever projected...
    with app.app_context():
        rows = db.session.scalars(db.select(Answer).filter_by(question_id=OPEN))
        target = next(row.submission_id for row in rows if row.value == BENIGN[0])
    _post(client, room, action="hide", submission_id=target, question_id=OPEN)
    _post(client, room, action="question", question=OPEN)
    data = _data(client, room)
    assert BENIGN[0] not in [card["text"] for card in data["cards"]]
    assert "arepa" not in {w["word"] for w in data["cloud"]}  # its words leave the cloud too
    control = client.get(f"/sesiones/{room}/proyeccion").get_data(as_text=True)
    assert BENIGN[0] in control  # the facilitator still sees it, marked hidden
    # ...and shown again.
    _post(client, room, action="show", submission_id=target, question_id=OPEN)
    assert BENIGN[0] in [card["text"] for card in _data(client, room)["cards"]]


def test_only_text_questions_of_the_session_can_be_projected(app, client, room):
    _post(client, room, action="question", question=IDEA)
    assert _projected(app, room) == IDEA
    for bad in (CHOICE, "no_existe"):
        page = _post(client, room, action="question", question=bad).get_data(as_text=True)
        assert "Solo se puede proyectar una pregunta abierta o de ideas de esta sesión." in page
        assert _projected(app, room) == IDEA  # nothing changed
    client.get("/idioma/en")
    page = _post(client, room, action="question", question=CHOICE).get_data(as_text=True)
    assert "Only an open or idea question of this session can be projected." in page
    control = client.get(f"/sesiones/{room}/proyeccion").get_data(as_text=True)
    assert f'value="{CHOICE}"' not in control  # never offered
    _post(client, room, action="question", question="")
    assert _projected(app, room) is None


def test_a_card_of_another_session_cannot_be_hidden_from_this_one(app, client, room, consultation):
    other = make_session(app, consultation)
    tablet = app.test_client()
    detail = tablet.get(f"/api/v1/sessions/{other}").get_json()
    foreign = str(uuid.uuid4())
    payload = {"id": foreign, "profile": {}, "answers": full_answers(detail, "Más columpios")}
    tablet.post(f"/api/v1/sessions/{other}/submissions", json=payload)
    page = _post(client, room, action="hide", submission_id=foreign, question_id=OPEN)
    assert "Esa respuesta no es de esta sesión." in page.get_data(as_text=True)
    from consulta.models import HiddenCard

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(HiddenCard)) == 0


def test_only_the_sessions_facilitator_or_an_admin_reach_the_projection(app, client, room):
    make_user(app, "facilitator", "otra@test.co")
    make_user(app, "admin", "admin@test.co")
    urls = [
        f"/sesiones/{room}/proyeccion",
        f"/sesiones/{room}/proyeccion/pantalla",
        f"/sesiones/{room}/proyeccion/datos.json",
        f"/sesiones/{room}/proyeccion/respuestas?pregunta={OPEN}",
    ]
    other = app.test_client()
    login(other, "otra@test.co")
    assert [other.get(url).status_code for url in urls] == [403] * 4
    token = csrf_token(other.get("/sesiones/").get_data(as_text=True))
    change = {"csrf_token": token, "action": "question", "question": OPEN}
    assert other.post(urls[0], data=change).status_code == 403
    assert _projected(app, room) is None
    admin = app.test_client()
    login(admin, "admin@test.co")
    assert [admin.get(url).status_code for url in urls] == [200] * 4


def test_the_screen_has_no_staff_controls(client, room):
    _post(client, room, action="question", question=OPEN)
    screen = client.get(f"/sesiones/{room}/proyeccion/pantalla").get_data(as_text=True)
    assert "<form" not in screen and "<nav" not in screen and "<button" not in screen
    assert "profe@test.co" not in screen  # the signed-in account is not shown to the room
    assert "<script>" not in screen  # no inline script: the page works under a strict CSP
    assert "Proyectar en la sala" in client.get(f"/sesiones/{room}").get_data(as_text=True)


def test_the_cloud_counts_only_the_cards_the_screen_shows(client, room):
    """A card still waiting on the screen (or one the screen never drew) adds no words yet."""
    _post(client, room, action="question", question=OPEN)
    cards = _data(client, room)["cards"]
    shown = [c["key"] for c in cards if "arepas" not in c["text"]]
    url = f"/sesiones/{room}/proyeccion/datos.json?mostradas={','.join(shown)}"
    data = client.get(url).get_json()
    words = {w["word"] for w in data["cloud"]}
    assert "arepa" not in words and "fútbol" in words
    assert len(data["cards"]) == len(BENIGN)  # every visible card is still sent, to be held
    nothing = client.get(f"/sesiones/{room}/proyeccion/datos.json?mostradas=").get_json()
    assert nothing["cloud"] == []
