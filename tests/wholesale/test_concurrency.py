"""Bulk orders racing for the same stock: no overselling, no deadlock (PostgreSQL only)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.errors import OutOfStock
from marketplace.orders.models import Order
from marketplace.wholesale import services
from marketplace.wholesale.errors import OrderNotValid
from tests.conftest import make_app
from tests.factories import make_producer
from tests.wholesale.helpers import buyer, choices_for, fill_draft, wholesale_product

CHAINS = 8


def test_eight_chains_racing_for_two_products_get_exactly_the_stock(app, backend, tmp_path) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers on one file lock; the race is meaningful on PostgreSQL only")
    producer_a, producer_b = make_producer(), make_producer()
    tea, fish = (
        wholesale_product(producer_a, stock=100, tiers=()),
        wholesale_product(producer_b, stock=100, tiers=()),
    )
    chains = []
    for _ in range(CHAINS):
        user, organisation = buyer()
        fill_draft(organisation, [(fish, 30), (tea, 30)], user)
        chains.append((user.id, organisation.id, choices_for(organisation, [tea, fish])))
    db.session.commit()
    racers_app = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CHAINS, "max_overflow": 0},
    )
    start = threading.Barrier(CHAINS)
    results: list[str] = []

    def order(n: int) -> None:
        user_id, organisation_id, choices = chains[n]
        with racers_app.app_context():
            from marketplace.accounts.models import User

            user = db.session.get(User, user_id)
            start.wait(timeout=30)
            try:
                services.place_bulk_order(
                    organisation_id=organisation_id,
                    user=user,
                    choices=choices,
                    purchase_order_number="",
                    idempotency_key=f"race-{n:04d}-key",
                )
                results.append("placed")
            except (OutOfStock, OrderNotValid) as exc:
                results.append(exc.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=order, args=(n,)) for n in range(CHAINS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with racers_app.app_context():
        db.engine.dispose()
    assert len(results) == CHAINS and results.count("placed") == 3
    db.session.expire_all()
    assert db.session.scalar(select(Product.stock).where(Product.id == tea.id)) == 10
    assert db.session.scalar(select(Product.stock).where(Product.id == fish.id)) == 10
    assert db.session.scalar(select(func.count(Order.id))) == 3
