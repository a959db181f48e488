"""A producer never sees or changes another producer's products, pictures, stock or export."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from tests.conftest import FormClient
from tests.factories import add_image, make_producer, make_producer_member, make_product
from tests.portal.conftest import catalogue_snapshot

PATHS = [
    ("GET", "/portal/products/{product}/edit"),
    ("POST", "/portal/products/{product}/edit"),
    ("POST", "/portal/products/{product}/publish"),
    ("POST", "/portal/products/{product}/unpublish"),
    ("POST", "/portal/products/{product}/archive"),
    ("GET", "/portal/products/{product}/pictures"),
    ("POST", "/portal/products/{product}/pictures"),
    ("POST", "/portal/products/{product}/pictures/{picture}/cover"),
    ("POST", "/portal/products/{product}/pictures/{picture}/move"),
    ("POST", "/portal/products/{product}/pictures/{picture}/alt"),
    ("POST", "/portal/products/{product}/pictures/{picture}/delete"),
    ("GET", "/portal/products/{product}/stock"),
    ("POST", "/portal/products/{product}/stock"),
    # Own product, someone else's picture: still 404.
    ("POST", "/portal/products/{own_product}/pictures/{picture}/delete"),
    ("POST", "/portal/products/{own_product}/pictures/{picture}/cover"),
]


@pytest.fixture
def intruder(client, app):
    other = make_producer(verification_status="verified")
    user = make_producer_member(other, role="staff")
    own = make_product(other, sku="OWN-1")
    db.session.commit()
    client.set_cookie("lang", "en")
    return FormClient(client).sign_in(user), own


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_another_producers_objects_answer_404_and_stay_unchanged(intruder, producer, method, path) -> None:
    web, own = intruder
    product = make_product(producer, sku="VICTIM-1", stock=7)
    picture = add_image(product)
    add_image(product, key="products/second", cover=False)
    db.session.commit()
    before = catalogue_snapshot()
    target = path.format(product=product.id, picture=picture.id, own_product=own.id)
    data = {
        "reason": "received",
        "quantity": "5",
        "alt": "x",
        "direction": "down",
        "name": "Hijacked name",
        "sku": "X-1",
        "group": "food",
        "subgroup": "tea",
        "unit": "box",
        "price": "1000",
        "min_order_qty": "1",
        "case_pack": "1",
        "low_stock_threshold": "0",
    }
    response = web.get(target) if method == "GET" else web.post(target, data)
    assert response.status_code == 404
    assert catalogue_snapshot() == before


def test_lists_and_the_export_show_only_the_producers_own_products(intruder, producer) -> None:
    web, _own = intruder
    make_product(producer, sku="VICTIM-1", name="Chè của người khác")
    db.session.commit()
    for path in ("/portal/", "/portal/products", "/portal/stock", "/portal/export.csv"):
        page = web.get(path).get_data(as_text=True)
        assert "VICTIM-1" not in page and "Chè của người khác" not in page
        assert "OWN-1" in page or path == "/portal/"


def test_a_staff_member_may_run_the_shop(intruder) -> None:
    web, own = intruder
    assert (
        web.post(f"/portal/products/{own.id}/stock", {"reason": "received", "quantity": "3"}).status_code
        == 302
    )
