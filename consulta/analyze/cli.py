"""`flask analysis ...`: recode stored texts; learn a line classifier from analysts."""

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


@analysis_cli.command("train")
def train_command() -> None:
    """Learn a line classifier from analysts' codings; activate it only if it beats the rules."""
    from ..services import learning
    from ..services.text_analysis import current_codebook

    report = learning.train(current_codebook())
    click.echo(f"Codebook version: {report.codebook_version}")
    click.echo(f"Reviewed texts: {report.reviewed}")
    if report.too_few:
        click.echo(
            f"Too few reviewed texts to learn from (need {learning.MIN_REVIEWED}). "
            "Nothing changed; the rules keep coding."
        )
        return
    click.echo(
        f"Trained on: {report.trained_on} · held out: {report.held_out} (seed {learning.SEED})"
    )
    click.echo(f"{'line':<5} {'support':>7}  {'rules P/R/F1':>20}  {'model P/R/F1':>20}")
    for row in report.per_line:
        note = "  (too few examples: model keeps the rules)" if row["rules_only"] else ""
        click.echo(
            f"{row['line']:<5} {row['support']:>7}  {_prf(row['rules']):>20}  "
            f"{_prf(row['model']):>20}{note}"
        )
    click.echo(
        f"Macro-F1 on held-out texts: rules {_num(report.rules_macro_f1)}, "
        f"model {_num(report.model_macro_f1)}"
    )
    for model_id in report.deactivated:
        click.echo(f"Deactivated learned model #{model_id}.")
    if report.beats_rules:
        click.echo(
            f"The learned model beats the rules: stored and activated as model #{report.model_id}. "
            "New texts are coded with it; run `flask analysis retag --force` to recode stored texts."
        )
    else:
        click.echo(
            f"The learned model does not beat the rules (by more than {learning.MARGIN}): stored as "
            f"model #{report.model_id} for the record, not used. The rules keep coding."
        )


def _num(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _prf(figures: dict) -> str:
    return "/".join(_num(figures[k]) for k in ("precision", "recall", "f1"))
