"""Analyst overview and plan report in Chromium: screenshots to look at, and an A4 print."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import SCREENSHOTS
from .staff import watch_errors

pytestmark = pytest.mark.browser

PASSWORD = "una clave larga para las pruebas"
DESKTOP = {"width": 1280, "height": 900}
A4_POINTS = (595, 842)  # 210 x 297 mm


def _generator():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "analysis_views.py"
    spec = importlib.util.spec_from_file_location("analysis_views", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def filled(live_app):
    """A consultation of its own with 3,000 generated coded answers, and an analyst."""
    from consulta.extensions import db
    from consulta.models import Consultation
    from consulta.services import accounts

    with live_app.app_context():
        row = Consultation(
            title="Diálogos de saberes 2027 (datos generados)",
            purpose="Capturas de pantalla del análisis",
            retention_until=date(2030, 12, 31),
        )
        db.session.add(row)
        accounts.create_user("analista@prueba.co", "analyst", PASSWORD)
        db.session.commit()
        consultation = row.id
        db.session.remove()
    _generator().fill(live_app, consultation, 3000, seed=11)
    return consultation


@pytest.fixture
def desk(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, device_scale_factor=1, locale="es-CO"
    )
    page = context.new_page()
    # The browser asks for /favicon.ico on its own; every other 4xx/5xx is a fault.
    errors = watch_errors(page, console=False, statics_only=False)
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    page.goto("/login")
    page.fill('input[name="email"]', "analista@prueba.co")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    yield page
    context.close()
    assert not errors, errors


def test_overview_screenshot(desk, filled):
    desk.goto(f"/analisis/resumen?consultation={filled}")
    assert desk.locator("h1").inner_text().startswith("Diálogos de saberes 2027")
    charts = desk.locator("svg.chart[role=img]")
    assert charts.count() >= 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 30
    # Every request stayed on this server: nothing loads from the internet.
    urls = desk.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(desk.url.split("/analisis")[0]) for url in urls)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SCREENSHOTS / "analysis-overview.png"), full_page=True)
    desk.goto(f"/analisis/resumen?consultation={filled}&population=adolescencia&line=E2")
    desk.locator("details.data").first.locator("summary").click()
    desk.screenshot(path=str(SCREENSHOTS / "analysis-overview-filtered.png"), full_page=True)


def test_report_prints_on_a4_with_a_page_per_line(desk, filled):
    desk.goto(f"/analisis/informe?consultation={filled}")
    assert desk.locator("h1").inner_text() == "Insumos para el ajuste del Plan"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SCREENSHOTS / "analysis-report-screen.png"), full_page=True)
    desk.emulate_media(media="print")
    assert not desk.locator("form.filters").is_visible()
    assert not desk.locator(".topbar").is_visible()
    desk.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    desk.screenshot(path=str(SCREENSHOTS / "analysis-report-print.png"), full_page=True)
    pdf = desk.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (SCREENSHOTS / "analysis-report.pdf").write_bytes(pdf)
    sizes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    assert sizes == {A4_POINTS}
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pages >= 11  # summary, nine lines each on its own page, emerging themes


def test_explorer_and_review_screenshots(desk, filled):
    """From the explorer to one text's coding review, as an analyst works."""
    desk.goto(f"/analisis/respuestas?consultation={filled}&line=E2")
    assert desk.locator("h1").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SCREENSHOTS / "analysis-explorer.png"), full_page=True)
    review_links = desk.locator("a[href*='/analisis/revision/']")
    assert review_links.count() > 0
    review_links.first.click()
    desk.wait_for_url(re.compile(r".*/analisis/revision/.*"))
    boxes = desk.locator("input[type=checkbox][name=lines]")
    assert boxes.count() == 9
    desk.screenshot(path=str(SCREENSHOTS / "analysis-review.png"), full_page=True)
