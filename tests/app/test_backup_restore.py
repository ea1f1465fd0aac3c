"""scripts/db_backup.py on both databases: back up, change and delete data, restore, and find
exactly the original rows again."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consulta import create_app
from consulta.config import database_url
from consulta.extensions import db
from consulta.models import Answer, Consultation, Submission
from consulta.services import instruments

from .helpers import make_session, submission

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "db_backup.py"
SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def run_script(*args: str, url: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--database-url", url, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def fill(url: str) -> None:
    """A consultation, an open session and two submissions, stored through the tablet API."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "backup-test"})
    with app.app_context():
        db.create_all()
        instruments.load_definitions()
        row = Consultation(title="Respaldo", purpose="Probar", retention_until=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        consultation = row.id
    code = make_session(app, consultation)
    client = app.test_client()
    for text_ in ("Más parques con luz", "Que nos escuchen en el colegio"):
        body = submission(client, code, text_)
        assert client.post(f"/api/v1/sessions/{code}/submissions", json=body).status_code == 201
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in db.metadata.sorted_tables:
                rows = conn.execute(table.select()).all()
                out[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
            return out
    finally:
        engine.dispose()


def damage(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(Answer.__table__.delete())
            conn.execute(Submission.__table__.delete())
            conn.execute(text("UPDATE consultation SET title = 'cambiado'"))
    finally:
        engine.dispose()


def written_file(output: str) -> Path:
    match = re.search(r"-> (\S+) \(", output)
    assert match, output
    path = Path(match.group(1))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


def check_round_trip(url: str, tmp_path: Path) -> None:
    fill(url)
    original = snapshot(url)
    assert len(original["submission"]) == 2 and original["answer"]
    output = run_script("backup", "--dir", str(tmp_path / "backups"), url=url)
    assert "submission=2" in output
    file = written_file(output)
    damage(url)
    assert snapshot(url) != original
    refused = subprocess.run(
        [sys.executable, str(SCRIPT), "--database-url", url, "restore", str(file)],
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr  # no restore by accident
    restored = run_script("restore", str(file), "--yes", url=url)
    assert "submission=2" in restored
    assert snapshot(url) == original


def test_sqlite_backup_and_restore(tmp_path):
    check_round_trip(f"sqlite:///{tmp_path / 'consulta.db'}", tmp_path)


def test_sqlite_backup_is_consistent_while_the_app_writes(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    path = tmp_path / "busy.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE consultation (id INTEGER PRIMARY KEY, title TEXT)")
    stop = threading.Event()

    def write() -> None:
        with sqlite3.connect(path, timeout=30) as conn:
            while not stop.is_set():
                conn.execute("INSERT INTO consultation (title) VALUES (?)", ("x" * 500,))
                conn.commit()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        file = written_file(run_script("backup", "--dir", str(tmp_path / "b"), url=url))
    finally:
        stop.set()
        writer.join()
    with sqlite3.connect(file) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM consultation").fetchone()[0] > 0


def _server_major(conn) -> int:
    return int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000


@pytest.fixture
def scratch_pg():
    """A database of its own on the test server, created and dropped by the test."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore absent: install postgresql-client (see .ci/run)")
    admin_url = database_url(SERVER, "/tmp")
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            major = _server_major(conn)
    except Exception as exc:  # no server here
        pytest.skip(f"no PostgreSQL at {SERVER}: {type(exc).__name__}")
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    assert int(re.search(r"(\d+)\.", client).group(1)) >= major, (
        f"pg_dump ({client.strip()}) is older than the server ({major}): install its client"
    )
    name = f"consulta_backup_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_backup_and_restore(scratch_pg, tmp_path):
    check_round_trip(scratch_pg, tmp_path)
