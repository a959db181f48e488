"""The whole online purchase in a browser: search "che tan cuong", put two products of two
producers in the cart from the result cards, check out, pay by card in the card element
(localstripe's stripe.js), and see the order paid once Stripe's signed webhook has arrived."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace import search
from marketplace.demo import load_demo
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.factories import make_producer, make_product
from tests.payments.conftest import SECRET_KEY, WEBHOOK_PATH, WEBHOOK_SECRET, localstripe  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(app: Flask, live_server: str, localstripe: str) -> Iterator[str]:  # noqa: F811
    """The demo catalogue, payments through localstripe, its webhooks sent to the live server."""
    load_demo(with_images=False)
    # The demo has one Tân Cương tea cooperative; a second one makes the cart span two producers.
    neighbour = make_producer(slug="htx-che-tan-cuong-hoang-binh", name="HTX Chè Tân Cương Hoàng Bình")
    make_product(
        neighbour,
        slug="che-bup-tan-cuong-hoang-binh",
        name="Chè búp Tân Cương Hoàng Bình",
        price_vnd=180_000,
        stock=20,
    )
    db.session.commit()
    search.rebuild()
    settings = {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": "pk_test_ocop",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": localstripe,
    }
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    body = json.dumps(
        {
            "url": live_server + WEBHOOK_PATH,
            "secret": WEBHOOK_SECRET,
            "events": ["payment_intent.succeeded", "payment_intent.payment_failed"],
        }
    ).encode()
    request = urllib.request.Request(
        f"{localstripe}/_config/webhooks/ocop-e2e",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=5).close()
    try:
        yield live_server
    finally:
        app.config.update(saved)


def test_search_add_two_producers_products_and_pay_by_card(page: Page, shop: str) -> None:
    page.goto(shop + "/")
    box = page.get_by_role("combobox", name="Tìm sản phẩm OCOP")
    box.fill("che tan cuong")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/products\?q=che"))

    # Two in-stock results from two different producers, added from their cards.
    cards = page.locator("article.card:has(form.card__cart)")
    expect(cards.first).to_be_visible()
    chosen, producers = [], set()
    for i in range(cards.count()):
        producer = cards.nth(i).locator(".card__meta").inner_text().split("\n")[0].split(" · ")[0]
        if producer not in producers:
            producers.add(producer)
            chosen.append(i)
        if len(chosen) == 2:
            break
    assert len(chosen) == 2, "the search should find tea from two producers"
    for expected_count, i in enumerate(chosen, start=1):
        cards.nth(i).get_by_role("button", name=re.compile("Thêm vào giỏ")).click()
        expect(page.locator("[data-cart-count]")).to_have_text(str(expected_count))

    page.locator(".header-cart__cart").click()
    expect(page.locator("section.order-group")).to_have_count(2)
    page.get_by_role("link", name="Thanh toán", exact=True).click()

    page.get_by_label("Người nhận").fill("Nguyễn Văn An")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Số nhà và tên đường").fill("12 Phố Huế")
    page.get_by_label("Xã hoặc phường (xã / phường)").fill("Phường Hai Bà Trưng")
    page.get_by_label("Tỉnh hoặc thành phố").select_option("ha-noi")
    expect(page.locator("[data-shipping-hint]")).to_be_hidden()  # the total now includes the shipping
    page.get_by_label("E-mail nhận xác nhận đơn hàng").fill("an@example.vn")
    page.locator("input[name=payment_method][value=card]").check()
    page.get_by_role("button", name="Đặt hàng").click()

    expect(page).to_have_url(re.compile(r"/orders/OCOP-[0-9A-Z]+/pay"))
    expect(page.get_by_text("thanh toán thử")).to_be_visible()
    card = page.locator("#card-element input")
    expect(card.first).to_be_visible()  # localstripe's card element, mounted by payment.js
    for placeholder, value in (
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "35"),
        ("cvc", "123"),
        ("postal_code", "10000"),
    ):
        page.locator(f'#card-element input[placeholder="{placeholder}"]').fill(value)
    page.get_by_role("button", name=re.compile("^Thanh toán")).click()

    # Paid only once the webhook has reached the server; the page keeps asking until then.
    expect(page.locator("[data-payment-status]")).to_contain_text("Đã nhận thanh toán", timeout=20_000)
    db.session.rollback()
    order = db.session.scalar(select(Order))
    assert order.payment_status == "paid" and len(order.producer_orders) == 2
    page.get_by_role("link", name="Xem đơn hàng").click()
    expect(page.locator("[data-payment-state]")).to_have_text("Đã thanh toán bằng thẻ")
