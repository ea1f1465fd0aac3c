"""The Content-Security-Policy is enforced in tests too: the kiosk, a facilitator's page and the
analysts' pages run without one violation (no inline script, handler or style attribute)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS
from .driver import answer_by_touch, on_screen, plan_answer, start_participant, tap
from .staff import new_session

pytestmark = pytest.mark.browser

PASSWORD = "una clave larga para revisar la política"
DESKTOP = {"width": 1280, "height": 900}
# Injected by the browser driver before any page script (not subject to the page's CSP).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ` +
                    `${e.sourceFile || location.pathname}:${e.lineNumber}`);
});
"""


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def _violations(page, console: list[str]) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + console


@pytest.fixture
def staff(live_app, consultation_id):
    """A facilitator (owning an open session with one answer) and an analyst."""
    from consulta.extensions import db
    from consulta.models import User
    from consulta.services import accounts

    with live_app.app_context():
        facilitator = db.session.scalar(db.select(User).filter_by(email="csp-fac@prueba.co"))
        if facilitator is None:
            facilitator = accounts.create_user("csp-fac@prueba.co", "facilitator", PASSWORD)
            accounts.create_user("csp-ana@prueba.co", "analyst", PASSWORD)
            accounts.create_user("csp-admin@prueba.co", "admin", PASSWORD)
            accounts.create_user("csp-lead@prueba.co", "safeguarding", PASSWORD)
            db.session.commit()
        encounter = new_session(consultation_id, facilitator)
        ids = {"encounter": encounter.id, "code": encounter.code}
        db.session.remove()
    return ids


def test_kiosk_flow_has_no_csp_violation(context, open_session, api_session):
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = _watch(page)
    code = open_session("ninez")
    questions = api_session(code)["instrument"]["questions"]
    page.goto(f"/k?code={code}")  # the join page redirects to the kiosk
    start_participant(page)
    page.get_by_role("button", name="9 a 11 años").tap()
    tap(page, '[data-action="next"]')
    for index, question in enumerate(questions):
        answer_by_touch(page, question, plan_answer(question, index))
        tap(page, '[data-action="next"]')
    on_screen(page, "review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    # The service worker registered under the CSP (worker-src 'self').
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    expect(page.locator("#screen")).to_have_attribute("data-screen", "thanks")
    assert _violations(page, console) == []


def _sign_in(browser, base_url, email):
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="es-CO")
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = _watch(page)
    page.goto("/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state()
    return context, page, console


def test_staff_and_analysis_pages_have_no_csp_violation(browser, base_url, staff, consultation_id):
    session = f"/sesiones/{staff['encounter']}"
    visits = {
        "csp-fac@prueba.co": [
            session,
            f"{session}/proyeccion",
            f"{session}/proyeccion/pantalla",
            f"{session}/devolucion-qr",
            "/ideas/revisar",
        ],
        "csp-ana@prueba.co": [
            "/analisis/",
            f"/analisis/resumen?consultation={consultation_id}",
            f"/analisis/respuestas?consultation={consultation_id}",
            f"/analisis/calidad?consultation={consultation_id}",
        ],
        "csp-admin@prueba.co": [
            "/analisis/libro-de-codigos",
            "/admin/usuarios",
            "/admin/consultas",
            f"/admin/devolucion/{consultation_id}",
        ],
        "csp-lead@prueba.co": ["/alertas"],
    }
    found: dict[str, list[str]] = {}
    for email, paths in visits.items():
        context, desk, console = _sign_in(browser, base_url, email)
        try:
            for path in paths:
                response = desk.goto(path)
                assert response.status < 400, (path, response.status)
                desk.wait_for_timeout(300)  # let live refreshes and charts run once
                problems = _violations(desk, console)
                if problems:
                    found[path] = problems
                console.clear()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            desk.screenshot(path=str(SCREENSHOTS / f"csp-{email.split('@')[0]}.png"))
        finally:
            context.close()
    assert found == {}


def test_public_pages_have_no_csp_violation(context, staff, consultation_id):
    """The ideas wall and the devolución pages, as a participant opens them from a QR code."""
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = _watch(page)
    found = {}
    for path in (
        f"/ideas/{consultation_id}",
        f"/devolucion/{consultation_id}",
        f"/devolucion/{consultation_id}/ninos",
        "/",
        "/login",
    ):
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        page.wait_for_timeout(300)
        problems = _violations(page, console)
        if problems:
            found[path] = problems
        console.clear()
    assert found == {}
