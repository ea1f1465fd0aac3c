"""Retention: past its date, a consultation's free texts leave every table, file, export and page,
while its codes and counts stay; a consultation not past its date is untouched."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import MetaData, select, text

from consulta.extensions import db
from consulta.models import (
    Alert,
    Answer,
    Consultation,
    Encounter,
    Idea,
    IdeaSupport,
    LearnedModel,
    RelatoriaNote,
    Submission,
)
from consulta.services import coding_review, encounters, retention

from .helpers import login, make_session, make_user, submission
from .test_overview import add_texts, varied

TODAY = date(2026, 6, 1)
GONE = "zorblax"  # every text of the past consultation carries a word starting so
STEM = GONE[:6]  # what a learned model's vocabulary would keep of it
KEPT = "vendelmurq"  # every text of the consultation still within its date


def _consultation(title: str, until: date) -> int:
    row = Consultation(title=title, purpose="Probar la conservación", retention_until=until)
    db.session.add(row)
    db.session.commit()
    return row.id


def _fill(app, client, consultation_id: int, mark: str, analyst_id: int) -> dict:
    """Texts through the arrival pipeline (ideas, evidence, redactions), stored coded texts for
    the report's quotes, a flagged text, a relatoría note, approved ideas with supports, an
    alert with the facilitator's note, one reviewed answer and one reviewed note."""
    code = make_session(app, consultation_id)
    for word in ("ta", "te", "ti"):
        body = submission(client, code, text=f"Queremos canchas y parques, dijo {mark}quin{word}")
        body["profile"]["age_band"] = "9-11"
        response = client.post(f"/api/v1/sessions/{code}/submissions", json=body)
        assert response.status_code in (200, 201), response.get_data(as_text=True)
    add_texts(app, code, [(t, ["E1"], ["play_sport_culture"]) for t in varied(f"Jugar {mark}", 7)])
    add_texts(app, code, [(f"Un señor {mark}daño me hace daño", ["E3"], [], True)])
    add_texts(app, code, [(t, [], []) for t in varied(f"Las {mark}patinetas pasan", 6)])
    with app.app_context():
        encounter = encounters.by_code(code)
        note = encounters.add_note(
            encounter, "general", f"El grupo habló de {mark}nota en el parque", None
        )
        coding_review.save_coding(note, ["E1"], [], analyst_id)
        answer = db.session.scalar(
            select(Answer)
            .join(Submission)
            .where(Submission.encounter_id == encounter.id, Answer.codebook_version.is_not(None))
            .order_by(Answer.submission_id)
            .limit(1)
        )
        coding_review.save_coding(answer, ["E1", "E2"], [], analyst_id)
        ideas = db.session.scalars(select(Idea).filter_by(encounter_id=encounter.id)).all()
        assert ideas, "the arrival pipeline registers ideas"
        for idea in ideas[:2]:
            idea.status, idea.line = "approved", "E1"
            db.session.add(IdeaSupport(idea_id=idea.id, supporter_key=uuid.uuid4().hex * 2))
        db.session.add(
            Alert(
                encounter_id=encounter.id,
                source="text",
                tablet_label="Tableta 1",
                raised_at=datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0),
                reasons=["test"],
                status="handled",
                route_activated=False,
                action_note=f"Hablé con la profesora {mark}alerta",
            )
        )
        db.session.commit()
        return {"code": code, "note": note.id, "answer": (answer.submission_id, answer.question_id)}


@pytest.fixture
def world(app, client):
    analyst = make_user(app, "analyst")
    with app.app_context():
        past = _consultation("Diálogos 2025", date(2026, 1, 31))
        kept = _consultation("Diálogos 2027", date(2030, 1, 1))
    out = {
        "past": past,
        "kept": kept,
        "past_data": _fill(app, client, past, GONE, analyst),
        "kept_data": _fill(app, client, kept, KEPT, analyst),
    }
    with app.app_context():
        # A model trained before any review cannot hold these words; one trained since may.
        old = LearnedModel(
            codebook_version="x",
            trained_on=40,
            metrics={},
            parameters={"vocab": ["w:cancha"]},
            created_at=datetime(2020, 1, 1, tzinfo=UTC),
        )
        new = LearnedModel(
            codebook_version="x",
            trained_on=40,
            metrics={},
            parameters={"vocab": [f"w:{STEM}", f"w:{KEPT[:6]}"]},
            is_active=True,
        )
        db.session.add_all([old, new])
        db.session.commit()
        out["models"] = (old.id, new.id)
    login(client, "analyst@test.co")
    # An analyst searched for a participant's words and exported: the audit log holds them.
    response = client.get(f"/analisis/exportar/respuestas.csv?consultation={past}&q={GONE}quinta")
    assert response.status_code == 200
    return out


def run(app, *args):
    result = app.test_cli_runner().invoke(
        args=["retention", "apply", "--today", TODAY.isoformat(), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def dump(app) -> dict[str, list[str]]:
    """Every row of every table (reflected, so tables added later are covered too), as text."""
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        out = {}
        with db.engine.connect() as conn:
            for name, table in meta.tables.items():
                rows = conn.execute(select(table)).all()
                out[name] = sorted(
                    json.dumps([_plain(v) for v in row], ensure_ascii=False, default=str)
                    for row in rows
                )
        return out


def _plain(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else value


def occurrences(tables: dict[str, list[str]], needle: str) -> dict[str, int]:
    found = {name: sum(row.lower().count(needle) for row in rows) for name, rows in tables.items()}
    return {name: n for name, n in found.items() if n}


def raw_storage(app) -> dict[str, bytes]:
    """What the database keeps on disk: the SQLite file and its log, or PostgreSQL's pages of
    every table, TOAST table and index of the schema, and of the column statistics."""
    with app.app_context():
        if app.config["BACKEND"] == "sqlite":
            path = str(app.config["DB_FILE"])
            out = {}
            for name in (path, path + "-wal", path + "-journal"):
                if os.path.exists(name):
                    with open(name, "rb") as handle:
                        out[name] = handle.read()
            return out
        with db.engine.connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            relations = conn.execute(
                text(
                    "SELECT c.oid::regclass::text, pg_relation_size(c.oid) / "
                    "current_setting('block_size')::int FROM pg_class c "
                    "WHERE (c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')) "
                    "OR c.oid IN (SELECT reltoastrelid FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace) "
                    "OR c.oid = 'pg_catalog.pg_statistic'::regclass"
                )
            ).all()
            out = {}
            for name, blocks in relations:
                pages = []
                for block in range(blocks):
                    raw = conn.execute(text("SELECT get_raw_page(:n, :b)"), {"n": name, "b": block})
                    pages.append(bytes(raw.scalar()))
                out[name] = b"".join(pages)
            conn.commit()
            return out


def holding(app, needle: str) -> list[str]:
    """Files or relations whose raw bytes contain ``needle``."""
    return sorted(name for name, raw in raw_storage(app).items() if needle.encode() in raw)


def pages(client, consultation: int, data: dict) -> dict[str, str]:
    """Every analyst page and download that can show a text of the consultation."""
    base = f"consultation={consultation}"
    out = {}
    for name in ("respuestas.csv", "respuestas.json", "resumen.csv", "resumen.json"):
        out[name] = _get(client, f"/analisis/exportar/{name}?{base}").decode("utf-8-sig")
    for name in ("respuestas.xlsx", "resumen.xlsx"):
        book = load_workbook(io.BytesIO(_get(client, f"/analisis/exportar/{name}?{base}")))
        out[name] = json.dumps(
            [list(row) for sheet in book for row in sheet.iter_rows(values_only=True)],
            ensure_ascii=False,
            default=str,
        )
    out["overview"] = _get(client, f"/analisis/resumen?{base}").decode()
    for fmt in ("", "&format=json", "&format=html"):
        out[f"report{fmt}"] = _get(client, f"/analisis/informe?{base}{fmt}").decode()
    first = _get(client, f"/analisis/respuestas?{base}").decode()
    total = int(re.search(r'data-total="(\d+)"', first).group(1))
    for page in range(1, -(-total // 25) + 1):
        out[f"explorer {page}"] = _get(client, f"/analisis/respuestas?{base}&page={page}").decode()
    out["quality"] = _get(client, f"/analisis/calidad?{base}").decode()
    out["search nul"] = _get(client, f"/analisis/respuestas?{base}&q=nul").decode()
    # Public pages that show participants' ideas, and the moderation queue.
    for url in (f"/ideas/{consultation}", f"/devolucion/{consultation}", "/ideas/revisar"):
        out[url] = _get(client, url).decode()
    out["devolucion ninos"] = _get(client, f"/devolucion/{consultation}/ninos").decode()
    sid, qid = data["answer"]
    out["review answer"] = _get(client, f"/analisis/revision/{sid}/{qid}").decode()
    out["review note"] = _get(client, f"/analisis/revision/nota/{data['note']}").decode()
    return out


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data()


def overview_counts(client, consultation: int) -> list[str]:
    html = _get(client, f"/analisis/resumen?consultation={consultation}").decode()
    return re.findall(r'<td class="num">([^<]*)</td>', html)


def test_past_texts_leave_every_table_file_export_and_page(app, client, world):
    past, kept = world["past"], world["kept"]
    with app.app_context():
        db.session.execute(text("ANALYZE"))  # column statistics sample stored values
        db.session.commit()
    before = dump(app)
    assert occurrences(before, GONE).keys() >= {"answer", "relatoria_note", "export_log"}
    assert occurrences(before, STEM).get("learned_model")
    assert holding(app, GONE)
    shown_before = pages(client, past, world["past_data"])
    for name in ("respuestas.csv", "respuestas.xlsx", "respuestas.json", "report", "explorer 1"):
        assert GONE in shown_before[name], name
    assert GONE in shown_before[f"/ideas/{past}"]  # approved ideas on the public wall
    counts_before = overview_counts(client, past)
    summary_before = json.loads(shown_before["resumen.json"])
    kept_pages_before = pages(client, kept, world["kept_data"])

    output = run(app)
    print(output)  # shown when the test fails

    after = dump(app)
    assert occurrences(after, GONE) == {}
    assert occurrences(after, STEM) == {}
    assert holding(app, GONE) == []
    for root, _dirs, files in os.walk(app.instance_path):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                assert GONE.encode() not in handle.read(), name
    for name in os.listdir(tempfile.gettempdir()):  # XLSX sheets are written to temp files
        path = os.path.join(tempfile.gettempdir(), name)
        if name.startswith("openpyxl") and os.path.isfile(path):
            with open(path, "rb") as handle:
                assert GONE.encode() not in handle.read(), path
    shown = pages(client, past, world["past_data"])
    for name, body in shown.items():
        assert GONE not in body.lower(), name
    notice = retention.deleted_label()
    for name in ("respuestas.csv", "respuestas.xlsx", "explorer 1", "review answer", "review note"):
        assert notice in shown[name], name
    assert notice in shown["quality"]
    assert 'data-total="0"' in shown["search nul"]  # a deleted text is JSON null, not a match

    # Every count stays: the overview's cells and the exported summary tables are unchanged.
    assert overview_counts(client, past) == counts_before
    assert json.loads(shown["resumen.json"]) == summary_before
    assert "answer texts deleted: " in output

    # The consultation still within its date keeps everything.
    assert occurrences(after, KEPT) == occurrences(before, KEPT)
    kept_pages = pages(client, kept, world["kept_data"])
    assert {n: b.count(KEPT) for n, b in kept_pages.items()} == {
        n: b.count(KEPT) for n, b in kept_pages_before.items()
    }
    assert kept_pages["respuestas.csv"].count(KEPT) > 10
    assert holding(app, KEPT)


def test_what_stays_and_what_goes_row_by_row(app, client, world):
    past, kept = world["past"], world["kept"]

    def state():
        with app.app_context():
            answers = db.session.execute(
                select(Answer, Encounter.consultation_id)
                .join(Submission, Answer.submission_id == Submission.id)
                .join(Encounter, Submission.encounter_id == Encounter.id)
            ).all()
            return {
                "answers": {
                    (a.submission_id, a.question_id): (
                        cid,
                        a.value,
                        a.line_mask,
                        a.themes,
                        a.auto_lines,
                        a.flagged,
                        a.codebook_version,
                        a.analyst_reviewed,
                        a.evidence,
                    )
                    for a, cid in answers
                },
                "ideas": {c: _ideas(c) for c in (past, kept)},
                "alerts": {
                    a.id: (a.encounter.consultation_id, a.action_note)
                    for a in db.session.scalars(select(Alert))
                },
                "sessions": {
                    e.consultation_id: e.status for e in db.session.scalars(select(Encounter))
                },
                "models": set(db.session.scalars(select(LearnedModel.id))),
                "notes": {
                    n.id: (n.encounter.consultation_id, n.text, n.line_mask, n.evidence)
                    for n in db.session.scalars(select(RelatoriaNote))
                },
                "hashes": {
                    s.id: (s.encounter_id, s.content_hash)
                    for s in db.session.scalars(select(Submission))
                },
                "deleted_on": {
                    c.id: c.texts_deleted_on for c in db.session.scalars(select(Consultation))
                },
            }

    before = state()
    output = run(app)
    after = state()
    free_texts = 0
    for key, (cid, _text, mask, themes, auto, flagged, version, reviewed, _ev) in before[
        "answers"
    ].items():
        now = after["answers"][key]
        if cid == kept or version is None:  # the other consultation, or a closed answer
            assert now == before["answers"][key]
            continue
        free_texts += 1
        assert now[1] is None and now[8] is None  # the text and its offsets are gone
        assert now[2:8] == (mask, themes, auto, flagged, version, reviewed)  # the codes stay
    assert free_texts and f"answer texts deleted: {free_texts}" in output
    assert before["ideas"][past][0] and after["ideas"][past] == (0, 0)
    assert after["ideas"][kept] == before["ideas"][kept]
    assert "(approved, by line: E1 2)" in output
    for alert_id, (cid, note) in after["alerts"].items():
        assert (note is None) == (cid == past), alert_id
    assert after["sessions"] == {past: "closed", kept: "open"}
    old, new = world["models"]
    assert after["models"] == {old} and f"learned models dropped: #{new}" in output
    for note_id, (cid, note_text, mask, evidence) in after["notes"].items():
        if cid == past:
            assert note_text == "" and evidence is None
            assert mask == before["notes"][note_id][2]
        else:
            assert after["notes"][note_id] == before["notes"][note_id]
    assert after["deleted_on"] == {past: TODAY, kept: None}
    # A hash of the answers could confirm a guessed text: gone for the past consultation only.
    with app.app_context():
        past_sessions = set(
            db.session.scalars(select(Encounter.id).filter_by(consultation_id=past))
        )
    for sid, (encounter_id, digest) in after["hashes"].items():
        if encounter_id in past_sessions:
            assert digest == retention.NO_HASH
        else:
            assert digest == before["hashes"][sid][1] != retention.NO_HASH
    hashed = sum(
        1 for encounter_id, _d in after["hashes"].values() if encounter_id in past_sessions
    )
    assert hashed and f"submission content hashes deleted: {hashed}" in output
    admin = _get(_admin(app), "/admin/consultas").decode()
    assert admin.count("Textos eliminados el 2026-06-01") == 1


def _ideas(consultation_id: int) -> tuple[int, int]:
    ideas = db.session.scalars(select(Idea.id).filter_by(consultation_id=consultation_id)).all()
    supports = db.session.scalar(
        select(db.func.count()).select_from(IdeaSupport).where(IdeaSupport.idea_id.in_(ideas))
    )
    return len(ideas), supports


def figures(output: str) -> list[str]:
    """What each per-consultation line says, without its verb."""
    return [line.rsplit(": ", 1)[1] for line in output.splitlines() if line.startswith("  ")]


def _admin(app):
    make_user(app, "admin")
    client = app.test_client()
    login(client, "admin@test.co")
    return client


def test_dry_run_changes_nothing_and_a_second_run_deletes_nothing_more(app, client, world):
    before = dump(app)
    dry = run(app, "--dry-run")
    assert dump(app) == before
    assert "dry run: nothing is changed" in dry and "answer texts would be deleted: " in dry
    assert re.search(r"answer texts would be deleted: [1-9]", dry)
    assert "Storage" not in dry
    first = run(app)
    assert re.search(r"answer texts deleted: [1-9]", first)
    assert figures(first) == figures(dry)
    after_first = dump(app)
    second = run(app)
    assert dump(app) == after_first
    past = world["past"]
    assert f'#{past} "Diálogos 2025" (keep until 2026-01-31):\n  nothing to delete' in second
    assert "Not yet past their date: 1 consultation(s), untouched." in second
    assert "files not compacted" in second


def test_cli_output_names_every_kind_of_deletion(app, client, world):
    output = run(app)
    lines = output.splitlines()
    assert lines[0] == "Retention as of 2026-06-01"
    assert lines[1] == f'Consultation #{world["past"]} "Diálogos 2025" (keep until 2026-01-31):'
    kinds = [line.split(":")[0].strip() for line in lines[2:11]]
    assert kinds == [
        "answer texts deleted",
        "relatoría note texts deleted",
        "ideas deleted",
        "idea supports deleted",
        "alert action notes deleted",
        "search words deleted from export logs",
        "submission content hashes deleted",
        "open sessions closed",
        "learned models dropped",
    ]
    assert "relatoría note texts deleted: 1" in output
    assert "idea supports deleted: 2" in output
    assert "alert action notes deleted: 1" in output
    assert "search words deleted from export logs: 1" in output
    assert "open sessions closed: 1" in output
    assert lines[-1].startswith("Storage: ")
    assert ("VACUUM" in lines[-1]) and ("emptied" in lines[-1] or "FULL" in lines[-1])


def test_nothing_is_due_before_the_date(app, client, world):
    before = dump(app)
    result = app.test_cli_runner().invoke(
        args=["retention", "apply", "--today", "2026-01-31"]  # the last day to keep
    )
    assert result.exit_code == 0
    assert "No consultation is past its retention date: nothing to delete." in result.output
    assert dump(app) == before


def test_an_open_transaction_that_still_sees_the_texts_is_reported(app, client, world, monkeypatch):
    """PostgreSQL copies a deleted row version that an open transaction may still read, and
    cannot rewrite a table another transaction holds: the command says so, and ``--compact``
    once those transactions end leaves nothing behind."""
    if app.config["BACKEND"] == "sqlite":
        pytest.skip("SQLite rebuilds the file from committed rows only")
    from consulta.services import retention_storage

    monkeypatch.setattr(retention_storage, "SNAPSHOT_WAIT", 2)
    monkeypatch.setattr(retention_storage, "LOCK_TIMEOUT", "1s")
    with app.app_context():
        snapshot = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        locker = db.engine.connect()
        try:
            snapshot.execute(select(Consultation.id)).all()  # a snapshot older than the deletion
            locker.execute(select(LearnedModel.id)).all()  # holds learned_model until it ends
            output = run(app)
        finally:
            snapshot.close()
            locker.close()
    warning = output.split("WARNING", 1)[1]
    assert "learned_model locked by a long transaction, not compacted" in warning
    assert "old row versions still visible to open transactions were kept (answer " in warning
    assert holding(app, GONE)
    again = run(app, "--compact")
    assert "nothing to delete" in again and "WARNING" not in again
    assert holding(app, GONE) == []


def test_recoding_after_retention_leaves_deleted_texts_and_their_counts_alone(app, client, world):
    run(app)
    counts = overview_counts(client, world["past"])
    result = app.test_cli_runner().invoke(args=["analysis", "retag", "--force"])
    assert result.exit_code == 0, result.output
    assert overview_counts(client, world["past"]) == counts
    with app.app_context():
        values = db.session.scalars(
            select(Answer.value)
            .join(Submission, Answer.submission_id == Submission.id)
            .join(Encounter, Submission.encounter_id == Encounter.id)
            .where(Encounter.consultation_id == world["past"], Answer.codebook_version.is_not(None))
        ).all()
    assert values and all(v is None for v in values)


def test_alert_details_past_their_keeping_period_are_purged_on_the_same_run(app, client, world):
    later = (date.today().replace(day=1) + timedelta(days=62)).isoformat()  # > ALERT_DETAIL_DAYS
    result = app.test_cli_runner().invoke(args=["retention", "apply", "--today", later])
    assert result.exit_code == 0, result.output
    assert "Alert details past their keeping period purged: 2" in result.output
    with app.app_context():
        alerts = db.session.scalars(select(Alert)).all()
        assert len(alerts) == 2 and all(a.tablet_label is None for a in alerts)
