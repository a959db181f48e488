"""`flask --app wsgi orders ...`: order tasks meant for cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Order tasks.")


@orders_cli.command("expire")
def expire_command() -> None:
    """Cancel card orders not paid within the payment window and give their stock back."""
    from marketplace.orders.services import expire_unpaid_orders

    references = expire_unpaid_orders()
    click.echo(
        f"Expired {len(references)} unpaid card order(s){': ' + ', '.join(references) if references else '.'}"
    )


@orders_cli.command("remind-producers")
def remind_producers_command() -> None:
    """E-mail producers whose order parts have waited longer than PRODUCER_ACCEPTANCE_REMINDER_HOURS
    for acceptance (once per part)."""
    from marketplace.orders.producer_notices import remind_producers

    parts = remind_producers()
    click.echo(f"Reminded {len(parts)} order part(s){': ' + ', '.join(parts) if parts else '.'}")
