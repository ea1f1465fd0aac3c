"""Staff-side helpers for browser tests: sessions to work on, sign-in, and a page's visible faults."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page


def new_session(consultation_id: int, created_by=None, *, slug: str = "ninez", **fields):
    """An open session (call inside an app context); fields override the usual test values."""
    from consulta.services import encounters, instruments

    instrument = instruments.latest_version(slug)
    values = {
        "held_on": date.today(),
        "territory_code": 60,
        "population": instrument.population,
        "expected_participants": 20,
        "guardian_authorisation_confirmed": True,
    } | fields
    data = encounters.EncounterInput(
        consultation_id=consultation_id, instrument_id=instrument.id, **values
    )
    return encounters.create_encounter(data, created_by=created_by)


def watch_errors(page: Page, *, console: bool = True, statics_only: bool = True) -> list[str]:
    """What a user would see as broken: script errors, console errors, failing responses.

    Console "Failed to load resource" lines are left to the response check, because refusals
    (an analyst's 403, the API's 409) can be part of a test; the browser's own favicon request
    never counts.
    """
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if console:
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )

    def failing(response) -> bool:
        if response.status < 400 or response.url.endswith("/favicon.ico"):
            return False
        return "/static/" in response.url or not statics_only

    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if failing(r) else None)
    return errors


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_load_state()
