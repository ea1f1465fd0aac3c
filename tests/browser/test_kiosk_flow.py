"""A child on the shared tablet, by touch: the whole ninez flow, saying no, and stopping midway."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .driver import TEXTS, answer_by_touch, on_screen, plan_answer, start_participant, tap

pytestmark = pytest.mark.browser


def test_whole_ninez_flow_by_touch_stores_exactly_that_submission(
    page, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    questions = api_session(code)["instrument"]["questions"]
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    shoot(page, "01-welcome")

    tap(page, '[data-action="start"]')
    on_screen(page, "assent")
    shoot(page, "02-assent")
    tap(page, '[data-action="assent-yes"]')

    on_screen(page, "profile")
    page.get_by_role("button", name="9 a 11 años").tap()
    page.get_by_role("button", name="Prefiero no decir").tap()
    shoot(page, "03-profile")
    tap(page, '[data-action="next"]')

    skipped_index = 1
    expected: dict[str, object] = {}
    for index, question in enumerate(questions):
        expect(page.locator(f'.question[data-question="{question["id"]}"]')).to_be_visible()
        expect(page.locator(".progress-label")).to_contain_text(f"{index + 1} de {len(questions)}")
        if index == skipped_index:
            shoot(page, f"04-question-{index + 1:02d}-{question['type']}")
            tap(page, '[data-action="skip"]')
            continue
        value = plan_answer(question, index)
        # Siguiente waits for an answer; Saltar is always there.
        expect(page.locator('[data-action="next"]')).to_be_disabled()
        answer_by_touch(page, question, value)
        expect(page.locator('[data-action="next"]')).to_be_enabled()
        shoot(page, f"04-question-{index + 1:02d}-{question['type']}")
        expected[question["id"]] = value
        tap(page, '[data-action="next"]')

    on_screen(page, "review")
    expect(page.locator(".review-item")).to_have_count(len(questions))
    expect(page.locator(".review-empty")).to_have_count(1)
    shoot(page, "05-review")
    tap(page, '[data-action="send"]')

    on_screen(page, "thanks")
    help_card = page.locator(".help-card")
    for line in ("ICBF", "141", "Policía", "123", "Te Protejo"):
        expect(help_card).to_contain_text(line)
    shoot(page, "06-thanks")

    # Nobody touches the tablet: it resets itself for the next participant.
    on_screen(page, "welcome")
    expect(page.locator("textarea")).to_have_count(0)
    assert page.context.cookies() == []

    rows = stored(code)
    assert len(rows) == 1
    assert rows[0]["profile"] == {"age_band": "9-11", "gender": "prefiero_no_decir"}
    assert rows[0]["answers"] == expected
    assert questions[skipped_index]["id"] not in rows[0]["answers"]
    assert set(TEXTS.values()) & {v for v in rows[0]["answers"].values() if isinstance(v, str)}


def test_saying_no_at_assent_stores_nothing_and_returns_to_welcome(page, open_session, stored):
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    tap(page, '[data-action="start"]')
    on_screen(page, "assent")
    tap(page, '[data-action="assent-no"]')
    on_screen(page, "welcome")
    assert stored(code) == []


def test_parar_discards_the_answers_and_the_next_child_starts_clean(
    page, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    first = api_session(code)["instrument"]["questions"][0]
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="next"]')
    value = plan_answer(first, 0)
    answer_by_touch(page, first, value)

    tap(page, '[data-action="stop"]')
    dialog = page.locator("dialog.dialog-stop")
    expect(dialog).to_be_visible()
    shoot(page, "07-stop-confirm")
    # "No, seguir" keeps everything as it was.
    dialog.locator('[data-action="stop-no"]').tap()
    expect(dialog).to_be_hidden()
    expect(page.locator(".option[aria-pressed='true']")).not_to_have_count(0)

    tap(page, '[data-action="stop"]')
    dialog.locator('[data-action="stop-yes"]').tap()
    on_screen(page, "welcome")
    assert stored(code) == []

    # The next participant sees none of the previous answers.
    start_participant(page)
    expect(page.locator(".option[aria-pressed='true']")).to_have_count(0)
    tap(page, '[data-action="next"]')
    expect(page.locator(f'.question[data-question="{first["id"]}"]')).to_be_visible()
    expect(page.locator(".option[aria-pressed='true']")).to_have_count(0)


def test_help_lines_are_one_tap_away_on_every_flow_screen(page, open_session, shoot):
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    for step in ("welcome", "assent", "profile"):
        on_screen(page, step)
        tap(page, '[data-action="help"]')
        dialog = page.locator("dialog.dialog-help")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("141")
        if step == "profile":
            shoot(page, "08-help-dialog")
        dialog.locator('[data-action="close-help"]').tap()
        expect(dialog).to_be_hidden()
        tap(
            page,
            {"welcome": '[data-action="start"]', "assent": '[data-action="assent-yes"]'}.get(
                step, '[data-action="next"]'
            ),
        )
    expect(page.locator('[data-action="help"]')).to_be_visible()


def test_a_session_closed_meanwhile_gets_a_friendly_screen(
    page, open_session, close_session, stored, shoot
):
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    while page.locator("#screen").get_attribute("data-screen") == "question":
        tap(page, '[data-action="skip"]')
    on_screen(page, "review")
    close_session(code)
    tap(page, '[data-action="send"]')
    on_screen(page, "closed")
    expect(page.locator("h1")).to_have_text("Esta consulta ya terminó")
    shoot(page, "09-closed")
    assert stored(code) == []


def test_a_session_closed_before_starting_says_so_at_empezar(page, open_session, close_session):
    code = open_session("ninez")
    page.goto(f"/k/{code}")
    on_screen(page, "welcome")
    close_session(code)
    tap(page, '[data-action="start"]')
    on_screen(page, "closed")
    expect(page.locator('[data-action="help"]')).to_be_visible()


def test_a_lost_acknowledgement_keeps_the_answers_waiting_and_they_are_stored_once(
    page, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    first = api_session(code)["instrument"]["questions"][0]
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    value = plan_answer(first, 0)
    answer_by_touch(page, first, value)
    while page.locator("#screen").get_attribute("data-screen") != "review":
        tap(
            page,
            '[data-action="next"]'
            if page.locator('[data-action="next"]').is_enabled()
            else '[data-action="skip"]',
        )

    # The first attempt reaches the server but its answer is lost on the way back.
    delivered = []

    def lose_answer(route):
        delivered.append(route.fetch().status)
        route.abort("connectionreset")

    page.route("**/submissions", lose_answer)
    tap(page, '[data-action="send"]')
    # The child is thanked: the answers wait on the tablet, and the cloud says one is waiting.
    on_screen(page, "thanks")
    expect(page.locator("#pending")).to_be_visible()
    expect(page.locator("#pending")).to_have_attribute("data-count", "1")
    shoot(page, "15-answers-waiting")
    # Retries (with back-off) may already have reached the server: each was a repeat (200).
    assert delivered[0] == 201 and set(delivered[1:]) <= {200}

    page.unroute("**/submissions")
    # The outbox retries by itself (back-off) and stops showing the cloud once acknowledged.
    expect(page.locator("#pending")).to_be_hidden(timeout=20_000)
    rows = stored(code)
    assert len(rows) == 1
    assert rows[0]["answers"] == {first["id"]: value}


def test_a_participant_who_walks_away_leaves_nothing_for_the_next_one(
    page, open_session, api_session, stored
):
    code = open_session("ninez")
    first = api_session(code)["instrument"]["questions"][0]
    page.clock.install()
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="next"]')
    answer_by_touch(page, first, plan_answer(first, 0))
    page.clock.run_for("04:00")
    on_screen(page, "question")  # still thinking: nothing happens yet
    page.clock.run_for("01:05")
    on_screen(page, "welcome")
    start_participant(page)
    tap(page, '[data-action="next"]')
    expect(page.locator(".option[aria-pressed='true']")).to_have_count(0)
    assert stored(code) == []


def test_cambiar_on_the_review_edits_one_answer_and_comes_back(
    page, open_session, api_session, stored
):
    code = open_session("ninez")
    questions = api_session(code)["instrument"]["questions"]
    face = next(q for q in questions if q["type"] == "face_scale")
    page.goto(f"/k/{code}")
    start_participant(page)
    tap(page, '[data-action="skip"]')
    while page.locator("#screen").get_attribute("data-screen") == "question":
        tap(page, '[data-action="skip"]')
    on_screen(page, "review")
    expect(page.locator(".review-empty")).to_have_count(len(questions))

    page.locator(f'.review-item[data-question="{face["id"]}"] [data-action="change"]').tap()
    chosen = face["options"][0]
    answer_by_touch(page, face, chosen["value"])
    tap(page, '[data-action="next"]')
    on_screen(page, "review")
    expect(page.locator(f'.review-item[data-question="{face["id"]}"]')).to_contain_text(
        chosen["label"]
    )
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    assert [row["answers"] for row in stored(code)] == [{face["id"]: chosen["value"]}]


def test_a_closed_session_shows_a_friendly_screen_from_the_start(page, open_session, close_session):
    code = open_session("ninez")
    close_session(code)
    page.goto(f"/k/{code}")
    on_screen(page, "closed")
    expect(page.locator('[data-action="start"]')).to_have_count(0)
    tap(page, '[data-action="help"]')
    expect(page.locator("dialog.dialog-help")).to_contain_text("141")


def test_when_the_questions_cannot_load_the_kiosk_offers_to_try_again(page, open_session, shoot):
    code = open_session("ninez")
    page.route("**/api/v1/sessions/*", lambda route: route.abort("internetdisconnected"))
    page.goto(f"/k/{code}")
    on_screen(page, "load-error")
    shoot(page, "16-load-error")
    tap(page, '[data-action="help"]')
    expect(page.locator("dialog.dialog-help")).to_contain_text("123")
    page.locator('[data-action="close-help"]').tap()
    page.unroute("**/api/v1/sessions/*")
    tap(page, '[data-action="reload"]')
    on_screen(page, "welcome")
