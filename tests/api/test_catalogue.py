"""GET /catalog: wholesale terms, certificate and GI facts, filters, cursor, updated_since; and the
document and reference page."""

from __future__ import annotations

from datetime import timedelta

from marketplace.catalog.supply import mask_of
from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam, utcnow
from tests.api.helpers import bearer, build_world
from tests.factories import grant_right, make_certificate, make_protection
from tests.invoicing.helpers import supermarket_order


def test_the_catalogue_shows_wholesale_terms_certificates_and_gi(client, count_queries) -> None:
    world = build_world(products=3)
    make_certificate(world.products[0], 4)
    grant_right(world.products[0], make_protection())
    world.producer.min_order_value_vnd = 2_000_000
    db.session.commit()
    with count_queries() as counter:
        body = client.get("/api/v1/catalog?limit=2", headers=bearer(world.buyer_token)).get_json()
    # One counts the request against the token's rate limit, one reads the committed supply.
    assert counter.count <= 10
    first = body["items"][0]
    assert first["code"] == "htx-che/TC-0"
    assert first["tiers"] == [
        {"min_quantity": 50, "unit_price_vnd": 82_000},
        {"min_quantity": 100, "unit_price_vnd": 78_000},
    ]
    assert (first["min_order_qty"], first["case_pack"], first["stock"]) == (1, 1, 1_000)
    assert first["producer"]["min_order_value_vnd"] == 2_000_000
    assert first["certificate"]["stars"] == 4
    assert first["protections"][0]["kind"] == "gi"
    assert body["next_cursor"] == str(body["items"][1]["id"])
    rest = client.get(
        f"/api/v1/catalog?cursor={body['next_cursor']}", headers=bearer(world.buyer_token)
    ).get_json()
    assert [i["sku"] for i in rest["items"]] == ["TC-2"] and rest["next_cursor"] is None
    starred = client.get("/api/v1/catalog?stars=4&gi=1", headers=bearer(world.buyer_token)).get_json()
    assert [i["sku"] for i in starred["items"]] == ["TC-0"]


def test_the_catalogue_shows_capacity_and_what_open_orders_already_committed(client) -> None:
    world = build_world(products=1)
    product = world.products[0]
    product.monthly_capacity = 500
    this_month = today_in_vietnam().replace(day=1)
    next_month = add_months(this_month, 1)
    product.season_months = mask_of([this_month.month, add_months(this_month, 2).month])
    supermarket_order(world.organisation, [[(product, 120)]], requested=today_in_vietnam())
    db.session.commit()
    body = client.get("/api/v1/catalog", headers=bearer(world.buyer_token)).get_json()
    supply = body["items"][0]["supply"]
    assert [(m["year"], m["month"]) for m in supply] == [
        (d.year, d.month) for d in (this_month, next_month, add_months(this_month, 2))
    ]
    assert supply[0] == {
        "year": this_month.year,
        "month": this_month.month,
        "in_season": True,
        "capacity": 500,
        "committed": 120,
        "remaining": 380,
    }
    assert (supply[1]["in_season"], supply[1]["remaining"]) == (False, 0)
    assert (supply[2]["committed"], supply[2]["remaining"]) == (0, 500)


def test_updated_since_lists_only_what_changed(client) -> None:
    world = build_world(products=2)
    since = utcnow() + timedelta(seconds=1)
    world.products[1].updated_at = since + timedelta(seconds=1)
    db.session.commit()
    body = client.get(
        f"/api/v1/catalog?updated_since={since.isoformat()}Z", headers=bearer(world.buyer_token)
    ).get_json()
    assert [i["sku"] for i in body["items"]] == ["TC-1"]


def test_updated_since_reports_what_is_no_longer_for_sale_once_in_its_pages_id_range(client) -> None:
    world = build_world(products=4)
    since = utcnow() + timedelta(seconds=1)
    archived, cheaper, renamed = world.products[1:]
    archived.status = "archived"
    cheaper.price_vnd, renamed.name = 85_000, "Chè mới"
    for product in (archived, cheaper, renamed):
        product.updated_at = since + timedelta(seconds=1)
    db.session.commit()
    url = f"/api/v1/catalog?limit=1&updated_since={since.isoformat()}Z"
    first = client.get(url, headers=bearer(world.buyer_token)).get_json()
    assert [i["sku"] for i in first["items"]] == ["TC-2"]
    assert first["removed"] == [{"id": archived.id, "code": "htx-che/TC-1"}]
    second = client.get(f"{url}&cursor={first['next_cursor']}", headers=bearer(world.buyer_token)).get_json()
    assert [i["sku"] for i in second["items"]] == ["TC-3"] and second["removed"] == []
    assert second["next_cursor"] is None
    everything = client.get("/api/v1/catalog", headers=bearer(world.buyer_token)).get_json()
    assert [i["sku"] for i in everything["items"]] == ["TC-0", "TC-2", "TC-3"]
    assert everything["removed"] == []


def test_an_unverified_chain_reads_no_wholesale_prices(client) -> None:
    world = build_world(status="pending")
    response = client.get("/api/v1/catalog", headers=bearer(world.buyer_token))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "buyer_not_verified"


def test_the_document_lists_every_operation_and_error_code(client) -> None:
    from marketplace.api.errors import ERROR_CODES

    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert {
        "/api/v1/orders",
        "/api/v1/catalog",
        "/api/v1/invoices/{number}.pdf",
        "/api/v1/listings",
        "/api/v1/producer-orders/{part_id}/ship",
    } <= set(doc["paths"])
    assert all(f"`{code}`" in doc["info"]["description"] for code in ERROR_CODES)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"vendor/redoc/redoc.standalone.js" in page.data
    assert b"cdn" not in page.data.lower()
