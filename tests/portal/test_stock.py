"""Stock adjustments: reasons, history, never below zero, never losing a concurrent order."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.portal import services
from marketplace.portal.models import StockAdjustment
from tests.factories import make_product
from tests.portal.conftest import catalogue_snapshot


@pytest.fixture
def product(producer):
    product = make_product(producer, stock=10, low_stock_threshold=3)
    db.session.commit()
    return product


def stock_of(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def test_received_damaged_and_counted_change_the_stock_and_are_recorded(portal, product, owner) -> None:
    url = f"/portal/products/{product.id}/stock"
    assert portal.post(url, {"reason": "received", "quantity": "5", "note": "Lô mới"}).status_code == 302
    assert stock_of(product.id) == 15
    portal.post(url, {"reason": "damaged", "quantity": "3"})
    assert stock_of(product.id) == 12
    portal.post(url, {"reason": "counted", "quantity": "11"})
    assert stock_of(product.id) == 11
    history = db.session.execute(
        select(
            StockAdjustment.reason,
            StockAdjustment.delta,
            StockAdjustment.stock_after,
            StockAdjustment.user_id,
        ).order_by(StockAdjustment.id)
    ).all()
    assert [tuple(h) for h in history] == [
        ("received", 5, 15, owner.id),
        ("damaged", -3, 12, owner.id),
        ("counted", -1, 11, owner.id),
    ]
    page = portal.get(url).get_data(as_text=True)
    assert "Lô mới" in page and "+5" in page and "-3" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "damaged", "quantity": "11"}, "not that much in stock"),
        ({"reason": "received", "quantity": "-5"}, "Must not be negative"),
        ({"reason": "received", "quantity": "abc"}, "whole number"),
        ({"reason": "received", "quantity": "0"}, "at least 1"),
        ({"reason": "stolen", "quantity": "1"}, "Not a valid choice"),
    ],
)
def test_a_bad_adjustment_is_refused_and_changes_nothing(portal, product, data, message) -> None:
    before = catalogue_snapshot()
    response = portal.post(f"/portal/products/{product.id}/stock", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert catalogue_snapshot() == before


def test_an_adjustment_adds_to_what_a_concurrent_order_left(app, product) -> None:
    # An order takes 4 units after the portal page was loaded (the ORM object still says 10).
    loaded = db.session.get(Product, product.id)
    with db.engine.begin() as conn:
        conn.execute(update(Product).where(Product.id == product.id).values(stock=Product.stock - 4))
    change = services.adjust_stock(loaded, "received", 5)
    db.session.commit()
    assert change.stock_after == 11 and stock_of(product.id) == 11


def test_damaged_cannot_take_the_stock_below_zero_even_after_an_order(app, product) -> None:
    loaded = db.session.get(Product, product.id)
    with db.engine.begin() as conn:
        conn.execute(update(Product).where(Product.id == product.id).values(stock=2))
    with pytest.raises(services.ListingError):
        services.adjust_stock(loaded, "damaged", 3)
    db.session.rollback()
    assert stock_of(product.id) == 2


def test_low_stock_is_flagged_in_the_portal(portal, product) -> None:
    services.adjust_stock(db.session.get(Product, product.id), "counted", 2)
    db.session.commit()
    assert "Low stock" in portal.get("/portal/stock").get_data(as_text=True)
    assert "Low stock" in portal.get(f"/portal/products/{product.id}/stock").get_data(as_text=True)
    assert "Low stock" in portal.get("/portal/").get_data(as_text=True)
