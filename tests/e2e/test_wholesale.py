"""A supermarket's purchaser orders in bulk from a CSV file in a real browser: two bad lines are
reported, fixed on the page, and the order is placed and listed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam
from tests.factories import PASSWORD, add_location, make_producer
from tests.wholesale.helpers import buyer, wholesale_product

pytestmark = pytest.mark.e2e


@pytest.fixture
def supermarket(app):
    user, organisation = buyer("purchaser", email="mua-hang@sieuthi.vn")
    add_location(organisation, name="Cửa hàng Quận 3")
    tea = make_producer(name="HTX Chè Tân Cương", slug="htx-tan-cuong")
    fish = make_producer(name="Công ty Nước mắm Phú Quốc", slug="nuoc-mam-pq", min_order_value_vnd=1_000_000)
    wholesale_product(tea, sku="TC-200", name="Chè búp Tân Cương", case_pack=10, min_order_qty=20)
    wholesale_product(fish, sku="NM-500", name="Nước mắm 40 độ đạm", case_pack=6, min_order_qty=12, stock=300)
    db.session.commit()
    return user


def test_a_buyer_fixes_two_bad_csv_lines_and_places_the_order(
    page: Page, live_server: str, supermarket
) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(live_server + "/account/login")
    page.get_by_label("E-mail").fill(supermarket.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto(live_server + "/wholesale/order")
    bad = (
        "\ufeffsku;quantity;delivery_location\n"
        "htx-tan-cuong/TC-200;50;Cửa hàng Quận 3\n"
        "NM-500;13\n"  # not a multiple of the case pack (6)
        "KHONG-CO;10\n"
    ).encode()  # unknown code
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "don-hang.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Check the lines").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your CSV file")
    report = page.locator(".report-table")
    expect(report.locator("tr.row--problem")).to_have_count(2)
    expect(report).to_contain_text("Not a multiple of the case pack (6 box).")
    expect(report).to_contain_text("Unknown product code “KHONG-CO”.")
    expect(report.locator("tr.row--ok")).to_contain_text("82,000 ₫")

    page.get_by_label("Or paste the lines").fill(
        "sku;quantity;delivery_location\nhtx-tan-cuong/TC-200;50;Cửa hàng Quận 3\nnuoc-mam-pq/NM-500;60\n"
    )
    page.get_by_role("button", name="Check the lines").first.click()
    expect(page.locator(".flashes")).to_contain_text("All 2 lines were accepted")
    expect(page.locator(".bulk-totals")).to_contain_text("9,020,000 ₫")  # 50 × 82.000 + 60 × 82.000

    page.get_by_role("link", name="Review and place the order").click()
    when = (today_in_vietnam() + timedelta(days=4)).isoformat()
    for date_input in page.locator("input[type=date]").all():
        date_input.fill(when)
    page.get_by_label("Your order reference (PO number)").fill("PO-XANH-0042")
    page.get_by_role("button", name="Place the order").click()

    expect(page.locator(".flashes")).to_contain_text("has gone to the producers")
    reference = re.search(r"OCOP-[0-9A-Z]{8}", page.locator("h1").inner_text()).group(0)
    expect(page.locator(".bulk-part")).to_have_count(2)
    page.get_by_role("navigation", name="Bulk ordering").get_by_role(
        "link", name="Orders", exact=True
    ).click()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("PO-XANH-0042")
    expect(row).to_contain_text("9,020,000 ₫")
