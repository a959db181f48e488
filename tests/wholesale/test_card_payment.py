"""A bulk order paid by card instead of on terms: offered only up to the Stripe limit and without
approval, paid through the checkout's payment page against a real localstripe, never counted
against the credit limit."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale.credit import open_balance_vnd
from marketplace.wholesale.pricing import organisation_locations
from tests.conftest import FormClient
from tests.payments.conftest import live_server, localstripe, stripe_app  # noqa: F401 - the Stripe fixtures
from tests.payments.test_checkout_flow import _confirm, _token_card
from tests.payments.test_stripe import _wait_for
from tests.wholesale.helpers import buyer, fill_draft, wholesale_product


def _place_form(web: FormClient, organisation, product, method: str) -> dict:
    review = web.get("/wholesale/order/review").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', review).group(1)
    location = organisation_locations(organisation.id)[0]
    when = (today_in_vietnam() + timedelta(days=5)).isoformat()
    return {
        "idempotency_key": key,
        "purchase_order_number": "PO-CARD",
        "payment_method": method,
        f"date-{product.producer_id}": when,
        f"location-{product.producer_id}": location.id,
    }


def test_the_review_offers_card_under_the_limit_with_invoice_the_default(web) -> None:
    user, organisation = buyer("purchaser")
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    page = web.sign_in(user).get("/wholesale/order/review").get_data(as_text=True)
    assert 'value="card"' in page and "Card now" in page
    assert re.search(r'<input checked[^>]*value="invoice"|value="invoice"[^>]*checked', page)


def test_card_above_the_stripe_limit_is_refused_with_the_message_and_nothing_placed(web) -> None:
    user, organisation = buyer("purchaser")
    product = wholesale_product(stock=2_000)
    fill_draft(organisation, [(product, 1_300)], user)  # 1,300 × 78,000 = 101,400,000 ₫
    web.sign_in(user)
    form = _place_form(web, organisation, product, "invoice")
    assert 'value="card"' not in web.get("/wholesale/order/review").get_data(as_text=True)
    response = web.post("/wholesale/order/place", {**form, "payment_method": "card"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Orders above 99,999,999 ₫ cannot be paid by card; choose invoice on terms." in page
    assert db.session.scalars(select(Order)).all() == []
    assert web.post("/wholesale/order/place", form).status_code == 302  # on terms it goes through
    assert db.session.scalar(select(Order)).payment_method == "invoice"


def test_card_is_refused_for_an_order_that_needs_approval(web) -> None:
    user, organisation = buyer("purchaser", approval_threshold_vnd=1_000_000)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    web.sign_in(user)
    form = _place_form(web, organisation, product, "card")
    page = web.post("/wholesale/order/place", form).get_data(as_text=True)
    assert "Orders that need an owner&#39;s approval cannot be paid by card" in page
    assert db.session.scalars(select(Order)).all() == []


def test_a_card_bulk_order_is_paid_through_stripe_and_never_counts_against_credit(stripe_app) -> None:  # noqa: F811 - the fixture imported above
    web = FormClient(stripe_app.test_client())
    web.client.set_cookie("lang", "en")
    # The credit limit is below the order: a card order does not need credit.
    user, organisation = buyer("purchaser", credit_limit_vnd=1_000_000)
    product = wholesale_product(stock=500)
    fill_draft(organisation, [(product, 50)], user)  # 50 × 82,000 = 4,100,000 ₫
    web.sign_in(user)
    response = web.post("/wholesale/order/place", _place_form(web, organisation, product, "card"))
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    pay_url = response.headers["Location"]
    assert pay_url.endswith(f"/orders/{order.reference}/pay")
    assert (order.channel, order.payment_method, order.payment_status) == (
        "supermarket",
        "card",
        "awaiting_payment",
    )
    assert order.total_vnd == 4_100_000 and order.expires_at is not None
    assert open_balance_vnd(organisation.id) == 0
    order_page = web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)
    assert "Pay by card" in order_page

    page = web.get(pay_url).get_data(as_text=True)
    assert 'data-client-secret="pi_' in page
    assert _confirm(web, pay_url, page, _token_card(stripe_app, "4242424242424242")).get_json() == {
        "status": "succeeded"
    }
    paid = _wait_for(lambda o: o.payment_status == "paid", order.id)
    assert paid.payment_status == "paid" and paid.expires_at is None and paid.channel == "supermarket"
    assert open_balance_vnd(organisation.id) == 0
    assert "Paid by card" in web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)


def test_a_delivered_card_bulk_part_is_not_invoiced(app) -> None:
    from marketplace.invoicing.models import Invoice
    from marketplace.orders import services as orders
    from marketplace.orders.services import new_idempotency_key
    from marketplace.wholesale import services
    from tests.wholesale.helpers import choices_for

    user, organisation = buyer("purchaser")
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    order = services.place_bulk_order(
        organisation_id=organisation.id,
        user=user,
        choices=choices_for(organisation, [product]),
        purchase_order_number="",
        idempotency_key=new_idempotency_key(),
        payment_method="card",
    )
    orders.record_card_payment(order, payment_intent_id="pi_bulk", amount_vnd=order.total_vnd, currency="vnd")
    part = order.producer_orders[0]
    orders.accept_producer_order(part, "producer")
    orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="T1")
    orders.mark_delivered(part, "producer")
    db.session.commit()
    assert part.status == "delivered" and order.payment_status == "paid"
    assert db.session.scalars(select(Invoice)).all() == []
    assert open_balance_vnd(organisation.id) == 0
