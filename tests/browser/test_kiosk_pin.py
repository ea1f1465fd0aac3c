"""The facilitator's PIN: chosen when the session is opened on a tablet, kept only as a salted
hash on the tablet, asked before exporting waiting answers or leaving the kiosk."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .driver import on_screen, small_targets, tap
from .test_kiosk_accessibility import AXE, serious_violations
from .test_offline import answer_one_and_send, choice_question

pytestmark = pytest.mark.browser

PIN = "4821"


@pytest.fixture
def pin_required(live_app):
    live_app.config["KIOSK_REQUIRE_PIN"] = True
    yield
    live_app.config["KIOSK_REQUIRE_PIN"] = False


def test_pin_is_set_on_opening_then_guards_export_and_leaving(
    pin_required, page, open_session, api_session, shoot
):
    code = open_session("ninez")
    first = choice_question(api_session(code)["instrument"]["questions"])
    bodies: list[str] = []
    page.on("request", lambda r: bodies.append((r.url or "") + (r.post_data or "")))
    page.goto(f"/k/{code}")
    on_screen(page, "pin-setup")
    assert small_targets(page) == []
    shoot(page, "24-pin-setup")
    page.locator("#pin-new").fill(PIN)
    page.locator("#pin-repeat").fill("4822")
    tap(page, '[data-action="pin-save"]')
    expect(page.locator("#pin-error")).to_have_text("Los dos PIN no coinciden.")
    page.locator("#pin-repeat").fill(PIN)
    tap(page, '[data-action="pin-save"]')
    on_screen(page, "welcome")
    kept = page.evaluate("localStorage.getItem('consulta-kiosk-pin')")
    assert kept and PIN not in kept and json.loads(kept)["hash"]

    # One answer cannot reach the server: it waits, and the facilitator exports it.
    page.route("**/submissions", lambda route: route.abort("internetdisconnected"))
    answer_one_and_send(page, first, first["options"][0]["value"])
    expect(page.locator("#pending")).to_have_attribute("data-count", "1")
    tap(page, '[data-action="facilitator"]')
    page.locator("#pin-check").fill("0000")
    tap(page, '[data-action="pin-check"]')
    expect(page.locator("dialog.dialog-facilitator")).to_contain_text("Ese PIN no es correcto.")
    page.locator("#pin-check").fill(PIN)
    tap(page, '[data-action="pin-check"]')
    expect(page.locator('[data-action="export"]')).to_be_visible()
    assert small_targets(page) == []
    shoot(page, "25-facilitator-tools")
    with page.expect_download() as download:
        tap(page, '[data-action="export"]')
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    waiting = page.evaluate(
        """() => new Promise((resolve) => { indexedDB.open("consulta-kiosk").onsuccess = (e) => {
          const r = e.target.result.transaction("outbox").objectStore("outbox").getAll();
          r.onsuccess = () => resolve(r.result.map((x) => x.payload.id)); }; })"""
    )
    assert [item["submission"]["id"] for item in exported["submissions"]] == waiting
    assert exported["submissions"][0]["code"] == code

    tap(page, '[data-action="leave"]')
    page.wait_for_url(lambda url: "/k/" not in url)
    # The PIN went nowhere: no request carried it.
    assert not any(PIN in body for body in bodies)


def test_pin_screens_have_no_serious_accessibility_violation(
    pin_required, browser, base_url, open_session
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser-deps`")
    code = open_session("ninez")
    found: list[str] = []
    for lang in ("es", "en"):
        context = browser.new_context(
            base_url=base_url, viewport={"width": 800, "height": 1280}, bypass_csp=True
        )
        page = context.new_page()
        page.goto(f"/k/{code}?lang={lang}")
        on_screen(page, "pin-setup")
        found += serious_violations(page, f"PIN setup ({lang})")
        page.locator("#pin-new").fill(PIN)
        page.locator("#pin-repeat").fill(PIN)
        page.locator('[data-action="pin-save"]').click()
        on_screen(page, "welcome")
        page.locator('[data-action="facilitator"]').click()
        found += serious_violations(page, f"PIN check ({lang})")
        page.locator("#pin-check").fill(PIN)
        page.locator('[data-action="pin-check"]').click()
        expect(page.locator('[data-action="leave"]')).to_be_visible()
        found += serious_violations(page, f"facilitator tools ({lang})")
        context.close()
    assert not found, "\n".join(found)
