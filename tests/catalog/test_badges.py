"""Badges explain themselves: the green mark links to what it means, its long label appears once
a page, and the catalogue's heading claims "OCOP products" only for what carries the star badge."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import make_certificate, make_producer, make_product

GREEN_VI = "Cơ sở xanh đã xác minh"


@pytest.fixture
def green_shop(app):
    producer = make_producer(
        name="HTX Chè Xanh",
        slug="htx-che-xanh",
        green_verified=True,
        environment_plan="Ủ bã chè làm phân.",
        province_code="thai-nguyen",
    )
    other = make_producer(
        name="HTX Quế Xanh", slug="htx-que-xanh", green_verified=True, province_code="thai-nguyen"
    )
    tea = make_product(producer, slug="che-xanh", name="Chè xanh Tân Cương")
    make_certificate(tea, 4)
    lapsed = make_product(producer, slug="che-cu", name="Chè cũ")
    issued = add_months(today_in_vietnam(), -40)
    make_certificate(lapsed, 3, issued_on=issued, expires_on=add_months(issued, 36))
    cinnamon = make_product(other, slug="que", name="Quế Văn Yên")
    make_certificate(cinnamon, 3)
    db.session.commit()
    return tea


@pytest.mark.parametrize(
    "path", ["/products/che-xanh", "/producers/htx-che-xanh", "/provinces/thai-nguyen", "/products", "/"]
)
def test_the_green_marks_long_label_appears_at_most_once_a_page(client, green_shop, path) -> None:
    client.set_cookie("lang", "vi")
    page = client.get(path).get_data(as_text=True)
    assert page.count(GREEN_VI) <= 1, path
    if path.startswith(("/products/", "/producers/")):
        assert page.count(GREEN_VI) == 1


@pytest.mark.parametrize("path", ["/products/che-xanh", "/producers/htx-che-xanh", "/products"])
def test_every_green_mark_links_to_what_it_means(client, green_shop, path) -> None:
    page = client.get(path).get_data(as_text=True)
    marks = re.findall(r'<(\w+) class="badge badge--green[^"]*"([^>]*)>', page)
    assert marks and all(tag == "a" and 'href="/about/green"' in attrs for tag, attrs in marks), marks


def test_the_green_page_says_what_the_mark_means_and_how_it_is_verified(client, app) -> None:
    client.set_cookie("lang", "en")
    page = client.get("/about/green").get_data(as_text=True)
    assert "How it is verified" in page and "waste" in page and "never as verified" in page


def test_the_catalogue_heading_counts_what_it_lists(client, green_shop) -> None:
    client.set_cookie("lang", "en")
    page = client.get("/products").get_data(as_text=True)
    assert "All OCOP products" not in page  # the lapsed one is listed without a badge
    assert "<h1>All products</h1>" in page
    assert re.search(r"3 products\s*· 2 with an OCOP certificate in force", page)
    starred = client.get("/products?stars=4").get_data(as_text=True)
    assert "1 product" in starred and "with an OCOP certificate in force" not in starred


def test_a_catalogue_of_certified_products_only_may_say_so(client, app) -> None:
    make_certificate(make_product(slug="a"), 3)
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get("/products").get_data(as_text=True)
    assert "<h1>All OCOP products</h1>" in page and "certificate in force" not in page
