"""The ideas wall: moderation by role and session, supports from other sessions, the public wall."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date

import pytest

from consulta.extensions import db
from consulta.models import Answer, Consultation, Idea, IdeaSupport, Submission
from consulta.services import ideas as idea_service

from .helpers import csrf_token, first_question, login, make_session, make_user

PARKS = "Canchas con luz y clases de música gratis los sábados en la tarde"
SCHOOL = "Que en cada colegio haya un adulto de confianza que nos escuche cuando algo nos pasa"
ONLINE = "Talleres en el barrio para aprender a cuidarnos en internet y en los juegos en línea"
POLICE = "Que la policía cierre los sitios donde les pagan a las niñas"
# A disclosure: the safeguarding signals flag it, so it must never reach any wall.
DISCLOSURE = (
    "Un señor del barrio me da plata para que le mande fotos sin ropa y me da miedo contarle"
)


@pytest.fixture
def world(app, consultation):
    """Two facilitators, each with a session of the same consultation, and an analyst."""
    first = make_user(app, "facilitator", "ana@test.co")
    second = make_user(app, "facilitator", "beto@test.co")
    make_user(app, "analyst")
    make_user(app, "safeguarding")
    return {
        "consultation": consultation,
        "a": make_session(app, consultation, facilitator_id=first),
        "b": make_session(app, consultation, facilitator_id=second),
    }


def send(client, code, text=None, supports=None, submission_id=None):
    body = {"id": submission_id or str(uuid.uuid4()), "profile": {}, "answers": []}
    if text:
        question = first_question(client, code, "idea")
        body["answers"].append({"question": question["id"], "value": text})
    if supports is not None:
        body["supports"] = supports
    return client.post(f"/api/v1/sessions/{code}/submissions", json=body)


def idea_id(app, text: str) -> int:
    with app.app_context():
        rows = db.session.execute(db.select(Idea.id, Answer.value).join(Idea.answer)).all()
        return next(i for i, value in rows if value == text)


def status_of(app, idea: int) -> tuple[str, str | None]:
    with app.app_context():
        row = db.session.get(Idea, idea)
        return row.status, row.line


def support_counts(app) -> dict[int, int]:
    with app.app_context():
        rows = db.session.scalars(db.select(IdeaSupport)).all()
        counts: dict[int, int] = {}
        for row in rows:
            counts[row.idea_id] = counts.get(row.idea_id, 0) + 1
        return counts


def approve(app, idea: int, line: str = "E1") -> None:
    with app.app_context():
        from consulta.models import User

        analyst = db.session.scalar(db.select(User).filter_by(role="analyst"))
        idea_service.decide(analyst, idea, "approve", line)


def decide(client, idea: int, decision: str, line: str | None = "E2"):
    html = client.get("/ideas/revisar").get_data(as_text=True)
    data = {"decision": decision, "csrf_token": csrf_token(html)}
    if line is not None:
        data["line"] = line
    return client.post(f"/ideas/revisar/{idea}", data=data)


def test_facilitators_moderate_their_own_sessions_and_analysts_all(app, client, world):
    assert send(client, world["a"], SCHOOL).status_code == 201
    assert send(client, world["b"], ONLINE).status_code == 201
    own, other = idea_id(app, SCHOOL), idea_id(app, ONLINE)

    login(client, "ana@test.co")
    page = client.get("/ideas/revisar").get_data(as_text=True)
    assert SCHOOL in page and ONLINE not in page
    # The strongest automatic line is offered as the default group.
    assert re.search(r'<option value="E3" selected', page)
    response = decide(client, other, "approve")
    assert response.status_code == 403
    assert status_of(app, other) == ("pending", None)
    response = decide(client, own, "approve", "E3")
    assert response.status_code == 302
    assert status_of(app, own) == ("approved", "E3")
    # Changed later: another line, then off the wall.
    assert decide(client, own, "approve", "T2").status_code == 302
    assert status_of(app, own) == ("approved", "T2")
    assert decide(client, own, "reject", None).status_code == 302
    assert status_of(app, own)[0] == "rejected"

    analyst = app.test_client()
    login(analyst, "analyst@test.co")
    page = analyst.get("/ideas/revisar").get_data(as_text=True)
    assert ONLINE in page and SCHOOL not in page  # the rejected one is under its own tab
    assert SCHOOL in analyst.get("/ideas/revisar?estado=rejected").get_data(as_text=True)
    assert decide(analyst, other, "approve", "E2").status_code == 302
    assert status_of(app, other) == ("approved", "E2")

    guard = app.test_client()
    login(guard, "safeguarding@test.co")
    assert guard.get("/ideas/revisar").status_code == 403
    assert guard.post(f"/ideas/revisar/{other}", data={"decision": "reject"}).status_code in (
        400,
        403,
    )
    assert status_of(app, other) == ("approved", "E2")


def test_bad_decisions_are_refused_with_a_message_and_change_nothing(app, client, world):
    send(client, world["a"], SCHOOL)
    idea = idea_id(app, SCHOOL)
    login(client, "analyst@test.co")
    for decision, line, status in [
        ("approve", "E9", 422),
        ("approve", None, 422),
        ("approve", "", 422),
        ("publish", "E1", 422),
    ]:
        response = decide(client, idea, decision, line)
        assert response.status_code == status, (decision, line)
        assert "línea" in response.get_data(as_text=True) or "Decisión" in response.get_data(
            as_text=True
        )
        assert status_of(app, idea) == ("pending", None)
    assert decide(client, 987654, "approve", "E1").status_code == 404
    english = decide(client, idea, "approve", "X1")
    assert english.status_code == 422
    client.get("/idioma/en")
    english = decide(client, idea, "approve", "X1")
    assert "Choose one of the plan's nine lines" in html.unescape(english.get_data(as_text=True))
    assert status_of(app, idea) == ("pending", None)


def test_a_flagged_idea_is_never_listed_approvable_or_shown(app, client, world):
    send(client, world["a"], DISCLOSURE)
    flagged = idea_id(app, DISCLOSURE)
    assert status_of(app, flagged)[0] == "rejected"
    login(client, "analyst@test.co")
    for status in ("pending", "approved", "rejected"):
        page = client.get(f"/ideas/revisar?estado={status}").get_data(as_text=True)
        assert "plata" not in page
    response = decide(client, flagged, "approve", "E2")
    assert response.status_code == 422
    assert status_of(app, flagged)[0] == "rejected"

    # An approved idea that a later re-analysis flags leaves the wall at once.
    send(client, world["a"], POLICE)
    approve(app, idea_id(app, POLICE), "E4")
    wall = f"/ideas/{world['consultation']}"
    assert POLICE in client.get(wall).get_data(as_text=True)
    with app.app_context():
        answer = db.session.get(Idea, idea_id(app, POLICE)).answer
        answer.flagged = True
        db.session.commit()
    assert POLICE not in client.get(wall).get_data(as_text=True)
    ideas = client.get(f"/api/v1/sessions/{world['b']}/ideas").get_json()["ideas"]
    assert ideas == []
    assert "plata" not in client.get(wall).get_data(as_text=True)


def test_the_wall_ranks_ideas_by_support_from_other_sessions(app, client, world):
    for text in (PARKS, SCHOOL, ONLINE):
        send(client, world["a"], text)
    parks, school, online = (idea_id(app, t) for t in (PARKS, SCHOOL, ONLINE))
    approve(app, parks, "E1")
    approve(app, school, "E3")
    approve(app, online, "E2")

    kiosk = client.get(f"/api/v1/sessions/{world['b']}/ideas").get_json()["ideas"]
    assert {i["id"] for i in kiosk} == {parks, school, online}
    assert all(i["supports"] == 0 for i in kiosk)
    # The idea's own session does not see it as "from other groups".
    assert client.get(f"/api/v1/sessions/{world['a']}/ideas").get_json()["ideas"] == []

    assert send(client, world["b"], supports=[online, school]).status_code == 201
    assert send(client, world["b"], supports=[online]).status_code == 201
    assert send(client, world["b"], supports=[online, online]).status_code == 201
    assert support_counts(app) == {online: 3, school: 1}

    kiosk = client.get(f"/api/v1/sessions/{world['b']}/ideas?lang=en").get_json()["ideas"]
    assert [i["id"] for i in kiosk] == [online, school, parks]
    assert [i["supports"] for i in kiosk] == [3, 1, 0]
    assert kiosk[0]["line_short"] == "Staying safe" and kiosk[0]["icon"].endswith(".svg")

    page = client.get(f"/ideas/{world['consultation']}").get_data(as_text=True)
    assert page.index(ONLINE) < page.index(SCHOOL) < page.index(PARKS)
    assert "Apoyos: 3" in page
    assert "Cuidarnos de engaños y peligros" in page  # the line in plain words
    english = client.get(f"/ideas/{world['consultation']}?lang=en").get_data(as_text=True)
    assert "Staying safe from tricks and dangers" in english and "Supports: 3" in english


def test_one_support_per_participant_even_when_the_submission_is_resent(app, client, world):
    send(client, world["a"], PARKS)
    parks = idea_id(app, PARKS)
    approve(app, parks)
    same = str(uuid.uuid4())
    assert send(client, world["b"], SCHOOL, [parks], submission_id=same).status_code == 201
    assert send(client, world["b"], SCHOOL, [parks], submission_id=same).status_code == 200
    assert support_counts(app) == {parks: 1}
    with app.app_context():
        # Anonymous: the support does not carry the supporting submission's id.
        keys = db.session.scalars(db.select(IdeaSupport.supporter_key)).all()
        assert same not in keys and same.replace("-", "") not in keys


def test_ineligible_supports_are_ignored_and_the_answers_still_stored(app, client, world):
    send(client, world["a"], PARKS)
    send(client, world["a"], SCHOOL)
    send(client, world["b"], ONLINE)
    send(client, world["a"], POLICE)
    parks, school, online, police = (idea_id(app, t) for t in (PARKS, SCHOOL, ONLINE, POLICE))
    approve(app, online)  # approved, but from the supporter's own session
    approve(app, police)
    with app.app_context():
        from consulta.models import User

        analyst = db.session.scalar(db.select(User).filter_by(role="analyst"))
        idea_service.decide(analyst, police, "reject", None)  # withdrawn after approval
        other = Consultation(title="Otra consulta", purpose="x", retention_until=date(2030, 1, 1))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    elsewhere = make_session(app, other_id)
    send(client, elsewhere, "Más bibliotecas abiertas hasta tarde en la vereda")
    foreign = idea_id(app, "Más bibliotecas abiertas hasta tarde en la vereda")
    approve(app, foreign)

    supports = [parks, school, online, police, foreign, 99999]
    response = send(client, world["b"], "Quiero más árboles en el parque", supports)
    assert response.status_code == 201
    assert support_counts(app) == {}
    with app.app_context():
        stored = db.session.get(Submission, response.get_json()["id"])
        assert stored is not None and len(stored.answers) == 1


@pytest.mark.parametrize(
    "supports",
    ["3", {"id": 3}, [True], [-1], [0], [1.5], ["1"], [2**31], [None], list(range(1, 52))],
)
def test_malformed_supports_are_refused_whole(app, client, world, supports):
    response = send(client, world["b"], SCHOOL, supports)
    assert response.status_code == 422
    assert any(f["field"] == "supports" for f in response.get_json()["fields"])
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Submission)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == 0


def test_public_wall_shows_only_approved_ideas_and_nothing_that_points_to_a_session(
    app, client, world
):
    for text in (PARKS, SCHOOL, ONLINE):
        send(client, world["a"], text)
    approve(app, idea_id(app, PARKS), "E1")
    with app.app_context():
        from consulta.models import User

        analyst = db.session.scalar(db.select(User).filter_by(role="analyst"))
        idea_service.decide(analyst, idea_id(app, ONLINE), "reject", None)
    response = client.get(f"/ideas/{world['consultation']}")
    assert response.status_code == 200
    assert not response.headers.getlist("Set-Cookie")
    page = response.get_data(as_text=True)
    assert PARKS in page
    assert SCHOOL not in page  # pending
    assert ONLINE not in page  # rejected
    assert world["a"] not in page and world["b"] not in page
    for finer in ("2027-03-14", "14/03", "14 de marzo", "Comuna 60"):
        assert finer not in page
    assert "marzo 2027" in page  # the month, nothing finer
    assert "Estudiar, jugar y crecer con cariño" in page
    assert client.get("/ideas/987654").status_code == 404


def test_an_empty_wall_says_so(client, world):
    page = client.get(f"/ideas/{world['consultation']}").get_data(as_text=True)
    assert "Todavía no hay ideas en el muro" in page
    assert client.get("/api/v1/sessions/QQQQQQ/ideas").status_code == 404


def test_default_line_is_the_strongest_effective_line():
    answer = Answer(question_id="q", value="x")
    answer.line_mask = 0
    assert idea_service.default_line(answer) is None
    from consulta.models import lines_to_mask

    answer.line_mask = lines_to_mask(["E2", "T1"])
    answer.confidence = {"E2": 0.6, "T1": 0.9}
    assert idea_service.default_line(answer) == "T1"
    answer.confidence = None  # an analyst's lines carry no confidence: the plan's order decides
    assert idea_service.default_line(answer) == "E2"
