"""Paying by bank transfer in a browser: a consumer checks out with VietQR and sees the code and
the transfer written out; an administrator uploads the bank statement with that transfer; the
consumer's order page then shows it paid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.timeutil import today_in_vietnam
from tests.factories import PASSWORD, make_product, make_user

pytestmark = pytest.mark.e2e


def test_a_consumer_pays_by_vietqr_and_the_statement_upload_marks_the_order_paid(
    page: Page, browser: Browser, live_server: str, app
) -> None:
    make_product(slug="che-tan-cuong-vietqr", name="Chè Tân Cương VietQR", price_vnd=185_000, stock=10)
    make_user("admin@example.vn", is_admin=True)
    db.session.commit()

    page.goto(f"{live_server}/products/che-tan-cuong-vietqr")
    page.get_by_role("button", name="Thêm vào giỏ").first.click()
    # The cached product page asks for a CSRF token before the form goes: wait for the cart.
    expect(page.locator("[data-cart-count]")).to_have_text("1")
    page.goto(f"{live_server}/checkout")
    page.get_by_label("Người nhận").fill("Nguyễn Văn An")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Số nhà và tên đường").fill("12 Phố Huế")
    page.get_by_label("Xã hoặc phường (xã / phường)").fill("Phường Hai Bà Trưng")
    page.get_by_label("Tỉnh hoặc thành phố").select_option("ha-noi")
    page.get_by_label("E-mail nhận xác nhận đơn hàng").fill("an@example.vn")
    page.locator("input[name=payment_method][value=vietqr]").check()
    page.get_by_role("button", name="Đặt hàng").click()

    expect(page).to_have_url(re.compile(r"/orders/OCOP-[0-9A-Z]+"))
    panel = page.locator("[data-vietqr]")
    expect(panel.locator("svg")).to_be_visible()
    expect(page.locator("[data-payment-state]")).to_have_text("Đang chờ chuyển khoản")
    expect(panel.locator("[data-vietqr-account]")).to_have_text(app.config["VIETQR_ACCOUNT_NUMBER"])
    expect(panel.locator("[data-vietqr-bank]")).to_have_text(app.config["VIETQR_BANK_NAME"])
    reference = panel.locator("[data-vietqr-reference]").inner_text()
    db.session.rollback()
    order = db.session.scalar(select(Order))
    assert reference == order.payment_reference and order.payment_method == "vietqr"
    amount_shown = panel.locator("[data-vietqr-amount]").inner_text()
    assert re.sub(r"\D", "", amount_shown) == str(order.total_vnd)
    order_page = page.url

    # The administrator, in another browser session, uploads the day's statement.
    admin = browser.new_context().new_page()
    admin.goto(f"{live_server}/account/login")
    admin.locator("input[name=email]").fill("admin@example.vn")
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("main button[type=submit]").click()
    admin.wait_for_load_state()
    admin.goto(f"{live_server}/admin/payments/statements")
    admin.get_by_label("Mẫu sao kê").select_option("plain")
    statement = (
        "date,amount,description,transaction_id\n"
        f"{today_in_vietnam()},{order.total_vnd},"
        f'"MBVCB.8812.{reference.lower()}.CT tu 0011 NGUYEN VAN AN",FT26338\n'
        f'{today_in_vietnam()},50000,"chuyen tien khac",FT26339\n'
    ).encode()
    admin.locator("input[type=file]").set_input_files(
        files=[{"name": "sao-ke.csv", "mimeType": "text/csv", "buffer": statement}]
    )
    admin.get_by_role("button", name="Tải lên và đối soát").click()
    expect(admin.locator(".flash--success")).to_contain_text("1 được ghi nhận, 1 cần xử lý thủ công")
    admin.context.close()

    page.goto(order_page)
    expect(page.locator("[data-payment-state]")).to_have_text("Đã thanh toán bằng chuyển khoản")
    expect(page.locator("[data-vietqr]")).to_have_count(0)
