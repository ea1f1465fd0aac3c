"""When the store is away (restarting, unreachable, locked) tablets get a clear 503 they retry,
nothing is half-written, and the resend is stored exactly once."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy.exc import InterfaceError, OperationalError

from consulta import create_app
from consulta.extensions import db
from consulta.models import Answer, Consultation, Submission
from consulta.services import encounters, instruments, submissions

from .helpers import make_session, submission


def _post(client, code, body, lang=""):
    return client.post(f"/api/v1/sessions/{code}/submissions{lang}", json=body)


def _rows(app, submission_id: str) -> tuple[int, int]:
    with app.app_context():
        found = db.session.query(Submission).filter_by(id=submission_id).count()
        answers = db.session.query(Answer).filter_by(submission_id=submission_id).count()
        return found, answers


def _fail_after_writing(monkeypatch, error: Exception) -> None:
    """The submission and its answers reach the database, then the connection fails."""
    register = submissions.ideas.register

    def failing(*args, **kwargs):
        register(*args, **kwargs)
        db.session.flush()
        raise error

    monkeypatch.setattr(submissions.ideas, "register", failing)


def _assert_clear_503(response, words: str) -> None:
    assert response.status_code == 503
    assert words in response.get_json()["error"]
    assert int(response.headers["Retry-After"]) > 0


LOST = OperationalError("COMMIT", None, Exception("server closed the connection unexpectedly"))
CLOSED = InterfaceError(
    "INSERT", None, Exception("the connection is closed"), connection_invalidated=True
)


@pytest.mark.parametrize("error", [LOST, CLOSED], ids=["operational", "invalidated"])
def test_store_lost_mid_write_is_503_and_the_resend_is_stored_once(
    app, client, session_code, monkeypatch, error
):
    body = submission(client, session_code, text="Que pongan luces en la cancha")
    with monkeypatch.context() as patch:
        _fail_after_writing(patch, error)
        _assert_clear_503(_post(client, session_code, body), "no está disponible")
        _assert_clear_503(_post(client, session_code, body, "?lang=en"), "not available")
    assert _rows(app, body["id"]) == (0, 0)

    assert _post(client, session_code, body).status_code == 201
    assert _post(client, session_code, body).status_code == 200
    assert _rows(app, body["id"]) == (1, len(body["answers"]))


def test_session_lookup_while_the_store_is_away_is_503(client, session_code, monkeypatch):
    def unreachable(_code):
        raise OperationalError("SELECT", None, Exception("connection refused"))

    monkeypatch.setattr(encounters, "by_code", unreachable)
    _assert_clear_503(client.get(f"/api/v1/sessions/{session_code}"), "no está disponible")


def test_a_real_bug_is_still_a_500(client, session_code, monkeypatch):
    def broken(*_args, **_kwargs):
        raise InterfaceError("INSERT", None, Exception("bad parameter"))  # connection still fine

    body = submission(client, session_code)
    monkeypatch.setattr(submissions.ideas, "register", broken)
    assert _post(client, session_code, body).status_code == 500


@pytest.fixture
def sqlite_app(tmp_path):
    """Its own SQLite file with a short busy timeout, so a held lock answers quickly."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'locked.db'}",
            "SECRET_KEY": "test-secret",
            "SQLITE_BUSY_TIMEOUT_MS": 200,
        }
    )
    with app.app_context():
        db.create_all()
        instruments.load_definitions()
        row = Consultation(title="Cierre", purpose="Probar", retention_until=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        consultation_id = row.id
    app.config["CODE"] = make_session(app, consultation_id)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_locked_sqlite_file_is_503_then_the_resend_is_stored_once(sqlite_app, tmp_path):
    client = sqlite_app.test_client()
    code = sqlite_app.config["CODE"]
    body = submission(client, code)
    other = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        _assert_clear_503(_post(client, code, body), "no está disponible")
        # Reading goes on (WAL): the tablet can still load its questions.
        assert client.get(f"/api/v1/sessions/{code}").status_code == 200
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _rows(sqlite_app, body["id"]) == (0, 0)
    assert _post(client, code, body).status_code == 201
    assert _rows(sqlite_app, body["id"]) == (1, len(body["answers"]))


def test_store_gone_after_the_answer_was_built_keeps_the_answer(
    app, client, session_code, monkeypatch
):
    """PostgreSQL restarting between building a reply and ending the request (the ROLLBACK at
    the end fails) must not turn a good reply into a 500."""
    with app.app_context():
        dialect = db.engine.dialect

    def gone(connection):
        # The server went away: the driver's connection is closed under the pool's feet.
        getattr(connection, "dbapi_connection", connection).close()
        raise dialect.loaded_dbapi.OperationalError("terminating connection")

    monkeypatch.setattr(dialect, "do_rollback", gone)
    response = client.get(f"/api/v1/sessions/{session_code}")
    assert response.status_code == 200
    assert response.get_json()["code"] == session_code
    monkeypatch.undo()
    assert client.get(f"/api/v1/sessions/{session_code}").status_code == 200
