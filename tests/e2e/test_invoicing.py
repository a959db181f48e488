"""A supermarket part in a real browser: the producer accepts part of it with a reason, the buyer
sees the reason, confirms receipt reporting damage, and reads the invoice with its credit note, on
a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.invoicing.models import Invoice
from tests.factories import (
    PASSWORD,
    make_buyer_member,
    make_buyer_organisation,
    make_producer,
    make_producer_member,
    make_product,
)
from tests.invoicing.helpers import deliver, supermarket_order

pytestmark = pytest.mark.e2e


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/account/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_partial_acceptance_receipt_with_damage_and_the_invoice(page: Page, live_server: str, app) -> None:
    producer = make_producer(name="HTX Chè Tân Cương", tax_code="4600123456")
    tea = make_product(producer, name="Chè đặc biệt hộp 200 g", price_vnd=82_000, stock=500)
    organisation = make_buyer_organisation(legal_name="Công ty CP Siêu thị Hà Nội")
    buyer = make_buyer_member(organisation, email="mua@example.vn")
    make_producer_member(producer, email="htx@example.vn")
    db.session.commit()
    order = supermarket_order(organisation, [[(tea, 100)]], customer_id=buyer.id)
    part = order.producer_orders[0]

    sign_in(page, live_server, "htx@example.vn")
    page.goto(f"{live_server}/portal/orders/{part.id}/accept-part")
    page.get_by_label("Số lượng bạn nhận").fill("80")
    page.get_by_label("Lý do (nếu giảm số lượng)").fill("Chỉ còn 80 hộp")
    page.get_by_role("button", name="Nhận đơn với số lượng này").click()
    expect(page.locator(".flash--success")).to_be_visible()

    db.session.expire_all()
    deliver(part)  # shipping and delivery are the producer order pages' (another module's)

    sign_in(page, live_server, "mua@example.vn")
    page.goto(f"{live_server}/buyer/orders/{order.reference}/parts/{part.id}/receipt")
    expect(page.locator("main")).to_contain_text("Chỉ còn 80 hộp")
    page.get_by_label("Vấn đề", exact=True).select_option("damaged")
    page.get_by_label("Số đơn vị thiếu hoặc hư hỏng").fill("3")
    page.get_by_label("Vấn đề là gì").fill("Móp hộp")
    page.get_by_role("button", name="Xác nhận nhận hàng").click()
    expect(page.locator(".flash--success")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^HD-")).first.click()
    invoice = db.session.query(Invoice).one()
    expect(page.get_by_role("heading", level=1)).to_contain_text(invoice.number)
    expect(page.locator(".invoice")).to_contain_text("Móp hộp")
    expect(page.locator(".invoice")).to_contain_text(invoice.payment_reference)
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
