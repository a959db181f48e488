"""The ledger behind Stripe's signed webhooks, against a real localstripe process: a delivery
replayed writes nothing more, and a part refunded through Stripe is taken back out."""

from __future__ import annotations

import json

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.payments import services as payments
from marketplace.reports import ledger
from marketplace.reports.check import check_ledger
from tests.factories import make_producer, make_product
from tests.orders.helpers import place
from tests.payments.conftest import WEBHOOK_PATH
from tests.payments.test_stripe import _signed, _wait_for
from tests.reports.helpers import entries


def _paid_through_stripe(*products_and_quantities):
    order = place(list(products_and_quantities), method="card")
    intent = payments.start_card_payment(order, payment_method="pm_card_visa", confirm=True)
    assert intent.status == "succeeded"
    return _wait_for(lambda o: o.payment_status == "paid", order.id), intent


def test_a_webhook_replayed_twice_writes_its_sale_once(stripe_app, client) -> None:
    tea = make_product(stock=5, price_vnd=250_000)
    order, intent = _paid_through_stripe((tea, 2))
    line = order.producer_orders[0].lines[0]
    assert entries(order) == [("sale", line.id, 500_000, 2)]
    [(body, headers)] = stripe_app.webhook_deliveries
    for _ in range(2):
        response = client.post(WEBHOOK_PATH, data=body, headers=headers)
        assert response.status_code == 200 and response.get_json()["outcome"] == "duplicate"
    # The same payment announced again under a new event id changes nothing either.
    event = json.loads(body)
    again_body, again_headers = _signed({**event, "id": event["id"] + "_again"})
    response = client.post(WEBHOOK_PATH, data=again_body, headers=again_headers)
    assert response.get_json()["outcome"].startswith("nothing to do")
    db.session.rollback()
    assert entries(order) == [("sale", line.id, 500_000, 2)]
    assert ledger.revenue_by_producer() == {(tea.producer_id, "online"): 500_000}
    assert check_ledger().ok


def test_a_part_refunded_through_stripe_is_taken_back_out_and_the_rest_still_counts(stripe_app) -> None:
    tea, honey = make_product(make_producer(), stock=5), make_product(make_producer(), stock=5)
    order, _intent = _paid_through_stripe((tea, 1), (honey, 2))
    tea_part, honey_part = order.producer_orders
    orders.reject_producer_order(honey_part, f"producer {honey.producer_id}", "out of season")
    db.session.commit()
    assert order.payment_status == "partially_refunded" and order.refunded_vnd == honey_part.total_vnd
    assert entries(order) == [
        ("sale", tea_part.lines[0].id, tea.price_vnd, 1),
        ("sale", honey_part.lines[0].id, 2 * honey.price_vnd, 2),
        ("refund", honey_part.lines[0].id, -2 * honey.price_vnd, -2),
    ]
    assert ledger.revenue_by_producer() == {(tea.producer_id, "online"): tea.price_vnd}
    orders.cancel_order(order, "customer 1", "changed my mind")  # the rest: a full refund
    db.session.commit()
    assert order.payment_status == "refunded"
    assert entries(order)[-1] == ("refund", tea_part.lines[0].id, -tea.price_vnd, -1)
    assert ledger.revenue_by_producer() == {} and check_ledger().ok
