"""`flask --app wsgi ledger ...`: the sales ledger's command-line tasks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

ledger_cli = AppGroup("ledger", help="The sales ledger.")


@ledger_cli.command("check")
def check_command() -> None:
    """Recompute every order part's sales figure from its state and compare it with the ledger;
    print every difference and exit with status 1 if there is any."""
    from marketplace.reports import summaries
    from marketplace.reports.check import check_ledger

    result = check_ledger()
    drift = summaries.differences()  # the monthly summaries must sum the ledger as it stands
    for difference in result.differences:
        click.echo(difference.describe())
    for row_id in result.inconsistent_rows:
        click.echo(f"ledger row {row_id} disagrees with its order part (producer, order, channel or line)")
    for line in drift:
        click.echo(line)
    if drift:
        click.echo(f"{len(drift)} summary row(s) disagree with the ledger.", err=True)
    if not result.ok:
        click.echo(
            f"{len(result.differences)} part(s) differ, {len(result.inconsistent_rows)} row(s) inconsistent.",
            err=True,
        )
    if drift or not result.ok:
        raise SystemExit(1)
    click.echo(f"The ledger agrees with all {result.parts_checked} order parts ({result.rows} rows).")
