"""The one query layer over the sales ledger: every platform sales figure is read through here.

Public API (stable; the programme dashboard and the producer report build on it):

- `Period`: a span of days in Vietnam's calendar, inclusive at both ends, made by
  `Period.day(d)`, `Period.month(y, m)`, `Period.quarter(y, q)`, `Period.year(y)`,
  `Period.custom(start, end)`; `utc_bounds()` gives the half-open naive-UTC range the ledger's
  `occurred_at` is compared with, `months()` the "YYYY-MM" months it touches and
  `year_earlier()` the same span a year before.
- `SalesFilter`: period plus optional producer, province (one of the 34 in force),
  former province (one of the 63 earlier units, as a slug), product group, star class, channel
  and product. Unset fields do not filter.
- `totals(filter) -> Figures`; `by(filter, dimension, *, order=..., limit=...) -> list[Row]`;
  `by_month(filter) -> list[Row]`; `grouped(filter, *dimensions) -> list[Row]` for a cross table
  (e.g. month x channel); `breakdown(filter, groupings)` for several groupings of one selection
  read once. `DIMENSIONS` names what can be grouped by.

What the figures mean, for the rows a filter selects:
- `revenue_vnd`: integer VND, the sum of ledger rows: sales less refunds, cancellations and
  credit notes (each dated when it happened, so a closed month never changes).
- `units`: the same sum over units.
- `orders`: distinct orders whose rows in the cell net to more than 0 VND. An order sold and
  cancelled in the same month is not an order of that month; one sold in January and refunded
  in February is January's order and not February's (February only loses its money).
- `buyers`: distinct buyers among those orders. A buyer is the supermarket organisation for
  supermarket orders (whoever of its staff placed them), else the signed-in consumer account,
  else the guest's contact e-mail (lower-cased); each ledger row carries it (`buyer_key`, copied
  from the order when the row is written), so no figure joins the orders.

Dimension keys: channel, province, former_province, group (codes as stored on the row, i.e. as
they were when the row was written); star_class (3-5, None without a certificate in force);
producer and product (ids); buyer_organisation (id, None for consumers); month ("YYYY-MM" in
Vietnam). Vietnam has kept UTC+7 without daylight saving since 1975, which lets SQLite (which
has no time zones) bucket by adding seven hours; PostgreSQL converts with its zone database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import case, func, select
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import VIETNAM, add_months

PeriodKind = Literal["day", "month", "quarter", "year", "custom"]


@dataclass(frozen=True)
class Period:
    """Days `start` to `end` (both included) in Vietnam's calendar."""

    start: date
    end: date
    kind: PeriodKind = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day, "day")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, add_months(first, 1) - timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("A quarter is 1 to 4.")
        first = date(year, 3 * quarter - 2, 1)
        return cls(first, add_months(first, 3) - timedelta(days=1), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(start, end, "custom")

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[from, to) in naive UTC: midnight in Vietnam on `start`, and on the day after `end`."""

        def utc_midnight(day: date) -> datetime:
            return datetime.combine(day, time(), VIETNAM).astimezone(UTC).replace(tzinfo=None)

        return utc_midnight(self.start), utc_midnight(self.end + timedelta(days=1))

    def months(self) -> list[str]:
        """Every "YYYY-MM" month the period touches, oldest first."""
        months, cursor = [], self.start.replace(day=1)
        while cursor <= self.end:
            months.append(f"{cursor:%Y-%m}")
            cursor = add_months(cursor, 1)
        return months

    def year_earlier(self) -> Period:
        """The same span one year before (a month, quarter or year stays whole: February of a
        leap year's previous year ends on the 28th)."""
        if self.kind == "month":
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind == "quarter":
            return Period.quarter(self.start.year - 1, (self.start.month + 2) // 3)
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        return Period(add_months(self.start, -12), add_months(self.end, -12), self.kind)


@dataclass(frozen=True)
class SalesFilter:
    """Which ledger rows a figure sums. Every field left None selects everything."""

    period: Period | None = None
    producer_id: int | None = None
    province_code: str | None = None  # one of the 34 units in force
    former_province_code: str | None = None  # one of the 63 earlier units (slug)
    group_code: str | None = None
    star_class: int | None = None
    channel: str | None = None
    product_id: int | None = None

    def but(self, **changes: Any) -> SalesFilter:
        """A copy with some fields changed (e.g. `f.but(period=f.period.year_earlier())`)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Figures:
    revenue_vnd: int = 0
    units: int = 0
    orders: int = 0
    buyers: int = 0


@dataclass(frozen=True)
class Row:
    """One cell of a grouping: `keys` in the order of the dimensions asked for; `key` is the
    first (the only one for `by` and `by_month`)."""

    keys: tuple[Any, ...]
    figures: Figures = field(default_factory=Figures)

    @property
    def key(self) -> Any:
        return self.keys[0] if self.keys else None


def month_in_vietnam(column: Any) -> ColumnElement[str]:
    """A naive-UTC datetime column as "YYYY-MM" in Asia/Ho_Chi_Minh, in SQL."""
    if db.engine.dialect.name == "postgresql":
        local = func.timezone("Asia/Ho_Chi_Minh", func.timezone("UTC", column))
        return func.to_char(local, "YYYY-MM")
    return func.strftime("%Y-%m", column, "+7 hours")


def _dimension(name: str) -> ColumnElement[Any]:
    if name == "month":
        return month_in_vietnam(SalesEntry.occurred_at)
    try:
        return _COLUMNS[name]
    except KeyError:
        raise ValueError(f"Unknown report dimension {name!r}; one of {', '.join(DIMENSIONS)}.") from None


_COLUMNS: dict[str, Any] = {
    "channel": SalesEntry.channel,
    "province": SalesEntry.province_code,
    "former_province": SalesEntry.former_province_code,
    "group": SalesEntry.group_code,
    "star_class": SalesEntry.star_class,
    "producer": SalesEntry.producer_id,
    "product": SalesEntry.product_id,
    "buyer_organisation": SalesEntry.buyer_organisation_id,
}
DIMENSIONS: tuple[str, ...] = (*_COLUMNS, "month")


def conditions(sales_filter: SalesFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses over `sales_entries` for a filter (public so that summaries kept in
    step with the ledger can be checked against the same selection)."""
    f = sales_filter
    where: list[ColumnElement[bool]] = []
    if f.period is not None:
        start, end = f.period.utc_bounds()
        where += [SalesEntry.occurred_at >= start, SalesEntry.occurred_at < end]
    for value, column in (
        (f.producer_id, SalesEntry.producer_id),
        (f.province_code, SalesEntry.province_code),
        (f.former_province_code, SalesEntry.former_province_code),
        (f.group_code, SalesEntry.group_code),
        (f.star_class, SalesEntry.star_class),
        (f.channel, SalesEntry.channel),
        (f.product_id, SalesEntry.product_id),
    ):
        if value is not None:
            where.append(column == value)
    return where


def grouped(sales_filter: SalesFilter, *dimensions: str) -> list[Row]:
    """Figures per combination of `dimensions` (none: one row of totals, or none without sales),
    sorted by keys (None last)."""
    columns = [_dimension(name).label(f"d{i}") for i, name in enumerate(dimensions)]
    per_order = (
        select(
            *columns,
            SalesEntry.order_id.label("order_id"),
            SalesEntry.buyer_key.label("buyer"),
            func.sum(SalesEntry.amount_vnd).label("amount"),
            func.sum(SalesEntry.units).label("units"),
        )
        .where(*conditions(sales_filter))
        .group_by(*columns, SalesEntry.order_id, SalesEntry.buyer_key)  # one buyer per order
        .subquery()
    )
    keys = [per_order.c[f"d{i}"] for i in range(len(dimensions))]
    counted = per_order.c.amount > 0
    query = select(
        *keys,
        func.sum(per_order.c.amount),
        func.sum(per_order.c.units),
        func.count(case((counted, per_order.c.order_id))),
        func.count(func.distinct(case((counted, per_order.c.buyer)))),
    )
    if keys:
        query = query.group_by(*keys)
    rows = []
    for record in db.session.execute(query):
        *values, amount, units, orders, buyers = record
        if amount is None:  # no rows at all: the aggregate without GROUP BY still answers once
            continue
        rows.append(Row(tuple(values), Figures(int(amount), int(units), int(orders), int(buyers))))
    rows.sort(key=_key_order)
    return rows


def breakdown(sales_filter: SalesFilter, groupings: Sequence[Sequence[str]]) -> list[list[Row]]:
    """`grouped(sales_filter, *g)` for each grouping `g`, from one statement: the rows are read
    once, summed per order and per combination of every dimension asked for, and each grouping
    is totalled from those sums here, with the same meaning (an order counts in a cell where its
    rows there net to more than 0). For a report that shows one selection several ways."""
    names = [n for n in DIMENSIONS if any(n in g for g in groupings)]
    unknown = {n for g in groupings for n in g} - set(names)
    if unknown:
        raise ValueError(f"Unknown report dimension {sorted(unknown)[0]!r}; one of {', '.join(DIMENSIONS)}.")
    columns = [_dimension(name).label(f"d{i}") for i, name in enumerate(names)]
    query = (
        select(
            *columns,
            SalesEntry.order_id,
            SalesEntry.buyer_key,
            func.sum(SalesEntry.amount_vnd),
            func.sum(SalesEntry.units),
        )
        .where(*conditions(sales_filter))
        .group_by(*columns, SalesEntry.order_id, SalesEntry.buyer_key)
    )
    width = len(names)
    base = [
        (tuple(r[:width]), r[width], r[width + 1], int(r[width + 2]), int(r[width + 3]))
        for r in db.session.execute(query)
    ]
    results = []
    for grouping in groupings:
        positions = [names.index(n) for n in grouping]
        per_order: dict[tuple, list[int]] = {}
        for keys, order_id, buyer, amount, units in base:
            cell = (tuple(keys[i] for i in positions), order_id, buyer)
            sums = per_order.get(cell)
            if sums is None:
                per_order[cell] = [amount, units]
            else:
                sums[0] += amount
                sums[1] += units
        cells: dict[tuple, list] = {}
        for (keys, _order_id, buyer), (amount, units) in per_order.items():
            figures = cells.get(keys)
            if figures is None:
                figures = cells[keys] = [0, 0, 0, set()]
            figures[0] += amount
            figures[1] += units
            if amount > 0:
                figures[2] += 1
                figures[3].add(buyer)
        rows = [Row(keys, Figures(a, u, o, len(b))) for keys, (a, u, o, b) in cells.items()]
        rows.sort(key=_key_order)
        results.append(rows)
    return results


def _key_order(row: Row) -> tuple:
    return tuple((k is None, k if k is not None else 0) for k in row.keys)


def totals(sales_filter: SalesFilter) -> Figures:
    rows = grouped(sales_filter)
    return rows[0].figures if rows else Figures()


def by(
    sales_filter: SalesFilter,
    dimension: str,
    *,
    order: Literal["key", "revenue"] = "key",
    limit: int | None = None,
) -> list[Row]:
    """Figures per value of one dimension; `order="revenue"` puts the largest first (ties by key)."""
    rows = grouped(sales_filter, dimension)
    if order == "revenue":
        rows.sort(key=lambda row: -row.figures.revenue_vnd)  # stable: ties keep key order
    return rows[:limit] if limit is not None else rows


def by_month(sales_filter: SalesFilter) -> list[Row]:
    """Figures per Vietnam month, oldest first (months without ledger rows are left out; see
    `fill_months`)."""
    return grouped(sales_filter, "month")


def fill_months(rows: Iterable[Row], period: Period) -> list[Row]:
    """`by_month` rows with every month of `period` present (zeros where nothing was sold)."""
    found = {row.key: row for row in rows}
    return [found.get(month, Row((month,))) for month in period.months()]
