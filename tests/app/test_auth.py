"""Staff sign-in: hashed passwords, lock-out, expiring sessions, role checks, CSRF."""

from __future__ import annotations

import pytest

from consulta.extensions import db
from consulta.models import Consultation, User

from .helpers import PASSWORD, csrf_token, login, make_session, make_user

STAFF_PAGES = {
    "/sesiones/": {"facilitator", "admin"},
    "/sesiones/nueva": {"facilitator", "admin"},
    "/admin/consultas": {"admin"},
    "/admin/usuarios": {"admin"},
}


def test_password_is_stored_as_argon2id(app):
    make_user(app, "analyst")
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_and_logout(app, client):
    make_user(app, "facilitator")
    response = login(client, "facilitator@test.co")
    assert response.status_code == 302
    assert client.get("/sesiones/").status_code == 200
    page = client.get("/sesiones/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert client.get("/sesiones/").status_code == 302  # back to the login page


def test_logout_invalidates_a_copied_cookie(app, client):
    make_user(app, "facilitator")
    login(client, "facilitator@test.co")
    stolen = client.get_cookie("session").value
    page = client.get("/sesiones/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/sesiones/").status_code == 302


def test_wrong_password_is_refused_with_a_message(app, client):
    make_user(app, "facilitator")
    response = login(client, "facilitator@test.co", "not the password at all")
    assert response.status_code == 401
    assert "incorrectos" in response.get_data(as_text=True)


def test_repeated_failures_lock_the_account(app, client):
    make_user(app, "facilitator")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "facilitator@test.co", "wrong password guess")
    response = login(client, "facilitator@test.co")  # even the right password now waits
    assert response.status_code == 401
    assert "bloqueada" in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited(app, client):
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    statuses = [login(client, "nobody@test.co", "whatever password").status_code for _ in range(5)]
    assert 429 in statuses


def test_staff_session_expires(app, client):
    make_user(app, "facilitator")
    login(client, "facilitator@test.co")
    cookie = client.get_cookie("session")
    assert cookie.expires is not None  # a permanent, time-limited cookie: no "remember me forever"
    assert app.permanent_session_lifetime.total_seconds() <= 12 * 3600


def test_login_without_csrf_token_is_refused(app, client):
    make_user(app, "facilitator")
    response = client.post("/login", data={"email": "facilitator@test.co", "password": PASSWORD})
    assert response.status_code == 400
    assert "formulario" in response.get_data(as_text=True)
    assert client.get("/sesiones/").status_code == 302


@pytest.mark.parametrize("role", ["admin", "facilitator", "analyst", "safeguarding"])
def test_every_staff_page_checks_the_role(app, role):
    make_user(app, role)
    client = app.test_client()
    login(client, f"{role}@test.co")
    for path, allowed in STAFF_PAGES.items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path, status)


def test_anonymous_users_are_sent_to_login(client):
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_facilitators_see_only_their_own_sessions(app, client, consultation):
    own = make_user(app, "facilitator", "own@test.co")
    other = make_user(app, "facilitator", "other@test.co")
    make_session(app, consultation, facilitator_id=other)
    make_session(app, consultation, facilitator_id=own)
    login(client, "own@test.co")
    with app.app_context():
        from consulta.models import Encounter

        theirs = db.session.scalar(db.select(Encounter).filter_by(created_by_id=other))
        mine = db.session.scalar(db.select(Encounter).filter_by(created_by_id=own))
        assert db.session.get(Consultation, consultation)
    assert client.get(f"/sesiones/{mine.id}").status_code == 200
    assert client.get(f"/sesiones/{theirs.id}").status_code == 403
