"""Staff forms under hostile input: never a 500, a refused form changes nothing, Spanish errors.

The forms are found, not listed: every staff page is fetched and its <form>s read, so a form
another engineer adds tomorrow is fuzzed too. A refused form (an error page, a re-rendered form,
or a redirect to an error message) changes no row of any table, and its messages are Spanish.
"""

from __future__ import annotations

import io
import json
import re

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from .form_harvest import FUZZED, harvest
from .helpers import PASSWORD, login
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
    forms = harvest(app, client, values)
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


def test_files_where_a_form_expects_text_are_refused(app):
    """Flask-WTF hands file parts to text fields, where WTForms' validators raised TypeError:
    every staff POST refuses a file under a name no form declares as an upload."""
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    client = app.test_client()
    login(client, "admin@test.co")
    forms = harvest(app, client, values)
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
