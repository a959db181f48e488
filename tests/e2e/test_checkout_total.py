"""Checkout in a browser: choosing the delivery province shows the shipping and the total at once
(no "Calculate shipping" press), and the order is placed at exactly the total on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders import services
from marketplace.orders.models import Order
from tests.e2e import portal
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.e2e


def _english_vnd(amount: int) -> str:
    return f"{amount:,} ₫"


def test_choosing_the_province_updates_the_total_and_the_order_costs_what_was_shown(
    page: Page, live_server: str
) -> None:
    north = make_producer(
        slug="htx-che-thai-nguyen",
        name="HTX Chè Thái Nguyên",
        province_code="thai-nguyen",
        verification_status="verified",
    )
    south = make_producer(
        slug="htx-mam-phu-quoc",
        name="HTX Nước mắm Phú Quốc",
        province_code="an-giang",
        verification_status="verified",
    )
    tea = make_product(north, slug="che-thai-nguyen", name="Chè Thái Nguyên", price_vnd=250_000, stock=10)
    sauce = make_product(south, slug="nuoc-mam", name="Nước mắm Phú Quốc", price_vnd=76_000, stock=10)
    db.session.commit()
    portal.use_english(page, live_server)
    for product in (tea, sauce):
        page.goto(f"{live_server}/products/{product.slug}")
        page.get_by_role("button", name="Add to cart").first.click()
        expect(page.locator("[data-cart-count]")).to_have_text("1" if product is tea else "2")

    page.goto(live_server + "/checkout")
    total = page.locator("[data-checkout-total]")
    expect(total).to_have_text(_english_vnd(326_000))
    expected = services.price_cart([services.CartLine(tea.id, 1), services.CartLine(sauce.id, 1)], "hue")
    page.get_by_label("Province or city").select_option("hue")
    # No button pressed: the fees and the total follow the province.
    expect(total).to_have_text(_english_vnd(expected.total_vnd))
    for group in expected.groups:
        expect(page.locator(f'[data-shipping-fee="{group.producer_id}"]')).to_have_text(
            _english_vnd(group.shipping_fee_vnd)
        )
    expect(page.get_by_text("Shipping is added once you choose")).to_be_hidden()

    page.get_by_label("Recipient").fill("Nguyễn Văn An")
    page.get_by_label("Phone number").fill("0912 345 678")
    page.get_by_label("House number and street").fill("12 Lê Lợi")
    page.get_by_label("Commune or ward (xã / phường)").fill("Phường Thuận Hóa")
    page.get_by_label("E-mail for the order confirmation").fill("an@example.vn")
    page.locator("input[name=payment_method][value=cod]").check()
    page.get_by_role("button", name="Place the order").click()
    expect(page).to_have_url(re.compile(r"/orders/OCOP-[0-9A-Z]+"))
    db.session.rollback()
    order = db.session.scalar(select(Order))
    assert order.total_vnd == expected.total_vnd
