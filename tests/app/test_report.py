"""The plan-adjustment report: access, quotes that protect people, print layout and downloads."""

from __future__ import annotations

import re

import pytest

from analysis.normalize import fold
from consulta.extensions import db
from consulta.models import ExportLog

from .helpers import login, make_session, make_user
from .test_overview import add_texts, varied

ALERT_TEXT = "Un señor del barrio me escribe de noche y me pide que no le cuente a nadie"


@pytest.fixture
def data(app, consultation):
    """E2: 9 adolescents' texts (one flagged as an alert), 6 ideas and 5 children's texts;
    E1: 7 and E4: 3 children's texts."""
    kids = make_session(app, consultation)
    teens = make_session(app, consultation, slug="adolescencia", population="adolescencia")
    add_texts(
        app,
        teens,
        [(t, ["E2"], ["online_grooming"]) for t in varied("Cuidado en redes", 8)],
        question="por_que_pasa",
    )
    add_texts(
        app, teens, [(ALERT_TEXT, ["E2"], ["online_grooming"], True)], question="por_que_pasa"
    )
    add_texts(
        app,
        teens,
        [(t, ["E2"], ["prevention_campaigns"]) for t in varied("Propongo talleres", 6)],
        question="idea_alcaldia",
    )
    add_texts(app, kids, [(t, ["E1"], ["play_sport_culture"]) for t in varied("Quiero jugar", 7)])
    add_texts(app, kids, [(t, ["E4"], ["reporting"]) for t in varied("Que castiguen", 3)])
    add_texts(
        app,
        kids,
        [(t, ["E2"], ["warning_signs_awareness"]) for t in varied("No hablar con extraños", 5)],
    )
    return consultation


def report(client, consultation, **params):
    query = "".join(f"&{k}={v}" for k, v in params.items())
    return client.get(f"/analisis/informe?consultation={consultation}{query}")


def section(html: str, line: str) -> str:
    return html.split(f'id="line-{line}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_admins_get_the_report(app, client, data, role):
    make_user(app, role)
    login(client, f"{role}@test.co")
    response = report(client, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Insumos para el ajuste del Plan" in html
    for line in ("E1", "E2", "E3", "E4", "T1", "T2", "T3", "T4", "T5"):
        assert f'id="line-{line}"' in html
    assert "Temas emergentes fuera del libro de códigos" in html


@pytest.mark.parametrize("role", ["facilitator", "safeguarding"])
def test_other_staff_cannot_read_or_download_it(app, client, data, role):
    make_user(app, role)
    login(client, f"{role}@test.co")
    assert report(client, data).status_code == 403
    assert report(client, data, format="json").status_code == 403
    with app.app_context():
        assert db.session.query(ExportLog).count() == 0


def test_anonymous_visitors_are_sent_to_login(client, data):
    response = report(client, data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_action_matrix_and_shares(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = report(client, data).get_data(as_text=True)
    e2 = section(html, "E2")
    assert "12 / 22" in e2  # actions / goals of the prevention line
    assert "<strong>20</strong>" in e2  # 9 + 5 texts and 6 ideas
    assert "12 / 22" not in section(html, "T1")
    assert "línea transversal" in section(html, "T1")


def test_flagged_texts_are_never_quoted(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = report(client, data).get_data(as_text=True)
    e2 = section(html, "E2")
    quotes = re.findall(r"<li>«(.*?)»</li>", e2, re.S)
    assert quotes, "a line with enough texts has quotes"
    allowed = ("Cuidado en redes", "Propongo talleres", "No hablar con extraños")
    assert all(any(prefix in q for prefix in allowed) for q in quotes)
    assert "me pide que no le cuente" not in html
    data_json = report(client, data, format="json").get_json()
    assert "me pide que no le cuente" not in str(data_json)


def test_lines_below_k_have_no_quotes_and_ideas_are_listed(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = report(client, data).get_data(as_text=True)
    e4 = section(html, "E4")
    assert "Que castiguen" not in e4  # only 3 texts
    assert "&lt;5" in e4
    e2 = section(html, "E2")
    ideas = e2.split("Ideas de participantes para esta línea", 1)[1]
    assert "Propongo talleres" in ideas
    says = e2.split("Lo que dicen", 1)[1].split("Ideas de participantes", 1)[0]
    assert "Propongo talleres" not in says  # ideas are listed apart from the other answers


def test_group_differences_obey_the_small_cell_rule(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    e2 = section(report(client, data).get_data(as_text=True), "E2")
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]*)</td>', e2))
    assert rows["Adolescentes (12 a 17)"] == "15"
    assert rows["Niñas y niños (6 a 11)"] == "5"
    e4 = section(report(client, data).get_data(as_text=True), "E4")
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]*)</td>', e4))
    assert rows["Niñas y niños (6 a 11)"] == "&lt;5"  # 3 texts
    assert rows["Adolescentes (12 a 17)"] == "&lt;5"  # none


def test_print_stylesheet_is_a4_with_a_page_per_line(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = report(client, data).get_data(as_text=True)
    assert "css/analysis.css" in html
    css = client.get("/static/css/analysis.css").get_data(as_text=True)
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    print_rules = css.split("@media print", 1)[1]
    assert re.search(r"\.line-section\s*{[^}]*break-before:\s*page", print_rules)


def test_json_download_matches_the_page_and_is_logged(app, client, data):
    user_id = make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = report(client, data).get_data(as_text=True)
    response = report(client, data, format="json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    figures = response.get_json()
    lines = {entry["id"]: entry for entry in figures["lines"]}
    summary = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    for line, entry in lines.items():
        shown = re.search(
            rf'href="#line-{line}">[^<]*</a></th>\s*<td class="num">([^<]*)</td>', summary
        )
        assert shown, line
        expected = shown.group(1)
        assert (str(entry["texts"]) if entry["texts"] is not None else "&lt;5") == expected
    assert lines["E2"]["texts"] == 20 and lines["E4"]["texts"] is None
    assert lines["E2"]["by_group"]["ninez"] == {"texts": 5, "share": 0.3333}  # 5 of 15
    assert lines["E2"]["plan_actions"] == 12 and lines["E2"]["plan_goals"] == 22
    assert figures["texts"] == 30
    with app.app_context():
        logs = db.session.query(ExportLog).all()
        assert [(log.user_id, log.kind, log.format) for log in logs] == [
            (user_id, "report", "json")
        ]
        assert logs[0].filters == {"consultation": str(data)}
        assert logs[0].row_count == 30


def test_html_download_is_a_standalone_attachment(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    response = report(client, data, format="html", population="adolescencia")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    assert "<style" in html and "@media print" in html  # opens offline with its styles
    assert "Quiero jugar" not in html  # the children's texts are filtered out
    with app.app_context():
        log = db.session.query(ExportLog).one()
        assert log.format == "html" and log.filters["population"] == "adolescencia"
        assert log.row_count == 15


def test_emerging_terms_come_from_texts_without_a_theme(app, client, data):
    kids = make_session(app, data)
    uncoded = [
        f"Las patinetas eléctricas pasan muy rápido por la {place}"
        for place in ("acera", "cuadra", "entrada", "salida", "plaza", "vereda")
    ]
    add_texts(app, kids, [(text, [], []) for text in uncoded])
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    terms = [t["term"] for t in report(client, data, format="json").get_json()["emerging_terms"]]
    assert terms, "six texts without a theme share words: some are emerging terms"
    stems = {word[:4] for word in fold(" ".join(uncoded)).split()}
    # Terms are lemmas ("eléctricas" → "electrico"): compare stems, only from those texts.
    assert all(word[:4] in stems for term in terms for word in fold(term).split())
    html = report(client, data).get_data(as_text=True)
    assert terms[0] in html.split('id="h-emerging"', 1)[1]
