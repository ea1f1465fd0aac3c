"""`flask analysis retag`: recodes with the current codebook, resumable, keeps analysts' codings."""

from __future__ import annotations

import copy

import yaml

from analysis.tagger import load_codebook
from consulta.extensions import db
from consulta.models import Answer, CodebookVersion, lines_to_mask

from .helpers import first_question, submission

TEXTS = [
    "la policía no hace nada cuando uno denuncia y los que pagan siguen libres",
    "que en el colegio nos enseñen a no aceptar regalos de desconocidos por internet",
    "más canchas y clases de música para los niños del barrio",
]


def _store_texts(client, code):
    question = first_question(client, code, "open_text")
    for text in TEXTS:
        body = submission(client, code)
        body["answers"] = [{"question": question["id"], "value": text}]
        assert client.post(f"/api/v1/sessions/{code}/submissions", json=body).status_code == 201


def _activate_codebook_without(app, line: str) -> str:
    """A new codebook version in which the themes of ``line`` map to T4 instead."""
    data = copy.deepcopy(load_codebook().source)
    data["version"] = str(data["version"]) + "-test"
    for theme in data["themes"]:
        theme["lines"] = sorted({"T4" if x == line else x for x in theme["lines"]})
    with app.app_context():
        db.session.add(
            CodebookVersion(
                version=data["version"],
                content=yaml.safe_dump(data, allow_unicode=True),
                is_active=True,
            )
        )
        db.session.commit()
    return data["version"]


def test_retag_recodes_once_and_keeps_analyst_codings(app, client, session_code):
    _store_texts(client, session_code)
    with app.app_context():
        rows = db.session.scalars(db.select(Answer)).all()
        assert any("E4" in (r.auto_lines or []) for r in rows)
        reviewed = next(r for r in rows if "E4" not in r.auto_lines)
        reviewed.analyst_reviewed = True
        reviewed.line_mask = lines_to_mask(["E4", "T5"])  # the analyst saw E4 where rules did not
        reviewed_key = (reviewed.submission_id, reviewed.question_id)
        db.session.commit()
    version = _activate_codebook_without(app, "E4")

    runner = app.test_cli_runner()
    first = runner.invoke(args=["analysis", "retag"])
    assert first.exit_code == 0, first.output
    assert f"Codebook version: {version}" in first.output
    assert "Texts examined: 3" in first.output
    assert "E4:" in first.output  # a line that disappeared is reported

    with app.app_context():
        rows = db.session.scalars(db.select(Answer)).all()
        assert all(r.codebook_version == version for r in rows)
        assert not any("E4" in r.auto_lines for r in rows)
        kept = db.session.get(Answer, reviewed_key)
        assert kept.effective_lines == ["E4", "T5"]  # the analyst's coding still wins

    second = runner.invoke(args=["analysis", "retag"])
    assert "Texts examined: 0" in second.output  # idempotent: nothing left to do
    forced = runner.invoke(args=["analysis", "retag", "--force"])
    assert (
        "Texts examined: 3" in forced.output
        and "Texts whose automatic coding changed: 0" in forced.output
    )
