"""The analyst overview: who may see it, what it counts, and that small cells stay hidden."""

from __future__ import annotations

import re
import uuid

import pytest

from consulta.extensions import db
from consulta.models import Answer, Submission, lines_to_mask
from consulta.services import encounters

from .helpers import login, make_session, make_user

QUESTION = "te_hace_sentir_cuidado"


def add_texts(app, code, texts, question=QUESTION, age_band=None, territory=None):
    """Stored, coded free texts (one submission each) as the arrival pipeline would leave them.

    ``texts``: (text, lines, themes) or (text, lines, themes, flagged).
    """
    with app.app_context():
        encounter = encounters.by_code(code)
        if territory is not None:
            encounter.territory_code = territory
        for item in texts:
            text, lines, themes, flagged = (*item, False)[:4]
            sid = str(uuid.uuid4())
            db.session.add(
                Submission(
                    id=sid,
                    encounter_id=encounter.id,
                    instrument_id=encounter.instrument_id,
                    received_on=encounter.held_on,
                    age_band=age_band,
                    content_hash=uuid.uuid4().hex,
                )
            )
            db.session.add(
                Answer(
                    submission_id=sid,
                    question_id=question,
                    value=text,
                    auto_lines=list(lines),
                    auto_themes=list(themes),
                    themes=list(themes),
                    line_mask=lines_to_mask(lines),
                    confidence={line: 0.8 for line in lines},
                    evidence=[],
                    redactions=[],
                    codebook_version="test",
                    flagged=flagged,
                    flag_reasons=["test"] if flagged else [],
                )
            )
        db.session.commit()


def varied(prefix: str, n: int) -> list[str]:
    """Distinct texts, so the quote picker does not treat them as near-duplicates."""
    words = ["parque", "colegio", "cancha", "biblioteca", "tienda", "esquina", "barrio", "casa"]
    extra = ["mañana", "tarde", "noche", "semana", "vacaciones", "domingo", "lunes", "feria"]
    return [
        f"{prefix} cerca de la {words[i % 8]} en la {extra[(i // 8) % 8]} número {i}"
        for i in range(n)
    ]


@pytest.fixture
def data(app, consultation):
    """Children (comuna 60): 12 texts on E1, 3 on E4; adolescents (comuna 5): 8 on E1 and E2."""
    kids = make_session(app, consultation)
    teens = make_session(app, consultation, slug="adolescencia", population="adolescencia")
    add_texts(app, kids, [(t, ["E1"], ["play_sport_culture"]) for t in varied("Más juegos", 12)])
    add_texts(app, kids, [(t, ["E4"], ["reporting"]) for t in varied("Que denuncien", 3)])
    add_texts(
        app,
        teens,
        [(t, ["E1", "E2"], ["education_access", "online_grooming"]) for t in varied("Redes", 8)],
        question="por_que_pasa",
        territory=5,
    )
    return {"consultation": consultation, "kids": kids, "teens": teens}


def overview(client, consultation, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/analisis/resumen?consultation={consultation}&{query}")


def row(html: str, caption: str, label: str) -> list[str]:
    """The cells of one row of the data table with this caption."""
    table = html.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    table = table.split("<tbody>", 1)[1]
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        if label in tr:
            return [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
            ]
    raise AssertionError(f"no row {label!r} in {caption!r}")


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_admins_see_the_overview(app, client, data, role):
    make_user(app, role)
    login(client, f"{role}@test.co")
    response = overview(client, data["consultation"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Textos por línea del Plan" in html
    assert html.count('role="img"') >= 5  # lines, themes, population, territory, co-occurrence…
    assert "<title" in html and "<desc" in html
    assert "Ver datos" in html


@pytest.mark.parametrize("role", ["facilitator", "safeguarding"])
def test_other_staff_are_refused(app, client, data, role):
    make_user(app, role)
    login(client, f"{role}@test.co")
    assert overview(client, data["consultation"]).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, data):
    response = overview(client, data["consultation"])
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_counts_by_line_and_small_cells(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, data["consultation"]).get_data(as_text=True)
    caption = "Textos por línea del Plan"
    assert row(html, caption, "E1 ·")[0] == "20"
    assert row(html, caption, "E2 ·")[0] == "8"
    # Three texts on E4: the cell is shown as "<5", never as 3.
    assert row(html, caption, "E4 ·")[0] == "&lt;5"
    assert row(html, caption, "T1 ·")[0] == "&lt;5"  # zero is a small cell too


def test_complementary_suppression_in_population_by_line(app, client, data):
    """E1 is 12 children + 8 adolescents = 20; E4 is 3 children + 0 adolescents. The E4 total
    (3) is itself hidden, so nothing can be subtracted back; the children's row total (15) is
    shown and its E4 cell stays hidden."""
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, data["consultation"]).get_data(as_text=True)
    caption = "Textos por población y línea"
    kids = row(html, caption, "Niñez")
    teens = row(html, caption, "Adolescencia")
    assert kids[0] == "15" and teens[0] == "8"
    assert kids[1] == "12" and teens[1] == "8"  # E1
    assert kids[4] == "&lt;5"  # E4 with 3 texts
    assert "3" not in kids[4]


def test_a_hidden_cell_cannot_be_subtracted_from_its_total(app, client, consultation):
    """Line E1: 10 texts from children, 3 from adolescents, total 13 shown: hiding only the
    adolescents' 3 would leak it (13 - 10), so the children's cell is hidden too."""
    kids = make_session(app, consultation)
    teens = make_session(app, consultation, slug="adolescencia", population="adolescencia")
    add_texts(app, kids, [(t, ["E1"], []) for t in varied("Jugar", 10)])
    add_texts(app, teens, [(t, ["E1"], []) for t in varied("Estudiar", 3)], question="por_que_pasa")
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, consultation).get_data(as_text=True)
    assert row(html, "Textos por línea del Plan", "E1 ·")[0] == "13"
    caption = "Textos por población y línea"
    assert row(html, caption, "Adolescencia")[1] == "&lt;5"
    assert row(html, caption, "Niñez")[1] not in ("10", "13")
    assert "•" in row(html, caption, "Niñez")[1] + row(html, caption, "Niñez")[0]


def test_filters_change_the_numbers(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    caption = "Textos por línea del Plan"
    everyone = overview(client, data["consultation"]).get_data(as_text=True)
    kids = overview(client, data["consultation"], population="ninez").get_data(as_text=True)
    teens = overview(client, data["consultation"], territory=5).get_data(as_text=True)
    assert row(everyone, caption, "E1 ·")[0] == "20"
    assert row(kids, caption, "E1 ·")[0] == "12"
    assert row(kids, caption, "E2 ·")[0] == "&lt;5"
    assert row(teens, caption, "E2 ·")[0] == "8"
    assert 'value="ninez" selected' in kids


def test_narrow_filters_hide_the_total_itself(app, client, data):
    """Three texts on E4: filtered to E4, the headline total is a breakdown too."""
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, data["consultation"], line="E4").get_data(as_text=True)
    headline = html.split('class="headline"', 1)[1].split("</section>", 1)[0]
    assert "&lt;5" in headline
    assert '<span class="stat-value">3</span>' not in headline


def test_top_themes_and_co_occurrence(app, client, data):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, data["consultation"]).get_data(as_text=True)
    themes = html.split("<caption>Temas más frecuentes</caption>", 1)[1].split("</table>", 1)[0]
    assert "Juego" in themes  # play_sport_culture, 12 texts
    assert "Denuncia" not in themes  # reporting, 3 texts: not listed
    assert row(html, "Textos codificados a dos líneas", "E1 · Promoción")[1] == "8"  # E1 with E2


def test_unknown_consultation_is_not_found_and_missing_one_goes_to_the_list(app, client):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    assert client.get("/analisis/resumen?consultation=999").status_code == 404
    response = client.get("/analisis/resumen")
    assert response.status_code == 302


def test_session_dates_trend(app, client, data):
    with app.app_context():
        encounter = encounters.by_code(data["teens"])
        encounter.held_on = encounter.held_on.replace(month=5)
        db.session.commit()
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    html = overview(client, data["consultation"]).get_data(as_text=True)
    caption = "Textos por fecha de sesión y línea"
    assert row(html, caption, "2027-03-14")[0] == "15"
    assert row(html, caption, "2027-05-14")[0] == "8"
