"""Command line: `flask users|instruments|sessions|demo ...`. Thin wrappers over services."""

from __future__ import annotations

import os
from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .instruments.definition import InstrumentError
from .models import ROLES, Consultation
from .profiles import POPULATION_GROUPS
from .services import accounts, encounters, instruments

users_cli = AppGroup("users", help="Staff accounts.")
instruments_cli = AppGroup("instruments", help="Questionnaire versions.")
sessions_cli = AppGroup("sessions", help="Facilitated sessions (encuentros).")
demo_cli = AppGroup("demo", help="Demo data for a first look.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
def create_user(email: str, role: str) -> None:
    """Create a staff account; the password comes from CONSULTA_PASSWORD or a prompt."""
    password = os.environ.get("CONSULTA_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = accounts.create_user(email, role, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}")


@instruments_cli.command("load")
def load_instruments() -> None:
    """Load every YAML in consulta/instruments/ (new versions only; stored ones are immutable)."""
    try:
        report = instruments.load_definitions()
    except InstrumentError as exc:
        raise click.ClickException(str(exc)) from exc
    for label in report.added:
        click.echo(f"loaded    {label}")
    for label in report.unchanged:
        click.echo(f"unchanged {label}")


@sessions_cli.command("create")
@click.option("--instrument", "slug", required=True, help="Instrument slug, e.g. ninez.")
@click.option("--territory", type=int, required=True, help="Comuna/corregimiento code.")
@click.option("--population", type=click.Choice(POPULATION_GROUPS), required=True)
@click.option("--consultation", "consultation_title", help="Consultation title (default: newest).")
@click.option("--date", "held_on", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
@click.option("--expected", type=int, default=20, show_default=True)
@click.option(
    "--guardian-authorisations-held",
    is_flag=True,
    help="Confirm that guardians' authorisations for minors are held outside the system.",
)
def create_session(
    slug, territory, population, consultation_title, held_on, expected, guardian_authorisations_held
) -> None:
    """Create an open session; the join code is the last line printed."""
    instrument = instruments.latest_version(slug)
    if instrument is None:
        raise click.ClickException(f"No instrument {slug!r}; run 'flask instruments load' first")
    consultation = _consultation(consultation_title)
    data = encounters.EncounterInput(
        consultation_id=consultation.id,
        instrument_id=instrument.id,
        held_on=held_on.date() if held_on else date.today(),
        territory_code=territory,
        population=population,
        expected_participants=expected,
        guardian_authorisation_confirmed=guardian_authorisations_held,
    )
    try:
        encounter = encounters.create_encounter(data)
    except encounters.EncounterError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Session for {instrument.slug} v{instrument.version}, territory {territory}")
    click.echo(encounter.code)


def _consultation(title: str | None) -> Consultation:
    query = db.select(Consultation)
    if title:
        found = db.session.scalar(query.filter_by(title=title))
    else:
        found = db.session.scalar(query.order_by(Consultation.id.desc()).limit(1))
    if found is None:
        raise click.ClickException(
            "No such consultation; create one first (or run 'flask demo load')"
        )
    return found


@demo_cli.command("load")
def load_demo() -> None:
    """Demo consultation, staff logins and an open session, for a first look (idempotent)."""
    from .services import demo

    result = demo.load()
    click.echo(f"Demo staff logins (password for all: {demo.DEMO_PASSWORD}):")
    for email, role in result.logins:
        click.echo(f"  {role:13} {email}")
    click.echo(f"Demo session join code: {result.code}  ->  /k/{result.code}")


def register(app: Flask) -> None:
    from .analyze.cli import analysis_cli
    from .retention_cli import retention_cli

    for group in (users_cli, instruments_cli, sessions_cli, demo_cli, analysis_cli, retention_cli):
        app.cli.add_command(group)
