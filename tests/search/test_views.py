"""The search results page is the catalogue page with ?q=."""

from __future__ import annotations

import pytest

from tests.search.catalogue import build_catalogue


def test_results_page_ranks_highlights_and_counts(search_backend, client) -> None:
    build_catalogue()
    html = client.get("/products?q=che+tan+cuong").get_data(as_text=True)
    assert "<mark>Chè</mark> <mark>Tân</mark> <mark>Cương</mark> đặc biệt" in html
    assert "hàng nháp" not in html  # the draft never shows


def test_results_page_proposes_a_spelling_when_nothing_matches(search_backend, client) -> None:
    build_catalogue()
    html = client.get("/products?q=sam+ngoc+lnh").get_data(as_text=True)
    assert "q=s%C3%A2m+ng%E1%BB%8Dc+linh" in html


@pytest.mark.parametrize(
    "language, heading, nearest",
    [
        ("vi", "Không có sản phẩm nào khớp", "Từ gần nhất trong các sản phẩm:"),
        ("en", "No products match your search", "Nearest product words:"),
    ],
)
def test_results_page_offers_the_nearest_product_words_in_either_language(
    search_backend, client, language, heading, nearest
) -> None:
    build_catalogue()
    client.set_cookie("lang", language)
    # Both words are known, but no product has both: each alone is proposed, as the product writes it.
    html = client.get("/products?q=mam+ngoc").get_data(as_text=True)
    assert heading in html and nearest in html
    assert '<a href="/products?q=m%E1%BA%AFm">mắm</a>' in html
    assert '<a href="/products?q=ng%E1%BB%8Dc">ngọc</a>' in html


@pytest.mark.parametrize(
    "language, groups", [("vi", "Hoặc xem theo nhóm sản phẩm:"), ("en", "Or browse a product group:")]
)
def test_a_search_with_no_near_word_still_leads_on_to_the_product_groups(
    search_backend, client, language, groups
) -> None:
    build_catalogue()
    client.set_cookie("lang", language)
    html = client.get("/products?q=xyzzyqq").get_data(as_text=True)
    assert groups in html
    assert 'href="/products?group=food"' in html and 'href="/products?group=handicrafts"' in html
    assert 'href="/products"' in html  # and everything
