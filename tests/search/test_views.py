"""The search results page is the catalogue page with ?q=."""

from __future__ import annotations

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
