"""Join-code guessing is throttled per client (a salted hash of its address), on the API and
the kiosk page together, with a translated 429; other tablets are not blocked."""

from __future__ import annotations

import uuid

from consulta.extensions import db
from consulta.services import encounters

from .hostile import assert_clean_error, counts, reset_limits


def _random_code(rng) -> str:
    return "".join(rng.choice(encounters.CODE_ALPHABET) for _ in range(encounters.CODE_LENGTH))


def test_join_code_guessing_is_throttled_per_client(app, session_code):
    """Wrong codes on the API and on the kiosk page count together; another address is free."""
    import random

    from limits import parse

    app.config["RATELIMIT_JOIN_MISSES"] = "6 per minute"
    limit = parse(app.config["RATELIMIT_JOIN_MISSES"]).amount
    reset_limits()
    rng = random.Random(7)
    guesser = app.test_client()
    other = app.test_client()
    guesses = [_random_code(rng) for _ in range(limit)]
    guesses = [g for g in guesses if g != session_code]
    for n, code in enumerate(guesses):
        url = f"/api/v1/sessions/{code}" if n % 2 else f"/k/{code}"
        assert guesser.get(url).status_code == 404, (n, url)
    before = counts(app)
    blocked = guesser.get(f"/api/v1/sessions/{_random_code(rng)}")
    assert blocked.status_code == 429
    assert_clean_error(blocked, "es")
    assert_clean_error(guesser.get(f"/api/v1/sessions/{_random_code(rng)}?lang=en"), "en")
    page = guesser.get(f"/k/{_random_code(rng)}")
    assert page.status_code == 429
    assert "Demasiados intentos" in page.get_data(as_text=True)
    # Submissions to guessed codes are throttled too, and write nothing.
    response = guesser.post(
        f"/api/v1/sessions/{_random_code(rng)}/submissions", json={"id": str(uuid.uuid4())}
    )
    assert response.status_code == 429 and counts(app) == before
    # Another tablet (another address) is not blocked by this guesser.
    elsewhere = {"REMOTE_ADDR": "10.9.8.7"}
    assert other.get(f"/api/v1/sessions/{session_code}", environ_base=elsewhere).status_code == 200
    missed = other.get(f"/api/v1/sessions/{_random_code(rng)}", environ_base=elsewhere)
    assert missed.status_code == 404


def test_rotating_forwarded_for_does_not_escape_the_throttle(tmp_path):
    """Behind nginx (production), X-Forwarded-For is client-supplied except for the last entry,
    which nginx appends: junk put in front of it neither breaks a request nor resets the count."""
    import secrets
    from datetime import date

    from consulta import create_app
    from consulta.models import Consultation
    from consulta.services import instruments

    from .helpers import make_session

    app = create_app(
        {
            "CONSULTA_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
            "TESTING": True,
            "RATELIMIT_JOIN_MISSES": "6 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        instruments.load_definitions()
        row = Consultation(title="Prod", purpose="Probar", retention_until=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        consultation_id = row.id
    code = make_session(app, consultation_id)
    reset_limits()
    client = app.test_client()
    junk = ["1.2.3.4", "<script>", "::1", "999.999.999.999", "unknown", "", "10.0.0.9, 8.8.8.8"]

    def get(path: str, real: str, fake: str):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"{fake}, {real}"}
        return client.get(path, headers=headers)

    for n, fake in enumerate(junk[:6]):
        assert get(f"/api/v1/sessions/QQQQQ{n + 3}", "10.0.0.9", fake).status_code == 404
    assert get("/api/v1/sessions/QQQQQQ", "10.0.0.9", junk[6]).status_code == 429
    assert get(f"/api/v1/sessions/{code}", "10.0.0.10", "10.0.0.9").status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    reset_limits()
