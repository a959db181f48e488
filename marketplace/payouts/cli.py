"""`flask --app wsgi payouts run`: the weekly payout run (cron), or one for a given period end."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import AppGroup

payouts_cli = AppGroup("payouts", help="Producer payouts.")


@payouts_cli.command("run")
@click.option(
    "--period-end",
    "period_end",
    default=None,
    help="Last day included (YYYY-MM-DD); default: yesterday in Vietnam.",
)
def run_command(period_end: str | None) -> None:
    """Make the payout run for a period end (idempotent: an existing run is reported, not redone)."""
    from marketplace.extensions import db
    from marketplace.payouts import services
    from marketplace.timeutil import today_in_vietnam

    day = date.fromisoformat(period_end) if period_end else today_in_vietnam() - timedelta(days=1)
    try:
        run = services.run_payouts(day, actor="cli")
    except services.PayoutError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    run = services.run_or_none(run.id)
    due = sum(s.net_vnd for s in run.statements if s.status == "due")
    click.echo(
        f"Payout run {run.id} to {run.period_end.isoformat()}: "
        f"{len(run.statements)} statement(s), {due} VND due."
    )
