"""Devolución: public pages that respect the small-cell rule and never show a flagged text or an
unreviewed idea; the admins' form per line; the facilitators' QR sheet; the kiosk's link."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date, timedelta

import pytest

from consulta.extensions import db
from consulta.models import Answer, Encounter, Idea, IdeaSupport, LineResponse, Submission
from consulta.models.coding import lines_to_mask
from consulta.timeutil import today_local

from .helpers import csrf_token, login, make_session, make_user

BANDS = {"ninez": "9-11", "adolescencia": "15-17", "adultos": "29-59"}


@pytest.fixture
def world(app, consultation):
    """A session and a way to add coded answers to it directly (no NLP: exact, fast counts)."""
    app.config["DEVOLUCION_CACHE_SECONDS"] = 0
    code = make_session(app, consultation)
    with app.app_context():
        encounter_id = db.session.scalar(db.select(Encounter.id).filter_by(code=code))

    def add(n, lines=(), themes=(), group="ninez", flagged=False, text="Más parques", idea=None):
        ids = []
        with app.app_context():
            encounter = db.session.get(Encounter, encounter_id)
            for _ in range(n):
                sid = str(uuid.uuid4())
                db.session.add(
                    Submission(
                        id=sid,
                        encounter_id=encounter.id,
                        instrument_id=encounter.instrument_id,
                        received_on=date(2027, 3, 14),
                        age_band=BANDS[group],
                        content_hash=uuid.uuid4().hex,
                    )
                )
                db.session.add(
                    Answer(
                        submission_id=sid,
                        question_id="idea" if idea else "abierta",
                        value=text,
                        auto_lines=list(lines),
                        themes=list(themes),
                        line_mask=lines_to_mask(lines),
                        codebook_version="test",
                        flagged=flagged,
                    )
                )
                if idea:
                    db.session.flush()
                    row = Idea(
                        consultation_id=consultation,
                        encounter_id=encounter.id,
                        submission_id=sid,
                        question_id="idea",
                        status=idea,
                        line=lines[0] if lines else None,
                    )
                    db.session.add(row)
                    db.session.flush()
                    ids.append(row.id)
            db.session.commit()
        return ids

    return {"consultation": consultation, "add": add, "encounter_id": encounter_id, "code": code}


def _cell(html: str, key: str) -> str:
    match = re.search(rf'data-cell="{key}">(.*?)</td>', html, re.S)
    assert match, key
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_counts_obey_small_cells_and_complementary_suppression(client, world):
    add = world["add"]
    add(6, ["E1"], group="ninez")
    add(3, ["E1"], group="adolescencia")
    add(7, ["E1", "T2"], group="adultos")
    add(4, ["E2"], group="adultos")
    html = client.get(f"/devolucion/{world['consultation']}").get_data(as_text=True)
    # E1 has 16 answers in all; the 3 adolescents are hidden, and so is the 6, or 16 - 7 - 6
    # would give the 3 back.
    assert _cell(html, "E1-total") == "16"
    assert _cell(html, "E1-adolescencia") == "menos de 5"
    assert _cell(html, "E1-ninez") == "menos de 5"
    assert _cell(html, "E1-adultos") == "7"
    assert _cell(html, "E2-total") == "menos de 5"
    # 20 participants: 6 children, 3 adolescents, 11 adults; the 3 and then the 6 are hidden.
    people = dict(re.findall(r'data-participants="(\w+)">(.*?)</dd>', html, re.S))
    people = {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in people.items()}
    assert people == {
        "total": "20",
        "ninez": "menos de 5",
        "adolescencia": "menos de 5",
        "adultos": "11",
    }
    assert "Menos de 5 respuestas hablaron de esta línea." in html
    kids = client.get(f"/devolucion/{world['consultation']}/ninos").get_data(as_text=True)
    assert "16 respuestas hablaron de esto." in kids
    assert ">4 respuestas" not in kids and "4 respuestas" not in kids
    # The most spoken-of line comes first on the children's page.
    assert (
        kids.index('data-line="E1"') < kids.index('data-line="T2"') < kids.index('data-line="E2"')
    )
    english = client.get(f"/devolucion/{world['consultation']}?lang=en").get_data(as_text=True)
    assert _cell(english, "E1-ninez") == "fewer than 5"


def test_flagged_answers_are_not_counted_and_never_quoted(client, world):
    add = world["add"]
    add(4, ["E3"], ["whom_to_tell"])
    add(2, ["E3"], ["whom_to_tell"], flagged=True, text="Texto que alertó", idea="approved")
    html = client.get(f"/devolucion/{world['consultation']}").get_data(as_text=True)
    assert _cell(html, "E3-total") == "menos de 5"
    assert "A quién contar y pedir ayuda" not in html  # the theme had 6 texts, 4 unflagged
    assert "Texto que alertó" not in html
    add(1, ["E3"], ["whom_to_tell"])
    html = client.get(f"/devolucion/{world['consultation']}").get_data(as_text=True)
    assert _cell(html, "E3-total") == "5"
    assert "A quién contar y pedir ayuda (5)" in html


def test_only_approved_ideas_are_quoted_most_supported_first(app, client, world):
    add = world["add"]
    add(1, ["E1"], text="Idea pendiente de revisar", idea="pending")
    add(1, ["E1"], text="Idea rechazada por el equipo", idea="rejected")
    [quiet] = add(1, ["T2"], text="Un grupo de jóvenes en el barrio", idea="approved")
    [loved] = add(1, ["E1"], text="Una cancha con luz", idea="approved")
    with app.app_context():
        for i in range(6):
            db.session.add(IdeaSupport(idea_id=loved, supporter_key=f"{i:064d}"))
        db.session.add(IdeaSupport(idea_id=quiet, supporter_key="f" * 64))
        db.session.commit()
    for url in (
        f"/devolucion/{world['consultation']}",
        f"/devolucion/{world['consultation']}/ninos",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "Idea pendiente" not in html and "Idea rechazada" not in html
        assert html.index("Una cancha con luz") < html.index("Un grupo de jóvenes en el barrio")
    kids = client.get(f"/devolucion/{world['consultation']}/ninos").get_data(as_text=True)
    assert "6 personas apoyan esta idea." in kids
    assert "Menos de 5 personas apoyan esta idea." in kids


def test_pages_say_the_plan_is_reviewing_until_admins_write(app, client, world):
    response = client.get(f"/devolucion/{world['consultation']}/ninos")
    html = response.get_data(as_text=True)
    assert html.count("Estamos revisando lo que dijeron.") == 9
    assert "Set-Cookie" not in response.headers  # nothing follows a child from a shared tablet
    assert client.get("/devolucion/999999").status_code == 404
    with app.app_context():
        db.session.add_all(
            [
                LineResponse(
                    consultation_id=world["consultation"],
                    line="T1",
                    next_update=today_local() + timedelta(days=3),
                ),
                LineResponse(
                    consultation_id=world["consultation"],
                    line="T4",
                    text_es="Mesa de articulación",
                    next_update=today_local() - timedelta(days=3),
                ),
            ]
        )
        db.session.commit()
    html = client.get(f"/devolucion/{world['consultation']}").get_data(as_text=True)
    assert html.count("Próxima actualización:") == 1  # T4's date has passed: not promised again


def _form(line_values: dict[str, dict], token: str) -> dict:
    data = {"csrf_token": token}
    for line, values in line_values.items():
        for name, value in values.items():
            data[f"{line}-{name}"] = value
    return data


def test_admin_writes_the_plan_per_line(app, client, world):
    make_user(app, "admin")
    login(client, "admin@test.co")
    url = f"/admin/devolucion/{world['consultation']}"
    assert url in client.get("/admin/consultas").get_data(as_text=True)
    token = csrf_token(client.get(url).get_data(as_text=True))
    soon = (today_local() + timedelta(days=30)).isoformat()
    response = client.post(
        url,
        data=_form(
            {
                "E2": {
                    "text_es": "Talleres de autocuidado en 40 colegios durante 2027.",
                    "text_en": "Self-care workshops in 40 schools during 2027.",
                    "children_text_es": "Vamos a ir a tu colegio a enseñar a cuidarse.",
                    "next_update": soon,
                }
            },
            token,
        ),
    )
    assert response.status_code == 302
    public = app.test_client()
    adults = public.get(f"/devolucion/{world['consultation']}").get_data(as_text=True)
    assert "Talleres de autocuidado en 40 colegios durante 2027." in adults
    kids = public.get(f"/devolucion/{world['consultation']}/ninos").get_data(as_text=True)
    assert "Vamos a ir a tu colegio a enseñar a cuidarse." in kids
    assert "Talleres de autocuidado" not in kids
    assert kids.count("Estamos revisando lo que dijeron.") == 8
    english = public.get(f"/devolucion/{world['consultation']}?lang=en").get_data(as_text=True)
    assert "Self-care workshops in 40 schools during 2027." in english
    # No English children's text yet: the Spanish one, marked as Spanish for screen readers.
    kids_en = public.get(f"/devolucion/{world['consultation']}/ninos?lang=en").get_data(
        as_text=True
    )
    assert 'lang="es">Vamos a ir a tu colegio a enseñar a cuidarse.' in kids_en


@pytest.mark.parametrize(
    "values, error",
    [
        ({"text_es": "Algo", "next_update": "2020-01-01"}, "no puede estar en el pasado"),
        ({"children_text_es": "palabra " * 60}, "400"),
        ({"text_en": "Only English"}, "Escriba primero el texto en español."),
        ({"next_update": "mañana"}, "La fecha no es válida."),
    ],
)
def test_invalid_admin_input_changes_nothing(app, client, world, values, error):
    make_user(app, "admin")
    with app.app_context():
        db.session.add(
            LineResponse(consultation_id=world["consultation"], line="E1", text_es="Lo de antes")
        )
        db.session.commit()
    login(client, "admin@test.co")
    url = f"/admin/devolucion/{world['consultation']}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    fields = {"E1": {"text_es": "Lo nuevo"}, "T3": values}
    response = client.post(url, data=_form(fields, token))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error in html
    assert "no se guardó ningún cambio" in html
    with app.app_context():
        rows = db.session.scalars(db.select(LineResponse)).all()
        assert [(r.line, r.text_es) for r in rows] == [("E1", "Lo de antes")]


def test_admin_errors_are_translated(app, client, world):
    make_user(app, "admin")
    login(client, "admin@test.co")
    url = f"/admin/devolucion/{world['consultation']}?lang=en"
    token = csrf_token(client.get(url).get_data(as_text=True))
    html = client.post(url, data=_form({"E4": {"next_update": "2020-01-01"}}, token)).get_data(
        as_text=True
    )
    assert "The date of the next update cannot be in the past." in html


@pytest.mark.parametrize("role", ["facilitator", "analyst", "safeguarding"])
def test_only_admins_edit(app, client, world, role):
    make_user(app, role)
    login(client, f"{role}@test.co")
    assert client.get(f"/admin/devolucion/{world['consultation']}").status_code == 403
    assert client.post(f"/admin/devolucion/{world['consultation']}").status_code in (400, 403)


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(f"/admin/devolucion/{world['consultation']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_qr_sheet_for_the_sessions_facilitator(app, client, consultation):
    app.config["PUBLIC_BASE_URL"] = "https://consulta.medellin.example"
    owner = make_user(app, "facilitator")
    make_user(app, "facilitator", "otra@test.co")
    code = make_session(app, consultation, facilitator_id=owner)
    with app.app_context():
        encounter_id = db.session.scalar(db.select(Encounter.id).filter_by(code=code))
    login(client, "facilitator@test.co")
    html = client.get(f"/sesiones/{encounter_id}/devolucion-qr").get_data(as_text=True)
    assert f"https://consulta.medellin.example/devolucion/{consultation}/ninos?lang=es" in html
    assert f"https://consulta.medellin.example/devolucion/{consultation}?lang=es" in html
    assert "<svg" in html
    detail = client.get(f"/sesiones/{encounter_id}").get_data(as_text=True)
    assert f"/sesiones/{encounter_id}/devolucion-qr" in detail
    other = app.test_client()
    login(other, "otra@test.co")
    assert other.get(f"/sesiones/{encounter_id}/devolucion-qr").status_code == 403


def test_kiosk_session_json_points_to_the_childrens_page(app, client, world):
    app.config["PUBLIC_BASE_URL"] = "http://192.168.1.20:5000"
    body = client.get(f"/api/v1/sessions/{world['code']}?lang=en").get_json()
    assert body["devolucion_url"] == (
        f"http://192.168.1.20:5000/devolucion/{world['consultation']}/ninos?lang=en"
    )
    assert body["devolucion_qr"].startswith("data:image/svg+xml;base64,")


def test_public_pages_are_rate_limited(app, client, world):
    app.config["RATELIMIT_PUBLIC_PAGES"] = "3 per minute"
    codes = [client.get(f"/devolucion/{world['consultation']}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_figures_are_cached_briefly_and_refreshed_behind_the_scenes(app, client, world):
    app.config["DEVOLUCION_CACHE_SECONDS"] = 60
    url = f"/devolucion/{world['consultation']}"
    world["add"](5, ["T5"])
    assert _cell(client.get(url).get_data(as_text=True), "T5-total") == "5"
    world["add"](5, ["T5"])
    assert _cell(client.get(url).get_data(as_text=True), "T5-total") == "5"  # still fresh
    app.config["DEVOLUCION_CACHE_SECONDS"] = 0.05
    time.sleep(0.1)
    # Stale: served at once, while a background thread counts again.
    assert _cell(client.get(url).get_data(as_text=True), "T5-total") == "5"
    deadline = time.monotonic() + 10
    seen = "5"
    while seen == "5" and time.monotonic() < deadline:
        time.sleep(0.1)
        app.config["DEVOLUCION_CACHE_SECONDS"] = 60
        seen = _cell(client.get(url).get_data(as_text=True), "T5-total")
    assert seen == "10"
