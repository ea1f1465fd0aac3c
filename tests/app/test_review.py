"""Coding review: analysts correct the lines and themes of a text, and their coding wins."""

from __future__ import annotations

import re

from consulta.extensions import db
from consulta.models import AnalystCoding, Answer, Encounter, RelatoriaNote, User

from .helpers import csrf_token, login, make_session, make_user
from .test_explorer import add_answer


def _analyst(app, client) -> int:
    user_id = make_user(app, "analyst")
    login(client, "analyst@test.co")
    return user_id


def _page(client, sid, question="idea_alcaldia", **args):
    return client.get(f"/analisis/revision/{sid}/{question}", query_string=args)


def _save(client, sid, lines, themes=(), question="idea_alcaldia", then="stay", token=True, **args):
    data = {"form": "review", "lines": list(lines), "themes": list(themes), "then": then}
    if token:
        data["csrf_token"] = csrf_token(_page(client, sid, question).get_data(as_text=True))
    return client.post(f"/analisis/revision/{sid}/{question}/guardar", data=data, query_string=args)


def _answer(app, sid, question="idea_alcaldia") -> Answer:
    with app.app_context():
        row = db.session.get(Answer, (sid, question))
        db.session.expunge(row)
        return row


def test_page_shows_text_question_automatic_coding_and_form(app, client, session_code):
    _analyst(app, client)
    text = "Que cierren los bares <b>donde</b> venden niñas"
    sid = add_answer(
        app,
        session_code,
        text,
        lines=("E4",),
        themes=("control_establecimientos",),
        evidence=({"theme": "control_establecimientos", "start": 10, "end": 21},),
    )
    html = _page(client, sid).get_data(as_text=True)
    assert "Si fueras alcalde o alcaldesa de Medellín" in html  # the question it answers
    assert "&lt;b&gt;donde&lt;/b&gt;" in html and "<b>donde</b>" not in html  # escaped
    assert "<mark" in html and "los bares" in html  # evidence highlighted
    boxes = re.findall(r'<input type="checkbox" name="lines" value="(\w\d)"( checked)?', html)
    assert [b[0] for b in boxes] == ["E1", "E2", "E3", "E4", "T1", "T2", "T3", "T4", "T5"]
    assert [b[0] for b in boxes if b[1]] == ["E4"]  # current coding pre-checked
    assert "Prevención de la ESCNNA" in html  # plain line names
    assert 'name="themes"' in html


def test_saving_stores_analyst_coding_apart_and_it_wins(app, client, session_code):
    analyst_id = _analyst(app, client)
    sid = add_answer(app, session_code, "la policía no hace nada", lines=("E4", "T3"))
    response = _save(client, sid, ["E4", "T5"])
    assert response.status_code == 302
    row = _answer(app, sid)
    assert row.analyst_reviewed and row.effective_lines == ["E4", "T5"]
    assert row.auto_lines == ["E4", "T3"]  # the automatic coding is kept as it was
    with app.app_context():
        (coding,) = db.session.scalars(db.select(AnalystCoding)).all()
        assert coding.lines == ["E4", "T5"] and coding.analyst_id == analyst_id
        assert coding.submission_id == sid and coding.codebook_version
    # The explorer, filtered by a line only the analyst gave, finds the text as analyst-coded.
    with app.app_context():
        consultation = db.session.scalar(db.select(Encounter.consultation_id))
    html = client.get(f"/analisis/respuestas?consultation={consultation}&line=T5").get_data(
        as_text=True
    )
    assert "la policía no hace nada" in html and "analista" in html
    html = client.get(f"/analisis/respuestas?consultation={consultation}&line=T3").get_data(
        as_text=True
    )
    assert "la policía no hace nada" not in html
    # The page shows the decision in its history.
    assert "analyst@test.co" in _page(client, sid).get_data(as_text=True)


def test_removing_every_line_is_a_decision(app, client, session_code):
    _analyst(app, client)
    sid = add_answer(app, session_code, "jajaja", lines=("E1",), themes=("educacion",))
    assert _save(client, sid, []).status_code == 302
    row = _answer(app, sid)
    assert row.analyst_reviewed and row.effective_lines == [] and row.themes == []


def test_unknown_line_changes_nothing(app, client, session_code):
    _analyst(app, client)
    sid = add_answer(app, session_code, "más canchas", lines=("E1",))
    response = _save(client, sid, ["E1", "E9"])
    assert response.status_code == 302
    assert "no existe" in client.get(response.location).get_data(as_text=True)
    row = _answer(app, sid)
    assert not row.analyst_reviewed and row.effective_lines == ["E1"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AnalystCoding)) == 0


def test_missing_csrf_token_changes_nothing(app, client, session_code):
    _analyst(app, client)
    sid = add_answer(app, session_code, "más canchas", lines=("E1",))
    response = _save(client, sid, ["T2"], token=False)
    assert response.status_code == 400
    assert not _answer(app, sid).analyst_reviewed


def test_flagged_text_is_reserved_but_its_lines_can_be_coded(app, client, session_code):
    _analyst(app, client)
    secret = "un señor del barrio me escribe cosas feas"
    sid = add_answer(
        app, session_code, secret, lines=("E2",), themes=("riesgo_en_linea",), flagged=True
    )
    html = _page(client, sid).get_data(as_text=True)
    assert secret not in html and "señor del barrio" not in html
    assert "Texto reservado por protección" in html
    assert 'name="themes"' not in html  # themes can tell what the text said
    assert _save(client, sid, ["E2", "E3"], themes=["otro"]).status_code == 302
    row = _answer(app, sid)
    assert row.effective_lines == ["E2", "E3"] and row.themes == ["riesgo_en_linea"]


def test_next_unreviewed_follows_the_explorer_filters(app, client, session_code):
    _analyst(app, client)
    ids = sorted(add_answer(app, session_code, f"texto {n}", lines=("E1",)) for n in range(3))
    other = add_answer(app, session_code, "otra cosa", lines=("T4",))
    reviewed = add_answer(app, session_code, "ya visto", lines=("E1",), reviewed=True)
    with app.app_context():
        consultation = db.session.scalar(db.select(Encounter.consultation_id))
    args = {"consultation": consultation, "line": "E1"}
    html = _page(client, ids[0], **args).get_data(as_text=True)
    nxt = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert ids[1] in nxt and "line=E1" in nxt and other not in nxt
    assert 'rel="prev"' not in html
    # Saving with "next" moves on to the next unreviewed text with the same filters, skipping
    # the reviewed one and the one outside the filter.
    response = _save(client, ids[1], ["E1"], then="next", **args)
    assert ids[2] in response.location and "line=E1" in response.location
    assert reviewed not in response.location
    html = _page(client, ids[2], **args).get_data(as_text=True)
    prev = re.search(r'href="([^"]+)" rel="prev"', html).group(1)
    assert ids[0] in prev  # ids[1] is reviewed now


def test_relatoria_note_can_be_reviewed(app, client, consultation):
    analyst_id = _analyst(app, client)
    code = make_session(app, consultation)
    with app.app_context():
        encounter = db.session.scalar(db.select(Encounter).filter_by(code=code))
        note = RelatoriaNote(
            encounter_id=encounter.id,
            activity="arbol_de_problemas",
            text="El grupo pide que los vecinos se organicen",
            auto_lines=["T1"],
            auto_themes=[],
            themes=[],
            line_mask=1 << 4,
            codebook_version="test-1",
        )
        db.session.add(note)
        db.session.commit()
        note_id = note.id
    html = client.get(f"/analisis/revision/nota/{note_id}").get_data(as_text=True)
    assert "los vecinos se organicen" in html and "arbol_de_problemas" in html
    data = {"form": "review", "lines": ["T1", "T2"], "csrf_token": csrf_token(html)}
    assert client.post(f"/analisis/revision/nota/{note_id}/guardar", data=data).status_code == 302
    with app.app_context():
        row = db.session.get(RelatoriaNote, note_id)
        assert row.analyst_reviewed and row.effective_lines == ["T1", "T2"]
        coding = db.session.scalar(db.select(AnalystCoding))
        assert coding.note_id == note_id and coding.analyst_id == analyst_id


def test_facilitator_cannot_review(app, client, session_code):
    make_user(app, "facilitator")
    login(client, "facilitator@test.co")
    sid = add_answer(app, session_code, "más canchas", lines=("E1",))
    assert _page(client, sid).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(User.role)) == "facilitator"


def test_unknown_or_uncoded_text_is_not_found(app, client, session_code):
    _analyst(app, client)
    assert _page(client, "no-such-submission").status_code == 404
