"""Engine tuning: SQLite gets WAL and a busy timeout so that a tablet room does not lock it; a
store that vanishes after a request's answer is built does not turn that answer into a 500."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from .extensions import db

log = logging.getLogger(__name__)


def configure_engine(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in
    # reverse order) and leaves that one nothing to do.
    app.teardown_appcontext(_end_session)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine
    # A writer waits this long for another's lock, then the request answers 503 (resend later).
    busy_ms = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _end_session(_exc: BaseException | None) -> None:
    """Ending a request rolls its session back. If PostgreSQL restarted after the response was
    built, that ROLLBACK fails; the response stands, and the dead connection is discarded."""
    try:
        db.session.remove()
    except DBAPIError as exc:
        log.warning("database gone while ending a request: %s", type(exc.orig).__name__)
        try:
            db.session.registry().invalidate()  # close without another ROLLBACK
        except DBAPIError:
            pass
        db.session.registry.clear()
