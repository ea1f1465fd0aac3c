"""The answers explorer: who may open it, what it shows of each text, search, filters, pages."""

from __future__ import annotations

import re
import uuid

import pytest

from consulta.analyze import explorer
from consulta.extensions import db
from consulta.models import Answer, Encounter, Submission, lines_to_mask

from .helpers import login, make_session, make_user


def add_answer(
    app,
    code: str,
    text: str,
    *,
    question: str = "idea_alcaldia",
    themes: tuple[str, ...] = (),
    lines: tuple[str, ...] = (),
    evidence: tuple[dict, ...] = (),
    redactions: tuple[dict, ...] = (),
    flagged: bool = False,
    reviewed: bool = False,
    age_band: str | None = None,
    submission_id: str | None = None,
) -> str:
    """Store one coded free text as the arrival pipeline would have (without running spaCy)."""
    with app.app_context():
        encounter = db.session.scalar(db.select(Encounter).filter_by(code=code))
        sid = submission_id or str(uuid.uuid4())
        if db.session.get(Submission, sid) is None:
            db.session.add(
                Submission(
                    id=sid,
                    encounter_id=encounter.id,
                    instrument_id=encounter.instrument_id,
                    received_on=encounter.held_on,
                    age_band=age_band,
                    content_hash="0" * 64,
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
                evidence=list(evidence),
                redactions=list(redactions),
                confidence={},
                codebook_version="test-1",
                flagged=flagged,
                flag_reasons=["test"] if flagged else [],
                analyst_reviewed=reviewed,
            )
        )
        db.session.commit()
        return sid


def as_role(app, client, role: str) -> None:
    make_user(app, role)
    login(client, f"{role}@test.co")


def shown_total(html: str) -> int:
    return int(re.search(r'data-total="(\d+)"', html).group(1))


def texts_on_page(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r'<blockquote class="answer-text">(.*?)</blockquote>', html, re.S)
    ]


@pytest.mark.parametrize(
    "role, status", [("analyst", 200), ("admin", 200), ("facilitator", 403), ("safeguarding", 403)]
)
def test_only_analysts_and_admins_open_the_explorer(app, client, consultation, role, status):
    as_role(app, client, role)
    assert client.get(f"/analisis/respuestas?consultation={consultation}").status_code == status


def test_anonymous_visitors_are_sent_to_the_login(client, consultation):
    response = client.get(f"/analisis/respuestas?consultation={consultation}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_evidence_is_highlighted_and_everything_else_escaped(
    app, client, consultation, session_code
):
    text = "Que haya más canchas <script>alert(1)</script> y que [NOMBRE] nos escuche"
    start = text.index("más canchas")
    name = text.index("[NOMBRE]")
    add_answer(
        app,
        session_code,
        text,
        themes=("play_sport_culture",),
        lines=("E1",),
        evidence=({"theme": "play_sport_culture", "start": start, "end": start + 11},),
        redactions=({"type": "NOMBRE", "start": name, "end": name + 8},),
    )
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}").get_data(as_text=True)
    assert re.search(r"<mark [^>]*>más canchas</mark>", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert re.search(r'<span class="redacted"[^>]*>nombre</span>', html)
    assert "E1" in html and "Promoción de la garantía de derechos" in html
    assert "automática" in html


def test_offsets_that_do_not_fit_the_text_are_ignored(app, client, consultation, session_code):
    add_answer(
        app,
        session_code,
        "texto corto",
        evidence=({"theme": "x", "start": 5, "end": 400}, {"theme": "y", "start": "a"}),
        redactions=({"type": "NOMBRE", "start": 0, "end": 5},),  # not a placeholder
    )
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}").get_data(as_text=True)
    assert texts_on_page(html) == ["texto corto"]
    assert "<mark" not in html and 'class="redacted"' not in html


def test_flagged_texts_are_reserved(app, client, consultation, session_code):
    add_answer(
        app,
        session_code,
        "Un señor del barrio me hace daño",
        flagged=True,
        lines=("E3",),
        themes=("whom_to_tell",),
    )
    add_answer(app, session_code, "Que arreglen el parque", lines=("E1",))
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}").get_data(as_text=True)
    assert "me hace daño" not in html
    assert "Texto reservado por protección" in html
    assert shown_total(html) == 2
    # Only its line is shown at row level; its themes, like its text, stay with safeguarding.
    reserved = re.search(r'<li class="answer card reserved">(.*?)</li>', html, re.S).group(1)
    assert "A quién contar" not in reserved and "E3" in reserved


def test_search_and_filters_narrow_the_list(app, client, consultation, session_code):
    teens = make_session(app, consultation, slug="adolescencia", population="adolescencia")
    add_answer(
        app, session_code, "Más canchas en la vereda", lines=("E1",), question="idea_alcaldia"
    )
    add_answer(app, session_code, "Que la policía actúe", lines=("E4",), themes=("reporting",))
    add_answer(app, teens, "Que nos escuchen en el colegio", lines=("T2",), question="por_que_pasa")
    as_role(app, client, "analyst")

    def texts(query: str) -> list[str]:
        html = client.get(f"/analisis/respuestas?consultation={consultation}&{query}").get_data(
            as_text=True
        )
        assert shown_total(html) == len(texts_on_page(html))
        return texts_on_page(html)

    assert len(texts("")) == 3
    assert texts("q=CANCHAS") == ["Más canchas en la vereda"]
    assert texts("q=100%25") == []
    assert texts("line=E4") == ["Que la policía actúe"]
    assert texts("theme=reporting") == ["Que la policía actúe"]
    assert texts("population=adolescencia") == ["Que nos escuchen en el colegio"]
    assert texts("population=adolescencia&line=E1") == []
    page = client.get(f"/analisis/respuestas?consultation={consultation}&line=E2")
    assert "No hay respuestas que mostrar" in page.get_data(as_text=True)


def test_an_empty_consultation_says_so(app, client, consultation):
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}").get_data(as_text=True)
    assert "No hay respuestas que mostrar" in html
    assert "Cuando las sesiones de esta consulta reciban textos" in html


def test_unknown_consultation_is_not_found(app, client):
    as_role(app, client, "analyst")
    assert client.get("/analisis/respuestas?consultation=999").status_code == 404


def test_pages_cover_every_answer_once_in_an_order_that_hides_arrival(
    app, client, consultation, session_code, monkeypatch
):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 4)
    # Submissions arrive in an order unrelated to their (random) ids.
    ids = [str(uuid.UUID(int=n * 7919 % 1000 + 1)) for n in range(10)]
    for n, sid in enumerate(ids):
        add_answer(app, session_code, f"respuesta número {n}", submission_id=sid)
    as_role(app, client, "analyst")
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/analisis/respuestas?consultation={consultation}&page={page}").get_data(
            as_text=True
        )
        assert shown_total(html) == 10
        assert f"Página {page} de 3" in html
        seen += texts_on_page(html)
    assert len(seen) == 10 and len(set(seen)) == 10
    by_id = [f"respuesta número {ids.index(sid)}" for sid in sorted(ids)]
    assert seen == by_id
    last = client.get(f"/analisis/respuestas?consultation={consultation}&page=99").get_data(
        as_text=True
    )
    assert texts_on_page(last) == seen[8:]


def test_search_counts_are_capped_but_pages_continue(
    app, client, consultation, session_code, monkeypatch
):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 2)
    monkeypatch.setattr(explorer, "TEXT_COUNT_CAP", 3)
    for n in range(5):
        add_answer(app, session_code, f"parque {n}")
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}&q=parque").get_data(
        as_text=True
    )
    assert "Más de 3 respuestas" in html and 'rel="next"' in html
    html = client.get(f"/analisis/respuestas?consultation={consultation}&q=parque&page=3").get_data(
        as_text=True
    )
    assert len(texts_on_page(html)) == 1 and 'rel="next"' not in html


def test_rows_show_the_question_session_and_coding_source(app, client, consultation, session_code):
    add_answer(app, session_code, "Más parques", reviewed=True, age_band="9-11")
    as_role(app, client, "analyst")
    html = client.get(f"/analisis/respuestas?consultation={consultation}").get_data(as_text=True)
    assert "alcalde" in html.lower()  # the prompt of idea_alcaldia
    assert session_code in html and "9 a 11 años" in html
    assert "analista" in html
    with app.test_request_context():
        if "analyze.review" in app.view_functions:
            assert "/revisar" in html or "Revisar la codificación" in html


@pytest.mark.parametrize("search", ["", "&q=texto"])
def test_next_and_previous_links_walk_the_same_pages(
    app, client, consultation, monkeypatch, search
):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 3)
    codes = [make_session(app, consultation) for _ in range(6)]
    add_answer(app, codes[5], "otra cosa")
    for n in range(8):
        add_answer(
            app,
            codes[(n * 5) % 6],
            f"texto {n}",
            question=("idea_alcaldia", "te_hace_sentir_cuidado")[n % 3 == 0],
        )
    as_role(app, client, "analyst")
    url = f"/analisis/respuestas?consultation={consultation}{search}"
    by_offset = []
    for page in (1, 2, 3):
        by_offset.append(texts_on_page(client.get(f"{url}&page={page}").get_data(as_text=True)))
    html = client.get(url).get_data(as_text=True)
    forward = [texts_on_page(html)]
    while 'rel="next"' in html:
        link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        assert "after=" in link
        html = client.get(link).get_data(as_text=True)
        forward.append(texts_on_page(html))
    assert forward == by_offset and "Página 3 de 3" in html
    backward = [texts_on_page(html)]
    while 'rel="prev"' in html:
        link = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        html = client.get(link).get_data(as_text=True)
        backward.append(texts_on_page(html))
    assert backward == by_offset[::-1] and "Página 1 de 3" in html
    assert client.get(f"{url}&after=basura").status_code == 200
