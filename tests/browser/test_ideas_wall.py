"""The ideas wall end to end: ideas from an earlier session are approved, a child on another
session's tablet supports one, and the public wall ranks it first. axe-core on the public wall."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import date

import pytest
from playwright.sync_api import expect

from .driver import on_screen, small_targets, start_participant, tap
from .test_kiosk_accessibility import axe_page, serious_violations  # noqa: F401
from .test_offline import RestartableServer, tablet, wait_offline_ready

pytestmark = pytest.mark.browser

# Written for this test: what children in an earlier workshop might propose.
EARLIER = [
    "Que en los colegios haya talleres para aprender a cuidarnos en las redes sociales",
    "Que los vecinos se organicen para acompañar a los niños cuando salen del colegio",
    "Más canchas con luz y clases de baile gratis los fines de semana",
]
NEW_IDEA = "Un buzón en el parque para contar lo que nos preocupa sin decir el nombre"


def _post(base_url: str, code: str, body: dict) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/v1/sessions/{code}/submissions",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return response.status


@pytest.fixture(scope="module")
def wall_world(live_app, base_url):
    """Its own consultation (other kiosk tests must not meet these ideas), an earlier session
    whose three ideas an analyst approved, and today's session."""
    from consulta.extensions import db
    from consulta.models import Consultation, Idea, User
    from consulta.services import accounts, encounters, ideas, instruments

    with live_app.app_context():
        consultation = Consultation(
            title="Muro de ideas · Comuna 1",
            purpose="Probar el muro de ideas",
            retention_until=date(2030, 12, 31),
        )
        db.session.add(consultation)
        db.session.commit()
        instrument = instruments.latest_version("ninez")

        def session(held_on: date) -> str:
            data = encounters.EncounterInput(
                consultation_id=consultation.id,
                instrument_id=instrument.id,
                held_on=held_on,
                territory_code=1,
                population="ninez",
                expected_participants=20,
                guardian_authorisation_confirmed=True,
            )
            return encounters.create_encounter(data).code

        earlier, today = session(date(2027, 2, 20)), session(date(2027, 3, 14))
        consultation_id = consultation.id
    question = next(
        q
        for q in json.loads(urllib.request.urlopen(f"{base_url}/api/v1/sessions/{earlier}").read())[
            "instrument"
        ]["questions"]
        if q["type"] == "idea"
    )
    for text in EARLIER:
        body = {"id": str(uuid.uuid4()), "answers": [{"question": question["id"], "value": text}]}
        assert _post(base_url, earlier, body) == 201
    with live_app.app_context():
        analyst = db.session.scalar(db.select(User).filter_by(email="muro@test.co"))
        if analyst is None:
            analyst = accounts.create_user("muro@test.co", "analyst", "muro de ideas 2027 ok")
        rows = db.session.scalars(
            db.select(Idea).filter_by(consultation_id=consultation_id).order_by(Idea.id)
        ).all()
        ids = {row.answer.value: row.id for row in rows}
        for text, line in zip(EARLIER, ("E2", "T1", "E1"), strict=True):
            ideas.decide(analyst, ids[text], "approve", line)
        db.session.remove()
    return {"consultation": consultation_id, "earlier": earlier, "today": today, "ids": ids}


def _supports(live_app, idea_id: int) -> int:
    from consulta.extensions import db
    from consulta.models import IdeaSupport

    with live_app.app_context():
        n = db.session.scalar(
            db.select(db.func.count()).select_from(IdeaSupport).filter_by(idea_id=idea_id)
        )
        db.session.remove()
        return n


def test_a_child_supports_an_idea_on_the_tablet_and_the_wall_ranks_it_first(
    page, live_app, wall_world, api_session, shoot
):
    chosen = EARLIER[1]  # its line (T1) comes last in the plan: last on the wall until supported
    chosen_id = wall_world["ids"][chosen]
    wall = f"/ideas/{wall_world['consultation']}"
    page.goto(wall)
    expect(page.locator(".idea-card").first).not_to_contain_text(chosen)

    code = wall_world["today"]
    questions = api_session(code)["instrument"]["questions"]
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    for question in questions:
        on_screen(page, "question")
        if question["type"] == "idea":
            area = page.locator(f'.question[data-question="{question["id"]}"] textarea')
            area.tap()
            area.press_sequentially(NEW_IDEA, delay=1)
            tap(page, '[data-action="next"]')
        else:
            tap(page, '[data-action="skip"]')

    on_screen(page, "ideas")
    cards = page.locator(".idea-card")
    expect(cards).to_have_count(3)
    for card in cards.all():
        expect(card.locator(".idea-line img")).to_have_count(1)  # a pictogram per line
    expect(page.locator('[data-action="next"]')).to_be_disabled()
    card = page.locator(f'.idea-card[data-idea="{chosen_id}"]')
    card.locator('[data-action="support"]').tap()
    expect(card.locator('[data-action="support"]')).to_have_attribute("aria-pressed", "true")
    # A second tap takes the support back, a third gives it again (a toggle).
    card.locator('[data-action="support"]').tap()
    expect(card.locator('[data-action="support"]')).to_have_attribute("aria-pressed", "false")
    card.locator('[data-action="support"]').tap()
    expect(page.locator(".ideas-chosen")).to_contain_text("1")
    assert small_targets(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "kiosk-ideas")

    tap(page, '[data-action="next"]')
    on_screen(page, "review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    for _ in range(50):
        if _supports(live_app, chosen_id) == 1:
            break
        page.wait_for_timeout(200)
    assert _supports(live_app, chosen_id) == 1
    assert all(_supports(live_app, i) == 0 for t, i in wall_world["ids"].items() if t != chosen)

    page.goto(wall)
    first = page.locator(".idea-card").first
    expect(first).to_contain_text(chosen)
    expect(first).to_contain_text("Apoyos: 1")
    expect(page.locator(".wall-group").first.locator(".wall-line")).to_contain_text(
        "Barrio y familias unidos para cuidarnos"
    )
    # Pending (the new idea) never shows; nothing points to a session or a day.
    content = page.content()
    assert NEW_IDEA not in content
    assert wall_world["earlier"] not in content and wall_world["today"] not in content
    expect(page.locator(".idea-where").first).to_contain_text("febrero 2027")
    shoot(page, "ideas-wall")
    # A teenager opening the link on a phone: nothing runs off the side of the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "ideas-wall-phone")


def test_offline_the_cached_ideas_show_and_the_support_arrives_with_the_answers(
    browser, live_app, wall_world, shoot
):
    """A tablet that lost the network (and even the server) shows the ideas it cached, and the
    support waits in the outbox with the participant's answers until the server is back."""
    from consulta.extensions import db
    from consulta.models import Encounter
    from consulta.services import encounters

    with live_app.app_context():
        template = db.session.scalar(db.select(Encounter).filter_by(code=wall_world["today"]))
        code = encounters.create_encounter(
            encounters.EncounterInput(
                consultation_id=wall_world["consultation"],
                instrument_id=template.instrument_id,
                held_on=date(2027, 3, 21),
                territory_code=1,
                population="ninez",
                expected_participants=20,
                guardian_authorisation_confirmed=True,
            )
        ).code
        db.session.remove()
    chosen_id = wall_world["ids"][EARLIER[0]]
    before = _supports(live_app, chosen_id)
    server = RestartableServer(live_app)
    server.start()
    context = tablet(browser, server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"/k/{code}")
        on_screen(page, "welcome")
        wait_offline_ready(page)
        server.stop()
        context.set_offline(True)
        page.reload()
        on_screen(page, "welcome")
        start_participant(page)
        tap(page, '[data-action="skip"]')
        while page.locator("#screen").get_attribute("data-screen") == "question":
            tap(page, '[data-action="skip"]')
        on_screen(page, "ideas")
        expect(page.locator(".idea-card")).to_have_count(3)
        page.locator(f'.idea-card[data-idea="{chosen_id}"] [data-action="support"]').tap()
        tap(page, '[data-action="next"]')
        on_screen(page, "review")
        tap(page, '[data-action="send"]')
        on_screen(page, "thanks")
        expect(page.locator("#pending")).to_have_attribute("data-count", "1")
        assert _supports(live_app, chosen_id) == before

        server.start()
        context.set_offline(False)
        expect(page.locator("#pending")).to_be_hidden(timeout=20_000)
        assert _supports(live_app, chosen_id) == before + 1
    finally:
        context.close()
        server.stop()


def test_an_analyst_approves_a_pending_idea_under_a_line_from_the_review_page(
    browser, base_url, live_app, wall_world, shoot
):
    proposal = "Que la emisora del barrio tenga un programa hecho por los pelados"
    detail = urllib.request.urlopen(f"{base_url}/api/v1/sessions/{wall_world['earlier']}")
    question = next(
        q for q in json.loads(detail.read())["instrument"]["questions"] if q["type"] == "idea"
    )
    body = {"id": str(uuid.uuid4()), "answers": [{"question": question["id"], "value": proposal}]}
    assert _post(base_url, wall_world["earlier"], body) == 201
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Correo").fill("muro@test.co")
        page.get_by_label("Contraseña").fill("muro de ideas 2027 ok")
        page.get_by_role("button", name="Ingresar").click()
        page.goto(f"/ideas/revisar?consulta={wall_world['consultation']}")
        card = page.locator(".idea-review", has_text=proposal)
        expect(card).to_be_visible()
        expect(page.locator(".idea-review", has_text=EARLIER[0])).to_have_count(0)  # approved
        card.locator("select[name=line]").select_option("T2")
        shoot(page, "ideas-review")
        card.get_by_role("button", name="Aprobar").click()
        expect(page.locator(".flash-success")).to_be_visible()
        expect(page.locator(".idea-review", has_text=proposal)).to_have_count(0)
        page.goto(f"/ideas/{wall_world['consultation']}")
        group = page.locator(".wall-group", has_text=proposal)
        expect(group.locator(".wall-line")).to_contain_text("Que escuchen a niñas, niños y jóvenes")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_serious_or_critical_violation_on_the_public_wall(axe_page, wall_world, lang):  # noqa: F811
    axe_page.goto(f"/ideas/{wall_world['consultation']}?lang={lang}")
    expect(axe_page.locator(".idea-card").nth(2)).to_be_visible()
    assert axe_page.locator("html").get_attribute("lang") == lang
    assert serious_violations(axe_page, f"ideas wall {lang}") == []


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_serious_or_critical_violation_on_the_kiosk_ideas_step(axe_page, wall_world, lang):  # noqa: F811
    page = axe_page
    page.goto(f"/k/{wall_world['today']}?lang={lang}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    while page.locator("#screen").get_attribute("data-screen") == "question":
        tap(page, '[data-action="skip"]')
    on_screen(page, "ideas")
    found = serious_violations(page, f"kiosk ideas {lang}")
    page.locator('[data-action="support"]').first.tap()
    found += serious_violations(page, f"kiosk ideas, one supported, {lang}")
    assert found == []
