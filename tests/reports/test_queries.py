"""The query layer: every dimension and filter to the đồng over a known set of sales (see
`tests/reports/world.py` for how each figure below comes about), periods in Vietnam's calendar."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from marketplace.reports import ledger
from marketplace.reports.queries import (
    DIMENSIONS,
    Figures,
    Period,
    Row,
    SalesFilter,
    breakdown,
    by,
    by_month,
    fill_months,
    grouped,
    totals,
)
from tests.reports.world import SalesWorld, build_sales_world

Q1 = Period.quarter(2026, 1)


@pytest.fixture
def world(app, refunds) -> SalesWorld:
    return build_sales_world()


def _table(rows: list[Row]) -> list[tuple]:
    return [
        (*row.keys, row.figures.revenue_vnd, row.figures.units, row.figures.orders, row.figures.buyers)
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# Periods


def test_periods_are_days_in_vietnam_turned_into_half_open_utc_bounds() -> None:
    assert Period.month(2026, 2).utc_bounds() == (datetime(2026, 1, 31, 17, 0), datetime(2026, 2, 28, 17, 0))
    assert Period.day(date(2026, 2, 1)).utc_bounds() == (datetime(2026, 1, 31, 17), datetime(2026, 2, 1, 17))
    q4 = Period.quarter(2026, 4)
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (Period.year(2025).start, Period.year(2025).end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.month(2024, 2).year_earlier() == Period.month(2023, 2)
    assert Period.month(2023, 2).year_earlier().end == date(2022, 2, 28)
    assert Period.quarter(2026, 3).year_earlier() == Period.quarter(2025, 3)
    assert Period.custom(date(2024, 2, 29), date(2024, 3, 10)).year_earlier() == Period.custom(
        date(2023, 2, 28), date(2023, 3, 10)
    )
    assert Period.custom(date(2025, 11, 20), date(2026, 1, 5)).months() == ["2025-11", "2025-12", "2026-01"]
    with pytest.raises(ValueError):
        Period.custom(date(2026, 2, 2), date(2026, 2, 1))
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)


# ---------------------------------------------------------------------------------------------
# Figures


def test_totals_are_net_of_refunds_cancellations_and_credit_notes(world) -> None:
    assert totals(SalesFilter(period=Q1, producer_id=world.a.id)) == Figures(1_020_000, 11, 3, 3)
    assert totals(SalesFilter(period=Q1)) == Figures(1_220_000, 12, 4, 3)  # o6's guest is o1's
    assert totals(SalesFilter()) == totals(SalesFilter(period=Q1))
    assert totals(SalesFilter(period=Period.year(2025))) == Figures()


def test_by_month_puts_2359_and_0000_vietnam_time_in_their_own_months(world) -> None:
    rows = by_month(SalesFilter(period=Q1, producer_id=world.a.id))
    assert _table(rows) == [
        ("2026-01", 200_000, 2, 1, 1),
        # o2, o3 (still sold in February), o5; o4 nets to nothing. Buyers: X (o2, o3) and the chain.
        ("2026-02", 970_000, 12, 3, 2),
        ("2026-03", -150_000, -3, 0, 0),
    ]
    assert _table(by_month(SalesFilter(period=Period.month(2026, 1), producer_id=world.a.id))) == [
        ("2026-01", 200_000, 2, 1, 1)
    ]
    assert totals(SalesFilter(period=Period.day(date(2026, 2, 1)))) == Figures(100_000, 1, 1, 1)
    assert totals(SalesFilter(period=Period.day(date(2026, 1, 31)))) == Figures(200_000, 2, 1, 1)
    assert totals(SalesFilter(period=Period.custom(date(2026, 2, 1), date(2026, 2, 28)))) == totals(
        SalesFilter(period=Period.month(2026, 2))
    )
    # The ledger's own monthly reader goes through the same query.
    assert [(m.month, m.amount_vnd, m.units) for m in ledger.sales_by_month(producer_id=world.a.id)] == [
        ("2026-01", 200_000, 2),
        ("2026-02", 970_000, 12),
        ("2026-03", -150_000, -3),
    ]


def test_fill_months_gives_every_month_of_the_period(world) -> None:
    period = Period.custom(date(2025, 12, 1), date(2026, 4, 30))
    rows = fill_months(by_month(SalesFilter(period=period, producer_id=world.b.id)), period)
    assert _table(rows) == [
        ("2025-12", 0, 0, 0, 0),
        ("2026-01", 0, 0, 0, 0),
        ("2026-02", 200_000, 1, 1, 1),
        ("2026-03", 0, 0, 0, 0),
        ("2026-04", 0, 0, 0, 0),
    ]


def test_by_channel(world) -> None:
    assert _table(by(SalesFilter(period=Q1, producer_id=world.a.id), "channel")) == [
        ("online", 300_000, 3, 2, 2),
        ("supermarket", 720_000, 8, 1, 1),
    ]
    assert totals(SalesFilter(period=Q1, channel="supermarket")) == Figures(720_000, 8, 1, 1)


def test_by_province_in_force_and_former_province(world) -> None:
    assert _table(by(SalesFilter(period=Q1), "province")) == [
        ("ha-noi", 200_000, 1, 1, 1),
        ("tuyen-quang", 1_020_000, 11, 3, 3),
    ]
    assert _table(by(SalesFilter(period=Q1), "former_province")) == [
        ("ha-giang", 1_020_000, 11, 3, 3),
        ("ha-noi", 200_000, 1, 1, 1),
    ]
    # Producer A read under its former province, and under its current one: the same figures.
    assert totals(SalesFilter(period=Q1, former_province_code="ha-giang")) == Figures(1_020_000, 11, 3, 3)
    assert totals(SalesFilter(period=Q1, province_code="tuyen-quang")) == Figures(1_020_000, 11, 3, 3)
    assert totals(SalesFilter(former_province_code="tuyen-quang")) == Figures()


def test_by_group_star_class_and_product(world) -> None:
    a = SalesFilter(period=Q1, producer_id=world.a.id)
    assert _table(by(a, "group")) == [("food", 1_020_000, 11, 3, 3), ("herbal", 0, 0, 0, 0)]
    assert _table(by(a, "star_class")) == [(4, 1_020_000, 11, 3, 3), (None, 0, 0, 0, 0)]
    assert _table(by(a, "product")) == [(world.tea.id, 1_020_000, 11, 3, 3), (world.honey.id, 0, 0, 0, 0)]
    assert totals(SalesFilter(star_class=4)) == Figures(1_020_000, 11, 3, 3)
    assert totals(SalesFilter(group_code="herbal", period=Period.month(2026, 2))) == Figures(150_000, 3, 1, 1)
    honey_in_march = SalesFilter(product_id=world.honey.id, period=Period.month(2026, 3))
    assert totals(honey_in_march) == Figures(-150_000, -3)


def test_by_producer_and_buyer_organisation(world) -> None:
    assert _table(by(SalesFilter(period=Q1), "producer")) == [
        (world.a.id, 1_020_000, 11, 3, 3),
        (world.b.id, 200_000, 1, 1, 1),
    ]
    a = SalesFilter(period=Q1, producer_id=world.a.id)
    assert _table(by(a, "buyer_organisation", order="revenue")) == [
        (world.chain.id, 720_000, 8, 1, 1),
        (None, 300_000, 3, 2, 2),
    ]
    assert _table(by(SalesFilter(period=Q1), "producer", order="revenue", limit=1)) == [
        (world.a.id, 1_020_000, 11, 3, 3)
    ]


def test_a_cross_table_of_month_and_channel(world) -> None:
    assert _table(grouped(SalesFilter(period=Q1, producer_id=world.a.id), "month", "channel")) == [
        ("2026-01", "online", 200_000, 2, 1, 1),
        ("2026-02", "online", 250_000, 4, 2, 1),
        ("2026-02", "supermarket", 720_000, 8, 1, 1),
        ("2026-03", "online", -150_000, -3, 0, 0),
    ]


def test_every_dimension_is_answered_and_an_unknown_one_refused(world) -> None:
    for dimension in DIMENSIONS:
        rows = by(SalesFilter(period=Q1), dimension)
        assert sum(r.figures.revenue_vnd for r in rows) == 1_220_000
        assert sum(r.figures.units for r in rows) == 12
    with pytest.raises(ValueError):
        by(SalesFilter(), "colour")


def test_a_breakdown_reads_once_what_each_grouping_gives_alone(world) -> None:
    groupings = [
        ("month", "channel"),
        ("channel",),
        ("product",),
        ("buyer_organisation",),
        ("star_class",),
        (),
    ]
    for sales_filter in (
        SalesFilter(period=Q1, producer_id=world.a.id),
        SalesFilter(period=Q1),
        SalesFilter(),
    ):
        together = breakdown(sales_filter, groupings)
        assert [_table(rows) for rows in together] == [_table(grouped(sales_filter, *g)) for g in groupings]
    # The figures themselves, for producer A in the first quarter (see the cross table above).
    month_channel, _channel, _product, _buyer, _stars, whole = breakdown(
        SalesFilter(period=Q1, producer_id=world.a.id), groupings
    )
    assert _table(month_channel)[1] == ("2026-02", "online", 250_000, 4, 2, 1)
    assert _table(whole) == [(1_020_000, 11, 3, 3)]
    assert breakdown(SalesFilter(period=Period.year(2020)), [("channel",), ()]) == [[], []]
    with pytest.raises(ValueError):
        breakdown(SalesFilter(), [("colour",)])
