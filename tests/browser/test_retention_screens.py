"""After retention, in Chromium: the explorer and the review page say the text was deleted, and the
admin's consultations page says when. Screenshots to look at."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

PASSWORD = "una clave larga para las pruebas"
DESKTOP = {"width": 1280, "height": 900}
WORDS = "Queremos una cancha con luces en la vereda"


@pytest.fixture(scope="module")
def deleted(live_app):
    """A consultation kept until 2020 with five coded texts, past its date on 2021-01-01 (the
    only consultation of the shared live app that is), and retention applied."""
    from consulta.extensions import db
    from consulta.models import Answer, Consultation, Submission, lines_to_mask
    from consulta.services import accounts, encounters, instruments, retention

    with live_app.app_context():
        row = Consultation(
            title="Diálogos 2019 (conservación vencida)",
            purpose="Capturas de la conservación",
            retention_until=date(2020, 1, 1),
        )
        db.session.add(row)
        db.session.commit()
        encounter = encounters.create_encounter(
            encounters.EncounterInput(
                consultation_id=row.id,
                instrument_id=instruments.latest_version("ninez").id,
                held_on=date(2019, 6, 1),
                territory_code=60,
                population="ninez",
                expected_participants=20,
                guardian_authorisation_confirmed=True,
            )
        )
        for n in range(5):
            sid = str(uuid.uuid4())
            db.session.add(
                Submission(
                    id=sid,
                    encounter_id=encounter.id,
                    instrument_id=encounter.instrument_id,
                    received_on=encounter.held_on,
                    content_hash=uuid.uuid4().hex,
                )
            )
            db.session.add(
                Answer(
                    submission_id=sid,
                    question_id="te_hace_sentir_cuidado",
                    value=f"{WORDS} número {n}",
                    auto_lines=["E1"],
                    auto_themes=["play_sport_culture"],
                    themes=["play_sport_culture"],
                    line_mask=lines_to_mask(["E1"]),
                    evidence=[{"theme": "play_sport_culture", "start": 15, "end": 21}],
                    redactions=[],
                    confidence={"E1": 0.8},
                    codebook_version="test",
                )
            )
        accounts.create_user("admin-retencion@prueba.co", "admin", PASSWORD)
        db.session.commit()
        report = retention.apply(today=date(2021, 1, 1))
        assert [c.id for c in report.consultations] == [row.id]
        assert report.consultations[0].answers == 5
        consultation = row.id
        db.session.remove()
    return consultation


@pytest.fixture
def admin(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, device_scale_factor=1, locale="es-CO"
    )
    page = context.new_page()
    page.goto("/login")
    page.fill('input[name="email"]', "admin-retencion@prueba.co")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    yield page
    context.close()


def test_explorer_and_review_show_the_deletion(admin, deleted):
    admin.goto(f"/analisis/respuestas?consultation={deleted}")
    notices = admin.locator(".answer-text .deleted-text")
    assert notices.count() == 5
    assert notices.first.inner_text() == "Texto eliminado al cumplirse el plazo de conservación"
    assert WORDS not in admin.content()
    assert admin.locator(".answer .line-chip").first.inner_text() == "E1"  # the codes stay
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=str(SCREENSHOTS / "retention_explorer.png"), full_page=True)
    admin.locator(".answer a", has_text="Revisar").first.click()
    assert "Texto eliminado al cumplirse el plazo de conservación" in admin.content()
    admin.screenshot(path=str(SCREENSHOTS / "retention_review.png"), full_page=True)


def test_admin_page_says_when_texts_were_deleted(admin, deleted):
    admin.goto("/admin/consultas")
    row = admin.locator("tr", has_text="Diálogos 2019 (conservación vencida)")
    assert "Textos eliminados el 2021-01-01" in row.inner_text()
    admin.screenshot(path=str(SCREENSHOTS / "retention_admin.png"), full_page=True)
