"""Issue #7's whole supermarket journey in a real browser, across wholesale ordering, the producer
order pages and invoicing: a buyer uploads a CSV with two bad lines, fixes them and places the
order; one producer accepts all, the other accepts part with a reason; both ship and deliver; the
buyer sees the lowered quantity and its reason, confirms receipt of both parts and reads the two
invoices. Only the starting world comes from factories; every step after it is a click."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam
from tests.factories import PASSWORD, add_location, make_producer, make_producer_member
from tests.wholesale.helpers import buyer, wholesale_product

pytestmark = pytest.mark.e2e

BUYER = "mua-hang@sieuthi.vn"
TEA_OWNER = "chu@htx-tan-cuong.vn"
FISH_OWNER = "chu@nuoc-mam-pq.vn"


@pytest.fixture
def world(app):
    _, organisation = buyer(
        "purchaser",
        email=BUYER,
        credit_limit_vnd=500_000_000,
        legal_name="Công ty CP Siêu thị Xanh",
        tax_code="0101234567",
    )
    add_location(organisation, name="Cửa hàng Quận 3", address="12 Võ Văn Tần", province_code="ho-chi-minh")
    tea = make_producer(name="HTX Chè Tân Cương", slug="htx-tan-cuong", tax_code="4600123456")
    fish = make_producer(
        name="Công ty Nước mắm Phú Quốc",
        slug="nuoc-mam-pq",
        tax_code="1700654321",
        min_order_value_vnd=1_000_000,
    )
    make_producer_member(tea, email=TEA_OWNER)
    make_producer_member(fish, email=FISH_OWNER)
    wholesale_product(tea, sku="TC-200", name="Chè búp Tân Cương", case_pack=10, min_order_qty=20)
    wholesale_product(fish, sku="NM-500", name="Nước mắm 40 độ đạm", case_pack=6, min_order_qty=12, stock=300)
    db.session.commit()
    return organisation


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(base + "/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_attached()


def place_the_order(page: Page, base: str) -> str:
    """Upload, see two refusals, fix, review, place; returns the order reference."""
    page.get_by_role("link", name="Bulk order").first.click()
    bad = (
        "\ufeffsku;quantity;delivery_location\n"
        "htx-tan-cuong/TC-200;50;Cửa hàng Quận 3\n"
        "nuoc-mam-pq/NM-500;13\n"  # not a multiple of the case pack (6)
        "KHONG-CO;10\n"
    ).encode()  # unknown code
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "don-hang.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Check the lines").click()
    report = page.locator(".report-table")
    expect(report.locator("tr.row--problem")).to_have_count(2)
    expect(report.locator("tr.row--problem", has_text="NM-500")).to_contain_text(
        "Not a multiple of the case pack (6 box)."
    )
    expect(report.locator("tr.row--problem", has_text="KHONG-CO")).to_contain_text(
        "Unknown product code “KHONG-CO”."
    )

    page.get_by_label("Or paste the lines").fill(
        "sku;quantity;delivery_location\nhtx-tan-cuong/TC-200;50;Cửa hàng Quận 3\nnuoc-mam-pq/NM-500;60\n"
    )
    page.get_by_role("button", name="Check the lines").first.click()
    expect(page.locator(".flashes")).to_contain_text("All 2 lines were accepted")

    page.get_by_role("link", name="Review and place the order").click()
    when = (today_in_vietnam() + timedelta(days=4)).isoformat()
    for date_input in page.locator("input[type=date]").all():
        date_input.fill(when)
    for location in page.locator("select[name^=location-]").all():
        location.select_option(label="Cửa hàng Quận 3 — 12 Võ Văn Tần, Hồ Chí Minh")
    page.get_by_label("Your order reference (PO number)").fill("PO-XANH-0042")
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator(".flashes")).to_contain_text("has gone to the producers")
    return re.search(r"OCOP-[0-9A-Z]{8}", page.locator("h1").inner_text()).group(0)


def open_producer_order(page: Page, base: str, email: str, reference: str) -> None:
    sign_in(page, base, email)
    page.get_by_role("link", name="Producer portal").click()
    page.locator(".portal-nav").get_by_role("link", name="Orders").click()
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".part-panel")).to_contain_text("PO-XANH-0042")
    expect(page.locator(".part-panel")).to_contain_text("Cửa hàng Quận 3")


def ship_and_deliver(page: Page, tracking: str) -> None:
    page.get_by_label("Carrier").fill("Viettel Post")
    page.get_by_label("Tracking number").fill(tracking)
    page.get_by_role("button", name="Mark shipped").click()
    shipped = re.compile(
        rf"Order OCOP-\w+ from .+ is shipped with Viettel Post, "
        rf"tracking number {tracking}\."
    )
    expect(page.locator(".flashes")).to_contain_text(shipped)
    expect(page.locator("main")).to_contain_text(tracking)
    page.get_by_role("button", name="Mark delivered").click()
    expect(page.locator(".flashes")).to_contain_text(re.compile(r"Order OCOP-\w+ from .+ is delivered\."))
    expect(page.locator("h1 .badge")).to_have_text("Delivered")
    expect(page.locator(".part-panel")).to_contain_text(re.compile(r"Invoice: HD-"))


def test_csv_to_two_producers_to_receipt_and_invoices(page: Page, live_server: str, world) -> None:
    base = live_server
    sign_in(page, base, BUYER)
    reference = place_the_order(page, base)

    # Producer A (tea) accepts everything.
    open_producer_order(page, base, TEA_OWNER, reference)
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator("h1 .badge")).to_have_text("Accepted")
    ship_and_deliver(page, "VTP-TEA-001")

    # Producer B (fish sauce) accepts part: 48 of the 60 bottles, with a reason.
    open_producer_order(page, base, FISH_OWNER, reference)
    page.get_by_role("link", name="Accept part of this order").click()
    page.get_by_label("Quantity you accept").fill("48")
    page.get_by_label("Reason, if you lower it").fill("Chỉ còn 8 thùng đóng sẵn")
    page.get_by_role("button", name="Accept with these quantities").click()
    expect(page).to_have_url(re.compile(r"/portal/orders/\d+$"))
    expect(page.locator("h1 .badge")).to_have_text("Accepted")
    lines = page.locator(".part-lines")
    expect(lines.locator("tbody tr")).to_have_count(1)
    expect(lines.locator("tbody td.num").nth(0)).to_have_text("60")
    expect(lines.locator("tbody td.num").nth(1)).to_have_text("48")
    ship_and_deliver(page, "VTP-FISH-002")

    # The buyer sees B's lowered quantity and reason, and confirms receipt of both parts.
    sign_in(page, base, BUYER)
    page.get_by_role("link", name="Bulk order").first.click()
    page.get_by_role("navigation", name="Bulk ordering").get_by_role("link", name="Orders").click()
    page.get_by_role("link", name=reference).click()
    fish_part = page.locator(".bulk-part", has_text="Nước mắm Phú Quốc")
    expect(fish_part).to_contain_text("Chỉ còn 8 thùng đóng sẵn")
    expect(fish_part.locator("tbody td.num").nth(0)).to_have_text("60 box")
    expect(fish_part.locator("tbody td.num").nth(1)).to_have_text("48 box")
    expect(fish_part).to_contain_text("3,936,000 ₫")  # 48 × 82.000
    for producer in ("HTX Chè Tân Cương", "Nước mắm Phú Quốc"):
        part = page.locator(".bulk-part", has_text=producer)
        part.get_by_role("link", name="Confirm receipt or report a problem").click()
        page.get_by_role("button", name="Confirm receipt").click()
        expect(page.locator(".flashes")).to_have_text(f"Receipt of order {reference} confirmed. Thank you.")
        page.get_by_role("link", name="Back to the order").click()
    expect(page.get_by_role("link", name="Receipt and credit notes")).to_have_count(2)

    # Two invoices, one opened, its PDF served.
    page.get_by_role("navigation", name="Bulk ordering").get_by_role("link", name="Invoices").click()
    rows = page.locator("tbody tr", has=page.get_by_role("link", name=re.compile(r"^HD-")))
    expect(rows).to_have_count(2)
    page.locator("tbody tr", has_text="Nước mắm Phú Quốc").get_by_role(
        "link", name=re.compile(r"^HD-")
    ).click()
    invoice = page.locator(".invoice")
    expect(invoice).to_contain_text("0101234567")  # the buyer's tax code
    expect(invoice).to_contain_text("1700654321")  # the producer's
    expect(invoice).to_contain_text("Nước mắm 40 độ đạm")
    expect(invoice).to_contain_text("PO-XANH-0042")
    expect(invoice).to_contain_text(reference)
    pdf_href = page.get_by_role("link", name="Download PDF").get_attribute("href")
    response = page.request.get(base + pdf_href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF")
