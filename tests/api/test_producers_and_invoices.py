"""Producers: PATCH /listings (all or nothing, every bad row), their order parts and moves; buyers:
invoices as JSON and PDF, another organisation's answering 404."""

from __future__ import annotations

from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.api.helpers import bearer, build_world, order_body, token_for
from tests.factories import make_producer, make_producer_member
from tests.wholesale.helpers import buyer


def place(client, world, key="order-key-0001"):
    response = client.post(
        "/api/v1/orders",
        json=order_body(world),
        headers={**bearer(world.buyer_token), "Idempotency-Key": key},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_listings_change_stock_and_prices_by_sku(client) -> None:
    world = build_world()
    response = client.patch(
        "/api/v1/listings",
        headers=bearer(world.producer_token),
        json={
            "items": [
                {"sku": "TC-0", "stock": 7},
                {
                    "sku": "TC-1",
                    "price_vnd": 95_000,
                    "tiers": [{"min_quantity": 10, "unit_price_vnd": 90_000}],
                },
            ]
        },
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["updated"] == [
        {
            "sku": "TC-0",
            "stock": 7,
            "price_vnd": 90_000,
            "tiers": [
                {"min_quantity": 50, "unit_price_vnd": 82_000},
                {"min_quantity": 100, "unit_price_vnd": 78_000},
            ],
        },
        {
            "sku": "TC-1",
            "stock": 1_000,
            "price_vnd": 95_000,
            "tiers": [{"min_quantity": 10, "unit_price_vnd": 90_000}],
        },
    ]


def test_listings_are_all_or_nothing_and_every_bad_row_is_reported(client) -> None:
    world = build_world()
    response = client.patch(
        "/api/v1/listings",
        headers=bearer(world.producer_token),
        json={
            "items": [
                {"sku": "TC-0", "stock": 3},
                {"sku": "NOPE", "stock": 1},
                {"sku": "TC-1", "price_vnd": 80_000},
                {"sku": "TC-0", "stock": 4},
            ]
        },
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "listings_refused"
    assert [(r["row"], r["code"]) for r in error["details"]["rows"]] == [
        (2, "unknown_sku"),
        (3, "invalid_tiers"),
        (4, "duplicate_sku"),
    ]
    db.session.expire_all()
    assert db.session.get(Product, world.products[0].id).stock == 1_000


def test_another_producers_sku_is_unknown(client) -> None:
    build_world()  # htx-che has TC-0; the other producer does not
    other = make_producer(slug="htx-khac", verification_status="verified")
    owner = make_producer_member(other, email="khac@htx.vn")
    db.session.commit()
    token = token_for("producer", other.id, owner.id)
    response = client.patch(
        "/api/v1/listings", headers=bearer(token), json={"items": [{"sku": "TC-0", "stock": 1}]}
    )
    assert response.get_json()["error"]["details"]["rows"][0]["code"] == "unknown_sku"


def test_a_producer_accepts_part_ships_and_delivers_and_the_buyer_gets_the_invoice(client) -> None:
    world = build_world()
    order = place(client, world)
    part_id = order["parts"][0]["id"]
    auth = bearer(world.producer_token)
    listed = client.get("/api/v1/producer-orders?status=placed", headers=auth).get_json()
    assert [p["id"] for p in listed["items"]] == [part_id]
    line_id = listed["items"][0]["lines"][0]["id"]
    accepted = client.post(
        f"/api/v1/producer-orders/{part_id}/accept-part",
        headers=auth,
        json={"lines": [{"line_id": line_id, "quantity": 40, "reason": "short of stock"}]},
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "accepted"
    refused = client.post(f"/api/v1/producer-orders/{part_id}/accept", headers=auth)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "transition_not_allowed"
    bad = client.post(f"/api/v1/producer-orders/{part_id}/ship", headers=auth, json={"carrier": ""})
    assert bad.status_code == 422
    shipped = client.post(
        f"/api/v1/producer-orders/{part_id}/ship",
        headers=auth,
        json={"carrier": "Viettel Post", "tracking_number": "VTP1"},
    )
    assert shipped.get_json()["tracking_number"] == "VTP1"
    assert client.post(f"/api/v1/producer-orders/{part_id}/deliver", headers=auth).status_code == 200
    seen = client.get(f"/api/v1/orders/{order['reference']}", headers=bearer(world.buyer_token)).get_json()
    line = seen["parts"][0]["lines"][0]
    assert (line["quantity"], line["ordered_quantity"], line["adjustment_reason"]) == (
        40,
        50,
        "short of stock",
    )
    assert seen["parts"][0]["status"] == "delivered"
    invoices = client.get("/api/v1/invoices", headers=bearer(world.buyer_token)).get_json()["items"]
    (invoice,) = invoices
    assert invoice["order_reference"] == order["reference"] and invoice["status"] == "open"
    one = client.get(f"/api/v1/invoices/{invoice['number']}", headers=bearer(world.buyer_token))
    assert one.get_json() == invoice
    pdf = client.get(f"/api/v1/invoices/{invoice['number']}.pdf", headers=bearer(world.buyer_token))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    other_owner, other = buyer(email="other@chain.vn")
    other_token = token_for("buyer", other.id, other_owner.id)
    for path in (f"/api/v1/invoices/{invoice['number']}", f"/api/v1/invoices/{invoice['number']}.pdf"):
        assert client.get(path, headers=bearer(other_token)).status_code == 404


def test_another_producers_part_answers_404(client) -> None:
    world = build_world()
    part_id = place(client, world)["parts"][0]["id"]
    other = make_producer(slug="htx-khac", verification_status="verified")
    owner = make_producer_member(other, email="khac@htx.vn")
    db.session.commit()
    token = token_for("producer", other.id, owner.id)
    assert client.get(f"/api/v1/producer-orders/{part_id}", headers=bearer(token)).status_code == 404
    assert client.post(f"/api/v1/producer-orders/{part_id}/accept", headers=bearer(token)).status_code == 404
