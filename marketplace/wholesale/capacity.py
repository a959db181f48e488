"""Supply capacity: how many units of a product its producer can supply to supermarkets in a
calendar month, against what open bulk orders have already committed for that month.

Capacity is a fact of the product (`Product.monthly_capacity`, None: not declared, no limit; and
`Product.season_months`, the months it is available), edited in the producer portal. The committed
volume of a month is the sum of the units on supermarket order lines whose part is to be
delivered that month (its requested delivery date, in Vietnam's calendar) and has not been
cancelled or refunded: waiting for approval, placed, accepted, shipped, and delivered too (what
was delivered on the 3rd used that month's supply as much as what is still on its way). Lines
lowered by a partial acceptance count with their accepted quantity.

This module is the one place the rule is written: the bulk-order pricing refuses a line that
would go beyond the month's remaining capacity (`capacity_problems`), the wholesale catalogue
shows the figures, and the JSON API calls `supply_capacity` for the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.catalog.supply import in_season, months_of
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.timeutil import add_months, today_in_vietnam

CHANNEL = "supermarket"
# Parts whose units count against the month of their requested delivery date.
COMMITTING_STATUSES = ("pending_approval", "placed", "accepted", "shipped", "delivered")
_CHUNK = 500

Month = tuple[int, int]  # (year, month)


def month_of(day: date) -> Month:
    return (day.year, day.month)


def months_from(day: date, count: int) -> tuple[Month, ...]:
    """`count` calendar months starting with the month of `day`."""
    return tuple(month_of(add_months(day.replace(day=1), n)) for n in range(count))


@dataclass(frozen=True)
class MonthCapacity:
    """A product's supply in one month, as buyers plan on it."""

    product_id: int
    year: int
    month: int
    capacity: int | None  # None: the producer declared no monthly capacity
    in_season: bool
    committed: int  # units already on open supermarket orders for delivery that month

    @property
    def remaining(self) -> int | None:
        """Units still available that month (0 out of season); None when there is no limit."""
        if not self.in_season:
            return 0
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.committed)


def committed_units(product_ids: Iterable[int], months: Sequence[Month]) -> dict[tuple[int, int, int], int]:
    """(product id, year, month) -> units committed, for the months asked (one query per 500
    products, grouped by delivery date in SQL)."""
    ids = sorted(set(product_ids))
    if not ids or not months:
        return {}
    first = date(*min(months), 1)
    last_year, last_month = max(months)
    after_last = add_months(date(last_year, last_month, 1), 1)
    wanted = set(months)
    committed: dict[tuple[int, int, int], int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.session.execute(
            select(OrderLine.product_id, ProducerOrder.requested_delivery_date, func.sum(OrderLine.quantity))
            .join(ProducerOrder, ProducerOrder.id == OrderLine.producer_order_id)
            .join(Order, Order.id == ProducerOrder.order_id)
            .where(
                OrderLine.product_id.in_(chunk),
                Order.channel == CHANNEL,
                ProducerOrder.status.in_(COMMITTING_STATUSES),
                ProducerOrder.requested_delivery_date >= first,
                ProducerOrder.requested_delivery_date < after_last,
            )
            .group_by(OrderLine.product_id, ProducerOrder.requested_delivery_date)
        )
        for product_id, delivery_date, units in rows:
            key = (product_id, *month_of(delivery_date))
            if month_of(delivery_date) in wanted:
                committed[key] = committed.get(key, 0) + int(units or 0)
    return committed


def supply_capacity(
    products: Iterable[Product], months: Sequence[Month] | None = None
) -> dict[int, tuple[MonthCapacity, ...]]:
    """Per product, its capacity, season and committed units in each of `months` (default: this
    month in Vietnam and the next two). The figures the wholesale catalogue and the API show."""
    products = list(products)
    months = tuple(months or months_from(today_in_vietnam(), 3))
    committed = committed_units((p.id for p in products), months)
    return {
        product.id: tuple(
            MonthCapacity(
                product.id,
                year,
                month,
                product.monthly_capacity,
                in_season(product.season_months, month),
                committed.get((product.id, year, month), 0),
            )
            for year, month in months
        )
        for product in products
    }


def capacity_problem(
    product: Product, quantity: int, month: Month, committed: int
) -> tuple[str, dict] | None:
    """Why `quantity` more units of `product` cannot be promised for delivery in `month`, as a
    (code, figures) pair, or None. `out_of_season`: the month is not in the product's season;
    `over_capacity`: committed + quantity would exceed the monthly capacity (exactly reaching
    it is fine)."""
    year, number = month
    if not in_season(product.season_months, number):
        return ("out_of_season", {"month": number, "year": year, "season": months_of(product.season_months)})
    if product.monthly_capacity is not None and committed + quantity > product.monthly_capacity:
        return (
            "over_capacity",
            {
                "capacity": product.monthly_capacity,
                "committed": committed,
                "asked": quantity,
                "remaining": max(0, product.monthly_capacity - committed),
                "month": number,
                "year": year,
                "unit": product.unit,
            },
        )
    return None
