"""Signals for the buyer's e-mails: sent inside the transaction of each change."""

from __future__ import annotations

from contextlib import contextmanager

from flask_babel import force_locale

from marketplace.orders import notifications, services, signals
from tests.factories import make_product
from tests.orders.helpers import place


@contextmanager
def captured():
    received: list[tuple[str, str]] = []
    receivers = {}
    for name in ("order_placed", "order_paid", "producer_order_shipped", "order_cancelled"):

        def receiver(sender, name=name, **kwargs):
            received.append((name, kwargs["order"].reference))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    try:
        yield received
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver)


def test_placing_shipping_and_cancelling_send_their_signals(app) -> None:
    tea = make_product(stock=9)
    with captured() as received:
        shipped = place([(tea, 1)], method="cod")
        part = shipped.producer_orders[0]
        services.accept_producer_order(part, "producer")
        services.ship_producer_order(part, "producer", carrier="Viettel Post", tracking_number="VTP1")
        cancelled = place([(tea, 1)], method="cod")
        services.cancel_order(cancelled, "customer")
    assert received == [
        ("order_placed", shipped.reference),
        ("producer_order_shipped", shipped.reference),
        ("order_placed", cancelled.reference),
        ("order_cancelled", cancelled.reference),
    ]


def test_emails_name_the_order_and_the_amounts(app) -> None:
    order = place([(make_product(stock=9, price_vnd=250_000), 2)], method="card")
    with force_locale("en"):
        placed = notifications.compose("placed", order)
        assert placed.to == "an@example.vn" and order.reference in placed.subject
        assert "500,000 ₫" in placed.body and "30 minutes" in placed.body
        assert "cancelled" in notifications.compose("cancelled", order).subject
    with force_locale("vi"):
        placed = notifications.compose("placed", order)
        assert "500.000 ₫" in placed.body and "30 phút" in placed.body
