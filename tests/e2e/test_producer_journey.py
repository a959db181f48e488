"""The whole producer journey in a real browser (issue #4, "Done when"): a producer signs in, lists a
product with a picture, publishes it and submits its OCOP certificate with a scan; an administrator
verifies the certificate from the queue; only then does the star badge appear on the public product
page, as an anonymous visitor sees it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.certification.helpers import PDF
from tests.e2e import portal
from tests.factories import make_producer, make_producer_member, make_user

pytestmark = pytest.mark.e2e

PRODUCT = "Chè móc câu Tân Cương đặc biệt"
CERTIFICATE = "OCOP-TN-2026-204"


@pytest.fixture
def people(app):
    """Only the people: a verified producer with its owner, and an administrator."""
    producer = make_producer(name="HTX Chè La Bằng", slug="htx-che-la-bang", verification_status="verified")
    make_producer_member(producer, email="owner@htx-la-bang.vn")
    make_user("admin@ocop.vn", is_admin=True)
    db.session.commit()
    return {"producer": "owner@htx-la-bang.vn", "admin": "admin@ocop.vn"}


def visit_anonymously(browser: Browser, base_url: str, url: str):
    """Opens `url` in a fresh browser context (no session cookie); returns the context and page."""
    context = browser.new_context()
    context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])
    page = context.new_page()
    page.goto(url)
    return context, page


def test_a_producer_lists_a_certified_product_and_the_badge_shows_once_an_administrator_verifies_it(
    page: Page,
    browser: Browser,
    live_server: str,
    people,
    tmp_path: Path,
) -> None:
    scan = tmp_path / "giay-chung-nhan-ocop.pdf"
    scan.write_bytes(PDF)
    issued_on = add_months(today_in_vietnam(), -3).isoformat()

    # The producer signs in and lists a product with a picture.
    portal.sign_in(page, live_server, people["producer"])
    page.get_by_role("link", name="Producer portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    portal.create_product(page, live_server, name=PRODUCT, sku="LB-250")
    portal.upload_picture(page, portal.picture_file(tmp_path), alt="Gói chè 250 g")
    expect(page.get_by_role("img", name="Gói chè 250 g")).to_be_visible()
    portal.publish(page)
    page.get_by_role("link", name="View in the shop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    product_url = page.url

    # ... then submits its certificate from the portal: waiting for verification, no badge yet.
    page.get_by_role("banner").get_by_role("link", name="Producer portal").click()
    portal.submit_certificate(
        page,
        product_name=PRODUCT,
        scan=scan,
        number=CERTIFICATE,
        issued_on=issued_on,
        stars="4",
        score="75",
        level="province",
    )
    row = page.locator("main table tr", has_text=CERTIFICATE)
    expect(row).to_contain_text(PRODUCT)
    expect(row).to_contain_text("75/100")
    expect(row).to_contain_text("Waiting for verification")
    page.get_by_role("navigation", name="Producer portal").get_by_role("link", name="Dashboard").click()
    expect(page.locator("main")).to_contain_text("1 OCOP certificate waiting for an administrator")
    visitor, public = visit_anonymously(browser, live_server, product_url)
    expect(public.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    expect(public.locator("main")).to_contain_text("no OCOP certificate in force")
    expect(public.locator(".badge--stars")).to_have_count(0)
    portal.sign_out(page)

    # The administrator finds it in the queue and verifies it.
    portal.sign_in(page, live_server, people["admin"], expect_link="Administration")
    page.get_by_role("banner").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="OCOP certificates", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("OCOP certificates"))
    page.get_by_role("link", name=re.compile(CERTIFICATE)).click()
    expect(page.locator("main")).to_contain_text("75/100")
    expect(page.locator("main")).to_contain_text("HTX Chè La Bằng")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".flash")).to_contain_text("The decision has been recorded")

    # The anonymous visitor now sees the 4-star badge and the certificate on the product page.
    public.reload()
    expect(public.locator(".product__badges .badge--stars-4")).to_be_visible()
    expect(public.locator(".product__badges")).to_contain_text("OCOP 4 stars")
    expect(public.get_by_role("heading", name="OCOP 4 stars")).to_be_visible()
    expect(public.locator("main")).to_contain_text(CERTIFICATE)
    expect(public.locator("main")).not_to_contain_text("no OCOP certificate in force")
    visitor.close()
