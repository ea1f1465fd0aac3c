"""Staff sessions under attack: CSRF on every state-changing POST (found in the url map),
session fixation, forged and garbage cookies, and ?next= open redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from consulta import create_app
from consulta.extensions import db

from .form_harvest import POST_ENDPOINTS, harvest
from .helpers import PASSWORD, csrf_token, login
from .hostile import (
    FORMS_SETTINGS,
    reset_limits,
    snapshot,
)
from .test_hostile_forms import VOLATILE
from .test_route_access import _url, _world

# --- CSRF ------------------------------------------------------------------------------------

CSRF_MESSAGE = {
    "es": "El formulario caducó o no es válido.",
    "en": None,  # read from the English catalogue below
}


def _plausible(fields: dict[str, list[str]]) -> dict[str, str]:
    return {name: next((o for o in offered if o), "x") for name, offered in fields.items()}


def test_every_state_changing_post_needs_a_csrf_token(app):
    """Every staff POST, found in the url map, refuses a missing or forged token with 400."""
    assert app.config.get("WTF_CSRF_ENABLED", True)
    values = _world(app)
    admin = app.test_client()
    login(admin, "admin@test.co")
    forms = harvest(app, admin, values)
    anonymous = app.test_client()
    english = app.test_client()
    login(english, "analyst@test.co")
    english.get("/idioma/en")
    en_message = _english(CSRF_MESSAGE["es"])
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in POST_ENDPOINTS]
    assert {r.endpoint for r in rules} >= {"auth.login", "facilitate.add_note", "admin.users"}
    for rule in rules:
        url = _url(app, rule, values)
        data = _plausible(forms.get(rule.endpoint, {}))
        attempts = [
            (admin, data, "es"),
            (admin, {**data, "csrf_token": "forged." + "a" * 40}, "es"),
            (anonymous, data, "es"),
            (english, data, "en"),
        ]
        for client, body, lang in attempts:
            reset_limits()
            before = snapshot(app, skip=("export_log",))
            response = client.post(url, data=body)
            assert response.status_code == 400, (rule.endpoint, lang, response.status_code)
            page = response.get_data(as_text=True)
            expected = CSRF_MESSAGE["es"] if lang == "es" else en_message
            assert expected in page, (rule.endpoint, lang)
            assert snapshot(app, skip=("export_log",)) == before, rule.endpoint


def test_a_token_from_another_session_is_refused(app):
    values = _world(app)
    attacker, victim = app.test_client(), app.test_client()
    login(attacker, "facilitator@test.co")
    login(victim, "facilitator@test.co")
    token = csrf_token(attacker.get(f"/sesiones/{values['encounter_id']}").get_data(as_text=True))
    before = snapshot(app, skip=VOLATILE)
    response = victim.post(
        f"/sesiones/{values['encounter_id']}/notas",
        data={"csrf_token": token, "activity": "general", "text": "Nota plantada"},
    )
    assert response.status_code == 400
    assert snapshot(app, skip=VOLATILE) == before


def _english(spanish_prefix: str) -> str:
    from babel.messages.pofile import read_po

    from .hostile import CATALOGUE

    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if isinstance(message.id, str) and message.id.startswith(spanish_prefix):
            return message.string.split(".")[0]
    raise AssertionError(f"no English translation for {spanish_prefix!r}")


# --- session fixation -----------------------------------------------------------------------


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie(client.application.config.get("SESSION_COOKIE_NAME", "session"))
    return cookie.value if cookie else None


def test_login_issues_a_new_session_and_a_planted_one_stays_anonymous(app):
    """An attacker who plants their own pre-login cookie in a victim's browser gains nothing."""
    from .helpers import make_user

    make_user(app, "facilitator")
    attacker = app.test_client()
    page = attacker.get("/login").get_data(as_text=True)
    planted = _session_cookie(attacker)
    planted_token = csrf_token(page)
    assert planted, "the login page sets a session cookie (for its CSRF token)"

    victim = app.test_client()
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    victim.set_cookie(name, planted)
    response = victim.post(
        "/login",
        data={"email": "facilitator@test.co", "password": PASSWORD, "csrf_token": planted_token},
    )
    assert response.status_code == 302
    after = _session_cookie(victim)
    assert after and after != planted
    assert victim.get("/sesiones/").status_code == 200

    # The attacker's copy of the planted cookie is still an anonymous session...
    assert attacker.get("/sesiones/").status_code == 302
    # ...and its CSRF token does not work in the victim's new session.
    response = victim.post("/logout", data={"csrf_token": planted_token})
    assert response.status_code == 400


def test_a_cookie_signed_with_another_key_is_ignored(app):
    from flask.sessions import SecureCookieSessionInterface

    from .helpers import make_user

    user_id = make_user(app, "admin")
    forger = create_app({"SECRET_KEY": "not-the-real-key", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    with app.app_context():
        from consulta.models import User

        nonce = db.session.get(User, user_id).session_nonce
    forged = serializer.dumps({"_user_id": f"{user_id}:{nonce}", "_fresh": True})
    client = app.test_client()
    client.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), forged)
    assert client.get("/admin/usuarios").status_code == 302


# --- open redirects -------------------------------------------------------------------------

# Browsers drop tabs and newlines from a URL and read "\" as "/": each of these means another host.
ELSEWHERE = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    " //evil.example",
]


def test_next_never_leaves_the_site(app):
    from .helpers import make_user

    app.config["WTF_CSRF_ENABLED"] = False
    make_user(app, "admin")
    for target in ELSEWHERE:
        reset_limits()
        response = app.test_client().get("/idioma/en", query_string={"next": target})
        assert response.status_code == 302
        location = response.headers["Location"]
        assert urlsplit(location).netloc in ("", "localhost"), (target, location)
        assert not location.startswith("//") and "evil" not in location, (target, location)
        client = app.test_client()
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": "admin@test.co", "password": PASSWORD},
        )
        assert response.status_code == 302 and "evil" not in response.headers["Location"]
    # A path on the site is still where the language switch and the sign-in send you back.
    back = app.test_client().get("/idioma/en", query_string={"next": "/analisis/respuestas?q=a+b"})
    assert back.headers["Location"] == "/analisis/respuestas?q=a+b"


@FORMS_SETTINGS
@given(
    cookie=st.one_of(
        st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=300),
        st.sampled_from(["", ".", "e30.x.y", "." * 4000, "eyJfdXNlcl9pZCI6IjE6eCJ9.AAAA.BBBB"]),
    )
)
def test_a_garbage_session_cookie_is_just_an_anonymous_visitor(app, client, cookie):
    reset_limits()
    client.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), cookie)
    assert client.get("/sesiones/").status_code == 302
    assert client.get("/login").status_code == 200
    response = client.post("/logout")
    assert response.status_code in (302, 400, 401)
