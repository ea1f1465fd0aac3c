"""Production settings: the start-up guard, cookies, security headers, and rate limits that hold
across gunicorn workers."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import uuid
from datetime import date
from pathlib import Path

import pytest

from consulta import create_app
from consulta.config import DEV_SECRET_KEY
from consulta.extensions import db
from consulta.models import Consultation
from consulta.services import instruments

from .helpers import PASSWORD, csrf_token, make_session, make_user

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(48)
HTTPS = "https://consulta.example.org"
# A browser posting the login form over HTTPS sends this (Referrer-Policy: same-origin), and
# Flask-WTF's HTTPS check requires it.
FROM_LOGIN = {"Referer": f"{HTTPS}/login"}


def production_app(tmp_path, **extra):
    config = {
        "CONSULTA_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
        "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
        **extra,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        instruments.load_definitions()
        row = Consultation(title="Prod", purpose="Probar", retention_until=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        app.config["TEST_CONSULTATION"] = row.id
    return app


@pytest.fixture
def prod(tmp_path):
    app = production_app(tmp_path)
    yield app
    from consulta.extensions import limiter

    limiter.reset()


@pytest.mark.parametrize(
    "key", [None, "", DEV_SECRET_KEY, "short-but-not-empty", "a" * 64], ids=str
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    with pytest.raises(SystemExit) as stopped:
        create_app({"CONSULTA_ENV": "production", "SECRET_KEY": key})
    message = str(stopped.value.code)
    assert "SECRET_KEY" in message and "refuses to start" in message


def test_the_refusal_is_a_clear_message_and_a_failing_exit_status(tmp_path):
    env = {**os.environ, "CONSULTA_ENV": "production", "SECRET_KEY": "changeme"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    done = subprocess.run(
        [sys.executable, "-c", "import run"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "SECRET_KEY has 8 characters" in done.stderr
    assert "Traceback" not in done.stderr


def test_development_still_starts_with_the_development_key(tmp_path):
    app = create_app({"SECRET_KEY": DEV_SECRET_KEY})
    assert app.config["CONSULTA_ENV"] != "production"


def test_staff_cookie_is_secure_host_only_httponly_and_lax(prod):
    make_user(prod, "facilitator")
    client = prod.test_client()
    page = client.get("/login", base_url=HTTPS)
    assert page.status_code == 200
    cookies = page.headers.getlist("Set-Cookie")
    cookie = next(c for c in cookies if c.startswith("__Host-consulta="))
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Domain=" not in cookie
    token = csrf_token(page.get_data(as_text=True))
    data = {"email": "facilitator@test.co", "password": PASSWORD, "csrf_token": token}
    signed_in = client.post("/login", data=data, base_url=HTTPS, headers=FROM_LOGIN)
    assert signed_in.status_code == 302
    assert client.get("/sesiones/", base_url=HTTPS).status_code == 200


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/k", "/login", "/k/sw.js"])
def test_security_headers_on_public_pages(prod, path):
    response = prod.test_client().get(path, base_url=HTTPS)
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["default-src"] == "default-src 'self'"
    assert csp["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert "unsafe-inline" not in csp["style-src"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["worker-src"] == "worker-src 'self'"
    assert csp["img-src"] == "img-src 'self' data:"
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Participants' pages send no Referer; staff pages only to this origin (CSRF check).
    expected = "same-origin" if path == "/login" else "no-referrer"
    assert headers["Referrer-Policy"] == expected
    assert headers["X-Frame-Options"] == "DENY"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in headers["Permissions-Policy"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_and_https_redirect_only_in_production(app, prod):
    dev = app.test_client().get("/k", base_url=HTTPS)
    assert "Strict-Transport-Security" not in dev.headers
    assert "Content-Security-Policy" in dev.headers  # the CSP is on in tests and development
    assert app.test_client().get("/k").status_code == 200  # no redirect in development

    plain = prod.test_client().get("/k", base_url="http://consulta.example.org")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("https://consulta.example.org/k")
    assert "Strict-Transport-Security" not in plain.headers


def test_behind_nginx_the_forwarded_scheme_counts(prod):
    """nginx speaks plain HTTP to gunicorn and says X-Forwarded-Proto: https (ProxyFix)."""
    response = prod.test_client().get(
        "/k", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    )
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def test_login_is_throttled_in_production(prod):
    prod.config["RATELIMIT_LOGIN"] = "4 per minute"
    client = prod.test_client()
    token = csrf_token(client.get("/login", base_url=HTTPS).get_data(as_text=True))
    data = {"email": "nadie@test.co", "password": "una clave equivocada", "csrf_token": token}
    statuses = [
        client.post("/login", data=data, base_url=HTTPS, headers=FROM_LOGIN).status_code
        for _ in range(6)
    ]
    assert statuses[:4] == [401] * 4
    assert statuses[4:] == [429, 429]


def test_join_code_guessing_is_throttled(prod):
    prod.config["RATELIMIT_JOIN_MISSES"] = "10 per minute"
    code = make_session(prod, prod.config["TEST_CONSULTATION"])
    client = prod.test_client()
    # Right codes never count: a whole class joining is not a guesser.
    for _ in range(15):
        assert client.get(f"/k/{code}", base_url=HTTPS).status_code == 200
    guesses = ["/k?code=HJKMNP", "/k/HJKMNQ", "/api/v1/sessions/HJKMNR"] * 5
    statuses = [client.get(path, base_url=HTTPS).status_code for path in guesses]
    assert statuses[:10] == [404] * 10  # wrong codes on every route share one count
    assert set(statuses[10:]) == {429}
    # The tablet API answers in JSON, with the translated message.
    refused = client.get("/api/v1/sessions/HJKMNT", base_url=HTTPS)
    assert refused.status_code == 429 and "error" in refused.get_json()
    # Posting to guessed codes counts too (the per-session limit alone would not stop it).
    assert client.post("/api/v1/sessions/HJKMNV/submissions", json={}).status_code == 429


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


WORKER = textwrap.dedent(
    """
    import json, sys
    from consulta import create_app
    from consulta.extensions import db
    app = create_app({
        "SECRET_KEY": sys.argv[1], "SQLALCHEMY_DATABASE_URI": sys.argv[2],
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": sys.argv[3],
        "RATELIMIT_JOIN_MISSES": "5 per minute",
    })
    with app.app_context():
        db.create_all()
    client = app.test_client()
    print(json.dumps([client.get("/k?code=HJKMNP").status_code for _ in range(3)]))
    """
)


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_rate_limits_are_shared_by_processes_through_redis(tmp_path):
    """Two processes (two gunicorn workers) count the same client under the same key."""
    key, prefix = secrets.token_urlsafe(48), f"consulta-test-{uuid.uuid4().hex}"
    uri = f"sqlite:///{tmp_path / 'shared.db'}"
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", WORKER, key, uri, prefix],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert runs[0] == [404, 404, 404]
    assert runs[1] == [404, 404, 429]  # 5 misses in all: the second process saw the first's


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_env(tmp_path, key: str) -> dict:
    env = {**os.environ, "CONSULTA_ENV": "production", "SECRET_KEY": key}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'g.db'}",
        GUNICORN_WORKERS="2",
        CONSULTA_SKIP_WARMUP="1",  # the spaCy model is not needed to serve the pages below
    )
    env.pop("REDIS_URL", None)
    return env


GUNICORN = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]


def test_gunicorn_refuses_a_weak_key_before_starting_workers(tmp_path):
    done = subprocess.run(
        [*GUNICORN, "--bind", f"127.0.0.1:{_free_port()}", "run:app"],
        cwd=ROOT,
        env=_gunicorn_env(tmp_path, DEV_SECRET_KEY),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SECRET_KEY is the development default" in done.stderr
    assert "Booting worker" not in done.stderr


def test_gunicorn_serves_with_the_production_headers_and_no_access_log(tmp_path):
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    env = _gunicorn_env(tmp_path, STRONG_KEY)
    production_app(tmp_path.joinpath("schema"), SQLALCHEMY_DATABASE_URI=env["DATABASE_URL"])
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "run:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/k",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.23"},
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    headers = response.headers
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=60)
    assert log.count("Booting worker") == 2
    assert "GET /k 200" in log  # Consulta's own request line
    assert "198.51.100.23" not in log and "Python-urllib" not in log  # no address, no agent


def test_a_views_own_referrer_policy_is_kept(tmp_path):
    """A page outside the participants' blueprints can still ask for no Referer at all."""
    app = production_app(tmp_path)

    def public_sheet():
        return "ok", 200, {"Referrer-Policy": "no-referrer"}

    app.add_url_rule("/hoja-publica", "public_sheet", public_sheet)
    response = app.test_client().get("/hoja-publica", base_url=HTTPS)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Content-Security-Policy" in response.headers
    staff_page = app.test_client().get("/login", base_url=HTTPS)
    assert staff_page.headers["Referrer-Policy"] == "same-origin"


def test_public_wall_and_devolucion_send_no_referer(app, consultation):
    """Children open these from a QR: the pages they link to learn nothing of where they were."""
    client = app.test_client()
    for path in (
        f"/ideas/{consultation}",
        f"/devolucion/{consultation}",
        f"/devolucion/{consultation}/ninos",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
    assert client.get("/login").headers["Referrer-Policy"] == "same-origin"
