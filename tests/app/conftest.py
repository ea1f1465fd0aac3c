"""App fixtures: each test gets an empty database, on SQLite and, when TEST_DATABASE_URL names a
PostgreSQL database, on PostgreSQL as well (the same tests run once per backend)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import text

from consulta import create_app
from consulta.config import database_url
from consulta.extensions import db
from consulta.models import Consultation
from consulta.services import instruments

from .helpers import make_session

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path / 'consulta.db'}"
    else:
        uri = database_url(os.environ["TEST_DATABASE_URL"], str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": True,
            # Cheaper Argon2id for speed; production keeps argon2-cffi's defaults.
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8192,
        }
    )
    app.config["BACKEND"] = request.param
    app.config["DB_FILE"] = tmp_path / "consulta.db"
    with app.app_context():
        _reset_schema()
        instruments.load_definitions()
    yield app
    with app.app_context():
        db.session.remove()
        if request.param != "sqlite":
            db.drop_all()
        db.engine.dispose()
    from consulta.extensions import limiter

    limiter.reset()


def _reset_schema() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.create_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def consultation(app):
    with app.app_context():
        row = Consultation(
            title="Diálogos de prueba", purpose="Probar", retention_until=date(2030, 1, 1)
        )
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def session_code(app, consultation):
    return make_session(app, consultation)
