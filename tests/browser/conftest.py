"""Browser fixtures: the real app served on a free port, driven by Debian's Chromium at tablet size.

The whole suite is skipped only when /usr/bin/chromium is absent (`make browser-deps` installs it).
"""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .staff import new_session, watch_errors

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 800, "height": 1280}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser-deps` (apt chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    from consulta import create_app
    from consulta.extensions import db
    from consulta.services import instruments

    folder = tmp_path_factory.mktemp("browser-db")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'consulta.db'}",
            "SECRET_KEY": "browser-tests",
            "RATELIMIT_SESSION_LOOKUP": "1000 per minute",
            "RATELIMIT_SUBMISSIONS": "1000 per minute",
            "KIOSK_RESET_SECONDS": 3,
            # The outbox retries quickly in tests (the default cap is five minutes).
            "KIOSK_RETRY_BASE_SECONDS": 0.5,
            "KIOSK_RETRY_CAP_SECONDS": 3,
            # Most tests start at the welcome screen; test_kiosk_pin.py turns the PIN step on.
            "KIOSK_REQUIRE_PIN": False,
        }
    )
    with app.app_context():
        db.create_all()
        instruments.load_definitions()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_app) -> str:
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def consultation_id(live_app) -> int:
    from consulta.extensions import db
    from consulta.models import Consultation

    with live_app.app_context():
        row = Consultation(
            title="Diálogos de prueba en navegador",
            purpose="Probar el quiosco",
            retention_until=date(2030, 12, 31),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def open_session(live_app, consultation_id):
    """Factory: a fresh open session for an instrument, so each test counts only its own data."""

    def make(slug: str = "ninez", population: str | None = None) -> str:
        with live_app.app_context():
            extra = {"population": population} if population else {}
            return new_session(consultation_id, slug=slug, **extra).code

    return make


@pytest.fixture
def stored(live_app):
    """What the server holds for a session: a list of {profile, answers} per submission."""
    from consulta.extensions import db
    from consulta.models import Encounter, Submission

    def read(code: str) -> list[dict]:
        with live_app.app_context():
            encounter = db.session.scalar(db.select(Encounter).filter_by(code=code))
            rows = db.session.scalars(db.select(Submission).filter_by(encounter_id=encounter.id))
            result = [
                {
                    "id": row.id,
                    "profile": {"age_band": row.age_band, "gender": row.gender},
                    "answers": {a.question_id: a.value for a in row.answers},
                }
                for row in rows
            ]
            db.session.remove()
            return result

    return read


@pytest.fixture
def close_session(live_app):
    from consulta.services import encounters

    def close(code: str) -> None:
        with live_app.app_context():
            encounters.close(encounters.by_code(code))

    return close


@pytest.fixture
def api_session(base_url):
    """The session as the tablet API describes it, to plan answers from the real instrument."""

    def fetch(code: str, lang: str = "es") -> dict:
        with urllib.request.urlopen(f"{base_url}/api/v1/sessions/{code}?lang={lang}") as response:
            return json.loads(response.read())

    return fetch


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, base_url):
    context = browser.new_context(
        base_url=base_url,
        viewport=TABLET,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=1,
        locale="es-CO",
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    # API refusals (409, 404) are part of some tests; a missing asset is caught by its response.
    errors = watch_errors(page)
    page.set_default_timeout(10_000)
    yield page
    assert not errors, f"the kiosk page reported script or asset errors: {errors}"


@pytest.fixture
def shoot():
    """Saves a full-page screenshot at tablet size under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        # Pictures decode asynchronously: wait for them, and for the tap animations to settle.
        # Polled from here: wait_for_function compiles its predicate in the page, which the
        # Content-Security-Policy (no 'unsafe-eval') refuses.
        loaded = "Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0)"
        for _ in range(100):
            if page.evaluate(loaded):
                break
            page.wait_for_timeout(50)
        page.wait_for_timeout(250)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return save
