"""The bulk order benchmark's scenario, at a small scale: the test checks what it does, not its time."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.models import OrderLine

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bulk_order.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bulk_order_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_order_is_validated_and_placed_across_every_producer(app) -> None:
    bench = load_bench()
    user, organisation, data = bench.prepare(lines=60, producers=6)
    order, timings = bench.order_from_csv(user, organisation, data)
    assert len(order.producer_orders) == 6 and set(timings) == {"validate", "place", "total"}
    assert db.session.scalar(select(func.count(OrderLine.id))) == 60
    # Every product had 10,000 in stock; quantities cycle through 24, 48 and 120.
    assert db.session.scalar(select(func.sum(Product.stock))) == 60 * 10_000 - 20 * (24 + 48 + 120)
    assert order.total_vnd == 20 * (24 * 92_000 + 48 * 92_000 + 120 * 85_000)
