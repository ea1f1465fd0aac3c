"""A broken codebook never costs an answer: the last good one codes it, or it is stored redacted
and uncoded until `flask analysis retag` codes it. Redaction and the safeguarding check always run.
"""

from __future__ import annotations

import logging

import pytest

from analysis import codebook as codebook_module
from analysis.tagger import load_codebook
from consulta.extensions import db
from consulta.models import Alert, Answer, CodebookVersion
from consulta.services import text_analysis

from .helpers import submission

PERSONAL = (
    "escríbanme a pepita.perez@correo.com o al 3001234567, queremos más canchas y clases de danza"
)
DISCLOSURE = "un señor del barrio me toca y me da plata para que no le diga a nadie"


@pytest.fixture(autouse=True)
def forget_last_good(monkeypatch):
    monkeypatch.setattr(text_analysis, "_last_good", None)


def _post(client, code, text):
    return client.post(f"/api/v1/sessions/{code}/submissions", json=submission(client, code, text))


def _texts(app, submission_id):
    with app.app_context():
        rows = db.session.scalars(
            db.select(Answer).where(
                Answer.submission_id == submission_id, Answer.redactions.is_not(None)
            )
        ).all()
        assert rows, "the instrument has free-text questions"
        return [
            {
                "value": r.value,
                "version": r.codebook_version,
                "lines": r.auto_lines,
                "flagged": r.flagged,
            }
            for r in rows
        ]


def _break_active_codebook(app):
    with app.app_context():
        db.session.add(
            CodebookVersion(version="rota-1", content="version: rota-1\nthemes: [", is_active=True)
        )
        db.session.commit()


def test_a_broken_active_codebook_falls_back_to_the_last_good_one(
    app, client, session_code, caplog
):
    shipped = load_codebook().version
    assert _post(client, session_code, "Que haya más parques y canchas").status_code == 201
    _break_active_codebook(app)
    with caplog.at_level(logging.ERROR, logger="consulta"):
        response = _post(client, session_code, PERSONAL)
    assert response.status_code == 201
    for row in _texts(app, response.get_json()["id"]):
        assert row["version"] == shipped
        assert "pepita.perez@correo.com" not in row["value"] and "3001234567" not in row["value"]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "CodebookError" in logged and shipped in logged
    assert "pepita" not in logged.lower() and "parques" not in logged  # no participant text


def test_without_any_codebook_texts_are_stored_redacted_and_uncoded_then_retagged(
    app, client, session_code, caplog, monkeypatch, tmp_path
):
    broken = tmp_path / "codebook.yaml"
    broken.write_text("version: 2026.99\nthemes:\n  - id: [sin cerrar\n", encoding="utf-8")
    monkeypatch.setattr(codebook_module, "DEFAULT_PATH", broken)
    with caplog.at_level(logging.ERROR, logger="consulta"):
        stored = _post(client, session_code, PERSONAL)
        flagged = _post(client, session_code, DISCLOSURE)
    assert stored.status_code == 201 and flagged.status_code == 201
    rows = _texts(app, stored.get_json()["id"])
    for row in rows:
        assert row["version"] is None and row["lines"] == []
        assert "pepita.perez@correo.com" not in row["value"] and "3001234567" not in row["value"]
    assert "no codebook could be loaded (CodebookError)" in caplog.text
    assert "pepita" not in caplog.text.lower()
    # The safeguarding signals do not need the codebook: the facilitator is still alerted.
    assert any(row["flagged"] for row in _texts(app, flagged.get_json()["id"]))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Alert)) == 1

    monkeypatch.undo()  # the codebook is repaired
    result = app.test_cli_runner().invoke(args=["analysis", "retag"])
    assert result.exit_code == 0, result.output
    shipped = load_codebook().version
    for row in _texts(app, stored.get_json()["id"]):
        assert row["version"] == shipped
        assert "pepita.perez@correo.com" not in row["value"]
    assert any(row["lines"] for row in _texts(app, stored.get_json()["id"]))


def test_redaction_is_never_skipped(app, client, session_code, monkeypatch):
    """If redaction itself fails, nothing is stored: the tablet keeps the answer and retries."""
    monkeypatch.setattr(codebook_module, "DEFAULT_PATH", codebook_module.DEFAULT_PATH / "missing")

    def broken_redactor(doc):
        raise RuntimeError("redactor down")

    monkeypatch.setattr("analysis.redaction.redact_doc", broken_redactor)
    response = _post(client, session_code, PERSONAL)
    assert response.status_code == 500
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
