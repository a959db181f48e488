"""Background work: a job enqueued inside a transaction runs after that transaction commits.

With `REDIS_URL` set, jobs go to an RQ queue over Redis: `flask --app wsgi jobs worker` runs them
(with RQ's scheduler, which brings back jobs retried with backoff), `flask --app wsgi jobs cron`
enqueues the periodic tasks of `SCHEDULE`, and a job that has used up its retries stays in RQ's
failed job registry, listed at /admin/jobs where an administrator can retry it. Without
`REDIS_URL` (the embedded default, and most tests) a job runs inline, in this process, right after
the commit.

A job is named by its import path, "marketplace.module:function", so any domain can enqueue any
other domain's work without importing it (no import cycle). It runs in an application context with
its own database session, committed when the function returns and rolled back when it raises.
Jobs must be idempotent: RQ runs a job at least once, and again when a worker died mid-job.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import click
from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.extensions import db

_PENDING = "jobs_after_commit"
_threads: list[threading.Thread] = []  # inline jobs started in a thread (tests join them)
# A job runs at most this long before RQ stops it (and counts a failure).
JOB_TIMEOUT_SECONDS = 600

# The periodic tasks (`flask --app wsgi jobs cron`), as cron expressions in UTC. Each is the job
# behind the matching `flask --app wsgi ...` command, which stays for running a task by hand.
SCHEDULE = (
    ("orders-expire", "marketplace.orders.services:expire_unpaid_orders", "* * * * *"),
    ("webhooks-sweep", "marketplace.api.webhooks:enqueue_due", "* * * * *"),
    ("producers-remind", "marketplace.orders.producer_notices:remind_producers", "15 * * * *"),
    # 01:00 UTC is 08:00 in Vietnam: reminders arrive in the morning.
    ("certificates-remind", "marketplace.certification.services:send_expiry_reminders", "0 1 * * *"),
    ("idempotency-purge", "marketplace.api.idempotency:purge", "30 19 * * *"),
    # Monday 18:00 UTC (01:00 Tuesday in Vietnam): the week to Monday, yesterday in Vietnam.
    ("payouts-run", "marketplace.payouts.services:run_weekly_payouts", "0 18 * * 1"),
)


@dataclass(frozen=True)
class JobRequest:
    target: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    job_id: str | None = None
    retry_intervals: tuple[int, ...] = ()  # seconds before each retry (RQ mode)
    inline_thread: bool = False  # inline mode: run in a thread, not in the committing request


# ---------------------------------------------------------------------------------------------
# Enqueueing


def enqueue(
    target: str,
    *args,
    job_id: str | None = None,
    retry_intervals: tuple[int, ...] = (),
    inline_thread: bool = False,
    session: Session | None = None,
    **kwargs,
) -> None:
    """Run `target(*args, **kwargs)` once the current transaction commits (never if it rolls back).

    `job_id` makes the job unique in the queue (enqueued twice, it still runs as one job);
    `retry_intervals` are the delays before each retry after a failure (RQ mode)."""
    resolve(target)  # a misspelt job fails here, in the change that asked for it
    request = JobRequest(target, tuple(args), dict(kwargs), job_id, tuple(retry_intervals), inline_thread)
    session = session if session is not None else db.session()
    if not session.in_transaction():
        # Begun here, so that a rollback before any statement still ends it (and voids the job).
        session.begin()
    session.info.setdefault(_PENDING, []).append(request)


def enqueue_now(
    target: str, *args, job_id: str | None = None, retry_intervals: tuple[int, ...] = (), **kwargs
) -> None:
    """Send a job at once, outside any transaction (periodic sweeps, an administrator's retry)."""
    resolve(target)
    dispatch(
        current_app._get_current_object(),
        JobRequest(target, tuple(args), dict(kwargs), job_id, tuple(retry_intervals)),
    )


def queue_enabled(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("REDIS_URL"))


def dispatch(app: Flask, request: JobRequest) -> None:
    if queue_enabled(app):
        _enqueue_on_rq(app, request)
    elif request.inline_thread:
        thread = threading.Thread(target=_perform_inline, args=(app, request), name="job", daemon=True)
        _threads[:] = [t for t in _threads if t.is_alive()]  # a web process lives long: forget the done
        _threads.append(thread)
        thread.start()
    else:
        _perform_inline(app, request)


def join_inline_threads(timeout: float = 10) -> None:
    """Wait for the inline jobs started in threads (tests, and CLI commands before they exit)."""
    while _threads:
        _threads.pop().join(timeout)


def _perform_inline(app: Flask, request: JobRequest) -> None:
    # A new application context: the job gets its own session, as it would in a worker.
    with app.app_context():
        try:
            perform(request.target, request.args, request.kwargs)
        except Exception:
            app.logger.exception("job %s failed", request.target)


def _enqueue_on_rq(app: Flask, request: JobRequest) -> None:
    from rq import Retry

    options: dict = {"job_timeout": JOB_TIMEOUT_SECONDS, "description": request.target}
    if request.job_id:
        options["job_id"] = request.job_id
    if request.retry_intervals:
        options["retry"] = Retry(max=len(request.retry_intervals), interval=list(request.retry_intervals))
    try:
        queue(app).enqueue(perform, request.target, request.args, request.kwargs, **options)
    except Exception:
        # The change is committed; what it asked for must be found again (webhooks: the
        # every-minute sweep re-enqueues pending deliveries). Logged, never raised into the caller.
        app.logger.exception("job %s not enqueued", request.target)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    app = current_app._get_current_object()
    for request in pending:
        dispatch(app, request)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: its jobs are void
        session.info.pop(_PENDING, None)


def install() -> None:
    """Listen to every ORM session (idempotent)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


# ---------------------------------------------------------------------------------------------
# Running


def resolve(target: str) -> Callable:
    module_name, _, name = target.partition(":")
    if not module_name.startswith("marketplace.") or not name:
        raise ValueError(f"a job is 'marketplace.module:function', not {target!r}")
    return getattr(importlib.import_module(module_name), name)


def perform(target: str, args: tuple | list = (), kwargs: dict | None = None):
    """What the worker runs for every job: the function, then commit (or roll back if it raised).
    Needs an application context (the worker command and the inline path push one)."""
    function = resolve(target)
    try:
        result = function(*args, **(kwargs or {}))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()
    # RQ keeps the return value in Redis: keep it small and serialisable.
    return result if isinstance(result, int | str | type(None)) else repr(result)[:500]


# ---------------------------------------------------------------------------------------------
# Redis, the queue and its registries


def connection(app: Flask | None = None):
    import redis

    app = app or current_app
    state = app.extensions.setdefault("jobs", {})
    if "redis" not in state:
        state["redis"] = redis.Redis.from_url(app.config["REDIS_URL"])
    return state["redis"]


def queue(app: Flask | None = None):
    from rq import Queue

    app = app or current_app
    return Queue(app.config["JOBS_QUEUE"], connection=connection(app))


@dataclass(frozen=True)
class FailedJob:
    id: str
    target: str
    args: tuple
    enqueued_at: datetime | None
    ended_at: datetime | None
    error: str  # the last line of the traceback


def failed_jobs(limit: int = 200) -> list[FailedJob]:
    """The jobs that used up their retries, newest first (empty without Redis)."""
    if not queue_enabled():
        return []
    from rq.job import Job

    registry = queue().failed_job_registry
    jobs = Job.fetch_many(registry.get_job_ids(0, limit - 1, desc=True), connection=connection())
    found = []
    for job in jobs:
        if job is None:
            continue
        target, args = (job.args[0], tuple(job.args[1])) if len(job.args) >= 2 else (job.func_name, ())
        trace = (job.latest_result().exc_string if job.latest_result() else "") or ""
        lines = [line for line in trace.strip().splitlines() if line.strip()]
        error = lines[-1] if lines else ""
        found.append(FailedJob(job.id, target, args, job.enqueued_at, job.ended_at, error))
    return found


def retry_failed(job_id: str) -> bool:
    """Put a failed job back on the queue; False when there is no such failed job."""
    from rq.exceptions import InvalidJobOperation, NoSuchJobError

    if not queue_enabled():
        return False
    try:
        queue().failed_job_registry.requeue(job_id)
    except (InvalidJobOperation, NoSuchJobError):
        return False
    return True


def recover_abandoned(app: Flask | None = None) -> list[str]:
    """Requeue the jobs that a worker on this machine was running when it died (SIGKILL, power
    loss): their worker's process is gone. RQ itself would retry them only once their heartbeat has
    expired (a minute or more, and only with retries left); a worker starting here does it at once.
    Jobs of workers on other machines are left to RQ's own expiry."""
    from rq.job import Job, JobStatus

    app = app or current_app
    redis_connection, job_queue = connection(app), queue(app)
    registry = job_queue.started_job_registry
    here = socket.gethostname()
    recovered = []
    for job_id, _execution_id in registry.get_job_and_execution_ids(cleanup=False):
        try:
            job = Job.fetch(job_id, connection=redis_connection)
        except Exception:
            continue
        if job.get_status() != JobStatus.STARTED or not _worker_dead(redis_connection, job.worker_name, here):
            continue
        registry.remove_executions(job)
        job_queue.enqueue_job(job, at_front=True)
        recovered.append(job.id)
    return recovered


def _worker_dead(redis_connection, worker_name: str | None, here: str) -> bool:
    if not worker_name:
        return False
    worker = {k.decode(): v.decode() for k, v in redis_connection.hgetall(f"rq:worker:{worker_name}").items()}
    if not worker:
        return True  # the worker's record expired: nobody is running the job
    if worker.get("hostname") != here:
        return False
    try:
        os.kill(int(worker.get("pid", "0")), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


# ---------------------------------------------------------------------------------------------
# Commands

jobs_cli = AppGroup("jobs", help="Background jobs (RQ over Redis when REDIS_URL is set).")


def _require_redis() -> None:
    if not queue_enabled():
        raise click.ClickException("REDIS_URL is not set: jobs run inline in the web processes.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
def worker_command(burst: bool) -> None:
    """Run jobs from the queue, with RQ's scheduler (retries with backoff)."""
    from rq import Worker

    _require_redis()
    app = current_app._get_current_object()
    engine = db.engine
    # RQ forks a process per job: the child must not reuse the parent's database connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    recovered = recover_abandoned(app)
    if recovered:
        click.echo(f"Requeued {len(recovered)} job(s) left by a dead worker: {', '.join(recovered)}")
    Worker([queue(app)], connection=connection(app)).work(
        with_scheduler=True, burst=burst, logging_level="INFO"
    )


@jobs_cli.command("cron")
def cron_command() -> None:
    """Enqueue the periodic tasks (SCHEDULE) on time; run one of these for the whole site."""
    from rq.cron import CronScheduler

    _require_redis()
    app = current_app._get_current_object()
    scheduler = CronScheduler(connection=connection(app), name=f"ocop-cron-{socket.gethostname()}")
    for name, target, cron in SCHEDULE:
        scheduler.register(
            perform,
            app.config["JOBS_QUEUE"],
            args=(target, (), {}),
            cron=cron,
            name=name,
            job_timeout=JOB_TIMEOUT_SECONDS,
        )
    scheduler.start()


@jobs_cli.command("failed")
def failed_command() -> None:
    """List the failed jobs (also at /admin/jobs)."""
    _require_redis()
    for job in failed_jobs():
        click.echo(f"{job.id}  {job.target}{job.args}  {job.error}")


@jobs_cli.command("retry")
@click.argument("job_id")
def retry_command(job_id: str) -> None:
    """Put a failed job back on the queue."""
    _require_redis()
    if not retry_failed(job_id):
        raise click.ClickException(f"no failed job {job_id}")
    click.echo(f"Requeued {job_id}.")


def init_app(app: Flask) -> None:
    app.config.setdefault("JOBS_QUEUE", "ocop")
    install()
    app.cli.add_command(jobs_cli)
