"""`flask search reindex`: rebuild the search index (atomically, with a progress bar)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

search_cli = AppGroup("search", help="Search index tasks.")


@search_cli.command("reindex")
@click.option("--if-missing", is_flag=True, help="Only build the index when there is none yet.")
def reindex_command(if_missing: bool) -> None:
    """Rebuild the search index from the database; searches keep working meanwhile."""
    from marketplace import search

    if if_missing and search.index_exists():
        click.echo("Search index present; nothing to do.")
        return
    from marketplace.extensions import db
    from marketplace.search.documents import count_products

    with db.engine.connect() as conn:
        total = count_products(conn)
    with click.progressbar(length=total, label=f"Indexing {total} products") as bar:
        indexed = search.rebuild(progress=bar.update)
    click.echo(f"Indexed {indexed} products ({search.backend().name}).")


def init_app(app: Flask) -> None:
    app.cli.add_command(search_cli)
