"""Webhooks out: events of orders and invoices sent to the organisation's endpoint, signed by the
Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

How an event travels:
1. The order and invoicing signals (sent inside the transaction of the change) are received here
   and write a `WebhookDelivery` row (the outbox) for the organisation's endpoint, in that same
   transaction: a rolled-back change sends nothing.
2. Each new delivery is a job (`marketplace.jobs`) enqueued after the commit: the request that
   made the change never waits for it nor fails because of it.
   - With `REDIS_URL` (RQ): the job `deliver` makes an attempt with a short timeout
     (`WEBHOOK_TIMEOUT_SECONDS`); a failed attempt raises, and RQ retries the job with exponential
     backoff (`RETRY_DELAYS`: 1 min doubling to 6 h, 13 attempts over about 27 h). After the last
     attempt the delivery is `failed` and its job stays in RQ's failed registry (/admin/jobs),
     where an administrator can retry it. `enqueue_due` (every minute, `flask jobs cron`) puts
     back on the queue a pending delivery that no job holds (e.g. Redis was down at the commit).
   - Inline (no Redis): one immediate attempt runs in a thread; a failed attempt schedules the
     next with the same backoff and `flask --app wsgi webhooks deliver` (cron, every minute)
     sends what is due.
3. Each attempt is logged with its HTTP status (`WebhookAttempt`). Receivers deduplicate by the
   `webhook-id` header: a worker killed after sending but before recording sends it again.

Targets are https URLs whose host resolves only to public addresses (checked at every attempt,
after DNS resolution, and the connection goes to the address checked). With
`WEBHOOK_ALLOW_INSECURE_TARGETS` (development and tests) plain http and loopback/private
addresses are allowed.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from marketplace import jobs
from marketplace.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.timeutil import utcnow

# Delay before attempt n+1 after n failed attempts: 1, 2, 4, ... minutes, capped at 6 hours.
RETRY_DELAYS = tuple(timedelta(minutes=min(2**n, 360)) for n in range(12))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
RETRY_SECONDS = tuple(int(delay.total_seconds()) for delay in RETRY_DELAYS)  # the RQ job's backoff
LEASE = timedelta(minutes=5)  # a claimed delivery is not claimed again before this
# The sweep re-enqueues a pending delivery only once it is this late: a job scheduled by RQ's
# retry is normally on time, and enqueueing it a second time would send it twice.
SWEEP_GRACE = timedelta(minutes=10)
MAX_URL_LENGTH = 500

BUYER_EVENTS = (
    "order.accepted",
    "order.partly_accepted",
    "order.shipped",
    "order.delivered",
    "invoice.issued",
    "credit_note.issued",
    "webhook.test",
)
PRODUCER_EVENTS = ("order.created", "order.cancelled", "webhook.test")


class DeliveryFailed(Exception):
    """An attempt that did not get a 2xx answer: raised in the RQ job so that RQ retries it."""


class WebhookError(DomainError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------
# Endpoints


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def endpoint_of(kind: str, organisation_id: int) -> WebhookEndpoint | None:
    column = WebhookEndpoint.buyer_organisation_id if kind == "buyer" else WebhookEndpoint.producer_id
    return db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.organisation_kind == kind, column == organisation_id)
    )


def _public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, allow_insecure: bool) -> str:
    """The URL as it will be used, or WebhookError: https (http only when `allow_insecure`), a
    host, no user info, at most 500 characters."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or not parts.hostname or parts.username or parts.password:
        raise WebhookError("invalid_url", "Enter a full https:// address.")
    if parts.scheme != "https" and not (allow_insecure and parts.scheme == "http"):
        raise WebhookError("https_required", "The address must start with https://.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise WebhookError("invalid_url", "Enter a full https:// address.") from None
    return url


def resolve_target(url: str, *, allow_insecure: bool) -> tuple[str, int, str]:
    """(host, port, address to connect to): the host resolved, and every address it resolves to
    public — unless `allow_insecure`. Raises WebhookError."""
    check_url(url, allow_insecure=allow_insecure)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError:
        raise WebhookError("unresolvable_host", "The host name does not resolve.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise WebhookError("unresolvable_host", "The host name does not resolve.")
    if not allow_insecure and not all(_public_address(a) for a in addresses):
        raise WebhookError(
            "private_address", "The address resolves to a private, loopback or reserved network."
        )
    return parts.hostname, port, addresses[0]


def save_endpoint(kind: str, organisation_id: int, url: str) -> tuple[WebhookEndpoint, str | None]:
    """Create the organisation's endpoint (returning its new secret, shown once) or change its
    URL (secret None: it stays). Flushes; the caller commits."""
    url = check_url(url, allow_insecure=current_app.config["WEBHOOK_ALLOW_INSECURE_TARGETS"])
    endpoint = endpoint_of(kind, organisation_id)
    secret = None
    if endpoint is None:
        secret = new_secret()
        endpoint = WebhookEndpoint(
            organisation_kind=kind,
            url=url,
            secret=secret,
            enabled=True,
            buyer_organisation_id=organisation_id if kind == "buyer" else None,
            producer_id=organisation_id if kind == "producer" else None,
        )
        db.session.add(endpoint)
    else:
        endpoint.url, endpoint.enabled = url, True
    db.session.flush()
    return endpoint, secret


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new signing secret (the old one stops working at once); shown once."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = utcnow()
    return endpoint.secret


def remove_endpoint(endpoint: WebhookEndpoint) -> None:
    db.session.delete(endpoint)


def deliveries_of(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


# ---------------------------------------------------------------------------------------------
# The outbox


def endpoints_of(kind: str, organisation_ids: Iterable[int]) -> dict[int, WebhookEndpoint]:
    """The endpoints of several organisations of one kind, by organisation id, in one query."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    column = WebhookEndpoint.buyer_organisation_id if kind == "buyer" else WebhookEndpoint.producer_id
    return {
        (endpoint.buyer_organisation_id if kind == "buyer" else endpoint.producer_id): endpoint
        for endpoint in db.session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.organisation_kind == kind, column.in_(ids))
        )
    }


def enqueue(
    kind: str, organisation_id: int | None, event_type: str, data: dict, now: datetime | None = None
) -> WebhookDelivery | None:
    """Write the event for the organisation's enabled endpoint, in the current transaction."""
    if organisation_id is None:
        return None
    return _write_delivery(endpoint_of(kind, organisation_id), event_type, data, now)


def _write_delivery(
    endpoint: WebhookEndpoint | None, event_type: str, data: dict, now: datetime | None = None
) -> WebhookDelivery | None:
    if endpoint is None or not endpoint.enabled:
        return None
    now = now or utcnow()
    payload = json.dumps(
        {"type": event_type, "timestamp": now.isoformat(timespec="seconds") + "Z", "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        message_id="msg_" + secrets.token_hex(16),
        event_type=event_type,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(delivery)
    return delivery


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The "send test event" button: a `webhook.test` delivery (the caller commits)."""
    return enqueue(
        endpoint.organisation_kind,
        endpoint.buyer_organisation_id or endpoint.producer_id,
        "webhook.test",
        {"message": "This is a test event from OCOP Marketplace."},
    )


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str | None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def signed_headers(endpoint: WebhookEndpoint, delivery: WebhookDelivery, at: datetime) -> dict[str, str]:
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(delivery.message_id, at, delivery.payload),
        "content-type": "application/json",
        "user-agent": "OCOP-Marketplace-Webhooks/1",
    }


def post(url: str, body: str, headers: dict[str, str], *, timeout: float, allow_insecure: bool) -> Answer:
    try:
        host, port, address = resolve_target(url, allow_insecure=allow_insecure)
    except WebhookError as error:
        return Answer(None, error.message)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout)
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return Answer(response.status, None)
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, f"{type(error).__name__}: {error}"[:500])
    finally:
        connection.close()


def _claim(delivery_id: int, now: datetime, *, queued: bool = False) -> bool:
    """Take the delivery for one attempt (committed), unless another worker has it or it is not due.

    A queued job (`queued`) owns its delivery: RQ runs one job per delivery at a time, and a job
    run again after its worker died must not wait for the dead worker's lease. It attempts any
    delivery not yet delivered (a failed one when an administrator retries its job)."""
    condition = (
        WebhookDelivery.status != "delivered"
        if queued
        else (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= now)
    )
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, condition)
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def attempt(delivery_id: int, now: datetime | None = None, *, queued: bool = False) -> WebhookDelivery | None:
    """One attempt at a due delivery: sent, logged, and marked delivered or scheduled again
    (or failed after MAX_ATTEMPTS). Commits. None when the delivery was not due or taken."""
    now = now or utcnow()
    if not _claim(delivery_id, now, queued=queued):
        return None
    delivery = db.session.get(WebhookDelivery, delivery_id)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    config = current_app.config
    started = time.monotonic()
    answer = post(
        endpoint.url,
        delivery.payload,
        signed_headers(endpoint, delivery, now),
        timeout=config["WEBHOOK_TIMEOUT_SECONDS"],
        allow_insecure=config["WEBHOOK_ALLOW_INSECURE_TARGETS"],
    )
    finished = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at = finished
    delivery.last_status_code, delivery.last_error = answer.status_code, answer.error
    delivery.attempt_log.append(
        WebhookAttempt(
            at=finished,
            status_code=answer.status_code,
            error=answer.error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    )
    if answer.status_code is not None and 200 <= answer.status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", finished, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    db.session.commit()
    return delivery


def deliver_due(now: datetime | None = None, limit: int = 500) -> int:
    """Attempt every delivery that is due (the cron command). Returns how many were attempted."""
    now = now or utcnow()
    due = db.session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    return sum(1 for delivery_id in due if attempt(delivery_id, now) is not None)


def deliver(delivery_id: int) -> str:
    """The job of one delivery. Inline: one attempt (later ones by `deliver_due`). On the queue:
    an attempt that fails raises DeliveryFailed, so that RQ retries the job with RETRY_SECONDS."""
    if not jobs.queue_enabled():
        return "attempted" if attempt(delivery_id) is not None else "not due"
    delivery = attempt(delivery_id, queued=True)
    if delivery is None:
        return "already delivered"
    if delivery.status == "delivered":
        return "delivered"
    raise DeliveryFailed(
        f"delivery {delivery_id} attempt {delivery.attempts}: "
        f"{delivery.last_status_code or delivery.last_error}"
    )


def enqueue_job(delivery_id: int, *, session: Session | None = None) -> None:
    """Send the delivery after the commit (see the module's docstring)."""
    jobs.enqueue(
        "marketplace.api.webhooks:deliver",
        delivery_id,
        job_id=f"webhook-delivery-{delivery_id}",
        retry_intervals=RETRY_SECONDS,
        inline_thread=True,
        session=session,
    )


def enqueue_due(now: datetime | None = None, limit: int = 500) -> int:
    """The periodic sweep on the queue: enqueue the pending deliveries overdue by SWEEP_GRACE
    that no RQ job holds (the commit's enqueue was lost, e.g. Redis was down). Without Redis,
    it attempts what is due (as `deliver_due`). Returns how many."""
    if not jobs.queue_enabled():
        return deliver_due(now, limit)
    from rq.job import Job, JobStatus

    now = now or utcnow()
    due = db.session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now - SWEEP_GRACE)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    held = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.FAILED}
    count = 0
    for delivery_id in due:
        job_id = f"webhook-delivery-{delivery_id}"
        try:
            status = Job.fetch(job_id, connection=jobs.connection()).get_status()
        except Exception:  # no such job (finished and expired, or never enqueued)
            status = None
        if status not in held:
            jobs.enqueue_now(
                "marketplace.api.webhooks:deliver",
                delivery_id,
                job_id=job_id,
                retry_intervals=RETRY_SECONDS,
            )
            count += 1
    return count


def join_background_attempts(timeout: float = 10) -> None:
    """Wait for the immediate attempts started so far (tests, and the CLI before it exits)."""
    jobs.join_inline_threads(timeout)


# ---------------------------------------------------------------------------------------------
# Subscribing to the order and invoicing events


def _part_data(order, producer_order) -> dict:
    return {
        "order_reference": order.reference,
        "purchase_order_number": order.purchase_order_number,
        "part_id": producer_order.id,
        "producer_id": producer_order.producer_id,
        "status": producer_order.status,
    }


def _on_moved(sender, *, order, producer_order, from_status, to_status, actor, at):
    if to_status == "cancelled":
        # Whoever cancelled (the buyer, the owner, the producer itself, an unpaid card order
        # expiring), the producer hears of it - unless the part never reached it (it was waiting
        # for the buyer's approval, so no `order.created` was sent either).
        if from_status != "pending_approval":
            enqueue(
                "producer",
                producer_order.producer_id,
                "order.cancelled",
                {**_part_data(order, producer_order), "previous_status": from_status},
                at,
            )
        return
    if to_status == "accepted":
        partly = any(
            line.ordered_quantity is not None and line.ordered_quantity != line.quantity
            for line in producer_order.lines
        )
        kind = "order.partly_accepted" if partly else "order.accepted"
    elif to_status == "delivered":
        kind = "order.delivered"
    else:  # shipped: see _on_shipped
        return
    enqueue("buyer", order.buyer_organisation_id, kind, _part_data(order, producer_order), at)


def _on_shipped(sender, *, order, producer_order):
    """Sent after the move, once the carrier and tracking number are set."""
    enqueue(
        "buyer",
        order.buyer_organisation_id,
        "order.shipped",
        {
            **_part_data(order, producer_order),
            "carrier": producer_order.carrier,
            "tracking_number": producer_order.tracking_number,
        },
    )


def _on_placed(sender, *, order):
    parts = [part for part in order.producer_orders if part.status == "placed"]
    endpoints = endpoints_of("producer", (part.producer_id for part in parts))  # one query per order
    for part in parts:
        _write_delivery(
            endpoints.get(part.producer_id),
            "order.created",
            {**_part_data(order, part), "channel": order.channel},
        )


def _on_invoice(sender, *, invoice, producer_order, at):
    enqueue(
        "buyer",
        invoice.buyer_organisation_id,
        "invoice.issued",
        {
            "invoice_number": invoice.number,
            "order_reference": invoice.order_reference,
            "total_vnd": invoice.total_vnd,
            "due_date": invoice.due_date.isoformat(),
            "payment_reference": invoice.payment_reference,
        },
        at,
    )


def _on_credit_note(sender, *, credit_note, invoice, producer_order, at):
    enqueue(
        "buyer",
        invoice.buyer_organisation_id,
        "credit_note.issued",
        {
            "credit_note_number": credit_note.number,
            "invoice_number": invoice.number,
            "total_vnd": credit_note.total_vnd,
            "kind": credit_note.kind,
        },
        at,
    )


def _enqueue_new_deliveries(session: Session, flush_context) -> None:
    """Each delivery written by this flush is sent once the transaction commits."""
    queued = jobs.queue_enabled()
    if not queued and not current_app.config["WEBHOOK_ATTEMPT_AFTER_COMMIT"]:
        return
    for obj in session.new:
        if isinstance(obj, WebhookDelivery):
            enqueue_job(obj.id, session=session)


def init_app(app: Flask) -> None:
    from marketplace.invoicing import signals as invoicing_signals
    from marketplace.orders import signals as order_signals

    order_signals.producer_order_moved.connect(_on_moved, weak=False)
    order_signals.producer_order_shipped.connect(_on_shipped, weak=False)
    order_signals.order_placed.connect(_on_placed, weak=False)
    invoicing_signals.invoice_issued.connect(_on_invoice, weak=False)
    invoicing_signals.credit_note_issued.connect(_on_credit_note, weak=False)
    _listen_once()


_listening = False


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    _listening = True
    event.listen(Session, "after_flush", _enqueue_new_deliveries)
