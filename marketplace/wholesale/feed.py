"""The wholesale catalogue as a feed for purchasing systems (the JSON API): every product for
sale with its wholesale terms (tiers, MOQ, case pack, stock, the producer's minimum order value)
and its certificate and GI facts, in id order with a cursor, optionally only what changed since a
moment. A page is read in five queries whatever its size (the products as plain columns, their
tiers, certificates, protections and committed supply), and with `updated_since` a sixth lists
what is no longer for sale in the page's id range.

Only verified buyer organisations may read it (the API checks that before calling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, not_, or_, select

from marketplace.catalog.models import Certification, PriceTier, Product, Protection, ProtectionRight
from marketplace.catalog.services import visible_condition
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale.capacity import MonthCapacity, supply_capacity

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class FeedFilters:
    q: str = ""
    group: str | None = None
    province: str | None = None  # a current province code
    stars: int | None = None
    gi: bool = False  # only products with a verified right to a protection
    min_price: int | None = None
    max_price: int | None = None
    updated_since: datetime | None = None  # UTC


@dataclass(frozen=True)
class FeedCertificate:
    stars: int
    number: str
    issuing_level: str
    issued_on: date
    expires_on: date


@dataclass(frozen=True)
class FeedProtection:
    kind: str
    name: str
    registration_number: str


@dataclass(frozen=True)
class FeedProduct:
    """The product's columns a feed item shows (read as plain columns: no ORM objects)."""

    id: int
    sku: str
    name: str
    unit: str
    group_code: str
    price_vnd: int
    min_order_qty: int
    case_pack: int
    stock: int
    monthly_capacity: int | None
    season_months: int
    updated_at: datetime


@dataclass(frozen=True)
class FeedProducer:
    id: int
    slug: str
    name: str
    province_code: str
    min_order_value_vnd: int


@dataclass(frozen=True)
class FeedItem:
    product: FeedProduct
    producer: FeedProducer
    tiers: tuple[tuple[int, int], ...]
    certificate: FeedCertificate | None
    protections: tuple[FeedProtection, ...]
    # This month in Vietnam and the next two: capacity, season and units already committed.
    supply: tuple[MonthCapacity, ...] = ()

    @property
    def code(self) -> str:
        return f"{self.producer.slug}/{self.product.sku}"


_PRODUCT_COLUMNS = (
    Product.id,
    Product.sku,
    Product.name,
    Product.unit,
    Product.group_code,
    Product.price_vnd,
    Product.min_order_qty,
    Product.case_pack,
    Product.stock,
    Product.monthly_capacity,
    Product.season_months,
    Product.updated_at,
)
_PRODUCER_COLUMNS = (
    Producer.id,
    Producer.slug,
    Producer.name,
    Producer.province_code,
    Producer.min_order_value_vnd,
)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_cursor: int | None  # the last id of this page when more follow
    # With `updated_since`: (id, code) of the products in this page's id range changed since then
    # and no longer for sale.
    removed: list[tuple[int, str]] = field(default_factory=list)


def catalogue_feed(
    filters: FeedFilters,
    *,
    after_id: int = 0,
    limit: int = 50,
    today: date | None = None,
    with_supply: bool = True,
) -> FeedPage:
    """A page of the feed after product id `after_id`. `with_supply` False: the items' `supply`
    is left empty (one query fewer), for a caller that keeps the rest and reads the supply, which
    changes with every order, each time (`supply_capacity`)."""
    today = today or today_in_vietnam()
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    query = (
        select(*_PRODUCT_COLUMNS, *(column.label(f"producer_{column.key}") for column in _PRODUCER_COLUMNS))
        .join(Producer, Producer.id == Product.producer_id)
        .where(visible_condition(), Product.id > after_id)
    )
    if filters.q.strip():
        like = f"%{filters.q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Product.name).like(like),
                func.lower(Product.sku).like(like),
                func.lower(Producer.name).like(like),
            )
        )
    if filters.group:
        query = query.where(Product.group_code == filters.group)
    if filters.province:
        query = query.where(Producer.province_code == filters.province)
    if filters.min_price is not None:
        query = query.where(Product.price_vnd >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(Product.price_vnd <= filters.max_price)
    if filters.updated_since is not None:
        query = query.where(Product.updated_at >= filters.updated_since)
    if filters.gi:
        query = query.where(
            select(ProtectionRight.id)
            .where(ProtectionRight.product_id == Product.id, ProtectionRight.status == "verified")
            .exists()
        )
    in_force = (
        Certification.status == "verified",
        Certification.issued_on <= today,
        Certification.expires_on >= today,
    )
    if filters.stars:
        query = query.where(
            select(Certification.id)
            .where(
                Certification.product_id == Product.id,
                Certification.star_class == filters.stars,
                *in_force,
            )
            .exists()
        )
    rows = db.session.execute(query.order_by(Product.id).limit(limit + 1)).all()
    more = len(rows) > limit
    width = len(_PRODUCT_COLUMNS)
    producers: dict[int, FeedProducer] = {}
    read: list[tuple[FeedProduct, FeedProducer]] = []
    for row in rows[:limit]:
        producer = producers.get(row[width])
        if producer is None:
            producer = producers[row[width]] = FeedProducer(*row[width:])
        read.append((FeedProduct(*row[:width]), producer))
    ids = [product.id for product, _ in read]
    tiers: dict[int, list[tuple[int, int]]] = {}
    certificates: dict[int, FeedCertificate] = {}
    protections: dict[int, list[FeedProtection]] = {}
    if ids:
        for product_id, quantity, price in db.session.execute(
            select(PriceTier.product_id, PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .where(PriceTier.product_id.in_(ids))
            .order_by(PriceTier.min_quantity)
        ):
            tiers.setdefault(product_id, []).append((quantity, price))
        for cert in db.session.scalars(
            select(Certification)
            .where(Certification.product_id.in_(ids), *in_force)
            .order_by(Certification.star_class, Certification.expires_on)
        ):  # the highest class, then the latest expiry, wins
            certificates[cert.product_id] = FeedCertificate(
                cert.star_class, cert.certificate_number, cert.issuing_level, cert.issued_on, cert.expires_on
            )
        for product_id, kind, name, number in db.session.execute(
            select(
                ProtectionRight.product_id, Protection.kind, Protection.name, Protection.registration_number
            )
            .join(Protection, Protection.id == ProtectionRight.protection_id)
            .where(ProtectionRight.product_id.in_(ids), ProtectionRight.status == "verified")
            .order_by(Protection.name)
        ):
            protections.setdefault(product_id, []).append(FeedProtection(kind, name, number))
    supply = supply_capacity([product for product, _producer in read]) if with_supply else {}
    items = [
        FeedItem(
            product,
            producer,
            tuple(tiers.get(product.id, ())),
            certificates.get(product.id),
            tuple(protections.get(product.id, ())),
            supply.get(product.id, ()),
        )
        for product, producer in read
    ]
    next_cursor = ids[-1] if more and ids else None
    removed: list[tuple[int, str]] = []
    if filters.updated_since is not None:
        range_end = (Product.id <= next_cursor,) if next_cursor is not None else ()
        removed = [
            (product_id, f"{slug}/{sku}")
            for product_id, sku, slug in db.session.execute(
                select(Product.id, Product.sku, Producer.slug)
                .join(Producer, Producer.id == Product.producer_id)
                .where(
                    Product.id > after_id,
                    *range_end,
                    Product.updated_at >= filters.updated_since,
                    not_(visible_condition()),
                )
                .order_by(Product.id)
            )
        ]
    return FeedPage(items, next_cursor, removed)
