"""A producer runs the shop in a real browser: signs in, lists a product with a picture, publishes
it and finds it on the public product page; the portal fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.e2e import portal
from tests.factories import make_producer, make_producer_member

pytestmark = pytest.mark.e2e


@pytest.fixture
def producer_owner(app):
    producer = make_producer(
        name="HTX Chè Tân Cương", slug="htx-che-tan-cuong", verification_status="verified"
    )
    user = make_producer_member(producer, email="owner@htx-che.vn")
    db.session.commit()
    return user


def test_a_producer_lists_a_product_with_a_picture_and_publishes_it(
    page: Page, live_server: str, producer_owner, tmp_path
) -> None:
    portal.sign_in(page, live_server, producer_owner.email)
    page.get_by_role("link", name="Producer portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    portal.create_product(page, live_server, name="Chè Tân Cương thượng hạng", sku="TC-500")
    portal.upload_picture(page, portal.picture_file(tmp_path), alt="Hộp chè 500 g")
    expect(page.get_by_role("img", name="Hộp chè 500 g")).to_be_visible()
    portal.publish(page)

    page.get_by_role("link", name="View in the shop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chè Tân Cương thượng hạng")
    expect(page.locator("main")).to_contain_text("150,000")
    expect(page.locator("main strong", has_text="Tân Cương").first).to_be_visible()


def test_the_subgroup_list_follows_the_group(page: Page, live_server: str, producer_owner) -> None:
    portal.sign_in(page, live_server, producer_owner.email)
    page.goto(live_server + "/portal/products/new")
    page.get_by_label("OCOP product group").select_option(label="Beverages")
    options = page.locator("#subgroup option:not([hidden])").all_inner_texts()
    assert "Alcoholic drinks" in options and "Tea and tea products" not in options


@pytest.mark.parametrize(
    "path", ["/portal/", "/portal/products", "/portal/products/new", "/portal/stock", "/portal/import-export"]
)
def test_portal_pages_fit_a_360_pixel_phone(page: Page, live_server: str, producer_owner, path: str) -> None:
    portal.sign_in(page, live_server, producer_owner.email)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
