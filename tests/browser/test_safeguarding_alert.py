"""Acceptance for safeguarding: a child on a tablet writes a disclosure, and the facilitator's
session page, open in another browser, shows the alert within 5 seconds without a reload (tablet
name and time, never the text); the analyst's pages show no detail; the projection never shows it.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import CHROMIUM_ARGS, SCREENSHOTS  # noqa: F401
from .driver import on_screen, start_participant, tap
from .staff import new_session, watch_errors

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
PIN = "2468"
TABLET_NAME = "Tableta 3"
# Written for this test in a child's words: an adult at home, touching, and a secret.
DISCLOSURE = "el novio de mi mama me toca por debajo de la ropa y me dice que es un secreto"
FRAGMENTS = ("me toca", "debajo de la ropa", "novio de mi mama", "es un secreto")
BENIGN = "Que pongan columpios nuevos en el parque de la escuela"
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def pin_required(live_app):
    live_app.config["KIOSK_REQUIRE_PIN"] = True
    yield
    live_app.config["KIOSK_REQUIRE_PIN"] = False


@pytest.fixture
def staff(live_app):
    from consulta.extensions import db
    from consulta.models import User
    from consulta.services import accounts

    def make(email: str, role: str) -> int:
        with live_app.app_context():
            user = db.session.scalar(db.select(User).filter_by(email=email))
            user = user or accounts.create_user(email, role, PASSWORD)
            return user.id

    return make


@pytest.fixture
def owned_session(live_app, consultation_id, staff):
    """A ninez session created by a facilitator: (encounter id, code)."""
    from consulta.extensions import db
    from consulta.models import User

    owner = staff("facilita-alertas@prueba.co", "facilitator")
    with live_app.app_context():
        encounter = new_session(consultation_id, db.session.get(User, owner), territory_code=7)
        return encounter.id, encounter.code


def _shot(page, name: str) -> None:
    """A screenshot once the pictograms have decoded (no page-side script: the CSP forbids eval)."""
    for img in page.locator("img").all():
        if img.is_visible():
            expect(img).to_have_js_property("complete", True)
    page.wait_for_timeout(250)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def _desk(browser, base_url, email):
    """A staff browser context at laptop size, logged in; collects script and asset errors."""
    context = browser.new_context(base_url=base_url, viewport=DESK, locale="es-CO")
    page = context.new_page()
    # Refusals (the analyst's 403s) are part of the test; a missing asset is caught by its response.
    errors = watch_errors(page)
    page.set_default_timeout(10_000)
    page.goto("/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(re.compile(r".*/(?!login).*"))
    return context, page, errors


def _answer_with(page, questions: list[dict], text: str) -> None:
    """Writes ``text`` in the first open question, skips everything else, and stops at review."""
    open_id = next(q["id"] for q in questions if q["type"] == "open_text")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    while True:
        screen = page.locator("#screen").get_attribute("data-screen")
        if screen == "review":
            return
        if screen == "question" and page.locator(f'.question[data-question="{open_id}"]').count():
            area = page.locator(f'.question[data-question="{open_id}"] textarea')
            area.tap()
            area.press_sequentially(text, delay=2)
            tap(page, '[data-action="next"]')
        else:
            tap(page, '[data-action="skip"]')
        page.wait_for_timeout(150)


def _post_benign(base_url: str, code: str, questions: list[dict]) -> None:
    open_id = next(q["id"] for q in questions if q["type"] == "open_text")
    body = json.dumps(
        {"id": str(uuid.uuid4()), "answers": [{"question": open_id, "value": BENIGN}]}
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/api/v1/sessions/{code}/submissions",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status in (200, 201)


def test_a_disclosure_reaches_the_facilitator_within_seconds_and_nowhere_else(
    live_app, base_url, browser, page, pin_required, owned_session, api_session, staff
):
    from consulta.services.text_analysis import analyse_texts

    # A running server has its model, codebook and classifier loaded (the first text of a process
    # pays ~3 s for that); the 5 seconds measured here are the alert's own path.
    with live_app.app_context():
        analyse_texts(["Buenos días, queremos más parques"])
    encounter_id, code = owned_session
    questions = api_session(code)["instrument"]["questions"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The facilitator follows the session from a laptop: nothing open yet.
    desk_context, desk, desk_errors = _desk(browser, base_url, "facilita-alertas@prueba.co")
    desk.goto(f"/sesiones/{encounter_id}")
    expect(desk.locator("#alerts-none")).to_be_visible()
    expect(desk.locator(".alert-guidance")).to_be_hidden()

    # The tablet is opened: PIN and the tablet's name, kept on the tablet.
    page.goto(f"/k/{code}")
    on_screen(page, "pin-setup")
    page.locator("#pin-new").fill(PIN)
    page.locator("#pin-repeat").fill(PIN)
    page.locator("#tablet-name").fill(TABLET_NAME)
    _shot(page, "alert-tablet-name")
    tap(page, '[data-action="pin-save"]')
    on_screen(page, "welcome")
    assert page.evaluate("localStorage.getItem('consulta-kiosk-tablet')") == TABLET_NAME

    sent: list[dict] = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/submissions") else None,
    )
    _answer_with(page, questions, DISCLOSURE)
    tap(page, '[data-action="send"]')
    started = time.monotonic()
    card = desk.locator(".alert-card").first
    expect(card).to_be_visible(timeout=5_000)
    elapsed = time.monotonic() - started
    assert elapsed < 5, elapsed
    print(f"alert shown on the facilitator's page {elapsed:.1f} s after the child tapped send")
    on_screen(page, "thanks")
    assert sent and sent[0]["tablet"] == TABLET_NAME

    expect(desk.locator("#alerts-banner")).to_contain_text("Alguien necesita ayuda ahora")
    expect(card.locator('[data-field="tablet"]')).to_have_text(TABLET_NAME)
    assert re.fullmatch(r"\d\d:\d\d", card.locator('[data-field="time"]').inner_text())
    expect(card.locator(".alert-reasons li").first).to_be_visible()
    guidance = desk.locator(".alert-guidance")
    for must in ("No prometa guardar el secreto", "141", "CAIVAS", "Ley 1620 de 2013"):
        expect(guidance).to_contain_text(must)
    assert not [f for f in FRAGMENTS if f in desk.content()]
    desk.screenshot(path=str(SCREENSHOTS / "alert-facilitator.png"), full_page=False)

    # The analyst: counts only, and the text nowhere on the analysis pages.
    staff("analista-alertas@prueba.co", "analyst")
    _post_benign(base_url, code, questions)
    with live_app.app_context():
        from consulta.extensions import db
        from consulta.models import Encounter

        consultation = db.session.get(Encounter, encounter_id).consultation_id
    an_context, analyst, analyst_errors = _desk(browser, base_url, "analista-alertas@prueba.co")
    analyst.goto("/analisis/")
    expect(analyst.locator(".alert-counts")).to_contain_text("alertas de protección")
    analyst.screenshot(path=str(SCREENSHOTS / "alert-analyst-index.png"), full_page=True)
    for path in (
        "/analisis/",
        f"/analisis/resumen?consultation={consultation}",
        f"/analisis/respuestas?consultation={consultation}",
        f"/analisis/informe?consultation={consultation}",
    ):
        analyst.goto(path)
        html = analyst.content()
        assert not [f for f in FRAGMENTS if f in html], path
        assert TABLET_NAME not in html, path
    analyst.goto(f"/analisis/respuestas?consultation={consultation}")
    analyst.screenshot(path=str(SCREENSHOTS / "alert-analyst-explorer.png"), full_page=True)
    assert analyst.goto("/alertas").status == 403
    assert analyst.goto(f"/sesiones/{encounter_id}").status == 403

    # The projection: the open question on the room's screen shows the benign answer only.
    desk.goto(f"/sesiones/{encounter_id}/proyeccion")
    open_id = next(q["id"] for q in questions if q["type"] == "open_text")
    desk.locator(f'input[name="question"][value="{open_id}"]').check()
    desk.locator("form.pj-choose button[type=submit]").click()
    screen = desk_context.new_page()
    screen.goto(f"/sesiones/{encounter_id}/proyeccion/pantalla")
    expect(screen.locator("body")).to_contain_text("columpios", timeout=10_000)
    screen.wait_for_timeout(3_500)  # one more refresh of the screen
    projected = screen.content()
    assert not [f for f in FRAGMENTS if f in projected]
    assert not [w for w in ("novio", "ropa", "toca", "secreto") if w in projected.lower()]
    screen.screenshot(path=str(SCREENSHOTS / "alert-projection-screen.png"), full_page=False)

    # The safeguarding lead sees it among every session's alerts, with the same form.
    staff("proteccion-alertas@prueba.co", "safeguarding")
    lead_context, lead, lead_errors = _desk(browser, base_url, "proteccion-alertas@prueba.co")
    lead.goto("/alertas")
    # Other tests share this server and raise alerts too: find this session's card.
    lead_card = lead.locator(".alert-card", has_text=code).first
    expect(lead_card).to_contain_text(TABLET_NAME)
    expect(lead_card).to_contain_text(code)
    assert not [f for f in FRAGMENTS if f in lead.content()]
    lead.screenshot(path=str(SCREENSHOTS / "alert-lead.png"), full_page=False)
    # A help request from another tablet: the lead's open page says a new alert arrived.
    help_body = json.dumps({"id": str(uuid.uuid4()), "tablet": "Tableta 5"}).encode()
    urllib.request.urlopen(
        urllib.request.Request(
            f"{base_url}/api/v1/sessions/{code}/help",
            data=help_body,
            headers={"Content-Type": "application/json"},
        )
    ).close()
    expect(lead.locator("#lead-live")).to_be_visible(timeout=8_000)
    lead.reload()
    expect(lead.locator(".alert-card", has_text=code)).to_have_count(2)
    lead_context.close()

    # The facilitator records what was done: the alert leaves the open list.
    desk.goto(f"/sesiones/{encounter_id}")
    form = desk.locator(".alert-card form").first
    form.locator('input[value="yes"]').check()
    form.locator('input[value="icbf_141"]').check()
    form.locator("textarea").fill("Hablamos con calma y llamamos al 141 desde la sesión.")
    form.locator("button[type=submit]").click()
    expect(desk.locator(".flash-success")).to_contain_text("Quedó registrado")
    expect(desk.locator(".alert-card")).to_have_count(1)
    expect(desk.locator(".alert-card")).to_contain_text("Tableta 5")
    expect(desk.locator(".alert-card")).to_contain_text("Tocó el botón de ayuda.")
    desk.screenshot(path=str(SCREENSHOTS / "alert-facilitator-handled.png"), full_page=False)
    an_context.close()
    desk_context.close()
    assert not (desk_errors or analyst_errors or lead_errors), (
        desk_errors,
        analyst_errors,
        lead_errors,
    )


def test_the_facilitator_renames_the_tablet_behind_the_pin_and_help_carries_the_name(
    live_app, page, pin_required, open_session
):
    from consulta.extensions import db
    from consulta.models import Alert
    from consulta.services import encounters

    code = open_session("ninez")
    page.goto(f"/k/{code}")
    on_screen(page, "pin-setup")
    page.locator("#pin-new").fill(PIN)
    page.locator("#pin-repeat").fill(PIN)
    tap(page, '[data-action="pin-save"]')  # the name left as offered
    on_screen(page, "welcome")
    assert page.evaluate("localStorage.getItem('consulta-kiosk-tablet')") == "Tableta 1"

    tap(page, '[data-action="facilitator"]')
    page.locator("#pin-check").fill(PIN)
    tap(page, '[data-action="pin-check"]')
    field = page.locator("#tablet-rename")
    expect(field).to_have_value("Tableta 1")
    field.fill("  Tableta   del salón 2 ")
    tap(page, '[data-action="tablet-save"]')
    expect(page.locator("#tablet-status")).to_have_text("Nombre guardado: Tableta del salón 2")
    _shot(page, "alert-tablet-rename")
    tap(page, '[data-action="facilitator-close"]')

    tap(page, '[data-action="help"]')
    deadline = time.monotonic() + 10
    labels: list[str] = []
    while not labels and time.monotonic() < deadline:
        with live_app.app_context():
            encounter = encounters.by_code(code)
            labels = list(
                db.session.scalars(
                    db.select(Alert.tablet_label).filter_by(encounter_id=encounter.id)
                )
            )
            db.session.remove()
        time.sleep(0.1)
    assert labels == ["Tableta del salón 2"]
