"""The public devolución pages in Chromium: screenshots to look at, read-aloud, tap targets,
axe-core on both pages in both languages, and the kiosk's thank-you QR."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS
from .driver import on_screen, small_targets, start_participant, tap
from .staff import new_session, watch_errors
from .test_kiosk_accessibility import AXE, serious_violations

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SPY_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
"""


def _generator():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "analysis_views.py"
    spec = importlib.util.spec_from_file_location("analysis_views", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def consultation(live_app):
    """A consultation with 3,000 generated coded answers, three approved ideas with supports,
    a pending one, and the plan's answer for three lines."""
    from consulta.extensions import db
    from consulta.models import (
        Answer,
        Consultation,
        Encounter,
        Idea,
        IdeaSupport,
        LineResponse,
        Submission,
    )

    with live_app.app_context():
        row = Consultation(
            title="Diálogos de saberes 2027 (devolución)",
            purpose="Capturas de la devolución",
            retention_until=date(2030, 12, 31),
        )
        db.session.add(row)
        db.session.commit()
        consultation_id = row.id
        db.session.remove()
    _generator().fill(live_app, consultation_id, 3000, seed=23)
    with live_app.app_context():
        answers = db.session.execute(
            db.select(Answer.submission_id, Answer.question_id, Submission.encounter_id)
            .join(Submission)
            .join(Encounter, Submission.encounter_id == Encounter.id)
            .where(
                Encounter.consultation_id == consultation_id,
                Answer.flagged.is_(False),
                Answer.line_mask != 0,
            )
            .limit(4)
        ).all()
        for n, ((sid, qid, encounter_id), line, status, supports) in enumerate(
            zip(
                answers,
                ("E1", "T2", "E2", "E4"),
                ("approved", "approved", "approved", "pending"),
                (14, 7, 2, 30),
                strict=True,
            )
        ):
            idea = Idea(
                consultation_id=consultation_id,
                encounter_id=encounter_id,
                submission_id=sid,
                question_id=qid,
                status=status,
                line=line,
            )
            db.session.add(idea)
            db.session.flush()
            for i in range(supports):
                db.session.add(IdeaSupport(idea_id=idea.id, supporter_key=f"{n}{i:063d}"))
        soon = date.today() + timedelta(days=45)
        db.session.add_all(
            [
                LineResponse(
                    consultation_id=consultation_id,
                    line="E2",
                    text_es="En 2027 el plan llevará talleres de autocuidado y prevención en línea a "
                    "40 colegios de las comunas donde más se habló de engaños por redes.",
                    text_en="In 2027 the plan will run self-care and online-safety workshops in 40 "
                    "schools of the districts where online tricks came up most.",
                    children_text_es="Vamos a ir a muchos colegios. Vamos a enseñar a cuidarse en "
                    "internet.",
                    children_text_en="We will visit many schools. We will teach how to stay safe "
                    "online.",
                    next_update=soon,
                ),
                LineResponse(
                    consultation_id=consultation_id,
                    line="E4",
                    text_es="La mesa ESCNNA pidió a la Policía de Infancia y Adolescencia más "
                    "controles en hoteles y residencias, con informe público cada trimestre.",
                    children_text_es="Pedimos a la policía que revise los hoteles.",
                    next_update=soon,
                ),
                LineResponse(
                    consultation_id=consultation_id,
                    line="E1",
                    text_es="",
                    children_text_es="",
                    next_update=soon,
                ),
            ]
        )
        db.session.commit()
        db.session.remove()
    return consultation_id


@pytest.fixture
def desk(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, device_scale_factor=1, locale="es-CO"
    )
    page = context.new_page()
    errors = watch_errors(page, console=False, statics_only=False)
    yield page
    context.close()
    assert not errors, errors


def test_childrens_page_on_a_tablet(page, consultation, shoot):
    page.add_init_script(SPY_SPEECH)
    page.goto(f"/devolucion/{consultation}/ninos")
    expect(page.locator("h1")).to_have_text("Lo que nos dijeron")
    blocks = page.locator(".dv-line")
    expect(blocks).to_have_count(9)
    # Every line has its pictogram, big enough to read without reading.
    sizes = page.eval_on_selector_all(
        ".dv-line > img", "(imgs) => imgs.map((i) => [i.naturalWidth > 0, i.width, i.height])"
    )
    assert all(ok and w >= 96 and h >= 96 for ok, w, h in sizes), sizes
    expect(page.get_by_text("Vamos a ir a muchos colegios.")).to_be_visible()
    expect(page.locator('.dv-line[data-line="E3"]')).to_contain_text(
        "Estamos revisando lo que dijeron."
    )
    # Ideas: approved only, most supported first, small support counts hidden.
    ideas = page.locator(".dv-idea")
    expect(ideas).to_have_count(3)
    expect(ideas.nth(0)).to_contain_text("14 personas apoyan esta idea.")
    expect(ideas.nth(2)).to_contain_text("Menos de 5 personas apoyan esta idea.")
    # Read-aloud: one button per block, reading what the block shows, in es-CO.
    speakers = page.locator("button[data-read]")
    expect(speakers.first).to_be_visible()
    page.locator('.dv-line[data-line="E2"] button[data-read]').tap()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "es-CO"
    assert "Vamos a ir a muchos colegios" in spoken[0]["text"]
    assert "Lo que hará el plan" in spoken[0]["text"]
    assert small_targets(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "devolucion-ninos")
    page.screenshot(path=str(SCREENSHOTS / "devolucion-ninos-completa.png"), full_page=True)
    page.locator('.dv-line[data-line="E2"]').screenshot(
        path=str(SCREENSHOTS / "devolucion-ninos-linea.png")
    )
    page.locator(".dv-ideas").screenshot(path=str(SCREENSHOTS / "devolucion-ninos-ideas.png"))
    page.locator(".dv-switch").click()
    expect(page).to_have_url(
        f"{page.url.split('/devolucion')[0]}/devolucion/{consultation}?lang=es"
    )


def test_a_text_written_only_in_spanish_is_read_in_spanish(page, consultation):
    page.add_init_script(SPY_SPEECH)
    page.goto(f"/devolucion/{consultation}/ninos?lang=en")
    page.locator('.dv-line[data-line="E4"] button[data-read]').tap()
    spoken = page.evaluate("window.__spoken")
    assert [part["lang"] for part in spoken] == ["en-US", "es-CO", "en-US"], spoken
    assert spoken[1]["text"].startswith("Pedimos a la policía que revise los hoteles.")
    assert "What the plan will do:" in spoken[0]["text"]


def test_without_speech_no_read_aloud_button(page, consultation):
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(f"/devolucion/{consultation}/ninos")
    expect(page.locator(".dv-line")).to_have_count(9)
    expect(page.locator("button[data-read]:visible")).to_have_count(0)


def test_adults_page_on_a_desktop(desk, consultation):
    desk.goto(f"/devolucion/{consultation}")
    expect(desk.locator("h1")).to_contain_text("Devolución")
    expect(desk.locator(".dv-adult-line")).to_have_count(9)
    expect(desk.locator(".dv-table tbody tr")).to_have_count(9)
    expect(desk.get_by_text("talleres de autocuidado y prevención en línea")).to_be_visible()
    desk.screenshot(path=str(SCREENSHOTS / "devolucion-adultos.png"), full_page=False)
    desk.screenshot(path=str(SCREENSHOTS / "devolucion-adultos-completa.png"), full_page=True)
    desk.goto(f"/devolucion/{consultation}?lang=en")
    expect(desk.locator("h1")).to_contain_text("what the plan will do")
    expect(desk.get_by_text("online-safety workshops in 40 schools")).to_be_visible()
    # Written only in Spanish: shown as such, and marked so a screen reader reads it in Spanish.
    expect(desk.locator('[lang="es"]', has_text="controles en hoteles")).to_have_count(1)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_serious_or_critical_violation_on_the_public_pages(
    browser, base_url, consultation, lang
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser-deps`")
    found: list[str] = []
    for viewport, path in (
        ({"width": 800, "height": 1280}, f"/devolucion/{consultation}/ninos?lang={lang}"),
        (DESKTOP, f"/devolucion/{consultation}?lang={lang}"),
    ):
        context = browser.new_context(base_url=base_url, viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.goto(path)
        found += serious_violations(page, path)
        if lang == "en":
            name = "ninos" if "/ninos" in path else "adultos"
            page.screenshot(path=str(SCREENSHOTS / f"devolucion-{name}-en.png"))
        context.close()
    assert found == []


def test_kiosk_thank_you_shows_the_devolucion_qr(page, open_session, consultation_id, shoot):
    """The tablet shows a QR to scan at home, never a link that would leave the kiosk."""
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    start_participant(page)
    # Skip the profile and every question up to the review screen, then send.
    for _ in range(40):
        if page.locator("#screen").get_attribute("data-screen") == "review":
            break
        skip = page.locator('[data-action="skip"]:visible')
        tap(page, '[data-action="skip"]:visible' if skip.count() else '[data-action="next"]')
        page.wait_for_timeout(150)
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    card = page.locator(".devolucion-card")
    expect(card).to_be_visible()
    assert card.get_attribute("data-devolucion").endswith(
        f"/devolucion/{consultation_id}/ninos?lang=es"
    )
    expect(card.locator("img.devolucion-qr")).to_have_attribute(
        "alt", "Código QR de la página de devolución"
    )
    expect(page.locator(".screen-thanks a")).to_have_count(0)
    shoot(page, "devolucion-kiosk-gracias")


def test_facilitators_qr_sheet_prints_on_one_a4_page(desk, live_app, consultation_id):
    """The sheet a facilitator prints: one A4 page with the QR and both addresses."""
    import re

    from consulta.services import accounts

    password = "una clave larga para las pruebas"
    with live_app.app_context():
        user = accounts.create_user("facilita-qr@prueba.co", "facilitator", password)
        encounter = new_session(consultation_id, user)
        encounter_id = encounter.id
    desk.goto("/login")
    desk.fill('input[name="email"]', "facilita-qr@prueba.co")
    desk.fill('input[name="password"]', password)
    desk.click('button[type="submit"]')
    desk.goto(f"/sesiones/{encounter_id}")
    desk.get_by_role("link", name="Imprimir el QR de la devolución").click()
    expect(desk.locator(".qr-code svg")).to_be_visible()
    expect(desk.locator(".qr-links")).to_contain_text(f"/devolucion/{consultation_id}/ninos")
    desk.screenshot(path=str(SCREENSHOTS / "devolucion-qr.png"), full_page=True)
    pdf = desk.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (SCREENSHOTS / "devolucion-qr.pdf").write_bytes(pdf)
    sizes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    assert sizes == {(595, 842)}
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_admin_form_per_line(browser, base_url, live_app, consultation):
    """A refused save answers 422 with the error beside its field (so no `desk` fixture here)."""
    from consulta.services import accounts

    password = "una clave larga para las pruebas"
    with live_app.app_context():
        accounts.create_user("admin-devolucion@prueba.co", "admin", password)
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="es-CO")
    desk = context.new_page()
    desk.goto("/login")
    desk.fill('input[name="email"]', "admin-devolucion@prueba.co")
    desk.fill('input[name="password"]', password)
    desk.click('button[type="submit"]')
    desk.goto("/admin/consultas")
    desk.locator(f'a[href="/admin/devolucion/{consultation}"]').click()
    expect(desk.locator("fieldset.dv-edit-line")).to_have_count(9)
    desk.fill("#T1-children_text_es", "Vamos a reunir a los vecinos.")
    desk.fill("#T1-next_update", "2020-01-01")
    desk.click('form.dv-edit button[type="submit"]')
    expect(desk.locator("#T1-next_update-err")).to_contain_text("no puede estar en el pasado")
    desk.locator("#line-T1").scroll_into_view_if_needed()
    desk.screenshot(path=str(SCREENSHOTS / "devolucion-admin.png"))
    context.close()
