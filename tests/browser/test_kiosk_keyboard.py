"""Without a touch screen: the kiosk can be completed with Tab, Enter, Space and typing alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .driver import TEXTS, on_screen

pytestmark = pytest.mark.browser


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Presses Tab until the focused element matches selector (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_ring_width(page: Page) -> float:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"
    )


def test_keyboard_only_participant_completes_and_resets(
    page, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    questions = api_session(code)["instrument"]["questions"]
    answered = questions[:2]
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")

    tab_to(page, '[data-action="start"]')
    assert focus_ring_width(page) >= 3, "the focused button shows no visible focus ring"
    page.keyboard.press("Enter")
    on_screen(page, "assent")
    tab_to(page, '[data-action="assent-yes"]')
    page.keyboard.press("Enter")

    on_screen(page, "profile")
    age = api_session(code)["profile"]["age_bands"][0]
    tab_to(page, f'.option[data-value="{age["value"]}"]')
    page.keyboard.press("Space")
    expect(page.locator(f'.option[data-value="{age["value"]}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    tab_to(page, '[data-action="next"]')
    page.keyboard.press("Enter")

    expected: dict[str, object] = {}
    for question in answered:
        expect(page.locator(f'.question[data-question="{question["id"]}"]')).to_be_visible()
        if question["type"] in TEXTS:
            tab_to(page, "textarea")
            page.keyboard.type(TEXTS[question["type"]])
            expected[question["id"]] = TEXTS[question["type"]]
        else:
            value = question["options"][0]["value"]
            tab_to(page, f'.option[data-value="{value}"]')
            page.keyboard.press("Space")
            expected[question["id"]] = [value] if question["type"] == "multiple_choice" else value
        shoot(page, f"14-keyboard-question-{question['id']}")
        tab_to(page, '[data-action="next"]')
        page.keyboard.press("Enter")
    for question in questions[len(answered) :]:
        expect(page.locator(f'.question[data-question="{question["id"]}"]')).to_be_visible()
        tab_to(page, '[data-action="skip"]')
        page.keyboard.press("Enter")

    on_screen(page, "review")
    tab_to(page, '[data-action="send"]')
    page.keyboard.press("Enter")
    on_screen(page, "thanks")
    tab_to(page, '[data-action="next-person"]')
    page.keyboard.press("Enter")
    on_screen(page, "welcome")

    rows = stored(code)
    assert len(rows) == 1
    assert rows[0]["answers"] == expected
    assert rows[0]["profile"]["age_band"] == age["value"]


def test_escape_closes_the_help_dialog_and_focus_returns_to_the_kiosk(page, open_session):
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    tab_to(page, '[data-action="help"]')
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.dialog-help")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    tab_to(page, '[data-action="start"]')
    page.keyboard.press("Enter")
    on_screen(page, "assent")
