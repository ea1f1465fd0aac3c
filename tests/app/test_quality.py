"""The quality page: automatic versus analyst coding on the texts analysts reviewed."""

from __future__ import annotations

import re

import pytest

from consulta.extensions import db
from consulta.models import Encounter, lines_to_mask
from consulta.services.agreement import cohen_kappa

from .helpers import login, make_user
from .test_explorer import add_answer


def _reviewed(app, code, text, auto, analyst, flagged=False):
    sid = add_answer(app, code, text, lines=tuple(auto), flagged=flagged, reviewed=True)
    with app.app_context():
        from consulta.models import Answer

        row = db.session.get(Answer, (sid, "idea_alcaldia"))
        row.line_mask = lines_to_mask(analyst)
        db.session.commit()
    return sid


def _consultation(app):
    with app.app_context():
        return db.session.scalar(db.select(Encounter.consultation_id))


def _row(html: str, line: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{line} ·.*?</tr>", html, re.S).group(0)
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_kappa_matches_the_textbook_formula():
    # 3 both yes, 1 only automatic, 1 only analyst, 5 both no: po 0.8, pe 0.52.
    assert cohen_kappa(3, 1, 1, 5) == pytest.approx((0.8 - 0.52) / (1 - 0.52))
    assert cohen_kappa(0, 0, 0, 10) is None  # nobody ever used the line: kappa undefined


def test_per_line_figures_and_disagreements(app, client, session_code):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    for n in range(3):
        _reviewed(app, session_code, f"acuerdo {n}", ["E2"], ["E2"])
    _reviewed(app, session_code, "sobra la línea", ["E2"], [])
    _reviewed(app, session_code, "faltó la línea", [], ["E2"])
    for n in range(5):
        _reviewed(app, session_code, f"nada {n}", [], [])
    _reviewed(app, session_code, "algo muy privado", ["E3"], ["E3", "T1"], flagged=True)
    add_answer(app, session_code, "no revisado", lines=("E2",))  # not counted
    html = client.get(f"/analisis/calidad?consultation={_consultation(app)}").get_data(as_text=True)
    assert "11 textos revisados" in html
    support, precision, recall, f1, kappa = _row(html, "E2")
    assert support.startswith("4") and "pocos casos" in support
    assert precision == "75 %" and recall == "75 %" and f1 == "0.75"
    # E2 over 11 texts: 3 both, 1 auto only, 1 analyst only, 6 neither.
    assert kappa == f"{cohen_kappa(3, 1, 1, 6):.2f}"
    assert "muy pocos textos revisados" in html  # 11 < 30: figures flagged as unstable
    table = html.split("Desacuerdos")[1]
    assert "sobra la línea" in table and "faltó la línea" in table
    assert "acuerdo 0" not in table and "no revisado" not in table
    assert "algo muy privado" not in html and "Texto reservado por protección" in table
    assert "/analisis/revision/" in table


def test_enough_reviewed_texts_drop_the_warning(app, client, session_code):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    for n in range(30):
        _reviewed(app, session_code, f"texto {n}", ["E1"], ["E1"])
    html = client.get("/analisis/calidad").get_data(as_text=True)
    assert "30 textos revisados" in html and "muy pocos textos revisados" not in html
    assert "coinciden" in html


def test_nothing_reviewed_says_so(app, client, session_code):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    add_answer(app, session_code, "sin revisar", lines=("E1",))
    html = client.get("/analisis/calidad").get_data(as_text=True)
    assert "0 textos revisados" in html and "ningún texto" in html
