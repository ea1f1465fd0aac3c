"""Exports: files that spreadsheets open with accents intact, the explorer's rows, audited."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from consulta.extensions import db
from consulta.models import ExportLog

from .helpers import make_session
from .test_explorer import add_answer, as_role, shown_total

ACCENTED = "Que las niñas y los niños tengan educación y más canchas en Itagüí"


@pytest.fixture
def answers(app, consultation, session_code):
    """A small consultation: two sessions, five texts (one flagged), varied coding."""
    teens = make_session(app, consultation, slug="adolescencia", population="adolescencia")
    shared = add_answer(
        app, session_code, ACCENTED, lines=("E1",), themes=("education_access",), age_band="9-11"
    )
    add_answer(
        app,
        session_code,
        "Más parques",
        submission_id=shared,
        question="te_hace_sentir_cuidado",
        lines=("E1",),
    )
    add_answer(app, session_code, '=HYPERLINK("http://x.example","clic")', lines=("E4",))
    add_answer(
        app,
        teens,
        "Que la policía castigue a los que pagan",
        lines=("E4",),
        question="por_que_pasa",
    )
    add_answer(app, teens, "Un señor me hace daño en la casa", flagged=True, lines=("E3",))
    return consultation


def export(client, name: str, consultation: int, query: str = ""):
    response = client.get(f"/analisis/exportar/{name}?consultation={consultation}&{query}")
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_csv_has_a_bom_and_accents_survive(app, client, answers):
    as_role(app, client, "analyst")
    response = export(client, "respuestas.csv", answers)
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert len(rows) == 5
    assert ACCENTED in [r["texto"] for r in rows]
    row = next(r for r in rows if r["texto"] == ACCENTED)
    assert row["lineas"] == "E1" and row["temas_id"] == "education_access"
    assert row["territorio_codigo"] == "60" and row["fuente_codificacion"] == "automática"
    assert row["poblacion"].startswith("Niñez") and row["pregunta"]


def test_xlsx_opens_with_the_same_rows(app, client, answers):
    as_role(app, client, "analyst")
    response = export(client, "respuestas.xlsx", answers)
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    header, rows = values[0], values[1:]
    assert len(rows) == 5
    texts = [row[header.index("texto")] for row in rows]
    assert ACCENTED in texts


def test_json_is_an_array_of_the_same_rows(app, client, answers):
    as_role(app, client, "analyst")
    rows = json.loads(export(client, "respuestas.json", answers).get_data(as_text=True))
    assert isinstance(rows, list) and len(rows) == 5
    assert ACCENTED in [r["texto"] for r in rows]


@pytest.mark.parametrize(
    "query",
    ["", "line=E4", "population=adolescencia", "q=canchas", "theme=education_access", "line=T5"],
)
def test_exports_hold_exactly_what_the_explorer_counts(app, client, answers, query):
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={answers}&{query}").get_data(as_text=True)
    counted = shown_total(html)
    assert len(csv_rows(export(client, "respuestas.csv", answers, query))) == counted
    rows = json.loads(export(client, "respuestas.json", answers, query).get_data(as_text=True))
    assert len(rows) == counted


def test_every_export_is_audited_with_its_filters(app, client, answers):
    as_role(app, client, "analyst")
    export(client, "respuestas.csv", answers, "line=E4&q=policía")
    export(client, "respuestas.xlsx", answers, "line=E4")
    export(client, "resumen.json", answers)
    with app.app_context():
        logs = db.session.scalars(db.select(ExportLog).order_by(ExportLog.id)).all()
        assert [(log.kind, log.format) for log in logs] == [
            ("answers", "csv"),
            ("answers", "xlsx"),
            ("summary", "json"),
        ]
        assert logs[0].filters == {"consultation": str(answers), "line": "E4", "q": "policía"}
        assert logs[0].row_count == 1 and logs[1].row_count == 2 and logs[2].row_count == 5
        assert all(log.user_id and log.created_at for log in logs)


def test_formulas_are_neutralised_in_csv_and_xlsx(app, client, answers):
    as_role(app, client, "analyst")
    rows = csv_rows(export(client, "respuestas.csv", answers, "line=E4"))
    formula = next(r["texto"] for r in rows if "HYPERLINK" in r["texto"])
    assert formula.startswith("'=")
    book = load_workbook(io.BytesIO(export(client, "respuestas.xlsx", answers).get_data()))
    cells = [c for row in book.active.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_flagged_texts_and_submission_ids_never_leave(app, client, answers):
    as_role(app, client, "analyst")
    for name in ("respuestas.csv", "respuestas.json", "respuestas.xlsx"):
        body = export(client, name, answers).get_data()
        assert "me hace daño".encode() not in body
    rows = csv_rows(export(client, "respuestas.csv", answers))
    reserved = [r for r in rows if "reservado" in r["texto"]]
    assert (
        len(reserved) == 1 and reserved[0]["participante"] == "" and reserved[0]["lineas"] == "E3"
    )
    with app.app_context():
        from consulta.models import Submission

        ids = db.session.scalars(db.select(Submission.id)).all()
    body = export(client, "respuestas.csv", answers).get_data(as_text=True)
    assert not any(sid in body for sid in ids)
    # One participant's two answers share a code in a file, and only within that file.
    children = next(r["sesion"] for r in rows if r["texto"] == ACCENTED)
    shared = [r["participante"] for r in rows if r["sesion"] == children]
    assert len(shared) == 3 and len(set(shared)) == 2
    again = csv_rows(export(client, "respuestas.csv", answers))
    assert {r["participante"] for r in again}.isdisjoint({r["participante"] for r in rows} - {""})


def test_age_band_is_blank_when_fewer_than_k_share_it(app, client, answers):
    as_role(app, client, "analyst")
    row = next(
        r for r in csv_rows(export(client, "respuestas.csv", answers)) if r["texto"] == ACCENTED
    )
    assert row["rango_edad"] == ""
    app.config["SMALL_CELL_K"] = 1
    row = next(
        r for r in csv_rows(export(client, "respuestas.csv", answers)) if r["texto"] == ACCENTED
    )
    assert row["rango_edad"] == "9 a 11 años"


def test_summary_tables_apply_the_small_cell_rule(app, client, answers):
    as_role(app, client, "analyst")
    rows = csv_rows(export(client, "resumen.csv", answers))
    by_line = {r["linea"][:2]: r for r in rows if r["tabla"] == "por_linea"}
    total = next(r for r in rows if r["tabla"] == "total")
    assert total["respuestas"] == "5"
    assert by_line["E4"]["respuestas"] == "" and by_line["E4"]["suprimido"] == "sí"
    app.config["SMALL_CELL_K"] = 1
    rows = csv_rows(export(client, "resumen.csv", answers))
    by_line = {r["linea"][:2]: r["respuestas"] for r in rows if r["tabla"] == "por_linea"}
    assert by_line["E1"] == "2" and by_line["E4"] == "2" and by_line["E3"] == "1"
    cross = {
        (r["grupo_codigo"], r["linea"][:2]): r["respuestas"]
        for r in rows
        if r["tabla"] == "poblacion_por_linea"
    }
    truth = {
        ("adolescencia", "E4"): 1,
        ("ninez", "E1"): 2,
        ("ninez", "E4"): 1,
        ("adolescencia", "E3"): 1,
    }
    # Every shown cell is right; a hidden one is marked (zeros and their complements hide).
    assert all(v == "" or int(v) == truth.get(key, 0) for key, v in cross.items())
    assert any(v != "" for v in cross.values())
    themes = {r["grupo_codigo"]: r["respuestas"] for r in rows if r["tabla"] == "por_tema"}
    assert themes == {"education_access": "1"}
    data = json.loads(export(client, "resumen.json", answers).get_data(as_text=True))
    assert data["k"] == 1 and data["tablas"]["total"][0]["respuestas"] == 5
    book = load_workbook(io.BytesIO(export(client, "resumen.xlsx", answers).get_data()))
    assert "por_linea" in book.sheetnames and book["por_linea"].max_row == 10


def test_a_hidden_cell_cannot_be_recovered_from_its_total(app, client, answers):
    app.config["SMALL_CELL_K"] = 2
    as_role(app, client, "analyst")
    rows = csv_rows(export(client, "resumen.csv", answers))
    e3 = [r for r in rows if r["tabla"] == "poblacion_por_linea" and r["linea"].startswith("E3")]
    line_e3 = next(r for r in rows if r["tabla"] == "por_linea" and r["linea"].startswith("E3"))
    hidden = [r for r in e3 if r["suprimido"] == "sí"]
    # E3 has one answer: either the line total is hidden too, or at least two parts are.
    assert line_e3["suprimido"] == "sí" or len(hidden) >= 2


@pytest.mark.parametrize("role", ["facilitator", "safeguarding"])
def test_other_staff_cannot_export_and_nothing_is_logged(app, client, answers, role):
    as_role(app, client, role)
    for name in ("respuestas.csv", "resumen.csv"):
        assert client.get(f"/analisis/exportar/{name}?consultation={answers}").status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExportLog.id))) == 0


def test_anonymous_visitors_cannot_export(client, answers):
    response = client.get(f"/analisis/exportar/respuestas.csv?consultation={answers}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_formats_and_consultations_are_not_found(app, client, answers):
    as_role(app, client, "analyst")
    assert (
        client.get(f"/analisis/exportar/respuestas.pdf?consultation={answers}").status_code == 404
    )
    assert client.get("/analisis/exportar/respuestas.csv?consultation=999").status_code == 404
    assert client.get("/analisis/exportar/respuestas.csv").status_code == 404
