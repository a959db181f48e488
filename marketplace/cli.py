"""Command-line tasks: `flask --app wsgi seed-demo`, ..."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from marketplace.extensions import db


@click.command("seed-demo")
@click.option(
    "--products",
    "generated",
    type=int,
    default=0,
    help="Also add this many generated products spread over all provinces and groups.",
)
@click.option("--seed", type=int, default=2025, help="Random seed for generated products.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the catalogue already has products.")
def seed_demo_command(generated: int, seed: int, if_empty: bool) -> None:
    """Load the hand-written demo catalogue (and optionally generated products)."""
    from marketplace import demo
    from marketplace.catalog.models import Product

    if if_empty and db.session.scalar(select(func.count(Product.id))):
        click.echo("Demo data already loaded; keeping the existing data.")
        return
    summary = demo.load_demo()
    click.echo(f"Loaded {summary}.")
    accounts = demo.create_demo_accounts()
    demo.prepare_wholesale_demo()
    db.session.commit()
    click.echo(f"Demo accounts (password {demo.DEMO_PASSWORD}): {', '.join(accounts.values())}.")
    if generated:
        count = demo.generate_products(generated, seed=seed)
        click.echo(f"Generated {count} products (seed {seed}).")
    # The loader writes with bulk statements, which the search index does not follow.
    from marketplace import search

    indexed = search.rebuild()
    click.echo(f"Search index rebuilt ({indexed} products).")


def init_app(app: Flask) -> None:
    from marketplace.accounts.cli import create_admin_command
    from marketplace.orders.cli import orders_cli

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(orders_cli)
    app.cli.add_command(create_admin_command)
    from marketplace.certification.cli import certificates_cli

    app.cli.add_command(certificates_cli)
    from marketplace.reports.cli import ledger_cli

    app.cli.add_command(ledger_cli)
    from marketplace.api.cli import api_cli, webhooks_cli

    app.cli.add_command(api_cli)
    app.cli.add_command(webhooks_cli)
    from marketplace.payouts.cli import payouts_cli

    app.cli.add_command(payouts_cli)
