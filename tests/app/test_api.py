"""The tablet API behaves exactly as README.md documents it."""

from __future__ import annotations

import threading
import uuid

from consulta.extensions import db
from consulta.models import Answer, Submission
from consulta.services import encounters

from .helpers import first_question, submission


def stored(app) -> int:
    with app.app_context():
        return db.session.query(Submission).count()


def post(client, code, body, **kwargs):
    return client.post(f"/api/v1/sessions/{code}/submissions", json=body, **kwargs)


def test_session_detail_lists_the_instrument(client, session_code):
    response = client.get(f"/api/v1/sessions/{session_code}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["code"] == session_code and data["status"] == "open"
    assert data["population"] == "ninez"
    instrument = data["instrument"]
    assert instrument["slug"] == "ninez" and instrument["version"] >= 1
    assert 6 <= len(instrument["questions"]) <= 10
    for question in instrument["questions"]:
        assert {"id", "type", "prompt", "options"} <= set(question)
        for option in question["options"]:
            assert {"value", "label"} <= set(option)


def test_session_detail_in_english_and_lower_case_code(client, session_code):
    es = client.get(f"/api/v1/sessions/{session_code}").get_json()
    en = client.get(f"/api/v1/sessions/{session_code.lower()}?lang=en").get_json()
    assert en["code"] == session_code
    assert es["instrument"]["questions"][0]["prompt"] != en["instrument"]["questions"][0]["prompt"]


def test_unknown_code_is_404_with_a_message(client):
    response = client.get("/api/v1/sessions/QQQQQQ")
    assert response.status_code == 404
    assert "código" in response.get_json()["error"]
    assert post(client, "QQQQQQ", {"id": str(uuid.uuid4())}).status_code == 404


def test_submission_is_stored_whole(app, client, session_code):
    body = submission(client, session_code, age_band="9-11", gender="prefiero_no_decir")
    response = post(client, session_code, body)
    assert response.status_code == 201
    assert response.get_json()["id"] == body["id"]
    with app.app_context():
        row = db.session.get(Submission, body["id"])
        assert row.age_band == "9-11" and row.gender == "prefiero_no_decir"
        assert {a.question_id for a in row.answers} == {a["question"] for a in body["answers"]}


def test_same_id_same_content_is_200_and_writes_nothing(app, client, session_code):
    body = submission(client, session_code)
    assert post(client, session_code, body).status_code == 201
    again = post(client, session_code, body)
    assert again.status_code == 200
    assert stored(app) == 1


def test_same_id_different_content_is_409(app, client, session_code):
    body = submission(client, session_code)
    assert post(client, session_code, body).status_code == 201
    body["answers"] = body["answers"][:1]
    response = post(client, session_code, body)
    assert response.status_code == 409
    assert response.get_json()["error"] and response.get_json()["reason"] == "conflict"
    with app.app_context():
        assert db.session.query(Answer).count() > 1  # the first version is intact


def test_closed_session_reports_closed_and_accepts_nothing(app, client, session_code):
    with app.app_context():
        encounters.close(encounters.by_code(session_code))
    assert client.get(f"/api/v1/sessions/{session_code}").get_json()["status"] == "closed"
    response = post(client, session_code, submission(client, session_code))
    assert response.status_code == 409
    assert "cerró" in response.get_json()["error"]
    assert response.get_json()["reason"] == "closed"
    assert stored(app) == 0


def test_skipped_questions_are_absent_not_errors(app, client, session_code):
    body = submission(client, session_code)
    body["answers"] = []
    assert post(client, session_code, body).status_code == 201


def _assert_422(app, client, code, body, field_part):
    response = post(client, code, body)
    assert response.status_code == 422, response.get_json()
    data = response.get_json()
    assert data["error"] and data["fields"]
    assert any(field_part in f["field"] for f in data["fields"]), data["fields"]
    assert stored(app) == 0


def test_unknown_question_is_422(app, client, session_code):
    body = submission(client, session_code)
    body["answers"].append({"question": "forged_question", "value": "x"})
    _assert_422(app, client, session_code, body, "question")


def test_option_not_offered_is_422(app, client, session_code):
    question = first_question(client, session_code, "face_scale")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": "99"}]
    _assert_422(app, client, session_code, body, "value")


def test_wrong_type_is_422(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": ["a", "list"]}]
    _assert_422(app, client, session_code, body, "value")


def test_text_over_2000_characters_is_422(app, client, session_code):
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": "a" * 2001}]
    _assert_422(app, client, session_code, body, "value")


def test_id_that_is_not_a_uuid_is_422(app, client, session_code):
    body = submission(client, session_code)
    body["id"] = "1; DROP TABLE submission"
    _assert_422(app, client, session_code, body, "id")


def test_profile_outside_the_population_is_422(app, client, session_code):
    body = submission(client, session_code, age_band="29-59")
    _assert_422(app, client, session_code, body, "profile.age_band")


def test_body_over_64_kib_is_413(app, client, session_code):
    body = submission(client, session_code)
    body["padding"] = "x" * (65 * 1024)
    response = post(client, session_code, body)
    assert response.status_code == 413
    assert response.get_json()["error"]
    assert stored(app) == 0


def test_malformed_json_and_utf8_are_refused_clearly(app, client, session_code):
    url = f"/api/v1/sessions/{session_code}/submissions"
    for raw in (b"{not json", b'{"id": "\xff\xfe"}', b"[" * 5000):
        response = client.post(url, data=raw, content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["error"]
    assert stored(app) == 0


def test_errors_are_translated(client, session_code):
    response = client.get("/api/v1/sessions/QQQQQQ?lang=en")
    assert "code" in response.get_json()["error"].lower()
    assert "código" not in response.get_json()["error"]


def test_same_submission_from_ten_threads_is_stored_once(app, session_code):
    client = app.test_client()
    body = submission(client, session_code)
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def send() -> None:
        local = app.test_client()
        barrier.wait()
        statuses.append(post(local, session_code, body).status_code)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses).count(201) == 1, statuses
    assert set(statuses) <= {200, 201}, statuses
    assert stored(app) == 1


def test_submissions_are_rate_limited_per_session(app, client, session_code):
    app.config["RATELIMIT_SUBMISSIONS"] = "3 per minute"
    codes = [
        post(client, session_code, submission(client, session_code)).status_code for _ in range(5)
    ]
    assert codes[:3] == [201, 201, 201]
    assert codes[3] == 429
