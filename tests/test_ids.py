"""Ids from the outside (paths and form fields) beyond what a database integer holds are "not
found", never a 500 (SQLite raises OverflowError above 2**63 - 1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from werkzeug.routing import IntegerConverter

from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale.pricing import organisation_locations
from tests.factories import make_user
from tests.wholesale.helpers import buyer, fill_draft, wholesale_product

HUGE = "9223372036854775808"  # 2**63
OTHER_ARGUMENTS = {"kind": "producer", "queue_code": "certificates", "reference": "X"}


def _int_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        path = re.sub(r"<int:\w+>", HUGE, rule.rule)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: OTHER_ARGUMENTS.get(m[1], "x"), path)
        routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_int_route_answers_404_to_an_id_beyond_a_database_integer(app, web, who) -> None:
    if who == "admin":
        web.sign_in(make_user(is_admin=True))
        db.session.commit()
    routes = _int_routes(app)
    assert len(routes) > 30
    wrong = [
        f"{method} {path}: {status}"
        for method, path in routes
        if (status := (web.get(path) if method == "GET" else web.post(path)).status_code) != 404
    ]
    assert not wrong, wrong


def test_the_api_answers_404_for_a_product_id_beyond_a_database_integer(client) -> None:
    assert client.get(f"/api/v1/products/{HUGE}").status_code == 404
    assert client.get(f"/api/v1/products/{2**31}").status_code == 404


@pytest.mark.parametrize("product_id", ["99999999999999999999999", str(2**31), "0", "-1"])
def test_adding_a_huge_product_id_to_a_bulk_order_is_refused_with_a_message(web, product_id) -> None:
    user, _ = buyer("purchaser")
    db.session.commit()
    web.sign_in(user)
    web.client.set_cookie("lang", "en")
    response = web.post("/wholesale/order/add", {"product_id": product_id, "quantity": 5})
    assert response.status_code == 302
    assert "could not be added" in web.get("/wholesale/products").get_data(as_text=True)


def test_huge_ids_in_the_draft_and_review_forms_are_ignored(web) -> None:
    user, organisation = buyer("purchaser")
    product = wholesale_product(stock=500)
    fill_draft(organisation, [(product, 50)], user)
    db.session.commit()
    web.sign_in(user)
    response = web.post("/wholesale/order", {f"qty-{HUGE}0": "5", "remove": HUGE + "0"})
    assert response.status_code == 302
    review = web.get("/wholesale/order/review").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', review).group(1)
    when = (today_in_vietnam() + timedelta(days=5)).isoformat()
    response = web.post(
        "/wholesale/order/place",
        {
            "idempotency_key": key,
            f"date-{HUGE}0": when,
            f"location-{product.producer_id}": HUGE + "0",
            f"date-{product.producer_id}": when,
        },
    )
    assert response.status_code in (200, 302)
    assert organisation_locations(organisation.id)
