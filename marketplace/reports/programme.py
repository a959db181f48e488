"""The OCOP programme's figures: what the administrators' dashboard (`/admin/programme`) compares
with the targets (`targets.py`) and what the public page (`/programme`) shows as aggregates.

Definitions (each figure is exact: counts of rows, sums of integer VND):
- a product is *certified in force* on a day when it has a verified certificate in force that day
  (`catalog.services.certificate_in_force`, in SQL), counted once at its highest class; only
  products of verified producers count. The day is the period's last day (today if that is later);
- an *OCOP producer* is a verified producer with at least one product certified in force that day.
  It is the denominator of every producer share;
- *sold through a modern channel on the platform*: net ledger sales (sales less refunds,
  cancellations and credit notes) > 0 in the period on the platform's modern channels
  (`reference.CHANNELS`: supermarket, online). The second figure adds producers with an accepted
  declaration on a modern channel off the platform in the period (`SalesDeclaration`);
- a *verified circular value chain*: the producer declared circular practices and an administrator
  verified its green claims (`green_verified`);
- *traditional craft villages* are not a table: a village is a distinct (province, folded
  `craft_village` name) among verified producers; it "has an OCOP product" when one of its
  producers is an OCOP producer.

Provinces: the producer's current unit (34), or with `units="63"` its pre-2025 unit (its
`former_province_code`, else the one former unit its province continues), so that a producer is
read under its former province. Sales in a period are the ledger rows with `occurred_at` from the
first day of the start month 00:00 to the day after the end month 00:00, Vietnam time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import TypeVar

from sqlalchemy import and_, case, func, or_, select

from marketplace.catalog.cache import cached
from marketplace.catalog.models import Certification, Product
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.reference import CHANNELS, PROVINCES_BY_CODE, province_name, sole_former_province_code
from marketplace.reports import queries
from marketplace.reports.models import SalesDeclaration, SalesEntry
from marketplace.reports.summaries import LedgerState, SalesCellMonth, SalesProducerMonth
from marketplace.reports.targets import (
    METRICS_BY_CODE,
    ProgrammePeriod,
    Target,
    national_targets,
    period_for_year,
    province_targets,
)
from marketplace.text import fold, slugify, spreadsheet_safe
from marketplace.timeutil import VIETNAM, add_months, today_in_vietnam

T = TypeVar("T")
MODERN_PLATFORM_CHANNELS = tuple(c.code for c in CHANNELS if c.modern and c.on_platform)
MODERN_DECLARED_CHANNELS = tuple(c.code for c in CHANNELS if c.modern and not c.on_platform)
UNITS = ("34", "63")


@dataclass(frozen=True)
class Period:
    """Whole months in Vietnam's calendar, `start` and `end` being first days of months."""

    start: date
    end: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date | None = None) -> Period:
        """From "YYYY-MM" strings; the current year to date when missing or unreadable."""
        today = today or today_in_vietnam()
        first = _month(start) or date(today.year, 1, 1)
        last = _month(end) or date(today.year, today.month, 1)
        if last < first:
            first, last = last, first
        return cls(first, last)

    @property
    def last_day(self) -> date:
        return add_months(self.end, 1) - timedelta(days=1)

    @property
    def year(self) -> int:
        return self.end.year

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[from, to) as naive UTC datetimes: month starts at 00:00 in Vietnam."""

        def utc(day: date) -> datetime:
            return datetime.combine(day, time(0), VIETNAM).astimezone(UTC).replace(tzinfo=None)

        return utc(self.start), utc(add_months(self.end, 1))

    def months(self) -> list[str]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month.strftime("%Y-%m"))
            month = add_months(month, 1)
        return out

    def as_of(self, today: date | None = None) -> date:
        return min(self.last_day, today or today_in_vietnam())

    @property
    def start_text(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def end_text(self) -> str:
        return self.end.strftime("%Y-%m")


def ledger_filter(period: Period, **fields: object) -> queries.SalesFilter:
    """The query layer's filter for a period (and any of its other fields)."""
    return queries.SalesFilter(period=queries.Period.custom(period.start, period.last_day), **fields)


def _month(text: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


_FORMER_NAMES: dict[str, str] = {
    slugify(former): former for p in PROVINCES_BY_CODE.values() for former in p.former
}


def province_label(code: str | None) -> str:
    """A current or former province's name (former codes are slugs of their names)."""
    if not code:
        return "—"
    if code in PROVINCES_BY_CODE:
        return province_name(code)
    return _FORMER_NAMES.get(code, code)


@dataclass(frozen=True)
class ProducerFacts:
    id: int
    name: str
    slug: str
    entity_type: str
    province: str  # in the chosen units (current or former code)
    craft_village: str | None
    circular: bool


def unit_of(province_code: str, former_province_code: str | None, units: str) -> str:
    if units == "63":
        return former_province_code or sole_former_province_code(province_code) or province_code
    return province_code


def verified_producers(units: str = "34", province: str | None = None) -> dict[int, ProducerFacts]:
    rows = db.session.execute(
        select(
            Producer.id,
            Producer.name,
            Producer.slug,
            Producer.entity_type,
            Producer.province_code,
            Producer.former_province_code,
            Producer.craft_village,
            Producer.green_verified,
            Producer.circular_practices,
        ).where(Producer.verification_status == "verified")
    )
    out = {}
    for pid, name, slug, kind, code, former, village, green, circular in rows:
        facts = ProducerFacts(
            pid,
            name,
            slug,
            kind,
            unit_of(code, former, units),
            village,
            bool(green and (circular or "").strip()),
        )
        if province is None or facts.province == province:
            out[pid] = facts
    return out


@dataclass(frozen=True)
class ProductInForce:
    product_id: int
    producer_id: int
    group_code: str
    stars: int


def products_in_force(day: date, producer_ids: Iterable[int] | None = None) -> list[ProductInForce]:
    """Products with a verified certificate in force on `day`, at their highest class."""
    stars = func.max(Certification.star_class)
    query = (
        select(Product.id, Product.producer_id, Product.group_code, stars)
        .join(Certification, Certification.product_id == Product.id)
        .where(
            Certification.status == "verified",
            Certification.issued_on <= day,
            Certification.expires_on >= day,
        )
        .group_by(Product.id, Product.producer_id, Product.group_code)
    )
    wanted = set(producer_ids) if producer_ids is not None else None
    return [ProductInForce(*row) for row in db.session.execute(query) if wanted is None or row[1] in wanted]


def first_certified_in(period: Period) -> set[int]:
    """Products whose first certificate (verified then, or since superseded) was issued in the
    period: the "new 3★+ products" of a year."""
    first = func.min(Certification.issued_on)
    query = (
        select(Certification.product_id)
        .where(Certification.status.in_(("verified", "superseded", "revoked")))
        .group_by(Certification.product_id)
        .having(and_(first >= period.start, first <= period.last_day))
    )
    return set(db.session.scalars(query))


def _months_of(model, period: Period) -> list:
    """The summary rows of the period's months (periods are whole months in Vietnam)."""
    return [model.month >= period.start_text, model.month <= period.end_text]


def net_sales_by_producer(period: Period, channels: tuple[str, ...]) -> dict[int, int]:
    """Producer id -> net ledger sales (VND) in the period on `channels` (pairs netting to 0 left
    out), read from the ledger's monthly summary."""
    total = func.sum(SalesProducerMonth.amount_vnd)
    query = (
        select(SalesProducerMonth.producer_id, total)
        .where(*_months_of(SalesProducerMonth, period), SalesProducerMonth.channel.in_(channels))
        .group_by(SalesProducerMonth.producer_id)
        .having(total != 0)
    )
    return {pid: int(amount) for pid, amount in db.session.execute(query)}


def declared_modern_producers(period: Period) -> set[int]:
    """Producers with an accepted declaration of sales (> 0 VND) on a modern channel off the
    platform for a month of the period."""
    return declared_sales_producers(period, MODERN_DECLARED_CHANNELS)


def declared_sales_producers(period: Period, channels: tuple[str, ...]) -> set[int]:
    return set(
        db.session.scalars(
            select(SalesDeclaration.producer_id)
            .distinct()
            .where(
                SalesDeclaration.status == "accepted",
                SalesDeclaration.amount_vnd > 0,
                SalesDeclaration.channel.in_(channels),
                SalesDeclaration.month >= period.start,
                SalesDeclaration.month <= period.end,
            )
        )
    )


def declarations_version() -> tuple[int, object]:
    """Changes whenever a declaration is accepted (or an accepted one superseded): a cache key."""
    return tuple(
        db.session.execute(
            select(func.count(SalesDeclaration.id), func.max(SalesDeclaration.decided_at)).where(
                SalesDeclaration.status.in_(("accepted", "superseded"))
            )
        ).one()
    )


# ---------------------------------------------------------------------------------------------
# The dashboard


@dataclass(frozen=True)
class Figure:
    """One figure against its targets: a count (`denominator` None) or a share."""

    metric: str
    numerator: int
    denominator: int | None
    national: Target | None
    provincial: Target | None = None

    @property
    def label(self) -> object:
        return METRICS_BY_CODE[self.metric].label

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    @property
    def percent(self) -> float | None:
        if self.denominator is None:
            return None
        return 100.0 * self.numerator / self.denominator if self.denominator else 0.0

    def value_text(self) -> str:
        if self.denominator is None:
            return f"{self.numerator:,}"
        return f"{self.percent:.1f} % ({self.numerator:,} / {self.denominator:,})"

    def met(self, target: Target | None) -> bool | None:
        if target is None:
            return None
        return target.met_by(self.numerator, self.denominator or 1, is_share=self.is_share)

    def bar_percent(self, target: Target | None) -> int:
        """How far the figure is towards the target's lower bound, 0–100, for a bar."""
        if target is None or target.low == 0:
            return 100
        value = self.percent if self.is_share else self.numerator
        return max(0, min(100, int(100 * (value or 0) / target.low)))


@dataclass
class Breakdown:
    key: str
    label: str
    products_3plus: int = 0
    products_5star: int = 0
    ocop_producers: int = 0
    modern_producers: int = 0
    net_sales_vnd: int = 0
    producer_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class MonthPoint:
    month: str
    net_sales_vnd: int
    producers: int  # with net sales > 0 that month
    contributors: int = 0  # with any ledger row that month (what the public page's suppression counts)


@dataclass
class Dashboard:
    period: Period
    province: str | None
    units: str
    programme: ProgrammePeriod | None
    figures: list[Figure]
    by_province: list[Breakdown]
    by_group: list[Breakdown]
    by_star: list[Breakdown]
    trend: list[MonthPoint]
    net_sales_vnd: int

    def figure(self, metric: str) -> Figure:
        return next(f for f in self.figures if f.metric == metric)


@dataclass
class Catalogue:
    """The catalogue's side of the figures on a day, in a scope (the country or one province, in
    the chosen units): verified producers, products certified in force and craft villages. It
    depends only on the catalogue and the day, so it is kept (`catalog.cache.cached`, keyed by
    the catalogue version, raised in the transaction of any change to producers, products or
    certificates, and by the date) instead of being read and joined again on every request: at
    national scale it is 10,000 producers and 18,000 products. The counts the pages show are
    computed once per Catalogue, when first asked for."""

    producers: dict[int, ProducerFacts]
    in_force: list[ProductInForce]
    ocop: set[int]
    villages: dict[tuple[str, str], set[int]]

    @cached_property
    def ocop_by_kind(self) -> dict[str, int]:
        kinds: dict[str, int] = defaultdict(int)
        for pid in self.ocop:
            kinds[self.producers[pid].entity_type] += 1
        return dict(kinds)

    @cached_property
    def ocop_circular(self) -> int:
        return sum(1 for pid in self.ocop if self.producers[pid].circular)

    @cached_property
    def villages_with_ocop(self) -> int:
        return sum(1 for ids in self.villages.values() if ids & self.ocop)

    @cached_property
    def products_by_producer(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for product in self.in_force:
            counts[product.producer_id] += 1
        return dict(counts)

    @cached_property
    def by_province(self) -> dict[str, tuple[int, int, int]]:
        """Province -> (products 3★+, 5★ products, OCOP producers)."""
        rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for product in self.in_force:
            row = rows[self.producers[product.producer_id].province]
            row[0] += 1
            row[1] += product.stars == 5
        for pid in self.ocop:
            rows[self.producers[pid].province][2] += 1
        return {code: (a, b, c) for code, (a, b, c) in rows.items()}

    @cached_property
    def by_group(self) -> dict[str, tuple[int, int]]:
        """Product group -> (products 3★+, 5★ products)."""
        rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for product in self.in_force:
            rows[product.group_code][0] += 1
            rows[product.group_code][1] += product.stars == 5
        return {code: (a, b) for code, (a, b) in rows.items()}

    @cached_property
    def by_star(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for product in self.in_force:
            counts[product.stars] += 1
        return dict(counts)


def _read_catalogue(day: date, province: str | None, units: str) -> Catalogue:
    producers = verified_producers(units, province)
    in_force = products_in_force(day, producers)
    villages: dict[tuple[str, str], set[int]] = defaultdict(set)
    for producer in producers.values():
        if producer.craft_village and producer.craft_village.strip():
            villages[(producer.province, fold(producer.craft_village).strip())].add(producer.id)
    return Catalogue(producers, in_force, {p.producer_id for p in in_force}, dict(villages))


def catalogue(day: date, province: str | None = None, units: str = "34") -> Catalogue:
    """The catalogue's facts on `day` in a scope, read once per catalogue version and date."""
    return cached(
        ("programme-catalogue", day, province, units), lambda: _read_catalogue(day, province, units)
    )


@dataclass
class _Facts:
    catalogue: Catalogue
    modern_platform: set[int]
    modern_declared: set[int]
    new_products: set[int]

    @property
    def producers(self) -> dict[int, ProducerFacts]:
        return self.catalogue.producers

    @property
    def in_force(self) -> list[ProductInForce]:
        return self.catalogue.in_force

    @property
    def ocop(self) -> set[int]:
        return self.catalogue.ocop

    @property
    def villages(self) -> dict[tuple[str, str], set[int]]:
        return self.catalogue.villages


def _new_products(period: Period, day: date, province: str | None, units: str) -> set[int]:
    def read() -> set[int]:
        return first_certified_in(period) & {p.product_id for p in catalogue(day, province, units).in_force}

    return cached(("programme-new-products", period, day, province, units), read)


def kept_sales(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept until the ledger changes (`ledger_version`, raised in the transaction of
    every flush adding ledger rows) and, through `cached`, the catalogue or the date: the sales
    side of a page is summed once per change instead of per request."""
    return cached(("programme-sales", ledger_version(), *key), compute)


def _facts(period: Period, province: str | None, units: str) -> _Facts:
    day = period.as_of()
    facts = catalogue(day, province, units)
    ocop = facts.ocop

    def sellers() -> tuple[set[int], set[int]]:
        platform = {
            pid
            for pid, amount in net_sales_by_producer(period, MODERN_PLATFORM_CHANNELS).items()
            if amount > 0 and pid in ocop
        }
        return platform, platform | (declared_modern_producers(period) & ocop)

    key = ("sellers", declarations_version(), period, day, province, units)
    platform, declared = kept_sales(key, sellers)
    return _Facts(facts, platform, declared, _new_products(period, day, province, units))


def members(facts: _Facts, metric: str) -> set[int]:
    """The producers behind a figure's numerator (the drill-down)."""
    if metric == "products_3plus":
        return {p.producer_id for p in facts.in_force}
    if metric == "products_5star":
        return {p.producer_id for p in facts.in_force if p.stars == 5}
    if metric == "new_products_3plus":
        return {p.producer_id for p in facts.in_force if p.product_id in facts.new_products}
    if metric == "modern_channel_share":
        return facts.modern_platform
    if metric == "modern_channel_share_declared":
        return facts.modern_declared
    if metric == "cooperative_share":
        return {pid for pid in facts.ocop if facts.producers[pid].entity_type == "cooperative"}
    if metric == "enterprise_share":
        return {pid for pid in facts.ocop if facts.producers[pid].entity_type == "enterprise"}
    if metric == "circular_share":
        return {pid for pid in facts.ocop if facts.producers[pid].circular}
    if metric == "craft_village_share":
        return {pid for ids in facts.villages.values() if ids & facts.ocop for pid in ids & facts.ocop}
    raise KeyError(metric)


def _figures(facts: _Facts, national: dict[str, Target], provincial: dict[str, Target]) -> list[Figure]:
    ocop = len(facts.ocop)
    kinds = facts.catalogue.ocop_by_kind
    values: dict[str, tuple[int, int | None]] = {
        "products_3plus": (len(facts.in_force), None),
        "products_5star": (facts.catalogue.by_star.get(5, 0), None),
        "new_products_3plus": (len(facts.new_products), None),
        "modern_channel_share": (len(facts.modern_platform), ocop),
        "modern_channel_share_declared": (len(facts.modern_declared), ocop),
        "cooperative_share": (kinds.get("cooperative", 0), ocop),
        "enterprise_share": (kinds.get("enterprise", 0), ocop),
        "circular_share": (facts.catalogue.ocop_circular, ocop),
        "craft_village_share": (facts.catalogue.villages_with_ocop, len(facts.villages)),
    }
    return [
        Figure(metric, n, d, national.get(metric), provincial.get(metric))
        for metric, (n, d) in values.items()
    ]


def _province_breakdown(facts: _Facts, period: Period, units: str) -> list[Breakdown]:
    rows: dict[str, Breakdown] = {}

    def row(code: str) -> Breakdown:
        if code not in rows:
            rows[code] = Breakdown(code, province_label(code))
        return rows[code]

    for code, (products, five_star, ocop) in facts.catalogue.by_province.items():
        r = row(code)
        r.products_3plus, r.products_5star, r.ocop_producers = products, five_star, ocop
    for pid in facts.modern_platform:
        row(facts.producers[pid].province).modern_producers += 1
    column = SalesCellMonth.former_province_code if units == "63" else SalesCellMonth.province_code
    query = (
        select(column, SalesCellMonth.province_code, func.sum(SalesCellMonth.amount_vnd))
        .where(*_months_of(SalesCellMonth, period))
        .group_by(column, SalesCellMonth.province_code)
    )
    for code, current, amount in kept_sales(
        ("provinces", period, units), lambda: db.session.execute(query).all()
    ):
        row(code or current).net_sales_vnd += int(amount)  # no known former unit: its current one
    return sorted(rows.values(), key=lambda r: r.label)


def _cell_breakdown(period: Period, column, province: str | None, units: str) -> dict:
    """Net sales per value of a summary column; in a province, the rows written under it (its
    current code, or with units "63" its former one, else its current one)."""
    query = (
        select(column, func.sum(SalesCellMonth.amount_vnd))
        .where(*_months_of(SalesCellMonth, period))
        .group_by(column)
    )
    if province is not None and units == "63":
        query = query.where(
            or_(
                SalesCellMonth.former_province_code == province,
                and_(SalesCellMonth.former_province_code == "", SalesCellMonth.province_code == province),
            )
        )
    elif province is not None:
        query = query.where(SalesCellMonth.province_code == province)
    return kept_sales(
        ("cells", period, column.key, province, units),
        lambda: {key: int(amount) for key, amount in db.session.execute(query)},
    )


def monthly_trend(period: Period, producer_ids: set[int] | None) -> list[MonthPoint]:
    """Net sales and the number of producers with net sales > 0, per month of the period."""
    per_producer = (
        select(
            SalesProducerMonth.month.label("month"), func.sum(SalesProducerMonth.amount_vnd).label("amount")
        )
        .where(*_months_of(SalesProducerMonth, period))
        .group_by(SalesProducerMonth.month, SalesProducerMonth.producer_id)
    )
    if producer_ids is not None:
        per_producer = per_producer.where(SalesProducerMonth.producer_id.in_(producer_ids))
    cell = per_producer.subquery()
    query = select(
        cell.c.month, func.sum(cell.c.amount), func.count(case((cell.c.amount > 0, 1))), func.count()
    ).group_by(cell.c.month)  # one row per month, summed in the database
    totals: dict[str, int] = {}
    sellers: dict[str, int] = {}
    contributors: dict[str, int] = {}
    for m, amount, selling, count in db.session.execute(query):
        totals[m], sellers[m], contributors[m] = int(amount), int(selling), int(count)
    return [
        MonthPoint(m, totals.get(m, 0), sellers.get(m, 0), contributors.get(m, 0)) for m in period.months()
    ]


def dashboard(
    period: Period, *, province: str | None = None, units: str = "34", programme_id: int | None = None
) -> Dashboard:
    """Every figure of the administrators' dashboard for a period and (optionally) a province."""
    from marketplace.reference import PRODUCT_GROUPS_BY_CODE

    units = units if units in UNITS else "34"
    programme = db.session.get(ProgrammePeriod, programme_id) if programme_id else None
    programme = programme or period_for_year(period.year)
    facts = _facts(period, province, units)
    provincial = province_targets(province, period.year) if province and units == "34" else {}
    figures = _figures(facts, national_targets(programme), provincial)
    scope = set(facts.producers) if province else None
    by_province = _province_breakdown(facts, period, units) if not province else []
    groups = _cell_breakdown(period, SalesCellMonth.group_code, province, units)
    by_group = []
    for code, group in PRODUCT_GROUPS_BY_CODE.items():
        products, five_star = facts.catalogue.by_group.get(code, (0, 0))
        by_group.append(
            Breakdown(code, str(group.label), products, five_star, net_sales_vnd=groups.get(code, 0))
        )
    stars = {
        key or None: amount
        for key, amount in _cell_breakdown(period, SalesCellMonth.star_class, province, units).items()
    }
    by_star = []
    for star in (3, 4, 5, None):
        b = Breakdown(str(star or "—"), f"{star}★" if star else "—", net_sales_vnd=stars.get(star, 0))
        b.products_3plus = facts.catalogue.by_star.get(star, 0) if star else 0
        by_star.append(b)
    trend = kept_sales(("trend", period, province, units), lambda: monthly_trend(period, scope))
    total = sum(point.net_sales_vnd for point in trend)
    return Dashboard(
        period, province, units, programme, figures, by_province, by_group, by_star, trend, total
    )


@dataclass(frozen=True)
class DrillRow:
    producer_id: int
    name: str
    slug: str
    entity_type: str
    province: str
    products_in_force: int
    net_sales_vnd: int


def drill_down(
    period: Period, metric: str, *, province: str | None = None, units: str = "34"
) -> list[DrillRow]:
    """The producers behind a figure, with their products in force and net sales in the period."""
    if metric not in METRICS_BY_CODE:
        raise KeyError(metric)
    facts = _facts(period, province, units)
    key = ("drill", declarations_version(), period, metric, province, units)
    return kept_sales(key, lambda: _drill_rows(facts, period, metric))


def _drill_rows(facts: _Facts, period: Period, metric: str) -> list[DrillRow]:
    ids = members(facts, metric)
    counts = facts.catalogue.products_by_producer
    sales = net_sales_by_producer(period, tuple(c.code for c in CHANNELS))
    rows = [
        DrillRow(
            pid,
            facts.producers[pid].name,
            facts.producers[pid].slug,
            facts.producers[pid].entity_type,
            province_label(facts.producers[pid].province),
            counts.get(pid, 0),
            sales.get(pid, 0),
        )
        for pid in ids
    ]
    return sorted(rows, key=lambda r: (r.province, r.name))


def ledger_rows(period: Period, *, batch: int = 5000) -> Iterator[tuple]:
    """Every ledger row of the period, oldest first, fetched `batch` at a time (the streamed export)."""
    query = (
        select(
            SalesEntry.occurred_at,
            SalesEntry.kind,
            SalesEntry.producer_id,
            SalesEntry.channel,
            SalesEntry.province_code,
            SalesEntry.former_province_code,
            SalesEntry.group_code,
            SalesEntry.star_class,
            SalesEntry.units,
            SalesEntry.amount_vnd,
        )
        .where(*queries.conditions(ledger_filter(period)))
        .order_by(SalesEntry.occurred_at, SalesEntry.id)
        .execution_options(yield_per=batch, stream_results=True)
    )
    yield from db.session.execute(query)


# ---------------------------------------------------------------------------------------------
# Exports (cells neutralised against formula injection)


def dashboard_table(board: Dashboard) -> list[list[object]]:
    """The dashboard's figures as rows of a spreadsheet: figure, value, numerator, denominator,
    national target, met, provincial target, met."""
    rows: list[list[object]] = [
        [
            "metric",
            "figure",
            "value",
            "numerator",
            "denominator",
            "national_target",
            "national_met",
            "province_target",
            "province_met",
        ]
    ]
    for f in board.figures:
        rows.append(
            [
                f.metric,
                spreadsheet_safe(str(f.label)),
                round(f.percent, 2) if f.is_share else f.numerator,
                f.numerator,
                "" if f.denominator is None else f.denominator,
                f.national.describe(f.is_share) if f.national else "",
                _yes_no(f.met(f.national)),
                f.provincial.describe(f.is_share) if f.provincial else "",
                _yes_no(f.met(f.provincial)),
            ]
        )
    rows.append([])
    rows.append(["month", "net_sales_vnd", "producers_selling"])
    rows.extend([p.month, p.net_sales_vnd, p.producers] for p in board.trend)
    if board.by_province:
        rows.append([])
        rows.append(
            [
                "province",
                "products_3plus",
                "products_5star",
                "ocop_producers",
                "modern_producers",
                "net_sales_vnd",
            ]
        )
        rows.extend(
            [
                spreadsheet_safe(r.label),
                r.products_3plus,
                r.products_5star,
                r.ocop_producers,
                r.modern_producers,
                r.net_sales_vnd,
            ]
            for r in board.by_province
        )
    return rows


def _yes_no(met: bool | None) -> str:
    return "" if met is None else ("yes" if met else "no")


LEDGER_CSV_HEADER = (
    "occurred_at_utc",
    "kind",
    "producer_id",
    "channel",
    "province_code",
    "former_province_code",
    "group_code",
    "star_class",
    "units",
    "amount_vnd",
)


def ledger_csv_lines(period: Period) -> Iterator[str]:
    """The period's ledger as CSV text, a few thousand rows per chunk (memory stays bounded)."""
    yield "\ufeff" + ",".join(LEDGER_CSV_HEADER) + "\n"
    chunk: list[str] = []
    for occurred, kind, pid, channel, province, former, group, star, units, amount in ledger_rows(period):
        chunk.append(
            f"{occurred.isoformat(sep=' ')},{kind},{pid},{channel},{province},{former or ''},"
            f"{group},{star or ''},{units},{amount}\n"
        )
        if len(chunk) >= 2000:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# ---------------------------------------------------------------------------------------------
# Public figures: aggregates only, any cell from fewer than MIN_PRODUCERS producers suppressed

MIN_PRODUCERS = 3


@dataclass(frozen=True)
class Cell:
    """A public figure, or None when fewer than MIN_PRODUCERS producers stand behind it."""

    value: int | None

    @classmethod
    def of(cls, value: int, producers: int) -> Cell:
        return cls(value if producers >= MIN_PRODUCERS else None)

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class PublicFigures:
    period: Period
    stars_by_province: list[tuple[str, dict[int, Cell], Cell]]  # province label, star -> products, total
    stars_total: dict[int, Cell]
    producers_by_type: list[tuple[str, Cell]]
    modern_share: tuple[Cell, Cell]  # producers selling on modern channels, OCOP producers
    trend: list[tuple[str, Cell, Cell]]  # month, net sales, producers selling

    @property
    def modern_percent(self) -> float | None:
        selling, ocop = self.modern_share
        if selling.suppressed or ocop.suppressed or not ocop.value:
            return None
        return 100.0 * selling.value / ocop.value


def public_figures(period: Period) -> PublicFigures:
    """The public page's aggregates. A cell counts the distinct producers it is built from and is
    suppressed below three: no figure reveals one producer's (or, through it, one buyer's) sales."""
    facts = _facts(period, None, "34")
    by_province: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for product in facts.in_force:
        code = facts.producers[product.producer_id].province
        by_province[code][product.stars].add(product.producer_id)
        counts[code][product.stars] += 1
    stars_by_province = []
    for code in sorted(by_province, key=province_label):
        cells = {star: Cell.of(counts[code][star], len(by_province[code][star])) for star in (3, 4, 5)}
        everyone = set().union(*by_province[code].values())
        stars_by_province.append(
            (province_label(code), cells, Cell.of(sum(counts[code].values()), len(everyone)))
        )
    stars_total = {}
    for star in (3, 4, 5):
        products = [p for p in facts.in_force if p.stars == star]
        stars_total[star] = Cell.of(len(products), len({p.producer_id for p in products}))
    kinds: dict[str, int] = defaultdict(int)
    for pid in facts.ocop:
        kinds[facts.producers[pid].entity_type] += 1
    from marketplace.reference import ENTITY_TYPE_LABELS, EntityType

    producers_by_type = [
        (str(label), Cell.of(kinds.get(kind.value, 0), kinds.get(kind.value, 0)))
        for kind, label in ENTITY_TYPE_LABELS.items()
        if isinstance(kind, EntityType)
    ]
    selling = len(facts.modern_platform)
    modern_share = (Cell.of(selling, selling), Cell.of(len(facts.ocop), len(facts.ocop)))
    trend = [
        (
            point.month,
            Cell.of(point.net_sales_vnd, point.contributors),
            Cell.of(point.producers, point.producers),
        )
        for point in monthly_trend(period, None)
    ]
    return PublicFigures(period, stars_by_province, stars_total, producers_by_type, modern_share, trend)


def ledger_version() -> int:
    """A cache key that changes in the transaction of every flush adding ledger rows
    (`summaries.LedgerState`)."""
    return db.session.scalar(select(LedgerState.version).where(LedgerState.id == 1)) or 0


def former_provinces() -> list[tuple[str, str]]:
    """(code, name) of the 63 pre-2025 units."""
    return sorted(_FORMER_NAMES.items(), key=lambda item: fold(item[1]))
