"""The kiosk without a network: answers wait on the tablet (IndexedDB) and arrive exactly once.

The service worker keeps the kiosk, its assets and the session's questions, so that a reload with
no connection (or with the server down) still shows the kiosk.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from .conftest import TABLET
from .driver import answer_by_touch, on_screen, start_participant, tap
from .test_kiosk_accessibility import AXE, serious_violations

pytestmark = pytest.mark.browser

OUTBOX_IDS = """
() => new Promise((resolve, reject) => {
  const open = indexedDB.open("consulta-kiosk");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").getAll();
    request.onsuccess = () => resolve(request.result.filter((e) => e.kind === "submission")
      .map((e) => e.payload.id).sort());
  };
})
"""


def wait_offline_ready(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=20_000)


def answer_one_and_send(page, question: dict, value: str) -> None:
    """A participant who answers the first question, skips the rest, sends and leaves."""
    start_participant(page)
    tap(page, '[data-action="skip"]')
    answer_by_touch(page, question, value)
    tap(page, '[data-action="next"]')
    while page.locator("#screen").get_attribute("data-screen") == "question":
        tap(page, '[data-action="skip"]')
    on_screen(page, "review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    tap(page, '[data-action="next-person"]')
    on_screen(page, "welcome")


def choice_question(questions: list[dict]) -> dict:
    return next(q for q in questions if q["options"] and q["type"] != "multiple_choice")


class RestartableServer:
    """The app on a fixed port that can be stopped and started again, like a crashed server."""

    def __init__(self, app, delay: float = 0.0):
        self.app = app
        self.delay = delay
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None

    def wsgi(self, environ, start_response):
        # Submissions take a moment, so that the server can die while some are on their way.
        if environ["REQUEST_METHOD"] == "POST" and self.delay:
            time.sleep(self.delay)
        return self.app(environ, start_response)

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.server = None


def test_a_server_that_dies_while_answers_are_sent_still_gets_each_exactly_once(
    browser, live_app, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    first = choice_question(api_session(code)["instrument"]["questions"])
    values = [first["options"][i % len(first["options"])]["value"] for i in range(4)]
    server = RestartableServer(live_app, delay=0.6)
    server.start()
    context = tablet(browser, server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"/k/{code}")
        on_screen(page, "welcome")
        wait_offline_ready(page)
        context.set_offline(True)
        for value in values:
            answer_one_and_send(page, first, value)
        waiting = page.evaluate(OUTBOX_IDS)

        context.set_offline(False)  # the outbox starts sending at once…
        deadline = time.monotonic() + 20
        while not stored(code) and time.monotonic() < deadline:
            time.sleep(0.1)
        server.stop()  # …and the server dies with some answers on their way
        assert 1 <= len(stored(code)) < 4

        # With the server down the kiosk still reloads from the service worker's cache.
        page.reload()
        on_screen(page, "welcome")
        shoot(page, "21-server-down-answers-waiting")
        expect(page.locator("#pending")).to_be_visible()

        server.start()
        expect(page.locator("#pending")).to_be_hidden(timeout=30_000)
        rows = stored(code)
        assert sorted(row["id"] for row in rows) == waiting
        assert sorted(row["answers"][first["id"]] for row in rows) == sorted(values)
    finally:
        context.close()
        server.stop()


def tablet(browser, url: str):
    return browser.new_context(
        base_url=url, viewport=TABLET, has_touch=True, is_mobile=True, locale="es-CO"
    )


def test_five_answers_given_offline_survive_a_reload_and_arrive_exactly_once(
    browser, live_app, open_session, api_session, stored, shoot
):
    code = open_session("ninez")
    first = choice_question(api_session(code)["instrument"]["questions"])
    values = [first["options"][i % len(first["options"])]["value"] for i in range(5)]
    server = RestartableServer(live_app)
    server.start()
    context = tablet(browser, server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"/k/{code}")
        on_screen(page, "welcome")
        wait_offline_ready(page)

        context.set_offline(True)
        for value in values:
            answer_one_and_send(page, first, value)
        expect(page.locator("#pending")).to_have_attribute("data-count", "5")
        shoot(page, "20-offline-five-waiting")
        waiting = page.evaluate(OUTBOX_IDS)
        assert len(waiting) == 5

        # A reload with no network. Chromium's offline mode does not reach a page's service
        # worker, so the server is stopped too: only the worker's cache can show the kiosk.
        server.stop()
        response = page.reload()
        assert response is not None and response.from_service_worker
        on_screen(page, "welcome")
        expect(page.locator("#pending")).to_have_attribute("data-count", "5")
        assert stored(code) == []

        server.start()
        context.set_offline(False)
        expect(page.locator("#pending")).to_be_hidden(timeout=20_000)
        rows = stored(code)
        assert sorted(row["id"] for row in rows) == waiting
        assert sorted(row["answers"][first["id"]] for row in rows) == sorted(values)
        # Delivered means deleted: nothing of those answers remains on the tablet.
        assert page.evaluate(OUTBOX_IDS) == []
    finally:
        context.close()
        server.stop()


def test_the_same_submission_delivered_twice_is_stored_once(
    page, open_session, api_session, stored
):
    code = open_session("ninez")
    first = choice_question(api_session(code)["instrument"]["questions"])
    page.goto(f"/k/{code}")
    sent: list[tuple[str, int]] = []

    def deliver_twice_lose_answers(route):
        # The request reaches the server twice, and both acknowledgements are lost.
        for _ in range(2):
            sent.append((route.request.post_data_json["id"], route.fetch().status))
        route.abort("connectionreset")

    page.route("**/submissions", deliver_twice_lose_answers)
    answer_one_and_send(page, first, first["options"][0]["value"])
    expect(page.locator("#pending")).to_have_attribute("data-count", "1")
    page.unroute("**/submissions")
    expect(page.locator("#pending")).to_be_hidden(timeout=20_000)
    ids = {sid for sid, _status in sent}
    assert len(ids) == 1 and [status for _sid, status in sent][:2] == [201, 200]
    assert [row["id"] for row in stored(code)] == list(ids)


def test_the_waiting_indicator_is_accessible_in_both_languages(
    browser, base_url, open_session, api_session, shoot
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser-deps`")
    code = open_session("ninez")
    first = choice_question(api_session(code)["instrument"]["questions"])
    found: list[str] = []
    for lang, label in (("es", "esperando para enviarse: 1"), ("en", "waiting to be sent: 1")):
        context = browser.new_context(
            base_url=base_url, viewport=TABLET, has_touch=True, is_mobile=True, bypass_csp=True
        )
        page = context.new_page()
        page.goto(f"/k/{code}?lang={lang}")
        on_screen(page, "welcome")
        page.route("**/submissions", lambda route: route.abort("internetdisconnected"))
        answer_one_and_send(page, first, first["options"][0]["value"])
        pending = page.locator("#pending")
        expect(pending).to_be_visible()
        expect(pending).to_have_attribute("role", "status")
        expect(pending).to_contain_text(label)
        box = pending.bounding_box()
        # Out of the way of the buttons: a small badge in a corner, not a warning banner.
        assert box["height"] <= 64 and box["width"] <= 200
        found += serious_violations(page, f"welcome with answers waiting ({lang})")
        shoot(page, f"22-waiting-indicator-{lang}")
        context.close()
    assert not found, "\n".join(found)
