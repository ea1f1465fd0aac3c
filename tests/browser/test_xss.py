"""XSS payloads typed by participants, facilitators and admins are shown as text on every page.

Payloads go in through every door (tablet answers and ideas, the tablet's label on a help alert,
relatoría notes, devolución texts, a consultation's name); then every GET page of the app is
opened in Chromium by every role and by an anonymous visitor, so a page added tomorrow is
checked too. On each page: no dialog fires, no element or attribute the payloads carry exists
in the DOM, no script holds a payload, and where texts are shown the payload reads as text.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import date

import pytest

from .conftest import SCREENSHOTS
from .driver import on_screen, start_participant, tap

pytestmark = pytest.mark.browser

PASSWORD = "cargas hostiles 2027 largas"
ROLES = ("facilitator", "analyst", "safeguarding", "admin")
# Each survives redaction unchanged (nothing personal in it).
PAYLOADS = [
    '<script>alert("xss-script")</script> quiero parques',
    '"><img src=x onerror=alert("xss-img")> más luz',
    "javascript:alert('xss-js')",
    '</textarea><svg onload=alert("xss-svg")> canchas',
    "{{7*7}} y ${7*7} para todos",
    '<a href="javascript:alert(5)" id="xss-anchor">mira</a>',
    "</script><script>alert('xss-break')</script>",
]
TABLET_LABEL = "<img src=x onerror=alert(8)>"
TITLE = '<img src=x onerror=alert("xss-title")> Consulta hostil'
# What a payload leaves in the DOM if it is ever parsed as HTML.
INJECTED = (
    'img[src="x"], svg[onload], [onerror], [onload], #xss-anchor, a[href^="javascript:"], '
    "script:not([src]):not([type='application/json'])"
)
# Shown as text, a payload keeps these characters visible (the title's own marker aside).
TEXT_MARKERS = ("<script>alert(", "{{7*7}}", "</textarea><svg", "javascript:alert(")
VISIBLE = (*TEXT_MARKERS, "<img src=x onerror=", TABLET_LABEL)
# Pages whose job is to show what was typed, and what of it must read there as text.
SHOWS_TEXT = {
    "facilitate.detail": TEXT_MARKERS,  # relatoría notes
    "facilitate.projection_control": TEXT_MARKERS,
    "facilitate.projection_screen": TEXT_MARKERS,
    "analyze.explorer": TEXT_MARKERS,
    "analyze.review": TEXT_MARKERS,
    "analyze.review_note": TEXT_MARKERS,
    "ideas.review": TEXT_MARKERS,
    "ideas.wall": TEXT_MARKERS,
    "devolucion.adults": TEXT_MARKERS,
    "devolucion.children": TEXT_MARKERS,
    "devolucion.edit": TEXT_MARKERS,
    "safeguarding.index": (TABLET_LABEL,),
    "admin.consultations": (TITLE,),
}
SKIP = ("static", "set_language", "auth.logout", "participate.service_worker")


def _post(base_url: str, path: str, body: dict) -> int:
    request = urllib.request.Request(
        f"{base_url}{path}",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return response.status


@pytest.fixture(scope="module")
def hostile_world(live_app, base_url):
    """A consultation whose every text field carries a payload, and the ids to reach them."""
    from analysis import LINES
    from consulta.devolucion.services import save_line_responses
    from consulta.extensions import db
    from consulta.models import Alert, Answer, Consultation, Idea, RelatoriaNote, User
    from consulta.services import accounts, encounters, ideas, instruments, projection

    with live_app.app_context():
        users = {}
        for role in ROLES:
            email = f"xss-{role}@test.co"
            if db.session.scalar(db.select(User).filter_by(email=email)) is None:
                accounts.create_user(email, role, PASSWORD)
            users[role] = db.session.scalar(db.select(User.id).filter_by(email=email))
        consultation = Consultation(
            title=TITLE, purpose=PAYLOADS[1], retention_until=date(2030, 12, 31)
        )
        db.session.add(consultation)
        db.session.commit()
        codes = []
        for held_on in (date(2027, 2, 10), date.today()):
            codes.append(
                encounters.create_encounter(
                    encounters.EncounterInput(
                        consultation_id=consultation.id,
                        instrument_id=instruments.latest_version("ninez").id,
                        held_on=held_on,
                        territory_code=60,
                        population="ninez",
                        expected_participants=20,
                        guardian_authorisation_confirmed=True,
                    ),
                    created_by=db.session.get(User, users["facilitator"]),
                ).code
            )
        consultation_id = consultation.id
        db.session.remove()

    detail = json.loads(urllib.request.urlopen(f"{base_url}/api/v1/sessions/{codes[0]}").read())
    texts = [
        q["id"] for q in detail["instrument"]["questions"] if q["type"] in ("open_text", "idea")
    ]
    for payload in PAYLOADS:
        body = {
            "id": str(uuid.uuid4()),
            "answers": [{"question": q, "value": payload} for q in texts],
            "tablet": TABLET_LABEL,
        }
        assert _post(base_url, f"/api/v1/sessions/{codes[0]}/submissions", body) == 201
    help_body = {"id": str(uuid.uuid4()), "tablet": TABLET_LABEL}
    assert _post(base_url, f"/api/v1/sessions/{codes[0]}/help", help_body) == 201

    with live_app.app_context():
        encounter = encounters.by_code(codes[0])
        for payload in PAYLOADS:
            encounters.add_note(
                encounter, "general", payload, db.session.get(User, users["facilitator"])
            )
        analyst = db.session.get(User, users["analyst"])
        idea_ids = db.session.scalars(
            db.select(Idea.id).filter_by(encounter_id=encounter.id).order_by(Idea.id)
        ).all()
        for n, idea_id in enumerate(idea_ids):
            ideas.decide(analyst, idea_id, "approve", LINES[n % len(LINES)])
        save_line_responses(
            consultation_id,
            {
                line: {
                    "text_es": PAYLOADS[n % len(PAYLOADS)],
                    "children_text_es": PAYLOADS[(n + 1) % len(PAYLOADS)],
                }
                for n, line in enumerate(LINES)
            },
            db.session.get(User, users["admin"]),
        )
        idea_question = next(q for q in texts if q.startswith("idea"))
        projection.set_question(encounter, idea_question)
        # The review page shows one text: take one that carries a text marker, not any.
        answer = next(
            row
            for row in db.session.scalars(
                db.select(Answer).where(
                    Answer.codebook_version.is_not(None),
                    Answer.submission_id.in_(
                        db.select(Idea.submission_id).filter_by(encounter_id=encounter.id)
                    ),
                )
            )
            if any(marker in str(row.value) for marker in TEXT_MARKERS)
        )
        values = {
            "code": codes[0],
            "encounter_id": encounter.id,
            "consultation_id": consultation_id,
            "consultation": consultation_id,
            "submission_id": answer.submission_id,
            "question_id": answer.question_id,
            "note_id": db.session.scalar(
                db.select(RelatoriaNote.id).filter_by(encounter_id=encounter.id)
            ),
            "idea_id": idea_ids[0],
            "alert_id": db.session.scalar(db.select(Alert.id).filter_by(encounter_id=encounter.id)),
            "lang": "es",
            "fmt": "csv",
            "pregunta": idea_question,
        }
        db.session.remove()
    return {"values": values, "codes": codes, "emails": {r: f"xss-{r}@test.co" for r in ROLES}}


def _pages(live_app, values) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET page, with the hostile world's ids filled in."""
    from flask import url_for

    found = []
    with live_app.test_request_context():
        for rule in live_app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIP:
                continue
            if rule.endpoint.startswith(("api.", "analyze.export")) or rule.rule.endswith(
                (".json", ".svg")
            ):
                continue
            args = {name: values[name] for name in rule.arguments}
            extra = {"consultation": values["consultation"], "consulta": values["consultation"]}
            if rule.endpoint.startswith("facilitate.projection"):
                extra["pregunta"] = values["pregunta"]
            if rule.endpoint == "ideas.review":
                extra["estado"] = "approved"  # every hostile idea was approved for the wall
            found.append((rule.endpoint, url_for(rule.endpoint, **args, **extra)))
    return sorted(found)


def _login(page, email: str) -> None:
    page.goto("/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, "sign-in failed"


def _check(page, where) -> dict:
    injected = page.locator(INJECTED)
    found = [
        injected.nth(i).evaluate("e => e.outerHTML.slice(0, 120)") for i in range(injected.count())
    ]
    assert not found, (where, found)
    holding = page.evaluate(
        """() => Array.from(document.scripts)
            .filter(s => !s.type || /javascript|module/.test(s.type))
            .filter(s => /xss-|alert\\(/.test(s.textContent)).length"""
    )
    assert holding == 0, where
    # Form fields count as shown: a payload must come back in them exactly, not break out.
    fields = page.evaluate(
        "() => Array.from(document.querySelectorAll('textarea, input')).map(e => e.value)"
    )
    text = page.inner_text("body") + "\n" + "\n".join(fields)
    assert "49 y" not in text, (where, "a template evaluated a participant's text")
    return text


@pytest.mark.parametrize("role", [None, *ROLES])
def test_payloads_are_shown_escaped_on_every_page(browser, base_url, live_app, hostile_world, role):
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, locale="es-CO"
    )
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(15_000)
        if role:
            _login(page, hostile_world["emails"][role])
        checked, showing = [], []
        for endpoint, url in _pages(live_app, hostile_world["values"]):
            response = page.goto(url)
            page.wait_for_load_state("load")
            if response is None or response.status >= 400 or "/login" in page.url:
                continue  # not this role's page
            page.wait_for_timeout(300)  # pages that draw from JSON (projection) fill in
            text = _check(page, (role, endpoint))
            checked.append(endpoint)
            if any(marker in text for marker in SHOWS_TEXT.get(endpoint, VISIBLE)):
                showing.append(endpoint)
            if endpoint in {"analyze.explorer", "ideas.wall", "facilitate.detail"}:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"xss-{endpoint}-{role}.png"))
        assert not dialogs, (role, dialogs)
        expected = {e for e in SHOWS_TEXT if e in checked}
        assert expected <= set(showing), (role, sorted(expected - set(showing)))
        assert checked, role
        if role == "admin":  # admins see every staff page
            assert {"facilitate.detail", "analyze.explorer", "safeguarding.index"} <= set(checked)
        if role is None:
            assert {"ideas.wall", "devolucion.adults", "devolucion.children"} <= set(checked)
    finally:
        context.close()


def test_payloads_in_ideas_are_text_on_the_kiosk(browser, base_url, hostile_world):
    """The kiosk draws approved ideas of other sessions with script: still text, never HTML."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 800, "height": 1280},
        has_touch=True,
        is_mobile=True,
        locale="es-CO",
    )
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        code = hostile_world["codes"][1]
        detail = json.loads(urllib.request.urlopen(f"{base_url}/api/v1/sessions/{code}").read())
        page.goto(f"/k/{code}")
        start_participant(page)
        tap(page, '[data-action="skip"]')
        for _question in detail["instrument"]["questions"]:
            on_screen(page, "question")
            tap(page, '[data-action="skip"]')
        on_screen(page, "ideas")
        text = _check(page, "kiosk ideas")
        assert any(marker in text for marker in TEXT_MARKERS), text[:500]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "xss-kiosk-ideas.png"))
        assert not dialogs
    finally:
        context.close()


REFLECTED = '"><img src=x onerror=alert("xss-q")><script>alert("xss-q")</script>'


@pytest.mark.parametrize("role", [None, "admin"])
def test_query_strings_are_not_reflected_as_html(browser, base_url, live_app, hostile_world, role):
    """Every page, with a payload in every query parameter the app reads (reflected XSS)."""
    from urllib.parse import urlencode

    names = ("q", "next", "code", "pregunta", "estado", "consulta", "theme", "question", "saved")
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, locale="es-CO"
    )
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(15_000)
        if role:
            _login(page, hostile_world["emails"][role])
        checked = 0
        for endpoint, url in _pages(live_app, hostile_world["values"]):
            base, _sep, query = url.partition("?")
            extra = urlencode({name: REFLECTED for name in names})
            response = page.goto(f"{base}?{query}&{extra}" if query else f"{base}?{extra}")
            page.wait_for_load_state("load")
            if response is None or response.status >= 400 or "/login" in page.url:
                continue
            _check(page, (role, endpoint, "query"))
            checked += 1
        assert checked >= 5 and not dialogs, (checked, dialogs)
    finally:
        context.close()
