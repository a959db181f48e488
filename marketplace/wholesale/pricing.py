"""Wholesale pricing: the one function that prices a bulk order, for the pages and the future
JSON API alike.

`quote_bulk_order(lines, organisation_id)` takes what the buyer asks for and returns, per producer,
the lines with the tier applied, the savings against the retail price, the subtotal and the
delivery location, and the order's total. It never raises for a bad line: every problem (unknown
product, below the minimum order quantity, not a multiple of the case pack, not enough stock, a
producer's part below its minimum order value) is attached to the line or part it concerns, so a
page can show them all at once. `BulkQuote.ok` says whether the order can be placed.

Everything is read in three queries (products with producers, tiers, the organisation's delivery
locations), whatever the number of lines, and a fourth for the units already committed where
supply is limited. `read_quote_data` and `price_bulk_order` are the two halves of
`quote_bulk_order`, for a caller that must choose the parts' dates and locations from the
products read (the JSON API names parts by producer) before pricing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from marketplace.buyers.models import DeliveryLocation
from marketplace.catalog.models import PriceTier, Product
from marketplace.catalog.services import visible_condition
from marketplace.catalog.supply import ALL_YEAR
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale.capacity import capacity_problem, committed_units, month_of

MAX_BULK_QUANTITY = 1_000_000  # units of one product in one bulk order
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class BulkLine:
    """What the buyer asks for: a product, a quantity, and possibly where it is to be delivered.
    `source` says where the line came from (a CSV line number), for reports."""

    product_id: int
    quantity: int
    delivery_location_id: int | None = None
    source: int | None = None


@dataclass(frozen=True)
class Problem:
    """Why a line or a part cannot be ordered as it is: a stable `code` and the figures a message
    needs (see `marketplace.wholesale.messages`)."""

    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


def tier_for(
    quantity: int, tiers: Sequence[tuple[int, int]], retail_price_vnd: int
) -> tuple[int | None, int]:
    """(tier minimum quantity, unit price) for `quantity`: the tier with the largest minimum not
    above the quantity (exactly N units get the tier "from N"), or (None, retail price)."""
    chosen: tuple[int | None, int] = (None, retail_price_vnd)
    for min_quantity, price in sorted(tiers):
        if min_quantity <= quantity:
            chosen = (min_quantity, price)
    return chosen


@dataclass(frozen=True)
class QuotedLine:
    product_id: int
    product_slug: str
    name: str
    sku: str
    unit: str
    quantity: int
    retail_unit_price_vnd: int
    unit_price_vnd: int
    tier_min_quantity: int | None  # None: the retail price applies
    min_order_qty: int
    case_pack: int
    stock: int
    delivery_location_id: int | None
    source: int | None
    problems: tuple[Problem, ...] = ()

    @property
    def line_total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity

    @property
    def retail_total_vnd(self) -> int:
        return self.retail_unit_price_vnd * self.quantity

    @property
    def savings_vnd(self) -> int:
        return self.retail_total_vnd - self.line_total_vnd

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ProducerPart:
    """One producer's lines: what will become one ProducerOrder."""

    producer_id: int
    producer_name: str
    producer_slug: str
    min_order_value_vnd: int
    delivery_location: DeliveryLocation | None
    lines: tuple[QuotedLine, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def subtotal_vnd(self) -> int:
        return sum(line.line_total_vnd for line in self.lines)

    @property
    def retail_total_vnd(self) -> int:
        return sum(line.retail_total_vnd for line in self.lines)

    @property
    def savings_vnd(self) -> int:
        return self.retail_total_vnd - self.subtotal_vnd

    @property
    def ok(self) -> bool:
        return not self.problems and all(line.ok for line in self.lines)


@dataclass(frozen=True)
class BulkQuote:
    parts: tuple[ProducerPart, ...]
    unknown: tuple[BulkLine, ...]  # lines whose product is not for sale (not in any part)

    @property
    def total_vnd(self) -> int:
        return sum(part.subtotal_vnd for part in self.parts)

    @property
    def savings_vnd(self) -> int:
        return sum(part.savings_vnd for part in self.parts)

    @property
    def lines(self) -> list[QuotedLine]:
        return [line for part in self.parts for line in part.lines]

    @property
    def ok(self) -> bool:
        return bool(self.parts) and not self.unknown and all(part.ok for part in self.parts)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def organisation_locations(organisation_id: int) -> list[DeliveryLocation]:
    return list(
        db.session.scalars(
            select(DeliveryLocation)
            .where(DeliveryLocation.buyer_organisation_id == organisation_id)
            .order_by(DeliveryLocation.id)
        )
    )


def line_problems(product: Product, quantity: int, stock: int) -> tuple[Problem, ...]:
    """The MOQ, case-pack and stock rules of one line."""
    problems = []
    if quantity < 1 or quantity > MAX_BULK_QUANTITY:
        problems.append(Problem("invalid_quantity", {"max": MAX_BULK_QUANTITY}))
    else:
        if quantity < product.min_order_qty:
            problems.append(
                Problem("below_minimum", {"minimum": product.min_order_qty, "unit": product.unit})
            )
        if quantity % product.case_pack:
            problems.append(
                Problem("not_case_multiple", {"case_pack": product.case_pack, "unit": product.unit})
            )
        if quantity > stock:
            problems.append(Problem("out_of_stock", {"available": stock, "unit": product.unit}))
    return tuple(problems)


@dataclass(frozen=True)
class QuoteData:
    """What pricing reads for a set of products: each product for sale with its producer, the
    price tiers and the organisation's delivery locations."""

    found: dict[int, tuple[Product, Producer]]
    tiers: dict[int, list[tuple[int, int]]]
    locations: dict[int, DeliveryLocation]

    def producer_ids_by_slug(self) -> dict[str, int]:
        return {producer.slug: producer.id for _product, producer in self.found.values()}


def read_quote_data(
    product_ids: Iterable[int], organisation_id: int, locations: Sequence[DeliveryLocation] | None = None
) -> QuoteData:
    """Read what `price_bulk_order` needs: two queries per 500 products, and the organisation's
    locations (unless the caller has read them: `locations`)."""
    ids = sorted(set(product_ids))
    found: dict[int, tuple[Product, Producer]] = {}
    tiers: dict[int, list[tuple[int, int]]] = {}
    for chunk in _chunks(ids):
        for product, producer in db.session.execute(
            select(Product, Producer)
            .join(Producer, Producer.id == Product.producer_id)
            .where(Product.id.in_(chunk), visible_condition())
        ).all():
            found[product.id] = (product, producer)
        for product_id, min_quantity, price in db.session.execute(
            select(PriceTier.product_id, PriceTier.min_quantity, PriceTier.unit_price_vnd).where(
                PriceTier.product_id.in_(chunk)
            )
        ).all():
            tiers.setdefault(product_id, []).append((min_quantity, price))
    if locations is None:
        locations = organisation_locations(organisation_id)
    return QuoteData(found, tiers, {loc.id: loc for loc in locations})


def quote_bulk_order(
    lines: Sequence[BulkLine],
    organisation_id: int,
    part_locations: dict[int, int] | None = None,
    part_dates: dict[int, date] | None = None,
) -> BulkQuote:
    """Price `lines` for the buyer organisation `organisation_id` (see `price_bulk_order`)."""
    data = read_quote_data((line.product_id for line in lines), organisation_id)
    return price_bulk_order(lines, data, part_locations, part_dates)


def price_bulk_order(
    lines: Sequence[BulkLine],
    data: QuoteData,
    part_locations: dict[int, int] | None = None,
    part_dates: dict[int, date] | None = None,
) -> BulkQuote:
    """Price `lines` from what `read_quote_data` read for them (and the units already committed
    where supply is limited: one more query).

    A part's delivery location is, in order: `part_locations[producer_id]`, the location of the
    part's first line that names one, the organisation's first location; none when
    `part_locations` names a location of another organisation. One ProducerOrder goes
    to one place, so a line naming another location than its part's is refused.

    Supply capacity (`wholesale.capacity`) is checked for the month of the part's requested
    delivery date (`part_dates[producer_id]`), or this month in Vietnam while no date is chosen
    yet (the draft, the quick-order pad, a CSV file); placing checks again with the chosen dates.
    """
    part_locations = part_locations or {}
    part_dates = part_dates or {}
    found, tiers, locations = data.found, data.tiers, data.locations
    default_location = next(iter(locations.values()), None)
    this_month = month_of(today_in_vietnam())

    def month_for(producer_id: int) -> tuple[int, int]:
        chosen = part_dates.get(producer_id)
        return month_of(chosen) if chosen else this_month

    limited = [
        p for p, _producer in found.values() if p.monthly_capacity is not None or p.season_months != ALL_YEAR
    ]
    committed = (
        committed_units((p.id for p in limited), sorted({month_for(p.producer_id) for p in limited}))
        if limited
        else {}
    )

    by_producer: dict[int, list[BulkLine]] = {}
    unknown = []
    for line in lines:
        if line.product_id in found:
            by_producer.setdefault(found[line.product_id][1].id, []).append(line)
        else:
            unknown.append(line)

    parts = []
    for producer_id in sorted(
        by_producer, key=lambda pid: (found[by_producer[pid][0].product_id][1].name, pid)
    ):
        asked = by_producer[producer_id]
        producer = found[asked[0].product_id][1]
        location_id = part_locations.get(producer_id)
        if location_id is not None and location_id not in locations:
            # Another organisation's location: the part has none (placing refuses it with a
            # message), rather than silently going to this organisation's default one.
            location_id = None
        elif location_id is None:
            location_id = next(
                (ln.delivery_location_id for ln in asked if ln.delivery_location_id in locations),
                default_location.id if default_location else None,
            )
        quoted = []
        for line in asked:
            product = found[line.product_id][0]
            tier_min, price = tier_for(line.quantity, tiers.get(product.id, ()), product.price_vnd)
            problems = line_problems(product, line.quantity, product.stock)
            month = month_for(producer.id)
            over = capacity_problem(product, line.quantity, month, committed.get((product.id, *month), 0))
            if over is not None and 1 <= line.quantity <= MAX_BULK_QUANTITY:
                problems += (Problem(*over),)
            if line.delivery_location_id is not None and line.delivery_location_id not in locations:
                problems += (Problem("unknown_location", {}),)
            elif line.delivery_location_id is not None and line.delivery_location_id != location_id:
                problems += (Problem("location_conflict", {"producer": producer.name}),)
            quoted.append(
                QuotedLine(
                    product_id=product.id,
                    product_slug=product.slug,
                    name=product.name,
                    sku=product.sku,
                    unit=product.unit,
                    quantity=line.quantity,
                    retail_unit_price_vnd=product.price_vnd,
                    unit_price_vnd=price,
                    tier_min_quantity=tier_min,
                    min_order_qty=product.min_order_qty,
                    case_pack=product.case_pack,
                    stock=product.stock,
                    delivery_location_id=location_id,
                    source=line.source,
                    problems=problems,
                )
            )
        subtotal = sum(q.line_total_vnd for q in quoted)
        part_problems: tuple[Problem, ...] = ()
        if subtotal < producer.min_order_value_vnd:
            part_problems += (
                Problem(
                    "below_producer_minimum",
                    {
                        "producer": producer.name,
                        "minimum": producer.min_order_value_vnd,
                        "subtotal": subtotal,
                    },
                ),
            )
        parts.append(
            ProducerPart(
                producer_id=producer.id,
                producer_name=producer.name,
                producer_slug=producer.slug,
                min_order_value_vnd=producer.min_order_value_vnd,
                delivery_location=locations.get(location_id) if location_id else None,
                lines=tuple(quoted),
                problems=part_problems,
            )
        )
    return BulkQuote(tuple(parts), tuple(unknown))
