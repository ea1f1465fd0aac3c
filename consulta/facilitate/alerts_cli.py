"""`flask alerts purge`: drop safeguarding alert details older than ALERT_DETAIL_DAYS."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..services import alert_care

alerts_cli = AppGroup("alerts", help="Safeguarding alerts.")


@alerts_cli.command("purge")
def purge() -> None:
    """Remove tablet, reasons, time and what was done from old alerts; the counts stay."""
    days = current_app.config["ALERT_DETAIL_DAYS"]
    purged = alert_care.purge_expired_details()
    counts = alert_care.counts()
    click.echo(f"purged {purged} alert(s) older than {days} days")
    click.echo(f"alerts kept for counts: {counts.total} ({counts.open} open)")
