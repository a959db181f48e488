"""Fault (c): Stripe's webhooks arrive twice, late and out of order. Whatever the order of
arrival, the order ends in the state of what really happened: paid once (one ledger sale, one
payment event), a failure of an earlier attempt never shown against a later one, a duplicate
answered as such. Signed with the endpoint's secret, posted to the real endpoint."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments.models import ProcessedStripeEvent
from marketplace.reports import ledger
from tests.factories import make_product
from tests.orders.helpers import place

SECRET = "whsec_webhook_order_tests"
PATH = "/payments/stripe/webhook"


@pytest.fixture
def signing_app(app):
    app.config["STRIPE_WEBHOOK_SECRET"] = SECRET
    yield app
    app.config["STRIPE_WEBHOOK_SECRET"] = ""


def _event(event_id: str, kind: str, intent_id: str, order: Order, *, late_by: int = 0) -> tuple[bytes, dict]:
    succeeded = kind == "payment_intent.succeeded"
    body = json.dumps(
        {
            "id": event_id,
            "type": kind,
            "object": "event",
            "created": int(time.time()) - late_by,
            "data": {
                "object": {
                    "id": intent_id,
                    "object": "payment_intent",
                    "amount": order.total_vnd,
                    "currency": "vnd",
                    "status": "succeeded" if succeeded else "requires_payment_method",
                    "metadata": {"order_reference": order.reference},
                    "last_payment_error": None if succeeded else {"message": "Your card was declined."},
                }
            },
        }
    ).encode()
    # Stripe signs when it sends: a late delivery carries a fresh timestamp.
    timestamp = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


def _card_order_on_second_attempt() -> tuple[Order, int]:
    """A card order whose first PaymentIntent was declined and whose second one is current."""
    tea = make_product(stock=5, price_vnd=180_000)
    order = place([(tea, 1)], method="card")
    order.stripe_payment_intent_id = "pi_second"
    db.session.commit()
    return order, tea.producer_id


def _state(order_id: int) -> tuple[str, str | None, int, int]:
    db.session.rollback()
    order = db.session.get(Order, order_id, populate_existing=True)
    paid_events = db.session.scalar(
        select(func.count(OrderEvent.id)).where(
            OrderEvent.order_id == order_id, OrderEvent.to_status == "paid"
        )
    )
    return order.payment_status, order.payment_error, paid_events, len(ledger.revenue_by_producer())


EVENTS = {
    "old failure": ("evt_fail_first", "payment_intent.payment_failed", "pi_first"),
    "success": ("evt_success", "payment_intent.succeeded", "pi_second"),
    "success again": ("evt_success", "payment_intent.succeeded", "pi_second"),
}


@pytest.mark.parametrize("arrival", list(itertools.permutations(EVENTS)), ids="-then-".join)
def test_any_order_of_arrival_ends_paid_once(signing_app, client, arrival) -> None:
    order, producer_id = _card_order_on_second_attempt()
    outcomes = []
    for name in arrival:
        event_id, kind, intent_id = EVENTS[name]
        body, headers = _event(event_id, kind, intent_id, order, late_by=3600 if name == "old failure" else 0)
        response = client.post(PATH, data=body, headers=headers)
        assert response.status_code == 200
        outcomes.append(response.get_json()["outcome"])
    assert _state(order.id) == ("paid", None, 1, 1)
    assert outcomes.count("duplicate") == 1 and outcomes.count("paid") == 1
    assert ledger.revenue_by_producer() == {(producer_id, "online"): 180_000}  # goods, not shipping
    assert db.session.scalar(select(func.count(ProcessedStripeEvent.id))) == 2


def test_a_late_failure_of_an_earlier_attempt_is_not_shown_against_the_current_one(
    signing_app, client
) -> None:
    order, _ = _card_order_on_second_attempt()
    body, headers = _event("evt_fail_first", "payment_intent.payment_failed", "pi_first", order, late_by=3600)
    response = client.post(PATH, data=body, headers=headers)
    assert response.status_code == 200 and response.get_json()["outcome"].startswith("ignored")
    assert _state(order.id) == ("awaiting_payment", None, 0, 0)
    # A failure of the current attempt is recorded, and the success that follows clears it.
    body, headers = _event("evt_fail_second", "payment_intent.payment_failed", "pi_second", order)
    assert client.post(PATH, data=body, headers=headers).get_json()["outcome"] == "payment failure recorded"
    assert _state(order.id)[:2] == ("awaiting_payment", "Your card was declined.")
    body, headers = _event("evt_success", "payment_intent.succeeded", "pi_second", order)
    assert client.post(PATH, data=body, headers=headers).get_json()["outcome"] == "paid"
    assert _state(order.id) == ("paid", None, 1, 1)


def test_a_success_of_another_payment_intent_never_pays_the_order(signing_app, client) -> None:
    order, _ = _card_order_on_second_attempt()
    body, headers = _event("evt_other", "payment_intent.succeeded", "pi_first", order)
    assert client.post(PATH, data=body, headers=headers).get_json()["outcome"].startswith("ignored")
    assert _state(order.id) == ("awaiting_payment", None, 0, 0)
