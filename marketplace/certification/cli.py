"""`flask --app wsgi certificates ...`: certificate tasks meant for cron."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

certificates_cli = AppGroup("certificates", help="OCOP certificate tasks.")


@certificates_cli.command("remind")
@click.option(
    "--today",
    "today_text",
    metavar="YYYY-MM-DD",
    help="Act as if today (in Vietnam) were this date (for tests and catching up).",
)
def remind_command(today_text: str | None) -> None:
    """E-mail producers 60 and 30 days before a verified certificate expires (each reminder once;
    run daily)."""
    from marketplace.certification.services import send_expiry_reminders
    from marketplace.extensions import db

    today = None
    if today_text:
        try:
            today = datetime.strptime(today_text, "%Y-%m-%d").date()
        except ValueError as error:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    sent = send_expiry_reminders(today)
    db.session.commit()
    for reminder in sent:
        click.echo(
            f"{reminder.days_before}-day reminder: certificate {reminder.certificate_number} "
            f"({reminder.product_name}) expires in {reminder.days_left} days; "
            f"sent to {', '.join(reminder.addresses) or 'nobody'}"
        )
    click.echo(f"Sent {len(sent)} reminder(s).")
