"""`flask --app wsgi webhooks deliver` (cron, every minute) and
`flask --app wsgi api purge-idempotency-keys` (cron, daily)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.api import idempotency, webhooks

api_cli = AppGroup("api", help="JSON API housekeeping.")
webhooks_cli = AppGroup("webhooks", help="Outgoing webhooks.")


@webhooks_cli.command("deliver")
@click.option("--limit", type=int, default=500, help="At most this many deliveries in one run.")
def deliver_command(limit: int) -> None:
    """Send every webhook delivery that is due (first attempts that failed, and retries). With
    REDIS_URL the queue's jobs send them: this enqueues the overdue ones that no job holds."""
    from marketplace import jobs

    if jobs.queue_enabled():
        click.echo(f"{webhooks.enqueue_due(limit=limit)} webhook deliveries enqueued.")
        return
    count = webhooks.deliver_due(limit=limit)
    webhooks.join_background_attempts()
    click.echo(f"{count} webhook deliveries attempted.")


@api_cli.command("purge-idempotency-keys")
@click.option("--hours", type=int, default=idempotency.KEEP_HOURS, help="Keep keys younger than this (≥ 24).")
def purge_command(hours: int) -> None:
    """Delete Idempotency-Key records older than 24 hours (or --hours, never less)."""
    click.echo(f"{idempotency.purge(hours=hours)} idempotency keys deleted.")
