"""The pricing service: tiers at their boundaries, minimum quantities, case packs, stock and the
producer's minimum order value."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.wholesale.pricing import BulkLine, quote_bulk_order, tier_for
from tests.factories import add_location, make_producer
from tests.wholesale.helpers import buyer, wholesale_product

TIERS = ((50, 82_000), (100, 78_000))


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (1, (None, 90_000)),
        (49, (None, 90_000)),
        (50, (50, 82_000)),
        (51, (50, 82_000)),
        (99, (50, 82_000)),
        (100, (100, 78_000)),
        (101, (100, 78_000)),
    ],
)
def test_the_tier_for_a_quantity_starts_exactly_at_its_minimum(quantity, expected) -> None:
    assert tier_for(quantity, TIERS, 90_000) == expected


@pytest.mark.parametrize(
    ("quantity", "unit_price", "tier"), [(49, 90_000, None), (50, 82_000, 50), (51, 82_000, 50)]
)
def test_a_quote_applies_the_tier_and_counts_the_savings(app, quantity, unit_price, tier) -> None:
    _, organisation = buyer()
    product = wholesale_product()
    quote = quote_bulk_order([BulkLine(product.id, quantity)], organisation.id)
    line = quote.lines[0]
    assert (line.unit_price_vnd, line.tier_min_quantity) == (unit_price, tier)
    assert line.line_total_vnd == unit_price * quantity
    assert quote.savings_vnd == (90_000 - unit_price) * quantity
    assert quote.total_vnd == unit_price * quantity and quote.ok


def codes(quote) -> list[str]:
    return [p.code for p in quote.lines[0].problems]


def test_a_line_below_the_minimum_order_quantity_is_refused(app) -> None:
    _, organisation = buyer()
    product = wholesale_product(min_order_qty=24, case_pack=12)
    assert codes(quote_bulk_order([BulkLine(product.id, 12)], organisation.id)) == ["below_minimum"]
    assert codes(quote_bulk_order([BulkLine(product.id, 24)], organisation.id)) == []


def test_a_line_must_be_a_multiple_of_the_case_pack(app) -> None:
    _, organisation = buyer()
    product = wholesale_product(case_pack=12, min_order_qty=12)
    assert codes(quote_bulk_order([BulkLine(product.id, 30)], organisation.id)) == ["not_case_multiple"]
    assert codes(quote_bulk_order([BulkLine(product.id, 36)], organisation.id)) == []


def test_a_line_above_the_stock_is_refused_with_what_is_available(app) -> None:
    _, organisation = buyer()
    product = wholesale_product(stock=40)
    problems = quote_bulk_order([BulkLine(product.id, 41)], organisation.id).lines[0].problems
    assert [(p.code, p.params["available"]) for p in problems] == [("out_of_stock", 40)]


def test_a_producer_part_below_the_producers_minimum_order_value_is_refused(app) -> None:
    _, organisation = buyer()
    producer = make_producer(min_order_value_vnd=4_100_000)
    product = wholesale_product(producer)
    below = quote_bulk_order([BulkLine(product.id, 49)], organisation.id)  # 49 × 90.000 = 4.410.000
    assert below.ok
    below = quote_bulk_order(
        [BulkLine(product.id, 50)], organisation.id
    )  # 50 × 82.000 = 4.100.000: equal is fine
    assert below.ok
    producer.min_order_value_vnd = 4_100_001
    db.session.flush()
    quote = quote_bulk_order([BulkLine(product.id, 50)], organisation.id)
    assert not quote.ok and [p.code for p in quote.parts[0].problems] == ["below_producer_minimum"]


def test_lines_are_grouped_by_producer_with_a_subtotal_each(app) -> None:
    _, organisation = buyer()
    a, b = make_producer(name="A"), make_producer(name="B")
    pa, pb, pb2 = wholesale_product(a), wholesale_product(b), wholesale_product(b, tiers=())
    quote = quote_bulk_order(
        [BulkLine(pa.id, 50), BulkLine(pb.id, 100), BulkLine(pb2.id, 3)], organisation.id
    )
    assert [part.producer_name for part in quote.parts] == ["A", "B"]
    assert [part.subtotal_vnd for part in quote.parts] == [50 * 82_000, 100 * 78_000 + 3 * 90_000]
    assert quote.total_vnd == 50 * 82_000 + 100 * 78_000 + 3 * 90_000


def test_one_producers_lines_go_to_one_delivery_location(app) -> None:
    _, organisation = buyer()
    second = add_location(organisation, name="Cửa hàng Quận 3")
    first = add_location(organisation, name="Kho Bình Dương")
    producer = make_producer()
    p1, p2 = wholesale_product(producer), wholesale_product(producer)
    quote = quote_bulk_order([BulkLine(p1.id, 5, second.id), BulkLine(p2.id, 5, first.id)], organisation.id)
    assert quote.parts[0].delivery_location.id == second.id
    assert [p.code for p in quote.lines[1].problems] == ["location_conflict"]


def test_an_unpublished_product_is_reported_as_unknown(app) -> None:
    _, organisation = buyer()
    product = wholesale_product(status="draft")
    quote = quote_bulk_order([BulkLine(product.id, 5)], organisation.id)
    assert not quote.ok and quote.unknown[0].product_id == product.id
