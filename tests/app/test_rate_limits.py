"""Every public route has a rate limit (consulta/ratelimits.py), and it bites.

A new public page without a limit fails here: add ``@public_page()`` (or a tighter named limit)
to it, or, if it truly needs none, put it in ``NO_LIMIT`` with the reason.
"""

from __future__ import annotations

import re

from flask_limiter.util import get_qualified_name

from consulta.extensions import limiter

from .test_route_access import POLICY, PUBLIC, _url, _world

# Public endpoints deliberately without a Flask-Limiter limit, and why.
NO_LIMIT = {
    # nginx serves /static/ in production (docs/deploy.md); Flask-Limiter never limits it.
    "static": "served by nginx",
}


def _public_endpoints(app) -> list[str]:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    return sorted(e for e in endpoints if POLICY.get(e) == PUBLIC and e not in NO_LIMIT)


def _declared(app, endpoint: str, method: str | None = None) -> list:
    """The limits Flask-Limiter would apply to this endpoint (and method), as configured now."""
    view = app.view_functions[endpoint]
    blueprint = endpoint.rpartition(".")[0] or None
    with app.test_request_context():
        found = limiter.limit_manager.decorated_limits(get_qualified_name(view))
        if blueprint:
            found += limiter.limit_manager.blueprint_limits(app, blueprint)
    if method:
        found = [lim for lim in found if not lim.methods or method.lower() in lim.methods]
    return found


def test_every_public_route_declares_a_rate_limit(app):
    missing = [e for e in _public_endpoints(app) if not _declared(app, e)]
    assert missing == [], f"public routes without a rate limit: {missing}"


def test_every_public_route_answers_429_past_its_limit(app):
    """Configured limits at 2 per minute; past its tightest limit, each route says 429."""
    app.config["WTF_CSRF_ENABLED"] = False
    values = _world(app)
    for key, value in list(app.config.items()):
        if key.startswith("RATELIMIT_") and isinstance(value, str) and re.match(r"\d+ per ", value):
            app.config[key] = "2 per minute"
    limiter.reset()
    unlimited = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in _public_endpoints(app):
            continue
        url = _url(app, rule, values)
        if rule.endpoint == "participate.join":
            url += "&code=HJKMNP"  # a wrong code: the guessing limit counts it
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            tightest = min(lim.limit.amount for lim in _declared(app, rule.endpoint, method))
            client = app.test_client()  # no cookie carried over: the limit is per client
            statuses = [
                client.open(url, method=method, data={}).status_code for _ in range(tightest + 1)
            ]
            if statuses[-1] != 429:
                unlimited.append((method, url, statuses[-3:]))
    assert unlimited == []


def test_limits_are_not_registered_again_by_each_app(app, tmp_path):
    """A limit declared inside the app factory would count each request once per app built."""
    from consulta import create_app

    before = {e: len(_declared(app, e)) for e in _public_endpoints(app)}
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'again.db'}"})
    after = {e: len(_declared(app, e)) for e in _public_endpoints(app)}
    assert after == before
