"""The read-only JSON API and the suggestions endpoint."""

from __future__ import annotations

import pytest

from tests.search.catalogue import build_catalogue

ITEM_KEYS = {
    "id",
    "slug",
    "name",
    "producer",
    "group",
    "stars",
    "certificate_valid_until",
    "protection",
    "price_vnd",
    "unit",
    "in_stock",
    "url",
}


def test_products_answers_items_total_page_and_facets(search_backend, client) -> None:
    ids = build_catalogue()
    response = client.get("/api/v1/products?q=nuoc+mam+phu+quoc&per_page=5")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "per_page", "facets"}
    assert (body["page"], body["per_page"]) == (1, 5)
    first = body["items"][0]
    assert set(first) == ITEM_KEYS
    assert first["id"] == ids["nuoc-mam-phu-quoc"]
    assert first["producer"] == {"name": "Công ty Nước mắm Khải Hoàn", "province": "An Giang"}
    assert first["protection"] == {"kind": "gi", "name": "Phú Quốc"}
    assert first["stars"] == 5 and first["certificate_valid_until"]
    assert first["url"].endswith("/products/nuoc-mam-phu-quoc")
    assert set(body["facets"]) == {"stars", "group", "province", "gi", "price"}


def test_products_filters_like_the_catalogue(search_backend, client) -> None:
    ids = build_catalogue()
    body = client.get("/api/v1/products?q=cafe&province=Sơn La&gi=1").get_json()
    assert [i["id"] for i in body["items"]] == [ids["ca-phe-arabica-son-la"]]
    old_name = client.get("/api/v1/products?province=ha-giang&per_page=100").get_json()
    # A former province's name filters by the province it merged into (Hà Giang -> Tuyên Quang).
    assert {i["slug"] for i in old_name["items"]} == {"che-shan-tuyet", "mat-ong-meo-vac", "cam-sanh-ham-yen"}


def test_an_expired_certificate_shows_no_stars_in_the_api(search_backend, client) -> None:
    build_catalogue()
    item = client.get("/api/v1/products?q=mam+tom").get_json()["items"][0]
    assert item["slug"] == "mam-tom"
    assert item["stars"] is None and item["certificate_valid_until"] is None


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("stars=7", "stars"),
        ("stars=three", "stars"),
        ("group=cars", "group"),
        ("province=Atlantis", "province"),
        ("gi=maybe", "gi"),
        ("min_price=-5", "min_price"),
        ("min_price=500&max_price=100", "min_price"),
        ("max_price=abc", "max_price"),
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("sort=random", "sort"),
        ("q=" + "x" * 300, "q"),
    ],
)
def test_bad_parameters_answer_422_with_the_api_error_naming_the_parameter(client, query, parameter) -> None:
    # API v1 (issue #14): every error is {"error": {"code", "message", "details"}}; a request that
    # breaks the document answers 422 `validation_error` with one entry per field (was 400
    # `bad_parameter` with "parameter" before the API took its schemas from pydantic models).
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert any(e["location"] == parameter or parameter in e["message"] for e in error["details"]["errors"])


def test_one_product_by_id_and_404_for_hidden_or_missing(search_backend, client) -> None:
    ids = build_catalogue()
    body = client.get(f"/api/v1/products/{ids['che-tan-cuong']}").get_json()
    assert ITEM_KEYS <= set(body) and body["name"] == "Chè Tân Cương đặc biệt"
    assert body["protections"] == [
        {
            "kind": "gi",
            "name": "Tân Cương",
            "registration_number": body["protections"][0]["registration_number"],
        }
    ]
    for missing in (ids["che-tan-cuong-nhap"], 999_999):
        response = client.get(f"/api/v1/products/{missing}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_suggestions_endpoint_answers_names_and_links(search_backend, client) -> None:
    build_catalogue()
    body = client.get("/search/suggest?q=che tan c").get_json()
    assert body["suggestions"] == [
        {
            "name": "Chè Tân Cương đặc biệt",
            "html": "<mark>Chè</mark> <mark>Tân</mark> Cương đặc biệt",
            "url": "/products/che-tan-cuong",
        }
    ]
    assert client.get("/search/suggest?q=").get_json()["suggestions"] == []
