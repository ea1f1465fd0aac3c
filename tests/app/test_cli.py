"""The flask commands: accounts, instruments, sessions, demo data."""

from __future__ import annotations

from pathlib import Path

import yaml

from consulta.extensions import db
from consulta.models import Encounter, Instrument, User
from consulta.services.encounters import CODE_ALPHABET


def test_users_create_reads_the_password_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("CONSULTA_PASSWORD", "a long enough password")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Ana@Example.org", "--role", "analyst"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "ana@example.org" and user.role == "analyst"


def test_users_create_refuses_unknown_roles_and_short_passwords(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("CONSULTA_PASSWORD", "a long enough password")
    assert runner.invoke(args=["users", "create", "a@b.co", "--role", "king"]).exit_code != 0
    monkeypatch.setenv("CONSULTA_PASSWORD", "short")
    result = runner.invoke(args=["users", "create", "a@b.co", "--role", "admin"])
    assert result.exit_code != 0 and "12" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_instruments_load_is_idempotent_and_versions_are_immutable(app, tmp_path, monkeypatch):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["instruments", "load"])
    assert result.exit_code == 0 and "unchanged ninez v1" in result.output
    source = Path(app.root_path) / "instruments" / "ninez.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["questions"][0]["prompt"]["es"] += " (cambiada)"
    from consulta.instruments.definition import InstrumentDefinition
    from consulta.services import instruments

    changed = InstrumentDefinition.from_dict(data)
    with app.app_context():
        try:
            instruments.load_definitions([changed])
        except ValueError as exc:
            assert "immutable" in str(exc)
        else:
            raise AssertionError("a changed version was accepted")
        data["version"] = changed.version + 1
        report = instruments.load_definitions([InstrumentDefinition.from_dict(data)])
        assert report.added == [f"ninez v{changed.version + 1}"]
        assert db.session.query(Instrument).filter_by(slug="ninez").count() == 2


def test_sessions_create_prints_the_join_code_last(app, consultation):
    result = app.test_cli_runner().invoke(
        args=[
            "sessions",
            "create",
            "--instrument",
            "adolescencia",
            "--territory",
            "13",
            "--population",
            "adolescencia",
            "--guardian-authorisations-held",
        ]
    )
    assert result.exit_code == 0, result.output
    code = result.output.strip().splitlines()[-1]
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    with app.app_context():
        encounter = db.session.scalar(db.select(Encounter).filter_by(code=code))
        assert encounter.territory_code == 13 and encounter.is_open


def test_sessions_create_refuses_bad_input(app, consultation):
    runner = app.test_cli_runner()
    bad = [
        ["--instrument", "nope", "--territory", "13", "--population", "actores"],
        ["--instrument", "actores", "--territory", "17", "--population", "actores"],
        ["--instrument", "ninez", "--territory", "60", "--population", "ninez"],  # no guardian flag
    ]
    for args in bad:
        result = runner.invoke(args=["sessions", "create", *args])
        assert result.exit_code != 0 and "Error" in result.output
    with app.app_context():
        assert db.session.query(Encounter).count() == 0


def test_demo_load_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.output.splitlines()[-1] == second.output.splitlines()[-1]
    with app.app_context():
        assert db.session.query(User).count() == 4


def test_demo_shows_an_earlier_session_with_ideas_on_the_wall(app):
    """`make run` opens on pages with something to show: coded answers, ideas, plan replies."""
    from consulta.models import Idea, LineResponse, Submission

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.query(Submission).count() == 18  # loaded once, not twice
        approved = db.session.query(Idea).filter_by(status="approved").all()
        assert approved and all(idea.line for idea in approved)
        assert db.session.query(LineResponse).count() >= 1
        consultation_id = approved[0].consultation_id
    wall = app.test_client().get(f"/ideas/{consultation_id}")
    assert wall.status_code == 200
    assert "talleres de música" in wall.get_data(as_text=True)
