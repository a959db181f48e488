"""No overselling: many buyers at once, each on its own database connection (PostgreSQL only)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders import errors, services
from marketplace.orders.models import Order
from marketplace.orders.services import CartLine
from tests.conftest import make_app
from tests.factories import make_product
from tests.orders.helpers import address

BUYERS = 40
UNITS = 10


def test_forty_buyers_for_the_last_ten_units_buy_exactly_ten(app, backend, tmp_path) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers on one file lock; the race is meaningful on PostgreSQL only")
    tea = make_product(stock=UNITS, price_vnd=120_000)
    db.session.commit()
    tea_id, price = tea.id, tea.price_vnd
    delivery = address()
    # A second application on the same database, with a pool big enough for one connection per buyer.
    buyers_app = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": BUYERS, "max_overflow": 0},
    )
    start = threading.Barrier(BUYERS)
    results: list[str] = []
    lowest_seen: list[int] = []
    done = threading.Event()

    def buy(n: int) -> None:
        with buyers_app.app_context():
            db.session.execute(select(1))  # hold a connection before the race starts
            start.wait(timeout=30)
            try:
                services.place_order(
                    lines=[CartLine(tea_id, 1, price)],
                    address=delivery,
                    contact_email=f"buyer{n}@example.vn",
                    payment_method="cod",
                    idempotency_key=f"concurrent-buyer-{n:04d}",
                )
                results.append("sold")
            except errors.OutOfStock as exc:
                assert exc.shortages[0].available == 0 and "only 0 left" in exc.message
                results.append(exc.code)
            finally:
                db.session.remove()

    def watch() -> None:
        with buyers_app.app_context():
            while not done.is_set():
                lowest_seen.append(db.session.scalar(select(Product.stock).where(Product.id == tea_id)))
                db.session.rollback()
                time.sleep(0.005)
            db.session.remove()

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(BUYERS)]
    watcher = threading.Thread(target=watch)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done.set()
    watcher.join()
    with buyers_app.app_context():
        db.engine.dispose()

    db.session.expire_all()
    assert results.count("sold") == UNITS
    assert results.count("out_of_stock") == BUYERS - UNITS
    assert db.session.get(Product, tea_id).stock == 0
    assert min(lowest_seen) >= 0
    assert db.session.query(Order).count() == UNITS
