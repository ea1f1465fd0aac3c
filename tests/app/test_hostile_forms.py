"""Staff forms under hostile input, CSRF on every state-changing POST, and session fixation.

The forms are found, not listed: every staff page is fetched and its <form>s read, so a form
another engineer adds tomorrow is fuzzed too. A refused form (an error page, a re-rendered form,
or a redirect to an error message) changes no row of any table, and its messages are Spanish.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from consulta import create_app
from consulta.extensions import db
from consulta.models import RelatoriaNote

from .helpers import PASSWORD, csrf_token, login
from .hostile import (
    FORMS_SETTINGS,
    hostile_text,
    json_values,
    missing_tables,
    reset_limits,
    snapshot,
)
from .test_route_access import _url, _world

# Written by design on reads or failed sign-ins: the export audit log, login counters.
VOLATILE = ("export_log", "staff_user")

# WTForms' English messages: with the Spanish locale none of them may reach a page.
ENGLISH_VALIDATION = re.compile(
    r"This field is required|Not a valid|Invalid Choice|Field must be|Invalid email|"
    r"Not a valid date|Number must be|CSRF token|The CSRF|Internal Server Error|Traceback"
)


def _post_endpoints() -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.endpoint.startswith("api.")
    )


POST_ENDPOINTS = _post_endpoints()
# Sign-in and sign-out are fuzzed on their own: they would end the walk's own login.
FUZZED = [e for e in POST_ENDPOINTS if e not in ("auth.login", "auth.logout")]


class _Forms(HTMLParser):
    """Each <form method=post>: its action and, per field, the values the page offers."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or self.page_url, "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "button" and a.get("name"):
            fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "input" and name and name != "csrf_token":
            kind = (a.get("type") or "text").lower()
            value = a.get("value", "y" if kind == "checkbox" else "")
            fields.setdefault(name, []).append("<file>" if kind == "file" else value)
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, [""])

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


_HARVESTED: dict[str, dict[str, list[str]]] = {}


def _harvest(app, client, values) -> dict[str, dict[str, list[str]]]:
    """Field names and offered values of every POST form on every staff page, by endpoint.

    Read once per test run: the forms are the same on both backends."""
    if not _HARVESTED:
        _HARVESTED.update(_read_forms(app, client, values))
    return _HARVESTED


def _read_forms(app, client, values) -> dict[str, dict[str, list[str]]]:
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict[str, list[str]]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "set_language"):
            continue
        if rule.endpoint.startswith(("api.", "analyze.export")):
            continue
        url = _url(app, rule, values)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = _Forms(url)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            try:
                endpoint, _args = adapter.match(urlsplit(form["action"]).path, method="POST")
            except Exception:  # noqa: BLE001 - a form posting elsewhere is not ours to fuzz
                continue
            for name, offered in form["fields"].items():
                found.setdefault(endpoint, {}).setdefault(name, []).extend(offered)
    return found


WRONG_TYPES = ["-1", "0", "1e309", "NaN", "99999999999999999999", "2027-02-30", "", " ", "null"]
HOSTILE_KEYS = ["__proto__", "csrf_token[]", "email\x00", "a" * 300, "lines[]", "🙂"]


def _form_data(fields: dict[str, list[str]]):
    """Per field: left out, a value the page offers, a wrong type, hostile text, a huge string,
    or the same key sent several times; plus keys no form has."""

    def one(name: str, offered: list[str]):
        options = [o for o in offered if o != "<file>"] or [""]
        return st.one_of(
            st.just([]),
            st.sampled_from(options).map(lambda v: [v]),
            st.sampled_from(WRONG_TYPES).map(lambda v: [v]),
            hostile_text.map(lambda v: [v]),
            st.integers(5_000, 120_000).map(lambda n: ["\u202e😀" * (n // 3)]),
            st.lists(st.sampled_from(options) | hostile_text, min_size=2, max_size=4),
        )

    per_field = {name: one(name, offered) for name, offered in fields.items()}
    extras = st.dictionaries(st.sampled_from(HOSTILE_KEYS), hostile_text.map(lambda v: [v]))
    return st.tuples(st.fixed_dictionaries(per_field), extras)


def _encodable(value: str) -> str:
    """A form body is bytes: a lone surrogate cannot travel in it (JSON bodies keep them)."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _multidict(chosen: dict[str, list[str]]) -> MultiDict:
    return MultiDict([(_encodable(k), _encodable(v)) for k, vs in chosen.items() for v in vs])


def _failed(client, response) -> bool:
    """Whether the form was refused: an error status, the form shown again, or a redirect to a
    page whose message is an error."""
    if response.status_code != 302:
        return True
    landing = client.get(response.headers["Location"])
    return "flash-error" in landing.get_data(as_text=True)


def _assert_no_leak(response, where: str = "") -> None:
    assert response.status_code < 500, (where, response.get_data(as_text=True)[:500])
    body = response.get_data(as_text=True)
    leak = ENGLISH_VALIDATION.search(body)
    assert not leak, (where, response.status_code, leak.group(0))


def test_staff_forms_survive_hostile_input(app):
    """One world per backend, every form in turn (closing the session comes last)."""
    app.config["WTF_CSRF_ENABLED"] = False  # validation is under test here; CSRF just below
    values = _world(app)
    client = app.test_client()
    login(client, "admin@test.co")  # admins pass every role check
    forms = _harvest(app, client, values)
    assert {"facilitate.add_note", "admin.users", "facilitate.create"} <= set(forms)
    for endpoint in sorted(FUZZED, key=lambda e: (e == "facilitate.close", e)):
        _fuzz(app, client, values, endpoint, forms.get(endpoint, {}))
    assert not missing_tables(app)


def _fuzz(app, client, values, endpoint: str, fields: dict[str, list[str]]) -> None:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = _url(app, rule, values)

    @FORMS_SETTINGS
    @given(data=_form_data(fields), as_json=st.integers(0, 9))
    def run(data, as_json):
        reset_limits()
        chosen, extras = data
        form = _multidict({**chosen, **extras})
        for name, offered in fields.items():
            if "<file>" in offered and name not in chosen:
                form[name] = (io.BytesIO(json.dumps(extras).encode()), "respuestas.json")
        before = snapshot(app, skip=VOLATILE)
        if as_json == 0:  # a script posting JSON where a form is expected
            response = client.post(url, json=chosen)
        else:
            response = client.post(url, data=form)
        _assert_no_leak(response, endpoint)
        if _failed(client, response):
            assert snapshot(app, skip=VOLATILE) == before, (endpoint, response.status_code)

    run()


@FORMS_SETTINGS
@given(
    email=hostile_text | st.sampled_from(["admin@test.co", "a@b", "x" * 300 + "@test.co"]),
    password=hostile_text | st.just(PASSWORD + "\x00") | st.just("p" * 100_000),
)
def test_login_form_survives_hostile_input(app, client, email, password):
    app.config["WTF_CSRF_ENABLED"] = False
    reset_limits()
    before = snapshot(app, skip=VOLATILE)
    response = client.post("/login", data=_multidict({"email": [email], "password": [password]}))
    _assert_no_leak(response)
    assert response.status_code in (200, 401, 413, 422), response.status_code
    assert snapshot(app, skip=VOLATILE) == before


def test_json_bodies_to_staff_forms_are_refused(app):
    """Staff forms are HTML forms: JSON of any shape (Flask-WTF would read it as the fields,
    numbers and lists included) is a 400 with a Spanish page, and nothing changes."""
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "admin@test.co")
    bodies = [
        b"[1, 2, 3]",
        b'{"title": {"a": 1}, "purpose": [1, 2], "retention_until": 5, "email": 1}',
        b"[" * 20_000,
        b"{bad",
        b'"\\ud800"',
    ]
    for endpoint in FUZZED:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = _url(app, rule, values)
        for body in bodies:
            reset_limits()
            before = snapshot(app, skip=VOLATILE)
            response = client.post(url, data=body, content_type="application/json")
            assert response.status_code == 400, (endpoint, body[:20], response.status_code)
            assert "La solicitud no se pudo leer." in response.get_data(as_text=True)
            assert snapshot(app, skip=VOLATILE) == before, endpoint


def test_a_hostile_tablet_export_imports_nothing_and_says_so(app):
    """The facilitator's upload of a tablet export: garbage files and garbage entries are
    refused one by one, with a Spanish summary, and store nothing."""
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "facilitator@test.co")
    url = f"/sesiones/{values['encounter_id']}/importar"
    code = values["code"]
    entries = st.lists(
        st.fixed_dictionaries({"code": st.sampled_from([code, code.lower(), "QQQQQQ"])})
        .map(dict)
        .flatmap(lambda e: json_values.map(lambda v: {**e, "submission": v})),
        max_size=4,
    )
    files = st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda v: json.dumps(v).encode()),
        entries.map(
            lambda items: json.dumps(
                {"format": "consulta-outbox", "submissions": items}, ensure_ascii=False
            ).encode("utf-8", "surrogatepass")
        ),
    )

    @FORMS_SETTINGS
    @given(content=files)
    def run(content):
        reset_limits()
        before = snapshot(app, skip=VOLATILE)
        response = client.post(url, data={"file": (io.BytesIO(content), "respuestas.json")})
        assert response.status_code == 302, response.status_code
        landing = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Importación: 0 guardadas" in landing or "flash-error" in landing
        _assert_no_leak(client.get(response.headers["Location"]), "import")
        assert snapshot(app, skip=VOLATILE) == before

    run()


def test_a_body_over_the_limit_is_refused_with_a_translated_page(app):
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "admin@test.co")
    before = snapshot(app, skip=VOLATILE)
    url = f"/sesiones/{values['encounter_id']}/notas"
    response = client.post(url, data={"activity": "general", "text": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "El contenido es demasiado grande." in response.get_data(as_text=True)
    assert snapshot(app, skip=VOLATILE) == before


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
    forms = _harvest(app, admin, values)
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


def test_files_where_a_form_expects_text_are_refused(app):
    """Flask-WTF hands file parts to text fields, where WTForms' validators raised TypeError:
    every staff POST refuses a file under a name no form declares as an upload."""
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "admin@test.co")
    forms = _harvest(app, client, values)
    for endpoint in FUZZED:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        names = [n for n, offered in forms.get(endpoint, {}).items() if "<file>" not in offered]
        data = {name: (io.BytesIO(b"x"), "a.txt") for name in names or ["title"]}
        before = snapshot(app, skip=VOLATILE)
        response = client.post(_url(app, rule, values), data=data)
        assert response.status_code == 400, (endpoint, response.status_code)
        assert "La solicitud no se pudo leer." in response.get_data(as_text=True)
        assert snapshot(app, skip=VOLATILE) == before, endpoint
    # The one upload the app has still works.
    response = client.post(
        f"/sesiones/{values['encounter_id']}/importar",
        data={"file": (io.BytesIO(b'{"format": "consulta-outbox", "submissions": []}'), "a.json")},
    )
    assert response.status_code == 302
