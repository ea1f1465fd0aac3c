"""Anonymity by construction: what a participant sends cannot point back to them."""

from __future__ import annotations

import logging

from sqlalchemy import Date, DateTime, Integer, inspect, text

from consulta.extensions import db
from consulta.models.submissions import PARTICIPANT_COLUMNS

from .helpers import submission

FORBIDDEN_FRAGMENTS = (
    "name",
    "nombre",
    "document",
    "cedula",
    "phone",
    "telefono",
    "email",
    "correo",
    "address",
    "direccion",
    "birth",
    "nacimiento",
    "ip",
    "agent",
    "device",
    "fingerprint",
    "created",
    "time",
)
SPY_ADDRESS = "203.0.113.77"
SPY_AGENT = "SpyTablet/9.9 (distinctive-agent-7f3a)"


def test_participant_tables_have_only_allowed_columns(app):
    with app.app_context():
        inspector = inspect(db.engine)
        for table, allowed in PARTICIPANT_COLUMNS.items():
            columns = {c["name"] for c in inspector.get_columns(table)}
            assert columns == allowed, f"{table} has columns outside the allow-list"
            for column in columns:
                assert not any(f in column.split("_") for f in FORBIDDEN_FRAGMENTS), column


def test_submission_time_is_a_day_and_keys_are_not_sequential(app):
    with app.app_context():
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("submission")}
        assert isinstance(columns["received_on"]["type"], Date)
        assert not isinstance(columns["received_on"]["type"], DateTime)
        for table in PARTICIPANT_COLUMNS:
            for column in inspect(db.engine).get_columns(table):
                assert not isinstance(column["type"], DateTime), (table, column["name"])
                if column.get("autoincrement") is True:
                    assert not isinstance(column["type"], Integer), (table, column["name"])


def test_submissions_cannot_be_ordered_by_arrival(app, client, session_code):
    ids = []
    for _ in range(6):
        body = submission(client, session_code)
        ids.append(body["id"])
        assert (
            client.post(f"/api/v1/sessions/{session_code}/submissions", json=body).status_code
            == 201
        )
    with app.app_context():
        rows = db.session.execute(text("SELECT id, received_on FROM submission")).all()
    assert len({r.received_on for r in rows}) == 1  # all the same day: nothing finer is kept
    # The only key is the UUID the tablet drew at random: the server adds no sequence of its own.
    assert {r.id for r in rows} == set(ids)


def test_forwarded_address_and_user_agent_are_kept_nowhere(app, client, session_code, caplog):
    caplog.set_level(logging.DEBUG)
    body = submission(client, session_code)
    headers = {"X-Forwarded-For": SPY_ADDRESS, "User-Agent": SPY_AGENT, "X-Real-IP": SPY_ADDRESS}
    response = client.post(
        f"/api/v1/sessions/{session_code}/submissions",
        json=body,
        headers=headers,
        environ_base={"REMOTE_ADDR": SPY_ADDRESS},
    )
    assert response.status_code == 201
    client.get(
        f"/api/v1/sessions/{session_code}",
        headers=headers,
        environ_base={"REMOTE_ADDR": SPY_ADDRESS},
    )
    logged = caplog.text
    assert SPY_ADDRESS not in logged and "distinctive-agent" not in logged
    assert "203.0.113" not in _database_dump(app)
    assert "distinctive-agent" not in _database_dump(app)


def _database_dump(app) -> str:
    """Every value of every table, plus the raw SQLite files (WAL included) when on SQLite."""
    parts = []
    with app.app_context():
        db.session.remove()
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()).all():
                parts.append(repr(tuple(row)))
    if app.config["BACKEND"] == "sqlite":
        base = app.config["DB_FILE"]
        for path in (base, base.with_name(base.name + "-wal")):
            if path.exists():
                parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def test_participant_routes_set_no_persistent_cookie(client, session_code):
    body = submission(client, session_code)
    responses = [
        client.get(f"/api/v1/sessions/{session_code}"),
        client.post(f"/api/v1/sessions/{session_code}/submissions", json=body),
        client.get(f"/k/{session_code}"),
        client.get(f"/k/{session_code}?lang=en"),
        client.get("/k"),
    ]
    for response in responses:
        assert response.status_code < 500
        assert not response.headers.getlist("Set-Cookie"), response.request.path
