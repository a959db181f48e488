"""A consumer browses the storefront in a real browser: groups, facets, a product, languages,
a phone-sized screen and the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.demo import load_demo
from marketplace.extensions import db

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(app) -> None:
    load_demo(with_images=False)
    db.session.commit()


def test_a_consumer_finds_a_4_star_tea_through_group_and_star_facets(
    page: Page, live_server: str, demo
) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile(r"^Thực phẩm")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thực phẩm")

    page.get_by_role("link", name=re.compile(r"4 sao")).first.click()
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page).to_have_url(re.compile(r"group=food"))

    first_card = page.locator(".card").first
    name = first_card.locator(".card__title").inner_text()
    first_card.locator(".card__link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("main")).to_contain_text("OCOP 4 sao")
    expect(page.locator("main")).to_contain_text("Số giấy chứng nhận")


def test_the_language_switch_changes_the_site_to_english_and_back(page: Page, live_server: str, demo) -> None:
    page.goto(live_server + "/products?stars=5")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/products\?stars=5$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("OCOP 5-star products")

    page.goto(live_server + "/")  # the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


@pytest.mark.parametrize("path", ["/", "/products?group=food&stars=3", "/provinces/an-giang"])
def test_pages_fit_a_360_pixel_phone(page: Page, live_server: str, demo, path: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_a_product_page_fits_a_phone(page: Page, live_server: str, demo) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/products")
    page.locator(".card__link").first.click()
    # Measure the product page once it has loaded, not the catalogue while it is being left.
    page.wait_for_url(re.compile(r"/products/[^?]+$"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_first_tab_stop_skips_to_the_main_content(page: Page, live_server: str, demo) -> None:
    page.goto(live_server + "/products")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Chuyển đến nội dung chính"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
