"""Tablet layout: touch target sizes on every screen, adults' grouped pages, English, joining."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .driver import answer_by_touch, on_screen, plan_answer, small_targets, start_participant, tap

pytestmark = pytest.mark.browser


def test_every_tappable_control_on_every_screen_is_at_least_48_px(page, open_session, api_session):
    code = open_session("ninez")
    questions = api_session(code)["instrument"]["questions"]
    checked: dict[str, list] = {}

    def check(name: str) -> None:
        checked[name] = small_targets(page)

    page.goto("/k")
    check("join")
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    check("welcome")
    tap(page, '[data-action="help"]')
    check("help dialog")
    page.locator('[data-action="close-help"]').tap()
    tap(page, '[data-action="start"]')
    on_screen(page, "assent")
    check("assent")
    tap(page, '[data-action="assent-yes"]')
    on_screen(page, "profile")
    check("profile")
    tap(page, '[data-action="stop"]')
    check("stop dialog")
    page.locator('[data-action="stop-no"]').tap()
    tap(page, '[data-action="next"]')
    for index, question in enumerate(questions):
        expect(page.locator(f'.question[data-question="{question["id"]}"]')).to_be_visible()
        answer_by_touch(page, question, plan_answer(question, index))
        check(f"question {question['id']}")
        tap(page, '[data-action="next"]')
    on_screen(page, "review")
    check("review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    check("thanks")

    assert len(checked) == len(questions) + 8
    too_small = {name: found for name, found in checked.items() if found}
    assert too_small == {}


def test_adults_answer_several_questions_per_screen(page, open_session, api_session, stored, shoot):
    code = open_session("actores")
    detail = api_session(code)
    assert detail["instrument"]["layout"] == "grouped"
    questions = detail["instrument"]["questions"]
    page.goto(f"/k/{code}")
    # Adults are addressed with "usted".
    tap(page, '[data-action="start"]')
    expect(page.locator("h1")).to_have_text("¿Quiere participar?")
    tap(page, '[data-action="assent-yes"]')
    on_screen(page, "profile")
    tap(page, '[data-action="skip"]')

    expected: dict[str, object] = {}
    skipped: str | None = None
    seen = 0
    page_number = 0
    while page.locator("#screen").get_attribute("data-screen") == "question":
        page_number += 1
        blocks = page.locator(".question")
        ids = [blocks.nth(i).get_attribute("data-question") for i in range(blocks.count())]
        assert len(ids) > 1 or seen + len(ids) == len(questions)
        for qid in ids:
            question = next(q for q in questions if q["id"] == qid)
            value = plan_answer(question, seen)
            answer_by_touch(page, question, value)
            if skipped is None and seen == 1:
                # Changing one's mind: answer, then skip that question after all.
                block = page.locator(f'.question[data-question="{qid}"]')
                block.locator('[data-action="skip-question"]').tap()
                expect(block.locator(".skipped-note")).to_be_visible()
                expect(block.locator(".option[aria-pressed='true']")).to_have_count(0)
                skipped = qid
            else:
                expected[qid] = value
            seen += 1
        shoot(page, f"10-adults-page-{page_number}")
        tap(page, '[data-action="next"]')
    assert seen == len(questions)
    assert page_number < len(questions)

    on_screen(page, "review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    rows = stored(code)
    assert len(rows) == 1
    assert rows[0]["profile"] == {"age_band": None, "gender": None}
    assert rows[0]["answers"] == expected
    assert skipped not in rows[0]["answers"]


def test_the_language_switch_shows_english(page, open_session, api_session, shoot):
    code = open_session("ninez")
    english = api_session(code, lang="en")["instrument"]
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    page.locator('.lang-switch [data-lang="en"]').tap()
    on_screen(page, "welcome")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('.lang-switch [data-lang="en"]')).to_have_attribute("aria-current", "true")
    expect(page.locator("h1")).to_have_text(english["title"])
    expect(page.locator('[data-action="start"]')).to_have_text("Start")
    expect(page.locator('[data-action="help"]')).to_have_text("I want to talk to someone")
    shoot(page, "11-welcome-english")
    tap(page, '[data-action="start"]')
    expect(page.locator("h1")).to_have_text("Do you want to take part?")
    tap(page, '[data-action="assent-yes"]')
    tap(page, '[data-action="next"]')
    expect(page.locator(".question-prompt")).to_have_text(english["questions"][0]["prompt"])
    expect(page.locator('[data-action="skip"]')).to_have_text("Skip")
    expect(page.locator('[data-action="stop"]')).to_have_text("Stop")
    shoot(page, "12-question-english")


def test_joining_with_a_typed_lowercase_code_opens_the_kiosk(page, open_session, shoot):
    code = open_session("ninez")
    page.goto("/k")
    shoot(page, "00-join")
    field = page.get_by_label("Código de la sesión")
    field.tap()
    field.press_sequentially(code.lower())
    tap(page, '[data-action="join"]')
    on_screen(page, "welcome")
    assert page.url.split("?")[0].endswith(f"/k/{code}")


def test_an_unknown_code_gets_a_friendly_page_and_no_cookie(page, context, shoot):
    response = page.goto("/k/QQQQQQ")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("No encontramos esa consulta")
    expect(page.locator('[data-action="to-join"]')).to_be_visible()
    shoot(page, "13-unknown-code")
    page.goto("/k?code=QQQQQQ")
    expect(page.locator("#join-error")).to_be_visible()
    assert context.cookies() == []


STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def test_the_kiosk_needs_no_inline_script_or_style(page, open_session, api_session):
    """Under a strict CSP a violation is a console error, which the page fixture turns into a failure."""
    code = open_session("ninez")
    first = api_session(code)["instrument"]["questions"][0]

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": STRICT_CSP}
        )

    page.route("**/k/**", with_csp)
    response = page.goto(f"/k/{code}")
    assert response.headers["content-security-policy"] == STRICT_CSP
    start_participant(page)
    tap(page, '[data-action="next"]')
    answer_by_touch(page, first, plan_answer(first, 0))
    tap(page, '[data-action="help"]')
    expect(page.locator("dialog.dialog-help")).to_be_visible()
    page.locator('[data-action="close-help"]').tap()
    tap(page, '[data-action="stop"]')
    page.locator('[data-action="stop-yes"]').tap()
    on_screen(page, "welcome")
