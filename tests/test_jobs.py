"""Background jobs (marketplace/jobs.py): enqueued after the commit, nothing for a rolled-back change;
inline without Redis; on a real RQ queue with real worker processes (`flask jobs worker`) when
Redis runs here: retried with backoff, kept in the failed registry and retried from /admin/jobs,
and run again with its effect once after its worker is killed with SIGKILL mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace import jobs
from marketplace.api import webhooks
from marketplace.api.models import WebhookAttempt, WebhookDelivery
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.api.test_webhooks import Receiver
from tests.conftest import FormClient
from tests.factories import make_producer, make_user

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/6"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for item in made:
        item.close()


def producer_endpoint(url: str):
    producer = make_producer()
    endpoint, _secret = webhooks.save_endpoint("producer", producer.id, url)
    db.session.commit()
    return producer


# ---------------------------------------------------------------------------------------------
# Inline (no REDIS_URL)


def test_an_inline_job_runs_after_the_commit_in_its_own_session(app) -> None:
    jobs.enqueue("marketplace.mail:send_mail", "a@example.vn", "Subject", "Body", kind="test")
    assert db.session.scalar(select(OutboxMessage.id)) is None  # not before the commit
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == ["a@example.vn"]


def test_a_rolled_back_change_runs_no_job(app) -> None:
    jobs.enqueue("marketplace.mail:send_mail", "a@example.vn", "Subject", "Body", kind="test")
    db.session.rollback()
    db.session.commit()  # a later commit of the same session runs nothing left over
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_job_is_named_inside_the_marketplace_package(app) -> None:
    with pytest.raises(ValueError):
        jobs.enqueue("os:system", "true")
    with pytest.raises(AttributeError):
        jobs.enqueue("marketplace.mail:no_such_function")


def test_every_periodic_task_is_a_valid_cron_line_and_runs_as_a_job(app) -> None:
    from croniter import croniter

    assert len({name for name, _target, _cron in jobs.SCHEDULE}) == len(jobs.SCHEDULE)
    for _name, target, cron in jobs.SCHEDULE:
        assert croniter.is_valid(cron), cron
        jobs.perform(target)  # on an empty database: nothing to do, and no error


def test_without_redis_the_jobs_page_says_jobs_run_inline(app) -> None:
    admin = make_user(is_admin=True)
    db.session.commit()
    client = app.test_client()
    client.set_cookie("lang", "en")
    page = FormClient(client).sign_in(admin).get("/admin/jobs").get_data(as_text=True)
    assert "REDIS_URL is empty" in page and "orders-expire" in page


# ---------------------------------------------------------------------------------------------
# On RQ over a real Redis, with real worker processes


@pytest.fixture
def rq_app(app, tmp_path):
    """The app with REDIS_URL set and a queue of its own; `start_worker(...)` runs
    `flask --app wsgi jobs worker` on the same database and queue in a new process group."""
    if not _redis_available():
        pytest.skip("no Redis at 127.0.0.1:6379")
    name = f"test-{uuid.uuid4().hex[:10]}"
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": name,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "worker-test-secret",
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "DOCUMENT_DIR": app.config["DOCUMENT_DIR"],
        "WEBHOOK_ATTEMPT_AFTER_COMMIT": "true",
        "WEBHOOK_ALLOW_INSECURE_TARGETS": "true",
        # A loaded test machine may take seconds to answer; the receivers here answer at once.
        "WEBHOOK_TIMEOUT_SECONDS": "30",
        "THROTTLE_STORAGE": "database",
        "MAIL_SERVER": "",
    }

    def start_worker(*, burst: bool, **extra_env: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "worker"]
            + (["--burst"] if burst else []),
            cwd=ROOT,
            env={**env, **extra_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: SIGKILL reaches the job's fork too
        )
        started.append(process)
        return process

    app.start_worker = start_worker
    yield app
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        if process.stdout and not process.stdout.closed:
            process.stdout.close()
    connection = jobs.connection(app)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    app.config.update(REDIS_URL="", JOBS_QUEUE="ocop")


def run_burst(app, **extra_env) -> str:
    process = app.start_worker(burst=True, **extra_env)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return output


@needs_redis
def test_a_job_waits_on_the_queue_until_the_commit_and_a_worker_runs_it(rq_app, receiver) -> None:
    server = receiver()
    producer = producer_endpoint(server.url)
    webhooks.enqueue("producer", producer.id, "webhook.test", {"n": 1})
    db.session.flush()
    assert jobs.queue().count == 0  # flushed, not committed: nothing on the queue
    db.session.commit()
    assert jobs.queue().count == 1 and server.received == []  # the web process does not send it

    run_burst(rq_app)
    delivery = db.session.scalar(select(WebhookDelivery))
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and len(server.received) == 1
    assert server.received[0][0]["webhook-id"] == delivery.message_id


@needs_redis
def test_a_rolled_back_change_enqueues_nothing_on_the_queue(rq_app) -> None:
    producer = producer_endpoint("http://127.0.0.1:9/none")
    webhooks.enqueue("producer", producer.id, "webhook.test", {})
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert jobs.queue().count == 0
    assert db.session.scalar(select(WebhookDelivery.id)) is None


@needs_redis
def test_a_failing_webhook_is_retried_by_rq_with_the_backoff_and_logged(rq_app, receiver) -> None:
    from rq.job import Job

    server = receiver([503])
    producer = producer_endpoint(server.url)
    webhooks.enqueue("producer", producer.id, "webhook.test", {})
    db.session.commit()
    delivery_id = db.session.scalar(select(WebhookDelivery.id))
    run_burst(rq_app)

    job = Job.fetch(f"webhook-delivery-{delivery_id}", connection=jobs.connection())
    assert job.get_status() == "scheduled" and job.retries_left == webhooks.MAX_ATTEMPTS - 2
    scheduled_at = jobs.queue().scheduled_job_registry.get_scheduled_time(job)
    assert 50 <= scheduled_at.timestamp() - time.time() <= 61  # the first delay: one minute
    delivery = db.session.get(WebhookDelivery, delivery_id)
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 503
    assert sum(webhooks.RETRY_SECONDS) >= 24 * 3600  # the retries span more than a day


@needs_redis
def test_a_job_that_keeps_failing_is_kept_listed_and_retried_by_an_administrator(rq_app) -> None:
    admin = make_user(is_admin=True)
    db.session.commit()
    # An e-mail to a mail server that refuses connections, enqueued without retries.
    jobs.enqueue_now("marketplace.mail:send_mail", "b@example.vn", "Hello", "Body", kind="test")
    run_burst(rq_app, MAIL_SERVER="127.0.0.1", MAIL_PORT="9")
    (failed,) = jobs.failed_jobs()
    assert failed.target == "marketplace.mail:send_mail" and "ConnectionRefusedError" in failed.error

    web = FormClient(rq_app.test_client()).sign_in(admin)
    page = web.get("/admin/jobs").get_data(as_text=True)
    assert failed.id in page and "marketplace.mail:send_mail" in page
    assert web.post(f"/admin/jobs/{failed.id}/retry", {}).status_code == 302
    assert jobs.failed_jobs() == [] and jobs.queue().count == 1

    run_burst(rq_app)  # the mail server is back (here: the outbox)
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == ["b@example.vn"]
    assert web.post("/admin/jobs/no-such-job/retry", {}).status_code == 404


class HangingReceiver:
    """A webhook target that holds the first request without answering (so that the worker is
    mid-job), then answers 200 to the next ones. Keeps each request's `webhook-id`."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.ids.append(self.headers["webhook-id"])
                if len(receiver.ids) == 1:
                    receiver.first_arrived.set()
                    receiver.release.wait(60)
                    return
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@needs_redis
def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_worker_and_the_effect_happens_once(
    rq_app,
) -> None:
    """Fault (d): SIGKILL to the worker (and its job's fork) while the webhook is being sent; a new
    worker runs the job again; the delivery ends delivered once, with one attempt in its log, and
    the receiver saw one webhook-id (a Standard Webhooks receiver applies it once)."""
    target = HangingReceiver()
    try:
        producer = producer_endpoint(target.url)
        webhooks.enqueue("producer", producer.id, "webhook.test", {})
        db.session.commit()
        delivery_id = db.session.scalar(select(WebhookDelivery.id))

        worker = rq_app.start_worker(burst=False, WEBHOOK_TIMEOUT_SECONDS="50")
        assert target.first_arrived.wait(60), "the worker never sent the webhook"
        assert jobs.queue().started_job_registry.count == 1  # mid-job
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        db.session.expire_all()
        assert db.session.get(WebhookDelivery, delivery_id).status == "pending"  # nothing recorded

        output = run_burst(rq_app)
        assert f"webhook-delivery-{delivery_id}" in output  # requeued from the dead worker
        db.session.expire_all()
        delivery = db.session.get(WebhookDelivery, delivery_id)
        assert delivery.status == "delivered" and delivery.attempts == 1
        log = db.session.scalars(
            select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
        ).all()
        assert [attempt.status_code for attempt in log] == [200]
        assert len(target.ids) == 2 and set(target.ids) == {delivery.message_id}
        assert jobs.queue().started_job_registry.count == 0 and jobs.failed_jobs() == []

        run_burst(rq_app)  # nothing left to run: the effect does not happen again
        assert len(target.ids) == 2
    finally:
        target.close()
