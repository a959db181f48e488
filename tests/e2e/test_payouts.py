"""Payouts in a real browser: the administrator runs a payout run and marks the statement paid;
the household business adds its bank account and reads its statement with the tax withheld."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.payouts.rates import install_seed_rates
from tests.e2e.test_invoicing import sign_in
from tests.factories import make_producer, make_producer_member, make_product, make_user
from tests.orders.helpers import place
from tests.reports.helpers import ship_and_deliver

pytestmark = pytest.mark.e2e


def test_a_run_marked_paid_and_the_households_statement(page: Page, live_server: str, app) -> None:
    install_seed_rates()
    household = make_producer(
        entity_type="household", name="Hộ kinh doanh Mật ong Bà Lan", tax_code="8012345678"
    )
    make_producer_member(household, email="ho@example.vn")
    make_user("quantri@example.vn", is_admin=True)
    honey = make_product(household, price_vnd=98_765, stock=10)
    db.session.commit()
    ship_and_deliver(place([(honey, 2)]).producer_orders[0], datetime(2026, 3, 2, 3, 0))

    sign_in(page, live_server, "ho@example.vn")
    page.goto(f"{live_server}/portal/payouts/account")
    page.get_by_label("Ngân hàng").fill("BIDV")
    page.get_by_label("Số tài khoản").fill("1234 5678 9")
    page.get_by_label("Chủ tài khoản").fill("Nguyễn Thị Lan")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash--success")).to_be_visible()

    sign_in(page, live_server, "quantri@example.vn")
    page.goto(f"{live_server}/admin/payouts")
    page.get_by_label("Cuối kỳ (tính cả ngày cuối)").fill("2026-03-08")
    page.get_by_role("button", name="Chạy đợt chi trả").click()
    expect(page.locator("main")).to_contain_text("194.567 ₫")
    expect(page.locator(".payout-pending")).to_have_count(0)
    page.locator(".payout-statements a").first.click()
    page.get_by_label("Mã giao dịch ngân hàng").fill("FT26068123")
    page.get_by_role("button", name="Đánh dấu đã trả").click()
    expect(page.locator(".payout-status")).to_have_text("Đã thanh toán")

    sign_in(page, live_server, "ho@example.vn")
    page.goto(f"{live_server}/portal/payouts")
    expect(page.locator(".withheld-tax")).to_contain_text("1.975 ₫")
    expect(page.locator(".withheld-tax")).to_contain_text("988 ₫")
    page.locator(".payout-statements a").first.click()
    expect(page.locator(".payout-net")).to_have_text("194.567 ₫")
    expect(page.locator("main")).to_contain_text("FT26068123")
