"""Making deleted texts leave the database files, not just the tables.

An UPDATE or DELETE does not erase bytes. SQLite leaves the old cell in a free block of its page
(and in the write-ahead log); PostgreSQL keeps the old tuple version until a VACUUM, and a plain
VACUUM only marks the space reusable: measured on PostgreSQL 15 with pageinspect, 44 of 100
marker strings were still in the table's pages after ``VACUUM``, none after ``VACUUM FULL``.

So: SQLite deletes with ``secure_delete`` (freed space is zeroed), then ``VACUUM`` rebuilds the
file and ``wal_checkpoint(TRUNCATE)`` empties the log. PostgreSQL runs ``VACUUM (FULL, ANALYZE)``
on the tables retention touches (it rewrites them and their TOAST tables, rebuilds their indexes,
and replaces the column statistics, which sample text values), and, when allowed, on
``pg_statistic`` too. ``VACUUM FULL`` locks each table while it is rewritten (seconds at 100,000
answers): run retention outside sessions. What PostgreSQL cannot undo from here: its WAL segments
(``pg_wal``, recycled after checkpoints), WAL archives, replicas' history and backups keep the
old pages until they age out; the backup policy must expire them within the retention promise.
"""

from __future__ import annotations

from ..extensions import db

# The tables whose rows retention changes (texts, offsets, ideas, notes, models).
TOUCHED = (
    "answer",
    "relatoria_note",
    "idea",
    "idea_support",
    "safeguarding_alert",
    "learned_model",
)
LOCK_TIMEOUT = "60s"  # fail rather than wait forever behind a long transaction


def zero_freed_space() -> None:
    """SQLite: this transaction's connection overwrites deleted content with zeros."""
    if db.engine.dialect.name == "sqlite":
        db.session.connection().exec_driver_sql("PRAGMA secure_delete = ON")


def compact() -> str:
    """Rewrite the files that held the deleted texts; returns what was done, in words."""
    db.session.commit()  # no transaction of ours may hold the tables
    db.session.close()
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
    done, skipped = [], []
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        for table in TOUCHED:
            conn.exec_driver_sql(f'VACUUM (FULL, ANALYZE) "{table}"')
            done.append(table)
        # Only a superuser may (others get a warning and nothing happens); the statistics of the
        # touched tables were replaced by ANALYZE either way, only the old rows linger there.
        if conn.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar():
            conn.exec_driver_sql("VACUUM FULL pg_catalog.pg_statistic")
            done.append("pg_statistic")
        else:
            skipped.append("pg_statistic (needs a superuser)")
    text = "PostgreSQL: VACUUM (FULL, ANALYZE) on " + ", ".join(done)
    if skipped:
        text += "; skipped " + ", ".join(skipped)
    return text + "; WAL segments and backups keep old pages until they expire"
