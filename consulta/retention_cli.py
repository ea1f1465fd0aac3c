"""`flask retention apply`: delete free texts past their consultation's retention date.

Meant for a daily cron (or systemd timer) outside session hours: see services/retention.py for
what goes and what stays, and services/retention_storage.py for why the files are compacted.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

retention_cli = AppGroup("retention", help="Deleting free texts past their retention date.")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; change nothing.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Apply as if today were this day (default: today in Medellín).",
)
@click.option(
    "--compact",
    is_flag=True,
    help="Compact the database files even if nothing is deleted now (after an interrupted run).",
)
def apply_command(dry_run: bool, today, compact: bool) -> None:
    """Delete the free texts of consultations past their date; keep codes and counts."""
    from .services import retention

    report = retention.apply(
        today=today.date() if today else None, dry_run=dry_run, compact=compact
    )
    for line in report_lines(report):
        click.echo(line)


def report_lines(report) -> list[str]:
    verb = "would be deleted" if report.dry_run else "deleted"
    out = [
        f"Retention as of {report.today.isoformat()}"
        + (" (dry run: nothing is changed)" if report.dry_run else "")
    ]
    if not report.consultations:
        out.append("No consultation is past its retention date: nothing to delete.")
    for c in report.consultations:
        out.append(
            f'Consultation #{c.id} "{c.title}" (keep until {c.retention_until.isoformat()}):'
        )
        if not c.deleted_anything:
            out.append("  nothing to delete")
            continue
        out.append(f"  answer texts {verb}: {c.answers}")
        out.append(f"  relatoría note texts {verb}: {c.notes}")
        approved = ", ".join(f"{line} {n}" for line, n in c.approved_ideas.items()) or "none"
        out.append(f"  ideas {verb}: {c.ideas} (approved, by line: {approved})")
        out.append(f"  idea supports {verb}: {c.supports}")
        out.append(f"  alert action notes {verb}: {c.alert_notes}")
        out.append(f"  search words {verb} from export logs: {c.export_searches}")
        out.append(f"  submission content hashes {verb}: {c.fingerprints}")
        out.append(
            f"  open sessions {'to close' if report.dry_run else 'closed'}: {c.sessions_closed}"
        )
        models = ", ".join(f"#{m}" for m in c.learned_models) or "none"
        out.append(f"  learned models {'to drop' if report.dry_run else 'dropped'}: {models}")
    if report.not_due:
        out.append(f"Not yet past their date: {report.not_due} consultation(s), untouched.")
    if report.dry_run:
        return out
    if report.alert_details_purged is None:
        out.append("Alert details: not purged (alert care is not installed).")
    else:
        out.append(f"Alert details past their keeping period purged: {report.alert_details_purged}")
    if report.compacted:
        out.append(f"Storage: {report.compacted}")
    elif report.consultations:
        out.append("Storage: nothing deleted, files not compacted.")
    return out
