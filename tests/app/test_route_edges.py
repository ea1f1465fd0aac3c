"""The route walk's edges: objects that do not exist, methods a route does not take, and reads
that must not write. Every route of the url map is covered, with every role and anonymously,
using the access policy and the world of test_route_access.py (so new routes come along).
"""

from __future__ import annotations

from .helpers import login
from .hostile import reset_limits, snapshot
from .test_route_access import POLICY, PUBLIC, ROLES, STAFF, _url, _world

MISSING = {
    "code": "QQQQQQ",
    "submission_id": "00000000-0000-4000-8000-000000000000",
    "question_id": "no_existe",
    "fmt": "no-existe",
    "filename": "no-existe.css",
}
NOT_AN_OBJECT = {"lang"}  # /idioma/<lang> takes any value and redirects


def _missing_values(values: dict, rule) -> dict:
    changed = dict(values)
    for name in rule.arguments:
        if name in MISSING:
            changed[name] = MISSING[name]
        elif isinstance(values.get(name), int):
            changed[name] = 2_000_000_000  # a valid 32-bit key that no row has
    return changed


def _may(policy, role) -> bool:
    return policy == PUBLIC or (role is not None and (policy == STAFF or role in policy))


def test_missing_objects_are_not_found_for_those_who_may_look(app):
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    for role in (None, *ROLES):
        _walk_missing(app, values, role)


def _walk_missing(app, values, role) -> None:
    client = app.test_client()
    if role:
        login(client, f"{role}@test.co")
    seen = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.arguments & NOT_AN_OBJECT:
            continue
        if rule.endpoint in ("auth.logout", "auth.login"):
            continue
        url = _url(app, rule, _missing_values(values, rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            reset_limits()
            response = client.open(url, method=method, data={})
            response.get_data()
            response.close()
            policy = POLICY[rule.endpoint]
            if _may(policy, role):
                expected = {404}
            elif role is None:
                expected = {302, 401}
            else:
                expected = {403, 404}
            assert response.status_code in expected, (role, method, url, response.status_code)
            seen += 1
    assert seen >= 15


def test_methods_a_route_does_not_take_are_405(app):
    values = _world(app)
    anonymous, admin = app.test_client(), app.test_client()
    login(admin, "admin@test.co")
    for client in (anonymous, admin):
        _walk_methods(app, values, client)


def _walk_methods(app, values, client) -> None:
    for rule in app.url_map.iter_rules():
        url = _url(app, rule, values)
        for method in sorted({"GET", "POST", "PUT", "DELETE", "PATCH"} - rule.methods):
            reset_limits()
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url, response.status_code)
            if rule.endpoint.startswith("api."):
                assert response.get_json()["error"] == "Esta acción no está permitida aquí."
            else:
                assert "Esta acción no está permitida aquí." in response.get_data(as_text=True)


def test_reading_a_page_writes_nothing(app):
    """GET is safe: a link, a prefetch or a cross-site image can never change data."""
    values = _world(app)
    # Exports are audited by design; signing in touches the account's login counters.
    unread = ("export_log", "staff_user")
    before = snapshot(app, skip=unread)
    for role in ROLES:
        client = app.test_client()
        login(client, f"{role}@test.co")
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in ("set_language", "static"):
                continue
            reset_limits()
            response = client.get(_url(app, rule, values))
            response.get_data()
            response.close()
            assert response.status_code < 500, (role, rule.endpoint, response.status_code)
    assert snapshot(app, skip=unread) == before


QUERY_NAMES = [
    "consultation",
    "consulta",
    "session",
    "territory",
    "population",
    "age_band",
    "question",
    "line",
    "theme",
    "q",
    "date_from",
    "date_to",
    "page",
    "after",
    "before",
    "pregunta",
    "mostradas",
    "estado",
    "format",
    "saved",
    "lang",
    "code",
    "next",
]


def test_hostile_query_strings_never_break_a_page(app):
    """Every GET page, for an admin and for an anonymous visitor, with hostile query strings:
    never a 5xx, and nothing written."""
    from hypothesis import given
    from hypothesis import strategies as st

    from .hostile import FORMS_SETTINGS, hostile_text

    values = _world(app)
    admin, anonymous = app.test_client(), app.test_client()
    login(admin, "admin@test.co")
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint not in ("static", "set_language")
    ]
    urls = [(r.endpoint, _url(app, r, values).split("?")[0]) for r in rules]
    unread = ("export_log", "staff_user")
    before = snapshot(app, skip=unread)
    value = hostile_text | st.sampled_from(["9" * 30, "-1", "0", "2027-02-30", "x~1~2~3", "~~~"])
    queries = st.dictionaries(
        st.sampled_from(QUERY_NAMES), st.lists(value, min_size=1, max_size=3), max_size=6
    )

    @FORMS_SETTINGS
    @given(query=queries)
    def run(query):
        pairs = [(k, v.encode("utf-8", "surrogatepass")) for k, vs in query.items() for v in vs]
        for client in (admin, anonymous):
            for endpoint, url in urls:
                reset_limits()
                response = client.get(url, query_string=pairs)
                response.get_data()
                response.close()
                assert response.status_code < 500, (endpoint, query, response.status_code)

    run()
    assert snapshot(app, skip=unread) == before
