"""Fault (b): Stripe (here localstripe) cannot be reached. The card order waits unpaid, its stock
held for the payment window; the payment page says that the payment service could not be reached
and nothing was charged; once Stripe answers again the same page takes the payment."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.conftest import FormClient
from tests.factories import make_product, make_user
from tests.orders.helpers import place
from tests.payments.test_stripe import _card, _wait_for

# A loopback port in this suite's range where nothing listens: Stripe down.
NOTHING_LISTENS = "http://127.0.0.1:7798"


def test_with_stripe_down_the_order_waits_unpaid_with_a_message_and_the_payment_can_be_retried(
    stripe_app, client
) -> None:
    buyer = make_user(email="lan@example.vn")
    tea = make_product(stock=5)
    db.session.commit()
    order = place([(tea, 2)], method="card", customer_id=buyer.id)
    web = FormClient(client).sign_in(buyer)
    web.client.set_cookie("lang", "en")
    working_base = stripe_app.config["STRIPE_API_BASE"]

    stripe_app.config["STRIPE_API_BASE"] = NOTHING_LISTENS
    try:
        page = web.get(f"/orders/{order.reference}/pay")
        assert page.status_code == 200
        assert "The payment service could not be reached. Please try again in a moment." in page.get_data(
            as_text=True
        )
        confirm = web.post(f"/orders/{order.reference}/pay/confirm", {"payment_method": "pm_card_visa"})
        assert confirm.status_code == 402 and confirm.get_json()["error"]["code"] == "payment_error"
        status = web.get(f"/orders/{order.reference}/payment").get_json()
        assert status["payment_status"] == "awaiting_payment" and status["paid"] is False
    finally:
        stripe_app.config["STRIPE_API_BASE"] = working_base
    db.session.rollback()
    waiting = db.session.get(Order, order.id, populate_existing=True)
    assert waiting.payment_status == "awaiting_payment" and waiting.stripe_payment_intent_id is None
    assert waiting.expires_at is not None and db.session.get(type(tea), tea.id).stock == 3

    # Stripe is back: the same page creates the PaymentIntent, and the card goes through.
    page = web.get(f"/orders/{order.reference}/pay").get_data(as_text=True)
    assert "could not be reached" not in page
    confirm = web.post(
        f"/orders/{order.reference}/pay/confirm", {"payment_method": _card(stripe_app, "4242424242424242")}
    )
    assert confirm.status_code == 200, confirm.get_data(as_text=True)
    paid = _wait_for(lambda o: o.payment_status == "paid", order.id)
    assert paid.payment_status == "paid" and paid.payment_error is None
