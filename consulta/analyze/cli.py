"""`flask analysis ...`: recode stored texts with the current codebook."""

from __future__ import annotations

import click
from flask.cli import AppGroup

analysis_cli = AppGroup("analysis", help="Coding of stored texts.")


@analysis_cli.command("retag")
@click.option(
    "--force", is_flag=True, help="Recode every text, even those already coded with this codebook."
)
def retag_command(force: bool) -> None:
    """Recode stored texts with the current codebook (resumable; analysts' codings kept)."""
    from ..services import retagging

    total = retagging.pending_count(force)
    with click.progressbar(length=total, label="Recoding", show_pos=True) as bar:
        report = retagging.retag(force=force, progress=bar.update)
    click.echo(f"Codebook version: {report.codebook_version}")
    click.echo(f"Texts examined: {report.examined}")
    click.echo(f"Texts whose automatic coding changed: {report.recoded}")
    click.echo(f"Texts whose effective lines changed: {report.lines_changed}")
    for line, count in sorted(report.changed_by_line.items()):
        click.echo(f"  {line}: {count}")
    if report.newly_redacted:
        click.echo(f"Texts with newly redacted personal data: {report.newly_redacted}")
