"""Certificates in a real browser: a producer submits an OCOP certificate with its scan, an
administrator verifies it from the queue, and the star badge appears on the public product page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.certification.helpers import PDF
from tests.factories import PASSWORD, make_producer, make_producer_member, make_product, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(app):
    producer = make_producer(name="HTX Chè Tân Cương")
    make_producer_member(producer, email="owner@htx.vn")
    product = make_product(producer, name="Chè móc câu Tân Cương", slug="che-moc-cau")
    make_user("admin@ocop.vn", is_admin=True)
    db.session.commit()
    return product


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_an_administrator_verifies_a_submitted_certificate_and_the_badge_appears(
    page: Page,
    live_server: str,
    shop,
    tmp_path: Path,
) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    issued = add_months(today_in_vietnam(), -2)
    scan = tmp_path / "chung-nhan.pdf"
    scan.write_bytes(PDF)

    # Nothing shows before a certificate is verified.
    page.goto(live_server + "/products/che-moc-cau")
    expect(page.locator("main")).to_contain_text("no OCOP certificate in force")

    # The producer submits the certificate with its scan.
    sign_in(page, live_server, "owner@htx.vn")
    page.goto(live_server + "/portal/certificates")
    page.get_by_role("link", name="Submit a certificate – Chè móc câu Tân Cương").click()
    page.get_by_label("Star class").select_option("4")
    page.get_by_label("Score (out of 100)").fill("82")
    page.get_by_label("Certificate number").fill("OCOP-TN-2026-118")
    page.get_by_label("Issuing level").select_option("province")
    page.get_by_label("Issue date").fill(issued.isoformat())
    page.get_by_label("Recognition decision (number and issuer)").fill("Quyết định số 1187/QĐ-UBND")
    page.get_by_label(re.compile(r"^Scan of the certificate")).set_input_files(str(scan))
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator(".flash")).to_contain_text("Your certificate has been submitted")
    expect(page.locator("main table")).to_contain_text("OCOP-TN-2026-118")
    expect(page.locator("main table")).to_contain_text("Waiting for verification")
    sign_out(page)

    # The administrator verifies it from the queue.
    sign_in(page, live_server, "admin@ocop.vn")
    page.get_by_role("banner").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="OCOP certificates", exact=True).click()
    page.get_by_role("link", name=re.compile("OCOP-TN-2026-118")).click()
    expect(page.locator("main")).to_contain_text("82/100")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".flash")).to_contain_text("The decision has been recorded")

    # The public product page shows the badge at once.
    page.goto(live_server + "/products/che-moc-cau")
    expect(page.locator(".product__badges .badge--stars-4")).to_be_visible()
    expect(page.locator("main")).to_contain_text("OCOP-TN-2026-118")
