"""A producer's sales report and declared sales in a real browser: declare a month, an
administrator accepts it, the report shows it beside the platform sales, with its chart and table,
and downloads as XLSX."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.e2e import portal
from tests.factories import make_producer, make_producer_member, make_product, make_user
from tests.orders.helpers import place
from tests.reports.helpers import ship_and_deliver

pytestmark = pytest.mark.e2e


@pytest.fixture
def sold(app):
    producer = make_producer(name="HTX Báo Cáo", verification_status="verified")
    owner = make_producer_member(producer, email="owner@htx-bao-cao.vn")
    admin = make_user("admin@example.vn", is_admin=True)
    tea = make_product(producer, name="Chè Báo Cáo", price_vnd=100_000, stock=10)
    db.session.commit()
    ship_and_deliver(place([(tea, 3)]).producer_orders[0], datetime(2026, 2, 10, 3, 0))
    return owner, admin


def test_a_declared_month_accepted_by_an_administrator_shows_in_the_report(
    page: Page, live_server: str, sold, browser
) -> None:
    owner, admin = sold
    portal.sign_in(page, live_server, owner.email)
    page.goto(live_server + "/portal/declarations/")
    page.get_by_label("Month (YYYY-MM)").fill("2026-02")
    page.get_by_label("Channel").select_option("ecommerce")
    page.get_by_label("Sales in the month (VND)").fill("-5")
    page.get_by_role("button", name="Declare").click()
    expect(page.locator(".field__errors")).to_contain_text("cannot be negative")
    page.get_by_label("Sales in the month (VND)").fill("700.000")
    page.get_by_role("button", name="Declare").click()
    expect(page.locator("main")).to_contain_text("Waiting for a decision")

    admin_page = browser.new_context().new_page()
    portal.sign_in(admin_page, live_server, admin.email, expect_link="Administration")
    admin_page.goto(live_server + "/admin/declarations/")
    admin_page.get_by_role("link", name="Decide").click()
    admin_page.get_by_label("Decision").select_option("accept")
    admin_page.get_by_role("button", name="Record the decision").click()
    expect(admin_page.locator("main")).to_contain_text("Nothing is waiting.")

    page.goto(live_server + "/portal/reports/?kind=month&value=2026-02")
    summary = page.locator(".report-summary")
    expect(summary.locator("[data-figure=platform]")).to_contain_text("300,000")
    expect(summary.locator("[data-figure=declared]")).to_contain_text("700,000")
    expect(summary.locator("[data-figure=platform-share]")).to_have_text("30.0 %")
    expect(summary.locator("[data-figure=modern-share]")).to_have_text("100.0 %")
    expect(page.get_by_role("img", name="Revenue by month and channel")).to_be_visible()
    expect(page.locator("#by-month-table tr[data-month='2026-02']")).to_contain_text("700,000")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "sales-report-2026-02-01-2026-02-28.xlsx"
