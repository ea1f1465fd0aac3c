"""Read-aloud for children who barely read, and the help button that reaches the facilitator."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .driver import on_screen, small_targets, start_participant, tap

pytestmark = pytest.mark.browser

# Records what the kiosk asks the speech synthesiser to say, instead of saying it.
SPY_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
"""


@pytest.mark.parametrize("lang,locale", [("es", "es-CO"), ("en", "en-US")])
def test_every_question_and_option_can_be_read_aloud(
    page, open_session, api_session, lang, locale, shoot
):
    code = open_session("ninez")
    question = api_session(code, lang=lang)["instrument"]["questions"][0]
    page.add_init_script(SPY_SPEECH)
    page.goto(f"/k/{code}?lang={lang}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    block = page.locator(f'.question[data-question="{question["id"]}"]')
    speakers = block.locator('[data-action="speak"]')
    expect(speakers).to_have_count(1 + len(question["options"]))
    speakers.first.tap()
    option = question["options"][-1]
    block.locator(f'.option[data-value="{option["value"]}"] + [data-action="speak"]').tap()
    spoken = page.evaluate("window.__spoken")
    assert spoken == [
        {"text": question["prompt"], "lang": locale},
        {"text": option["label"], "lang": locale},
    ]
    # Reading an option aloud does not choose it.
    expect(block.locator(".option[aria-pressed='true']")).to_have_count(0)
    expect(speakers.first).to_have_attribute(
        "aria-label", f"{'Escuchar' if lang == 'es' else 'Listen'}: {question['prompt']}"
    )
    assert small_targets(page) == []
    if lang == "es":
        shoot(page, "23-read-aloud-buttons")


def test_without_speech_synthesis_no_speaker_button_is_shown(page, open_session):
    code = open_session("ninez")
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    expect(page.locator(".question")).to_be_visible()
    expect(page.locator('[data-action="speak"]')).to_have_count(0)


def test_the_help_button_records_a_help_request_for_the_session(live_app, page, open_session):
    from consulta.extensions import db
    from consulta.models import HelpRequest
    from consulta.services import encounters

    def requests(code: str) -> int:
        with live_app.app_context():
            encounter = encounters.by_code(code)
            count = db.session.query(HelpRequest).filter_by(encounter_id=encounter.id).count()
            db.session.remove()
            return count

    code = open_session("ninez")
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    tap(page, '[data-action="help"]')
    expect(page.locator("dialog.dialog-help")).to_contain_text("141")
    deadline = time.monotonic() + 10
    while requests(code) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert requests(code) == 1
    # Tapping again a moment later is the same request, not a new alarm.
    page.locator('[data-action="close-help"]').tap()
    tap(page, '[data-action="help"]')
    page.wait_for_timeout(500)
    assert requests(code) == 1
