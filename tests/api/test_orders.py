"""POST /orders, GET /orders, GET /orders/{reference}, cancel: the site's bulk-order rules through
the API, idempotency, and another organisation's orders answering 404."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from marketplace.catalog.supply import mask_of
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.timeutil import add_months, today_in_vietnam
from tests.api.helpers import bearer, build_world, order_body, token_for
from tests.wholesale.helpers import buyer


def post_order(client, world, body=None, key="order-key-0001", token=None):
    headers = bearer(token or world.buyer_token)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/orders", json=body or order_body(world), headers=headers)


def order_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Order.id)))


def test_an_order_is_placed_with_the_wholesale_prices_and_read_back(client) -> None:
    world = build_world()
    response = post_order(client, world)
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert order["purchase_order_number"] == "PO-API-1"
    (part,) = order["parts"]
    assert part["status"] == "placed" and part["producer"]["slug"] == "htx-che"
    assert [line["unit_price_vnd"] for line in part["lines"]] == [82_000, 82_000]  # the tier from 50
    assert part["events"][0]["to_status"] == "placed"
    again = client.get(f"/api/v1/orders/{order['reference']}", headers=bearer(world.buyer_token))
    assert again.status_code == 200 and again.get_json() == order
    listed = client.get("/api/v1/orders?status=placed", headers=bearer(world.buyer_token)).get_json()
    assert [o["reference"] for o in listed["items"]] == [order["reference"]]


def test_every_refused_line_comes_back_at_once_with_the_csv_codes(client) -> None:
    world = build_world()
    body = order_body(world)
    body["lines"] = [
        {"code": "htx-che/TC-0", "quantity": 5_000},
        {"code": "NOPE", "quantity": 1},
        {"code": "htx-che/TC-1", "quantity": 50},
        {"code": "htx-che/TC-1", "quantity": 50},
    ]
    response = post_order(client, world, body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "lines_refused"
    by_line = {entry["line"]: [p["code"] for p in entry["problems"]] for entry in error["details"]["lines"]}
    assert by_line == {1: ["out_of_stock"], 2: ["unknown_code"], 4: ["duplicate_line"]}
    assert order_count() == 0


def test_the_same_key_and_body_answers_the_stored_response(client) -> None:
    world = build_world()
    first = post_order(client, world)
    second = post_order(client, world)
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert order_count() == 1


def test_the_same_key_with_another_body_is_refused(client) -> None:
    world = build_world()
    assert post_order(client, world).status_code == 201
    response = post_order(client, world, order_body(world, quantity=100))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert order_count() == 1


def test_a_key_is_required(client) -> None:
    world = build_world()
    response = post_order(client, world, key=None)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "idempotency_key_required"


def test_a_retry_while_the_first_request_runs_answers_409(client) -> None:
    from marketplace.api import idempotency

    world = build_world()
    body = order_body(world)
    fingerprint = idempotency.request_hash("POST", "/api/v1/orders", body)
    idempotency.begin("buyer", world.organisation.id, "order-key-0001", fingerprint)  # still running
    response = post_order(client, world, body)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_request_in_progress"
    assert order_count() == 0


def test_two_concurrent_requests_with_one_key_create_one_order(app, backend) -> None:
    world = build_world()
    body = order_body(world)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        statuses.append(post_order(client, world, body).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) in ([201, 201], [201, 409]), statuses
    assert order_count() == 1


def test_another_organisations_order_answers_404(client) -> None:
    world = build_world()
    reference = post_order(client, world).get_json()["reference"]
    other_owner, other = buyer(email="other@chain.vn")
    other_token = token_for("buyer", other.id, other_owner.id)
    assert client.get(f"/api/v1/orders/{reference}", headers=bearer(other_token)).status_code == 404
    assert client.post(f"/api/v1/orders/{reference}/cancel", headers=bearer(other_token)).status_code == 404
    assert client.get("/api/v1/orders", headers=bearer(other_token)).get_json()["items"] == []


def test_an_order_is_cancelled_before_acceptance_only(client) -> None:
    world = build_world()
    first = post_order(client, world).get_json()
    cancelled = client.post(f"/api/v1/orders/{first['reference']}/cancel", headers=bearer(world.buyer_token))
    assert cancelled.status_code == 200
    assert [p["status"] for p in cancelled.get_json()["parts"]] == ["cancelled"]
    second = post_order(client, world, key="order-key-0002").get_json()
    part_id = second["parts"][0]["id"]
    accepted = client.post(f"/api/v1/producer-orders/{part_id}/accept", headers=bearer(world.producer_token))
    assert accepted.status_code == 200
    refused = client.post(f"/api/v1/orders/{second['reference']}/cancel", headers=bearer(world.buyer_token))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "transition_not_allowed"


def test_the_credit_limit_applies_as_on_the_site(client) -> None:
    world = build_world(credit_limit_vnd=1_000)
    response = post_order(client, world)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "credit_limit_exceeded"


def test_orders_above_the_threshold_wait_for_approval(client) -> None:
    world = build_world()
    world.organisation.approval_threshold_vnd = 1_000
    db.session.commit()
    order = post_order(client, world).get_json()
    assert order["approval_status"] == "pending"
    assert [p["status"] for p in order["parts"]] == ["pending_approval"]
    part_id = order["parts"][0]["id"]
    hidden = client.get(f"/api/v1/producer-orders/{part_id}", headers=bearer(world.producer_token))
    assert hidden.status_code == 404


def test_order_details_are_checked(client) -> None:
    world = build_world()
    body = order_body(world, requested_delivery_date="2020-01-01", delivery_location_id=999_999)
    response = post_order(client, world, body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_order_details"
    assert error["details"]["fields"]["delivery_location_id"]["code"] == "unknown_location"
    body = order_body(world, requested_delivery_date="2020-01-01")
    error = post_order(client, world, body, key="order-key-0002").get_json()["error"]
    assert [f["code"] for f in error["details"]["fields"].values()] == ["date_in_past"]


def test_a_request_body_that_breaks_the_schema_answers_422_with_every_field(client) -> None:
    world = build_world()
    response = post_order(client, world, {"lines": [{"code": "", "quantity": 0}], "colour": "red"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert {e["location"] for e in error["details"]["errors"]} == {
        "lines.0.code",
        "lines.0.quantity",
        "colour",
    }


def test_an_order_is_priced_once_prices_and_stock_read_a_single_time(client, count_queries) -> None:
    world = build_world(products=3)
    with count_queries() as counter:
        response = post_order(client, world)
    assert response.status_code == 201, response.get_json()
    tier_reads = [
        s for s in counter.statements if s.lstrip().upper().startswith("SELECT") and "price_tiers" in s
    ]
    assert len(tier_reads) == 1, tier_reads


def _seasonal_world(in_season_months) -> tuple:
    world = build_world(products=1)
    world.products[0].season_months = mask_of(in_season_months)
    db.session.commit()
    return world


def test_supply_is_checked_for_the_month_of_delivery_not_this_month(client) -> None:
    today = today_in_vietnam()
    later = add_months(today, 2)
    world = _seasonal_world([later.month])  # out of season now, in season at delivery
    response = post_order(client, world, order_body(world, requested_delivery_date=later.isoformat()))
    assert response.status_code == 201, response.get_json()


def test_a_line_out_of_season_in_the_month_of_delivery_is_refused_with_its_code(client) -> None:
    today = today_in_vietnam()
    later = add_months(today, 2)
    world = _seasonal_world([today.month])  # in season now, not at delivery
    response = post_order(client, world, order_body(world, requested_delivery_date=later.isoformat()))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "lines_refused"
    assert [p["code"] for p in error["details"]["lines"][0]["problems"]] == ["out_of_season"]
    assert order_count() == 0
