"""`flask create-admin EMAIL`: an administrator account (the password is prompted, never an argument)."""

from __future__ import annotations

import click

from marketplace.accounts import services
from marketplace.accounts.messages import error_message
from marketplace.extensions import db
from marketplace.timeutil import utcnow


@click.command("create-admin")
@click.argument("email")
@click.password_option("--password", prompt="Password", help="Prompted when not given.")
def create_admin_command(email: str, password: str) -> None:
    """Create an administrator, or make an existing account one."""
    user = services.find_user(email)
    if user is not None:
        user.is_admin = True
        db.session.commit()
        click.echo(f"{user.email} is now an administrator (password unchanged).")
        return
    try:
        user = services.create_user(email, password, is_admin=True)
    except services.AccountError as error:
        raise click.ClickException(error_message(error.code)) from error
    user.email_confirmed_at = utcnow()
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")
