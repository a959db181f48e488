"""Card payments against a real localstripe process, its signed webhooks delivered to a live
server of the application."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments import services as payments
from marketplace.payments import stripe_gateway
from marketplace.payments.models import ProcessedStripeEvent
from marketplace.reports import ledger
from marketplace.timeutil import utcnow
from tests.factories import make_producer, make_product
from tests.orders.helpers import place
from tests.orders.test_notifications import captured
from tests.payments.conftest import SECRET_KEY, WEBHOOK_PATH, WEBHOOK_SECRET

DECLINED_CARD = "4000000000000341"


def _wait_for(condition: Callable[[Order], bool], order_id: int, seconds: float = 15) -> Order:
    """The order once `condition` holds (webhooks arrive about a second after the event)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()  # see what the webhook's transaction committed
        order = db.session.get(Order, order_id, populate_existing=True)
        if condition(order) or time.monotonic() > deadline:
            return order
        time.sleep(0.1)


def _events(order_id: int) -> list[tuple[str | None, str, str]]:
    return [
        (e.from_status, e.to_status, e.actor)
        for e in db.session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        )
    ]


def _processed() -> int:
    return db.session.scalar(select(func.count(ProcessedStripeEvent.id)))


def _card(app, number: str) -> str:
    """A payment method for a card number, as stripe.js would create it in the browser."""
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": app.config["STRIPE_API_BASE"]})
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    return method.id


def _signed(payload: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    timestamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


def _paid_card_order(app, *products):
    order = place([(p, 1) for p in products], method="card")
    intent = payments.start_card_payment(order, payment_method="pm_card_visa", confirm=True)
    assert intent.status == "succeeded"
    return _wait_for(lambda o: o.payment_status == "paid", order.id), intent


def test_a_card_payment_marks_the_order_paid_only_when_the_signed_webhook_arrives(stripe_app) -> None:
    tea = make_product(stock=5, price_vnd=250_000)
    order = place([(tea, 2)], method="card")
    with captured() as signalled:
        intent = payments.start_card_payment(order, payment_method="pm_card_visa", confirm=True)
        db.session.rollback()
        # Stripe has taken the money, but only its signed webhook (about a second later) says so.
        assert db.session.get(Order, order.id).payment_status == "awaiting_payment"
        paid = _wait_for(lambda o: o.payment_status == "paid", order.id)
    assert (intent.status, intent.amount, intent.currency, intent.order_reference) == (
        "succeeded",
        order.total_vnd,
        "vnd",
        order.reference,
    )
    assert paid.payment_status == "paid" and paid.paid_at and paid.expires_at is None
    assert paid.stripe_payment_intent_id == intent.id
    assert ("awaiting_payment", "paid", "stripe") in _events(order.id)
    assert signalled == [("order_paid", order.reference)]
    assert _processed() == 1
    assert ledger.revenue_by_producer() == {(tea.producer_id, "online"): 500_000}
    # One signed delivery from localstripe, applied once.
    assert len(stripe_app.webhook_deliveries) == 1


def test_the_payment_page_reuses_the_orders_payment_intent(stripe_app) -> None:
    order = place([(make_product(stock=5), 1)], method="card")
    first = payments.start_card_payment(order)
    again = payments.start_card_payment(order)
    assert first.id == again.id and first.status == "requires_payment_method" and first.client_secret


def test_a_declined_card_leaves_the_order_unpaid_with_a_clear_message(stripe_app) -> None:
    tea = make_product(stock=5)
    order = place([(tea, 1)], method="card")
    intent = payments.start_card_payment(order)
    with pytest.raises(stripe_gateway.CardDeclined) as caught:
        stripe_gateway.confirm_payment_intent(intent.id, _card(stripe_app, DECLINED_CARD))
    assert caught.value.code == "card_declined" and "declined" in caught.value.message

    failed = _wait_for(lambda o: o.payment_error is not None, order.id)
    assert failed.payment_status == "awaiting_payment" and "declined" in failed.payment_error.lower()
    assert failed.paid_at is None and ledger.revenue_by_producer() == {}
    assert _processed() == 1


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(stripe_app, client) -> None:
    order = place([(make_product(stock=5), 1)], method="card")
    event = {
        "id": "evt_forged",
        "type": "payment_intent.succeeded",
        "object": "event",
        "data": {
            "object": {
                "id": "pi_forged",
                "object": "payment_intent",
                "amount": order.total_vnd,
                "currency": "vnd",
                "status": "succeeded",
                "metadata": {"order_reference": order.reference},
            }
        },
    }
    forged_body, forged_headers = _signed(event, secret="whsec_someone_else")
    tampered_body, tampered_headers = _signed({**event, "id": "evt_tampered"})
    tampered_body = tampered_body.replace(b"evt_tampered", b"evt_tampere2")
    for body, headers in [
        (forged_body, forged_headers),
        (tampered_body, tampered_headers),
        (forged_body, {"Content-Type": "application/json"}),
        (b"not json", {"Stripe-Signature": "t=1,v1=00"}),
    ]:
        response = client.post(WEBHOOK_PATH, data=body, headers=headers)
        assert response.status_code == 400
    db.session.rollback()
    assert db.session.get(Order, order.id).payment_status == "awaiting_payment" and _processed() == 0


def test_a_replayed_webhook_is_applied_once(stripe_app, client) -> None:
    order, _intent = _paid_card_order(stripe_app, make_product(stock=5))
    events_before = _events(order.id)
    [(body, headers)] = stripe_app.webhook_deliveries
    response = client.post(WEBHOOK_PATH, data=body, headers=headers)
    assert response.status_code == 200 and response.get_json()["outcome"] == "duplicate"
    assert _events(order.id) == events_before and _processed() == 1


def test_a_failure_event_arriving_after_the_success_is_ignored(stripe_app, client) -> None:
    order, intent = _paid_card_order(stripe_app, make_product(stock=5))
    body, headers = _signed(
        {
            "id": "evt_late_failure",
            "type": "payment_intent.payment_failed",
            "object": "event",
            "data": {
                "object": {
                    "id": intent.id,
                    "object": "payment_intent",
                    "amount": order.total_vnd,
                    "currency": "vnd",
                    "status": "requires_payment_method",
                    "metadata": {"order_reference": order.reference},
                    "last_payment_error": {"message": "Your card was declined."},
                }
            },
        }
    )
    response = client.post(WEBHOOK_PATH, data=body, headers=headers)
    assert response.status_code == 200 and response.get_json()["outcome"].startswith("ignored")
    db.session.rollback()
    assert db.session.get(Order, order.id).payment_status == "paid" and _processed() == 2


def test_cancelling_a_paid_card_order_refunds_it_through_stripe(stripe_app) -> None:
    tea = make_product(stock=5)
    order, intent = _paid_card_order(stripe_app, tea)
    orders.cancel_order(order, "customer 1", "changed my mind")
    db.session.commit()
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.payment_status == "refunded" and order.refunded_vnd == order.total_vnd
    assert [po.status for po in order.producer_orders] == ["refunded"]
    assert ("cancelled", "refunded", "customer 1") in _events(order.id)
    assert db.session.get(type(tea), tea.id).stock == 5
    assert ledger.revenue_by_producer() == {}


def test_rejecting_one_producers_part_refunds_that_part_only(stripe_app) -> None:
    tea, honey = make_product(make_producer(), stock=5), make_product(make_producer(), stock=5)
    order, _intent = _paid_card_order(stripe_app, tea, honey)
    tea_part, honey_part = order.producer_orders
    orders.reject_producer_order(honey_part, f"producer {honey.producer_id}", "out of season")
    db.session.commit()
    assert order.payment_status == "partially_refunded" and order.refunded_vnd == honey_part.total_vnd
    assert honey_part.status == "refunded" and tea_part.status == "placed"
    assert ledger.revenue_by_producer() == {(tea.producer_id, "online"): tea.price_vnd}


def test_a_payment_arriving_after_the_order_expired_is_refunded(stripe_app) -> None:
    tea = make_product(stock=5)
    order = place([(tea, 2)], method="card")
    intent = payments.start_card_payment(order, payment_method="pm_card_visa", confirm=True)
    assert intent.status == "succeeded"
    # The expiry job runs before the webhook (sent about a second later) has arrived.
    assert orders.expire_unpaid_orders(utcnow() + timedelta(hours=1)) == [order.reference]
    assert db.session.get(type(tea), tea.id).stock == 5

    refunded = _wait_for(lambda o: o.payment_status == "refunded", order.id)
    assert refunded.payment_status == "refunded" and refunded.refunded_vnd == refunded.total_vnd
    transitions = [(a, b) for a, b, _ in _events(order.id)]
    assert ("awaiting_payment", "voided") in transitions and ("voided", "paid") in transitions
    assert transitions[-1] == ("paid", "refunded")
    assert [po.status for po in refunded.producer_orders] == ["refunded"]
