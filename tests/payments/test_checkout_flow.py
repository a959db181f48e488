"""The card checkout through the site's own pages and endpoints, against a real localstripe:
checkout form → payment page → card confirmed → paid only once the signed webhook has arrived;
a declined card and a retry; cancelling a paid order refunds it."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.conftest import FormClient
from tests.factories import make_producer, make_product
from tests.orders.test_views import ADDRESS, checkout_form
from tests.payments.test_stripe import DECLINED_CARD, _wait_for


def _token_card(app, number: str) -> str:
    """What stripe.js's createToken gives the page: the card's id (the number never reaches us)."""
    body = urllib.parse.urlencode(
        {
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "35",
            "card[cvc]": "123",
            "key": "pk_test_ocop",
        }
    ).encode()
    with urllib.request.urlopen(f"{app.config['STRIPE_API_BASE']}/v1/tokens", body, timeout=5) as response:
        return json.load(response)["card"]["id"]


def _card_checkout(app) -> tuple[FormClient, Order, str]:
    web = FormClient(app.test_client())
    web.client.set_cookie("lang", "en")
    tea = make_product(make_producer(slug="htx-tea"), price_vnd=250_000, stock=5)
    sauce = make_product(make_producer(slug="htx-sauce"), price_vnd=90_000, stock=5)
    db.session.commit()
    web.post("/cart/add", {"product_id": tea.id, "quantity": "1"})
    web.post("/cart/add", {"product_id": sauce.id, "quantity": "2"})
    form = checkout_form(web)
    response = web.post("/checkout", {**ADDRESS, **form, "payment_method": "card", "action": "place"})
    assert response.status_code == 302 and "/pay" in response.headers["Location"]
    order = db.session.scalar(select(Order))
    return web, order, response.headers["Location"]


def _confirm(web: FormClient, pay_url: str, page: str, card: str):
    token = re.search(r'data-csrf-token="([^"]+)"', page).group(1)
    confirm_url = re.search(r'data-confirm-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    return web.client.post(confirm_url, json={"payment_method": card}, headers={"X-CSRFToken": token})


def _status(web: FormClient, page: str) -> dict:
    status_url = re.search(r'data-status-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    return web.get(status_url).get_json()


def test_card_checkout_is_paid_only_when_the_webhook_arrives(stripe_app) -> None:
    web, order, pay_url = _card_checkout(stripe_app)
    response = web.get(pay_url)
    page = response.get_data(as_text=True)
    assert "test payment" in page and 'data-client-secret="pi_' in page
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' {stripe_app.config['STRIPE_API_BASE']}" in csp and "'unsafe-inline'" not in csp
    assert _confirm(web, pay_url, page, _token_card(stripe_app, "4242424242424242")).get_json() == {
        "status": "succeeded"
    }
    # Stripe has the money; the order is paid only once the webhook has landed.
    paid = _wait_for(lambda o: o.payment_status == "paid", order.id)
    assert paid.payment_status == "paid"
    assert _status(web, page)["paid"] is True
    assert "Payment received" in web.get(pay_url).get_data(as_text=True)


def test_a_declined_card_shows_the_decline_and_the_buyer_can_retry(stripe_app) -> None:
    web, order, pay_url = _card_checkout(stripe_app)
    page = web.get(pay_url).get_data(as_text=True)
    declined = _confirm(web, pay_url, page, _token_card(stripe_app, DECLINED_CARD))
    assert declined.status_code == 402
    assert "Your card was declined" in declined.get_json()["error"]["message"]
    assert _status(web, page)["paid"] is False
    time.sleep(1.5)  # the payment_failed webhook arrives; the order still waits for a payment
    retry_page = web.get(pay_url).get_data(as_text=True)
    assert "The last attempt failed" in retry_page
    retried = _confirm(web, pay_url, retry_page, _token_card(stripe_app, "4242424242424242"))
    assert retried.get_json() == {"status": "succeeded"}
    assert _wait_for(lambda o: o.payment_status == "paid", order.id).payment_status == "paid"


def test_cancelling_a_paid_card_order_from_its_page_refunds_it(stripe_app) -> None:
    web, order, pay_url = _card_checkout(stripe_app)
    page = web.get(pay_url).get_data(as_text=True)
    _confirm(web, pay_url, page, _token_card(stripe_app, "4242424242424242"))
    _wait_for(lambda o: o.payment_status == "paid", order.id)
    cancel_url = pay_url.replace("/pay", "/cancel")
    assert web.post(cancel_url).status_code == 302
    db.session.expire_all()
    refunded = db.session.get(Order, order.id)
    assert refunded.payment_status == "refunded" and refunded.refunded_vnd == refunded.total_vnd
    assert {po.status for po in refunded.producer_orders} == {"refunded"}
