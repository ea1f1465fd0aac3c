"""Driving the kiosk like a participant: by touch (tap) or by keyboard, screen by screen."""

from __future__ import annotations

from playwright.sync_api import Page, expect

TEXTS = {
    "open_text": "Que los grandes nos escuchen y jueguen con nosotros",
    "idea": "Más parques con luces y canchas para jugar seguros",
}


def on_screen(page: Page, name: str) -> None:
    # Generous: the first submission of a test run may wait for the server to load its NLP model.
    expect(page.locator("#screen")).to_have_attribute("data-screen", name, timeout=30_000)


def tap(page: Page, selector: str) -> None:
    page.locator(selector).first.tap()


def action(page: Page, name: str) -> str:
    return f'[data-action="{name}"]'


def start_participant(page: Page) -> None:
    """Welcome → Empezar → assent yes → profile."""
    on_screen(page, "welcome")
    tap(page, '[data-action="start"]')
    on_screen(page, "assent")
    tap(page, '[data-action="assent-yes"]')
    on_screen(page, "profile")


def plan_answer(question: dict, index: int) -> object:
    """A varied answer per question type, chosen from what the API offers."""
    values = [o["value"] for o in question["options"]]
    kind = question["type"]
    if kind in TEXTS:
        return TEXTS[kind]
    if kind == "multiple_choice":
        return [values[0], values[2 % len(values)]] if len(values) > 2 else values[:1]
    if kind == "face_scale":
        return values[-1]
    if kind == "yes_no":
        return values[index % len(values)]
    return values[1 % len(values)]


def answer_by_touch(page: Page, question: dict, value: object) -> None:
    block = page.locator(f'.question[data-question="{question["id"]}"]')
    if question["type"] in TEXTS:
        area = block.locator("textarea")
        area.tap()
        area.press_sequentially(value, delay=2)
        return
    for one in value if isinstance(value, list) else [value]:
        option = block.locator(f'.option[data-value="{one}"]')
        option.tap()
        expect(option).to_have_attribute("aria-pressed", "true")


MEASURE_TARGETS = """
() => Array.from(document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), textarea, select, [role=button]'))
  .filter((el) => {
    const box = el.getBoundingClientRect();
    const dialog = el.closest('dialog');
    return box.width > 0 && box.height > 0 && !el.hidden && (!dialog || dialog.open);
  })
  .map((el) => {
    const box = el.getBoundingClientRect();
    const label = (el.textContent || '').trim().slice(0, 40) || el.getAttribute('aria-label') || el.tagName;
    return { label, width: box.width, height: box.height };
  })
"""


def small_targets(page: Page, minimum: float = 48) -> list[dict]:
    """Every visible tappable control smaller than minimum×minimum CSS px."""
    targets = page.evaluate(MEASURE_TARGETS)
    assert targets, "no tappable control found on this screen"
    return [t for t in targets if t["width"] < minimum or t["height"] < minimum]
