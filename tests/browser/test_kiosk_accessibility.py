"""axe-core (from the npm registry, injected by the test, never served) on every kiosk screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from .driver import answer_by_touch, on_screen, plan_answer, tap

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "tooling" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(browser, base_url):
    if not AXE.exists():
        pytest.skip(
            "axe-core is not installed: run `make browser-deps` (npm ci in tests/browser/tooling)"
        )
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 800, "height": 1280},
        has_touch=True,
        is_mobile=True,
        bypass_csp=True,
    )
    page = context.new_page()
    yield page
    context.close()


def serious_violations(page, screen: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter((v) => ['serious', 'critical'].includes(v.impact))"
        ".map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return [f"{screen}: {item}" for item in result]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_serious_or_critical_violation_on_any_kiosk_screen(
    axe_page, open_session, api_session, lang
):
    page = axe_page
    found: list[str] = []
    code = open_session("ninez")
    questions = api_session(code, lang=lang)["instrument"]["questions"]

    page.goto(f"/k?lang={lang}")
    found += serious_violations(page, "join")
    page.goto(f"/k/QQQQQQ?lang={lang}")
    found += serious_violations(page, "unknown code")
    page.goto(f"/k/{code}?lang={lang}")
    on_screen(page, "welcome")
    found += serious_violations(page, "welcome")
    tap(page, '[data-action="help"]')
    found += serious_violations(page, "help dialog")
    page.locator('[data-action="close-help"]').tap()
    tap(page, '[data-action="start"]')
    on_screen(page, "assent")
    found += serious_violations(page, "assent")
    tap(page, '[data-action="assent-yes"]')
    on_screen(page, "profile")
    found += serious_violations(page, "profile")
    tap(page, '[data-action="stop"]')
    found += serious_violations(page, "stop dialog")
    page.locator('[data-action="stop-no"]').tap()
    tap(page, '[data-action="next"]')
    seen_types: set[str] = set()
    for index, question in enumerate(questions):
        answer_by_touch(page, question, plan_answer(question, index))
        if question["type"] not in seen_types:
            seen_types.add(question["type"])
            found += serious_violations(page, f"question {question['type']}")
        tap(page, '[data-action="next"]')
    on_screen(page, "review")
    found += serious_violations(page, "review")
    tap(page, '[data-action="send"]')
    on_screen(page, "thanks")
    found += serious_violations(page, "thanks")
    assert found == []


def test_no_serious_or_critical_violation_on_grouped_adult_pages(axe_page, open_session):
    page = axe_page
    code = open_session("actores")
    page.goto(f"/k/{code}")
    tap(page, '[data-action="start"]')
    tap(page, '[data-action="assent-yes"]')
    on_screen(page, "profile")
    tap(page, '[data-action="skip"]')
    on_screen(page, "question")
    assert serious_violations(page, "grouped page") == []
