"""The header search box suggests products as the visitor types (static/js/site.js, fed by
GET /search/suggest): a WAI-ARIA combobox driven by the keyboard or the pointer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from marketplace import search
from marketplace.demo import load_demo
from marketplace.extensions import db

pytestmark = pytest.mark.e2e

PRODUCT_URL = re.compile(r"/products/[a-z0-9-]+$")


@pytest.fixture
def demo(app) -> None:
    load_demo(with_images=False)
    db.session.commit()
    search.rebuild()


def search_box(page: Page) -> Locator:
    return page.get_by_role("combobox", name="Tìm sản phẩm OCOP")


def suggestions(page: Page) -> Locator:
    return page.get_by_role("listbox", name="Gợi ý sản phẩm")


def type_in_search_box(page: Page, text: str) -> Locator:
    box = search_box(page)
    box.click()
    box.press_sequentially(text, delay=30)  # key by key, as the debounce and aborts see it
    expect(suggestions(page)).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    return box


def test_typing_suggests_products_and_arrow_down_enter_opens_one(page: Page, live_server: str, demo) -> None:
    page.goto(live_server + "/")
    box = type_in_search_box(page, "che tan")

    options = suggestions(page).get_by_role("option")
    first = options.first
    expect(first).to_contain_text("Tân Cương")
    expect(first.locator("mark").first).to_have_text("Chè")  # the typed words are highlighted
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    box.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()  # focus stays in the box; only the active option moves
    name = first.inner_text()

    box.press("Enter")
    expect(page).to_have_url(PRODUCT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_escape_closes_the_suggestions_and_keeps_the_text(page: Page, live_server: str, demo) -> None:
    page.goto(live_server + "/")
    box = type_in_search_box(page, "che tan")

    box.press("Escape")
    expect(suggestions(page)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("che tan")

    box.press("ArrowDown")  # brings them back
    expect(suggestions(page)).to_be_visible()


def test_enter_without_a_selected_suggestion_submits_the_search(page: Page, live_server: str, demo) -> None:
    page.goto(live_server + "/")
    box = type_in_search_box(page, "che tan")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/products\?q=che\+tan$"))
    expect(search_box(page)).to_have_value("che tan")


def test_a_suggestion_can_be_tapped_on_a_360_pixel_phone(page: Page, live_server: str, demo) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/")
    type_in_search_box(page, "nuoc mam")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    option = suggestions(page).get_by_role("option").first
    name = option.inner_text()
    option.click()
    expect(page).to_have_url(PRODUCT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
