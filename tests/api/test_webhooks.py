"""Webhooks: written in the change's transaction, sent after the commit, signed (Standard
Webhooks), retried with backoff against a real local HTTP server that fails then succeeds, logged;
targets checked after DNS resolution."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from standardwebhooks import Webhook

from marketplace.api import webhooks
from marketplace.api.models import WebhookDelivery
from marketplace.extensions import db
from marketplace.timeutil import utcnow
from tests.api.helpers import bearer, build_world, order_body
from tests.conftest import FormClient
from tests.factories import make_producer
from tests.wholesale.helpers import wholesale_product


class Receiver:
    """An HTTP server on loopback answering the statuses queued (then 200), keeping what it got."""

    def __init__(self, statuses=()) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for item in made:
        item.close()


def place(client, world, key="order-key-0001"):
    response = client.post(
        "/api/v1/orders",
        json=order_body(world),
        headers={**bearer(world.buyer_token), "Idempotency-Key": key},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_events_are_signed_and_sent_after_the_commit(client, receiver) -> None:
    world = build_world()
    server = receiver()
    buyer_endpoint, buyer_secret = webhooks.save_endpoint("buyer", world.organisation.id, server.url)
    producer_endpoint, producer_secret = webhooks.save_endpoint("producer", world.producer.id, server.url)
    db.session.commit()
    order = place(client, world)
    webhooks.join_background_attempts()
    ((headers, body),) = server.received
    event = Webhook(producer_secret).verify(body, headers)
    assert event["type"] == "order.created" and event["data"]["order_reference"] == order["reference"]
    part_id = order["parts"][0]["id"]
    client.post(f"/api/v1/producer-orders/{part_id}/accept", headers=bearer(world.producer_token))
    client.post(
        f"/api/v1/producer-orders/{part_id}/ship",
        headers=bearer(world.producer_token),
        json={"carrier": "GHN", "tracking_number": "G1"},
    )
    client.post(f"/api/v1/producer-orders/{part_id}/deliver", headers=bearer(world.producer_token))
    webhooks.join_background_attempts()
    events = [Webhook(buyer_secret).verify(body, headers) for headers, body in server.received[1:]]
    assert sorted(e["type"] for e in events) == [
        "invoice.issued",
        "order.accepted",
        "order.delivered",
        "order.shipped",
    ]
    assert next(e for e in events if e["type"] == "order.shipped")["data"]["tracking_number"] == "G1"
    with pytest.raises(Exception):  # noqa: B017 - another secret does not verify
        Webhook(webhooks.new_secret()).verify(server.received[1][1], server.received[1][0])


def _second_producer(world):
    other = make_producer(slug="htx-gao", verification_status="verified")
    wholesale_product(other, sku="G-1", slug="gao-1", name="Gạo")
    db.session.commit()
    return other


def test_a_new_order_is_announced_to_every_producer_in_it_reading_their_endpoints_once(
    client, receiver, count_queries
) -> None:
    world = build_world()
    other = _second_producer(world)
    server = receiver()
    _endpoint, secret = webhooks.save_endpoint("producer", world.producer.id, server.url)
    _other_endpoint, other_secret = webhooks.save_endpoint("producer", other.id, server.url)
    db.session.commit()
    body = order_body(world)
    body["lines"].append({"code": "htx-gao/G-1", "quantity": 50})
    with count_queries() as counter:
        response = client.post(
            "/api/v1/orders",
            json=body,
            headers={**bearer(world.buyer_token), "Idempotency-Key": "order-key-0001"},
        )
    assert response.status_code == 201, response.get_json()
    # the endpoints looked up by organisation (the attempts after the commit read theirs by id)
    lookups = [s for s in counter.statements if "WHERE webhook_endpoints.organisation_kind" in s]
    assert len(lookups) == 1, lookups
    webhooks.join_background_attempts()
    producers = set()
    for headers, raw in server.received:
        for key in (secret, other_secret):
            try:
                event = Webhook(key).verify(raw, headers)
            except Exception:  # signed with the other producer's secret
                continue
            assert event["type"] == "order.created"
            producers.add(event["data"]["producer_id"])
    assert producers == {world.producer.id, other.id}


def test_the_producers_hear_of_a_cancellation_but_not_of_parts_that_never_reached_them(
    client, receiver
) -> None:
    world = build_world()
    server = receiver()
    _endpoint, secret = webhooks.save_endpoint("producer", world.producer.id, server.url)
    db.session.commit()
    order = place(client, world)
    cancelled = client.post(f"/api/v1/orders/{order['reference']}/cancel", headers=bearer(world.buyer_token))
    assert cancelled.status_code == 200
    webhooks.join_background_attempts()
    events = [Webhook(secret).verify(raw, headers) for headers, raw in server.received]
    assert [e["type"] for e in events] == ["order.created", "order.cancelled"]
    assert events[1]["data"]["order_reference"] == order["reference"]
    assert (events[1]["data"]["status"], events[1]["data"]["previous_status"]) == ("cancelled", "placed")
    # An order waiting for the buyer's approval never reached the producer: nothing to cancel there.
    world.organisation.approval_threshold_vnd = 1_000
    db.session.commit()
    pending = place(client, world, key="order-key-0002")
    assert pending["approval_status"] == "pending"
    client.post(f"/api/v1/orders/{pending['reference']}/cancel", headers=bearer(world.buyer_token))
    webhooks.join_background_attempts()
    assert len(server.received) == 2


def test_a_rolled_back_change_sends_nothing(app) -> None:
    world = build_world()
    webhooks.save_endpoint("buyer", world.organisation.id, "http://127.0.0.1:9/none")
    db.session.commit()
    webhooks.enqueue("buyer", world.organisation.id, "order.accepted", {})
    db.session.rollback()
    assert db.session.query(WebhookDelivery).count() == 0


def test_a_failing_target_is_retried_with_backoff_and_logged(app, receiver) -> None:
    world = build_world()
    server = receiver([500, 503])
    app.config["WEBHOOK_ATTEMPT_AFTER_COMMIT"] = False
    try:
        endpoint, _secret = webhooks.save_endpoint("buyer", world.organisation.id, server.url)
        delivery = webhooks.send_test_event(endpoint)
        db.session.commit()
        start = utcnow()
        first = webhooks.attempt(delivery.id, start)
        assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
        assert first.next_attempt_at == start + timedelta(minutes=1)
        assert webhooks.deliver_due(start + timedelta(seconds=30)) == 0  # not due yet
        assert webhooks.deliver_due(start + timedelta(minutes=1)) == 1
        db.session.expire_all()
        second = db.session.get(WebhookDelivery, delivery.id)
        assert (second.attempts, second.last_status_code) == (2, 503)
        assert second.next_attempt_at == start + timedelta(minutes=1) + timedelta(minutes=2)
        assert webhooks.deliver_due(start + timedelta(minutes=5)) == 1
        db.session.expire_all()
        third = db.session.get(WebhookDelivery, delivery.id)
        assert third.status == "delivered" and [a.status_code for a in third.attempt_log] == [500, 503, 200]
    finally:
        app.config["WEBHOOK_ATTEMPT_AFTER_COMMIT"] = True
    assert len(server.received) == 3
    assert {headers["webhook-id"] for headers, _ in server.received} == {delivery.message_id}


def test_the_backoff_covers_more_than_a_day_then_gives_up(app) -> None:
    assert sum(webhooks.RETRY_DELAYS, timedelta()) > timedelta(hours=24)
    world = build_world()
    app.config["WEBHOOK_ATTEMPT_AFTER_COMMIT"] = False
    try:
        endpoint, _ = webhooks.save_endpoint("buyer", world.organisation.id, "http://127.0.0.1:9/closed")
        delivery = webhooks.send_test_event(endpoint)
        db.session.commit()
        moment = utcnow()
        for _ in range(webhooks.MAX_ATTEMPTS):
            done = webhooks.attempt(delivery.id, moment)
            moment = done.next_attempt_at or moment
        assert done.status == "failed" and done.attempts == webhooks.MAX_ATTEMPTS
        assert done.last_status_code is None and done.last_error
    finally:
        app.config["WEBHOOK_ATTEMPT_AFTER_COMMIT"] = True


@pytest.mark.parametrize(
    "url, code",
    [
        ("http://example.com/hook", "https_required"),
        ("https://127.0.0.1/hook", "private_address"),
        ("https://10.1.2.3/hook", "private_address"),
        ("https://169.254.169.254/latest", "private_address"),
        ("https://[::1]/hook", "private_address"),
        ("https://user:pw@example.com/", "invalid_url"),
        ("ftp://example.com/", "https_required"),
    ],
)
def test_production_refuses_http_and_private_targets(url, code) -> None:
    with pytest.raises(webhooks.WebhookError) as raised:
        webhooks.resolve_target(url, allow_insecure=False)
    assert raised.value.code == code


def test_a_public_name_that_resolves_to_a_private_address_is_refused(monkeypatch) -> None:
    def resolve(host, port, *args, **kwargs):
        address = "192.168.1.5" if host == "rebind.example" else "93.184.216.34"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(webhooks.WebhookError):
        webhooks.resolve_target("https://rebind.example/hook", allow_insecure=False)
    assert webhooks.resolve_target("https://shop.example/hook", allow_insecure=False) == (
        "shop.example",
        443,
        "93.184.216.34",
    )


def test_owners_manage_webhooks_send_a_test_event_and_read_the_log(app, receiver) -> None:
    world = build_world()
    server = receiver([502])
    web = FormClient(app.test_client()).sign_in(world.owner)
    page = web.post("/buyer/webhooks", {"url": server.url})
    assert page.status_code == 200 and b"whsec_" in page.data
    secret = page.data.decode().split("whsec_", 1)[1].split("<", 1)[0]
    assert web.get("/buyer/webhooks").data.count(b"whsec_") == 0  # shown once
    assert web.post("/buyer/webhooks/test").status_code == 302
    webhooks.join_background_attempts()
    headers, body = server.received[0]
    assert Webhook("whsec_" + secret).verify(body, headers)["type"] == "webhook.test"
    log = web.get("/buyer/webhooks").data.decode()
    assert "webhook.test" in log and "502" in log
    rotated = web.post("/buyer/webhooks/rotate").data.decode()
    assert "whsec_" in rotated and "whsec_" + secret not in rotated
    assert web.post("/buyer/webhooks/remove").status_code == 302
    assert webhooks.endpoint_of("buyer", world.organisation.id) is None
