"""The room's projection at 1920x1080: live cards, the word cloud, a card hidden from another
window, and a child's disclosure that never reaches the screen."""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS
from .staff import new_session, sign_in, watch_errors

pytestmark = pytest.mark.browser

PASSWORD = "una clave larga para proyectar"
EMAIL = "proyeccion@prueba.co"
FULL_HD = {"width": 1920, "height": 1080}
AXE = Path(__file__).parent / "tooling" / "node_modules" / "axe-core" / "axe.min.js"
OPEN = "te_hace_sentir_cuidado"
# Written for this test: how children of 6-11 answer "what do grown-ups do so you feel cared for".
BENIGN = [
    "Mi abuela me peina y me cuenta historias de cuando era niña",
    "La profe nos escucha cuando estamos tristes",
    "Mi mamá me abraza y me hace sancocho los domingos",
    "Mi papá me acompaña al colegio y me da la mano en la calle",
    "Cuando mi tía juega conmigo en el parque",
    "Que me escuchan y no me gritan",
]
LATE = "Mi hermano grande me ayuda con las tareas y juega fútbol conmigo"
EARLY_HIDDEN = "Mi vecina me regala mangos y me saluda con cariño"
HOLD_SECONDS = 4  # the screen holds a new card this long before showing it
DISCLOSURE = "El novio de mi mamá me toca cuando ella no está y me dijo que no le cuente a nadie"
DISCLOSURE_WORDS = ("novio", "toca", "cuente")


@pytest.fixture
def projected_room(live_app, consultation_id, base_url, api_session):
    """A facilitator's own session, and a function that sends one tablet's answers."""
    live_app.config["PROJECTION_HOLD_SECONDS"] = HOLD_SECONDS
    from consulta.extensions import db
    from consulta.models import User
    from consulta.services import accounts

    with live_app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=EMAIL))
        if user is None:
            user = accounts.create_user(EMAIL, "facilitator", PASSWORD)
        encounter = new_session(consultation_id, user, expected_participants=25)
        code, encounter_id = encounter.code, encounter.id
        db.session.remove()
    questions = api_session(code)["instrument"]["questions"]

    def send(text: str) -> None:
        answers = []
        for q in questions:
            if q["id"] == OPEN:
                answers.append({"question": q["id"], "value": text})
            elif q["type"] in ("single_choice", "face_scale", "yes_no"):
                answers.append({"question": q["id"], "value": q["options"][0]["value"]})
        body = json.dumps({"id": str(uuid.uuid4()), "profile": {}, "answers": answers})
        request = urllib.request.Request(
            f"{base_url}/api/v1/sessions/{code}/submissions",
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 201

    yield encounter_id, send
    live_app.config.pop("PROJECTION_HOLD_SECONDS", None)


def _signed_in(browser, base_url, viewport, **options):
    context = browser.new_context(
        base_url=base_url, viewport=viewport, device_scale_factor=1, locale="es-CO", **options
    )
    page = context.new_page()
    errors = watch_errors(page, statics_only=False)
    sign_in(page, EMAIL, PASSWORD)
    return context, page, errors


def _card(screen, text):
    return screen.locator(".pj-card", has_text=text)


def test_projection_live_in_the_room(browser, base_url, projected_room):
    encounter_id, send = projected_room
    for text in [*BENIGN[:3], DISCLOSURE, *BENIGN[3:]]:
        send(text)

    desk_context, desk, desk_errors = _signed_in(browser, base_url, {"width": 1280, "height": 900})
    screen_context, screen, screen_errors = _signed_in(browser, base_url, FULL_HD)
    try:
        # The facilitator reaches the controls from the session page and picks the question.
        desk.goto(f"/sesiones/{encounter_id}")
        desk.click("#project-link")
        expect(desk.locator("h1")).to_have_text("Proyección en la sala")
        expect(desk.locator(".pj-row.is-reserved")).to_have_count(1)
        expect(desk.locator(".pj-row.is-reserved")).to_contain_text(
            "Texto reservado por protección"
        )
        assert not any(word in desk.content() for word in DISCLOSURE_WORDS)
        desk.check(f'input[name="question"][value="{OPEN}"]')
        desk.click('form.pj-choose button[type="submit"]')
        expect(desk.locator(".flash-success")).to_be_visible()

        screen.goto(f"/sesiones/{encounter_id}/proyeccion/pantalla")
        screen.evaluate("window.__sameDocument = true")
        expect(screen.locator("#pj-question")).to_contain_text("¿Qué cosas hacen los grandes")
        expect(screen.locator(".pj-card")).to_have_count(len(BENIGN))
        for text in BENIGN:
            expect(_card(screen, text)).to_be_visible()
        body = screen.locator("body").inner_text().lower()
        assert not any(word in body for word in DISCLOSURE_WORDS)
        words = screen.locator("#pj-cloud-list li").all_inner_texts()
        assert {"escuchar", "abuela", "parque"} <= set(words), words
        assert not {"me", "mi", "que", "y", "cuando", "la"} & set(words)
        assert not set(words) & {"novio", "tocar", "contar"}

        # Nothing staff-only and no controls on the room's screen.
        assert screen.locator("form, nav, button, input, a").count() == 0
        assert EMAIL not in screen.content()

        # Big type for the back of the room, and nothing spills out of 1920x1080.
        sizes = screen.evaluate(
            """() => ({
                title: parseFloat(getComputedStyle(document.querySelector('#pj-question')).fontSize),
                card: parseFloat(getComputedStyle(document.querySelector('.pj-card p')).fontSize),
                smallestWord: Math.min(...Array.from(document.querySelectorAll('#pj-cloud-list li'))
                    .map((li) => parseFloat(getComputedStyle(li).fontSize))),
                width: document.documentElement.scrollWidth,
                height: document.documentElement.scrollHeight,
            })"""
        )
        assert sizes["title"] >= 54 and sizes["card"] >= 34 and sizes["smallestWord"] >= 30, sizes
        assert sizes["width"] <= 1920 and sizes["height"] <= 1080, sizes
        outside = screen.evaluate(
            """() => Array.from(document.querySelectorAll('.pj-card:not(.is-offscreen), #pj-cloud-list li'))
                .filter((el) => { const r = el.getBoundingClientRect();
                    return r.right > innerWidth || r.bottom > innerHeight || r.left < 0 || r.top < 0; })
                .map((el) => el.textContent)"""
        )
        assert outside == []
        screen.wait_for_timeout(1000)  # let the entrance animations settle
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        screen.screenshot(path=str(SCREENSHOTS / "projection-1920.png"))

        # Every card the screen ever draws from now on is recorded.
        screen.evaluate(
            """() => { window.__drawn = [];
                new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(
                    (n) => window.__drawn.push(n.textContent)))).observe(
                    document.getElementById('pj-card-list'), {childList: true}); }"""
        )
        # Hidden before it shows: the control page lists a new answer at once (no reload), the
        # facilitator hides it during the screen's hold, and the room never sees it.
        send(EARLY_HIDDEN)
        row = desk.locator(".pj-row", has_text=EARLY_HIDDEN)
        expect(row).to_be_visible(timeout=8_000)
        row.locator('button[value="hide"]').click()
        expect(desk.locator(".pj-row.is-hidden", has_text=EARLY_HIDDEN)).to_be_visible()
        screen.wait_for_timeout((HOLD_SECONDS + 4) * 1000)
        assert not any(EARLY_HIDDEN in text for text in screen.evaluate("window.__drawn"))

        # Hidden after it shows: a new answer appears on the screen without a reload...
        send(LATE)
        expect(_card(screen, LATE)).to_be_visible(timeout=(HOLD_SECONDS + 8) * 1000)
        expect(screen.locator("#pj-cloud-list li", has_text="hermano")).to_have_count(
            1, timeout=8_000
        )
        # ...and the facilitator takes it off from the other window.
        row = desk.locator(".pj-row", has_text=LATE)
        expect(row).to_be_visible(timeout=8_000)
        row.locator('button[value="hide"]').click()
        expect(desk.locator(".pj-row.is-hidden", has_text=LATE)).to_be_visible()
        expect(_card(screen, LATE)).to_have_count(0, timeout=8_000)
        assert screen.evaluate("window.__sameDocument") is True
        expect(screen.locator(".pj-card")).to_have_count(len(BENIGN))
        screen.screenshot(path=str(SCREENSHOTS / "projection-1920-after-hide.png"))
        desk.screenshot(path=str(SCREENSHOTS / "projection-control.png"), full_page=True)
    finally:
        desk_context.close()
        screen_context.close()
    assert not desk_errors and not screen_errors, (desk_errors, screen_errors)


def test_projected_page_has_no_serious_accessibility_violation(browser, base_url, projected_room):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser-deps`")
    encounter_id, send = projected_room
    for text in BENIGN[:4]:
        send(text)
    desk_context, desk, _ = _signed_in(browser, base_url, {"width": 1280, "height": 900})
    desk.goto(f"/sesiones/{encounter_id}/proyeccion")
    desk.check(f'input[name="question"][value="{OPEN}"]')
    desk.click('form.pj-choose button[type="submit"]')
    desk_context.close()
    context, page, _ = _signed_in(browser, base_url, FULL_HD, bypass_csp=True)
    try:
        found = []
        for url in (
            f"/sesiones/{encounter_id}/proyeccion/pantalla",
            f"/sesiones/{encounter_id}/proyeccion",
        ):
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            found += page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter((v) => ['serious', 'critical'].includes(v.impact))"
                ".map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '))"
            )
        assert found == []
    finally:
        context.close()


def test_a_full_room_still_fits_the_screen(browser, base_url, projected_room):
    """Many answers, some long: the newest cards that fit are shown whole, nothing spills out."""
    encounter_id, send = projected_room
    starts = ["Que los grandes", "Mi abuelo", "La señora de la tienda", "Mi hermana", "El profe"]
    ends = [
        "me pregunta cómo me fue en el colegio",
        "me lleva a la biblioteca los sábados",
        "me cuida cuando estoy enfermo y me da aguapanela",
        "nos deja jugar en la cancha sin pelear",
        "me enseña a montar en bicicleta en la cuadra",
    ]
    for i in range(20):
        send(f"{starts[i % 5]} {ends[(i + i // 5) % 5]}")  # 20 different pairs
    send(
        "Cuando me porto bien y cuando me porto mal también me explican las cosas con paciencia, "
        "me dicen que me quieren, me llevan al médico, me ayudan a hacer las tareas de matemáticas "
        "que son muy difíciles y me dejan ver dibujos animados un rato antes de dormir"
    )
    context, screen, errors = _signed_in(browser, base_url, FULL_HD)
    try:
        screen.goto(f"/sesiones/{encounter_id}/proyeccion/pantalla")
        expect(screen.locator("#pj-paused")).to_be_visible()  # no question chosen yet
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        screen.screenshot(path=str(SCREENSHOTS / "projection-1920-paused.png"))
        screen.goto(f"/sesiones/{encounter_id}/proyeccion")
        screen.check(f'input[name="question"][value="{OPEN}"]')
        screen.click('form.pj-choose button[type="submit"]')
        screen.goto(f"/sesiones/{encounter_id}/proyeccion/pantalla")
        expect(screen.locator(".pj-card")).to_have_count(21)
        screen.wait_for_timeout(500)
        screen.screenshot(path=str(SCREENSHOTS / "projection-1920-full.png"))
        shown = screen.locator(".pj-card:not(.is-offscreen)").count()
        assert 4 <= shown < 21
        spill = screen.evaluate(
            """() => Array.from(document.querySelectorAll(
                    '.pj-card:not(.is-offscreen), #pj-cloud-list li:not(.is-offscreen)'))
                .filter((el) => { const r = el.getBoundingClientRect();
                    const box = el.parentElement.getBoundingClientRect();
                    return r.bottom > box.bottom + 1 || r.right > box.right + 1; })
                .map((el) => el.textContent)"""
        )
        assert spill == []
        assert screen.evaluate("document.documentElement.scrollHeight") <= 1080
        assert screen.locator("#pj-cloud-list li:not(.is-offscreen)").count() >= 10
    finally:
        context.close()
    assert not errors, errors
