"""Codebook editor: preview the effect of an edit, save it as a new active version, or refuse."""

from __future__ import annotations

import copy

import yaml

from analysis.tagger import load_codebook
from consulta.extensions import db
from consulta.models import Answer, CodebookVersion
from consulta.services.text_analysis import current_codebook

from .helpers import csrf_token, first_question, login, make_user, submission

TEXTS = [
    "la policía no hace nada cuando uno denuncia y los que pagan siguen libres",
    "más canchas y clases de música para los niños del barrio",
]


def _admin(app, client):
    make_user(app, "admin")
    login(client, "admin@test.co")


def _store_texts(client, code):
    question = first_question(client, code, "open_text")
    for text in TEXTS:
        body = submission(client, code)
        body["answers"] = [{"question": question["id"], "value": text}]
        assert client.post(f"/api/v1/sessions/{code}/submissions", json=body).status_code == 201


def _edited(version="2099.1.1", moved_line="E4") -> str:
    """The shipped codebook with every theme of ``moved_line`` mapped to T4 instead."""
    data = copy.deepcopy(load_codebook().source)
    data["version"] = version
    for theme in data["themes"]:
        theme["lines"] = sorted({"T4" if x == moved_line else x for x in theme["lines"]})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _post(client, action, content, token=True):
    data = {"content": content, "note": "prueba"}
    if token:
        data["csrf_token"] = csrf_token(
            client.get("/analisis/libro-de-codigos").get_data(as_text=True)
        )
    return client.post(f"/analisis/libro-de-codigos/{action}", data=data)


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(CodebookVersion))


def test_editor_shows_current_yaml_and_pattern_help(app, client):
    _admin(app, client)
    html = client.get("/analisis/libro-de-codigos").get_data(as_text=True)
    assert "<textarea" in html and f"version: &#34;{load_codebook().version}&#34;" in html
    assert "PATTERN LANGUAGE" in html  # the guide from the codebook's header, beside the editor
    assert "versión activa" in html


def test_preview_lists_texts_that_would_change_and_saves_nothing(app, client, session_code):
    _store_texts(client, session_code)
    _admin(app, client)
    response = _post(client, "vista-previa", _edited())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "la policía no hace nada" in html  # its E4 would become T4
    assert "más canchas" not in html.split("Vista previa de la versión")[1].split("<form")[0]
    assert "2 textos guardados" in html or "Se leyeron 2" in html
    assert _versions(app) == 0
    with app.app_context():
        assert current_codebook().version == load_codebook().version


def test_save_creates_active_version_and_tells_how_to_retag(app, client, session_code):
    _store_texts(client, session_code)
    _admin(app, client)
    with app.app_context():
        before = {
            (a.submission_id, a.question_id): a.line_mask
            for a in db.session.scalars(db.select(Answer))
        }
    response = _post(client, "guardar", _edited("2099.2.0"))
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "flask analysis retag" in html and "2099.2.0" in html
    with app.app_context():
        (row,) = db.session.scalars(db.select(CodebookVersion)).all()
        assert row.version == "2099.2.0" and row.is_active and row.note == "prueba"
        assert current_codebook().version == "2099.2.0"
        after = {
            (a.submission_id, a.question_id): a.line_mask
            for a in db.session.scalars(db.select(Answer))
        }
    assert after == before  # no retag inside the request
    # A second save deactivates the first.
    assert _post(client, "guardar", _edited("2099.3.0")).status_code == 302
    with app.app_context():
        active = db.session.scalars(
            db.select(CodebookVersion.version).filter_by(is_active=True)
        ).all()
        assert active == ["2099.3.0"]


def test_invalid_yaml_is_refused_clearly(app, client):
    _admin(app, client)
    for action in ("vista-previa", "guardar"):
        response = _post(client, action, "version: '2099.1'\nthemes: [unclosed")
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "No se guardó nada" in html and "no es válido" in html
        assert "themes: [unclosed" in html  # the admin's text is kept for fixing
    assert _versions(app) == 0


def test_unknown_line_id_is_refused(app, client):
    _admin(app, client)
    content = _edited().replace("- E1\n", "- E7\n", 1)
    assert "E7" in content
    response = _post(client, "guardar", content)
    assert response.status_code == 422
    assert "E7" in response.get_data(as_text=True)
    assert _versions(app) == 0


def test_duplicate_version_is_refused(app, client):
    _admin(app, client)
    response = _post(client, "guardar", _edited(load_codebook().version))
    assert response.status_code == 422 and "ya existe" in response.get_data(as_text=True)
    assert _post(client, "guardar", _edited("2099.5.0")).status_code == 302
    response = _post(client, "guardar", _edited("2099.5.0", moved_line="E1"))
    assert response.status_code == 422 and "ya existe" in response.get_data(as_text=True)
    with app.app_context():
        (row,) = db.session.scalars(db.select(CodebookVersion)).all()
        assert row.content == _edited("2099.5.0")  # the first save, untouched


def test_missing_csrf_token_changes_nothing(app, client):
    _admin(app, client)
    response = _post(client, "guardar", _edited(), token=False)
    assert response.status_code == 400
    assert _versions(app) == 0


def test_analysts_cannot_edit_the_codebook(app, client):
    make_user(app, "analyst")
    login(client, "analyst@test.co")
    assert client.get("/analisis/libro-de-codigos").status_code == 403
    assert client.post(
        "/analisis/libro-de-codigos/guardar", data={"content": _edited()}
    ).status_code in (400, 403)
    assert _versions(app) == 0


def test_preview_says_when_it_read_only_the_most_recent_texts(
    app, client, session_code, monkeypatch
):
    from consulta.services import codebooks

    _store_texts(client, session_code)
    _admin(app, client)
    monkeypatch.setattr(codebooks, "PREVIEW_CAP", 1)
    html = _post(client, "vista-previa", _edited()).get_data(as_text=True)
    assert "Se leyeron 1 textos" in html and "se limita a los 1 textos más recientes" in html
