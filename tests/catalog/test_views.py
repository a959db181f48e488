"""The storefront pages: content, both languages, bad parameters, and a bounded number of queries."""

from __future__ import annotations

import pytest

from marketplace.catalog import cache
from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import (
    add_image,
    grant_right,
    make_certificate,
    make_producer,
    make_product,
    make_protection,
)


@pytest.fixture
def tea(app):
    producer = make_producer(
        slug="htx-tan-cuong", name="HTX Chè Tân Cương Hoàng Bình", province_code="thai-nguyen"
    )
    product = make_product(
        producer,
        slug="che-tan-cuong",
        name="Chè Tân Cương đặc biệt",
        price_vnd=250_000,
        description="Chè **búp** non.\n\n<script>alert(1)</script> [x](javascript:alert(1))",
    )
    make_certificate(product, 4, certificate_number="OCOP-TN-0042", issuing_level="province")
    grant_right(product, make_protection("gi", "Tân Cương", "00013"))
    add_image(product, "products/che-tan-cuong-1")
    db.session.commit()
    return product


def english(client) -> None:
    client.set_cookie("lang", "en")


def test_home_page_leads_into_the_catalogue(client, tea) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "Chè Tân Cương đặc biệt" in html
    assert "/products?group=food" in html
    assert "/products?stars=4" in html
    assert "/provinces/thai-nguyen" in html


def test_catalogue_shows_products_with_badges_and_vietnamese_prices(client, tea) -> None:
    html = client.get("/products").get_data(as_text=True)
    assert "Chè Tân Cương đặc biệt" in html
    assert "250.000 ₫" in html
    assert "Thực phẩm" in html
    assert "Chỉ dẫn địa lý" in html


def test_catalogue_in_english(client, tea) -> None:
    english(client)
    html = client.get("/products").get_data(as_text=True)
    assert "250,000 ₫" in html
    assert "Food" in html
    assert "Geographical indication" in html
    assert '<html lang="en"' in html


def test_product_page_shows_the_badges_in_full_and_a_sanitised_description(client, tea) -> None:
    html = client.get("/products/che-tan-cuong").get_data(as_text=True)
    assert "OCOP-TN-0042" in html
    assert "00013" in html
    assert "<strong>búp</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in html
    valid_until = add_months(add_months(today_in_vietnam(), -6), 36)
    assert valid_until.strftime("%d/%m/%Y") in html
    assert "HTX Chè Tân Cương Hoàng Bình" in html


def test_expired_certificate_hides_the_badge_not_the_product(client, app) -> None:
    product = make_product(slug="old", name="Mật ong bạc hà")
    make_certificate(
        product, 4, certificate_number="OCOP-EXPIRED", issued_on=add_months(today_in_vietnam(), -40)
    )
    db.session.commit()
    response = client.get("/products/old")
    assert response.status_code == 200
    assert "OCOP-EXPIRED" not in response.get_data(as_text=True)


def test_producer_and_province_pages(client, tea) -> None:
    assert "Chè Tân Cương đặc biệt" in client.get("/producers/htx-tan-cuong").get_data(as_text=True)
    html = client.get("/provinces/thai-nguyen").get_data(as_text=True)
    assert "Thái Nguyên" in html and "Bắc Kạn" in html  # the former province it absorbed
    assert "HTX Chè Tân Cương Hoàng Bình" in html


def test_a_former_province_redirects_to_the_province_in_force(client, app) -> None:
    response = client.get("/provinces/ha-giang")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/provinces/tuyen-quang")


@pytest.mark.parametrize(
    "path",
    ["/products/nope", "/producers/nope", "/provinces/atlantis"],
)
def test_unknown_pages_answer_404_in_the_sites_look(client, app, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "OCOP" in response.get_data(as_text=True)


def test_unverified_producers_page_is_not_public(client, app) -> None:
    make_producer(slug="waiting", verification_status="pending")
    db.session.commit()
    assert client.get("/producers/waiting").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "page=abc",
        "stars=9",
        "province=Atlantis",
        "group=%00",
        "min_price=-1&max_price=x",
        "sort=;drop",
        "page=999999",
        "gi=maybe",
        "province=" + "a" * 5000,
    ],
)
def test_bad_parameters_never_break_the_catalogue(client, tea, query) -> None:
    assert client.get(f"/products?{query}").status_code == 200


def test_filters_from_the_url_are_applied(client, tea, app) -> None:
    make_product(make_producer(province_code="an-giang"), slug="nuoc-mam", name="Nước mắm Phú Quốc")
    db.session.commit()
    html = client.get("/products?province=Kiên Giang").get_data(as_text=True)
    assert "Nước mắm Phú Quốc" in html and "Chè Tân Cương đặc biệt" not in html
    html = client.get("/products?gi=1").get_data(as_text=True)
    assert "Chè Tân Cương đặc biệt" in html and "Nước mắm Phú Quốc" not in html


# --- a bounded number of SQL statements per page ---------------------------------------------------


def _catalogue_of(size: int) -> str:
    producers = [make_producer(province_code=code) for code in ("thai-nguyen", "an-giang", "son-la")]
    slug = ""
    for n in range(size):
        product = make_product(producers[n % 3], slug=f"p-{size}-{n}")
        make_certificate(product, 3 + (n + 1) % 3)  # the first product: 4 stars, with a GI
        add_image(product, f"products/p-{n}")
        if n % 2 == 0:
            grant_right(product, make_protection("gi", f"GI {n}"))
        slug = product.slug
    db.session.commit()
    return slug


def _statements(client, count_queries, path: str) -> int:
    cache.clear()
    db.session.remove()
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    db.session.remove()  # the request shared the test's app context: end its transaction
    return counter.count


@pytest.mark.parametrize("page", ["/", "/products", "/products?stars=4&gi=1", "product"])
def test_each_page_runs_the_same_number_of_statements_for_1_or_48_products(
    client, app, count_queries, page
) -> None:
    counts = []
    for size in (1, 48):
        from tests.conftest import _truncate_all

        _truncate_all(app)
        slug = _catalogue_of(size)
        path = f"/products/{slug}" if page == "product" else page
        counts.append(_statements(client, count_queries, path))
    assert counts[0] == counts[1]
    # The product page: 13 since traceability's recall notices (one statement, on a cache miss only).
    assert counts[1] <= (13 if page == "product" else 12)


def test_a_cached_page_costs_one_statement(client, tea, count_queries) -> None:
    """For a visitor with a session (here a cart), whose page is rendered from the cached data and
    fragments; visitors without one get the whole page from the page cache (test_page_cache)."""
    with client.session_transaction() as session:
        session["cart"] = {}
    client.get("/products")
    db.session.remove()
    with count_queries() as counter:
        client.get("/products")
    assert counter.count == 1


def test_a_price_change_shows_at_once_on_the_cached_pages(client, tea) -> None:
    for path in (
        "/",
        "/products",
        "/products/che-tan-cuong",
        "/producers/htx-tan-cuong",
        "/provinces/thai-nguyen",
    ):
        assert "250.000 ₫" in client.get(path).get_data(as_text=True), path
    tea.price_vnd = 275_000
    db.session.commit()
    for path in (
        "/",
        "/products",
        "/products/che-tan-cuong",
        "/producers/htx-tan-cuong",
        "/provinces/thai-nguyen",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "275.000 ₫" in html and "250.000 ₫" not in html, path


def test_cached_pages_are_kept_apart_by_language(client, tea) -> None:
    assert "Thực phẩm" in client.get("/products").get_data(as_text=True)
    english(client)
    html = client.get("/products").get_data(as_text=True)
    assert "Food" in html and "Thực phẩm" not in html
