"""Storefront queries: the faceted catalogue, product, producer, province and home pages.

Each function loads what its page needs in a fixed number of SQL statements and returns plain,
immutable data (never ORM objects), so results can be cached safely (see `catalog.cache`).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Protocol

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from marketplace.catalog.cache import cached, cached_index
from marketplace.catalog.facet_index import FacetIndex, bitset, members, page_of
from marketplace.catalog.models import (
    Certification,
    PriceTier,
    Product,
    ProductImage,
    Protection,
    ProtectionRight,
)
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.reference import (
    PRODUCT_GROUPS_BY_CODE,
    PROVINCES,
    STAR_CLASSES,
    resolve_province,
)
from marketplace.richtext import render_markdown
from marketplace.timeutil import today_in_vietnam

PAGE_SIZE = 24
MAX_PAGE = 10_000
SORTS = ("featured", "relevance", "price_asc", "price_desc", "newest", "name")
MAX_QUERY_LENGTH = 200
# Price facet buckets, in VND: (code, lowest, highest or None).
PRICE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under-100k", 0, 99_999),
    ("100k-300k", 100_000, 299_999),
    ("300k-700k", 300_000, 699_999),
    ("over-700k", 700_000, None),
)
MAX_PRICE_VND = 1_000_000_000


def certificate_in_force(cert: Certification, today: date | None = None) -> bool:
    """Whether `cert` carries the OCOP badge today: verified, issued, and not past its expiry date
    (it is in force through the expiry date itself, in Vietnam's calendar)."""
    today = today or today_in_vietnam()
    return cert.status == "verified" and cert.issued_on <= today <= cert.expires_on


# ---------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class CatalogFilters:
    """What a catalogue page shows. Built by `parse_filters`, which drops what it cannot use."""

    stars: int | None = None
    group: str | None = None
    province: str | None = None  # a current province code; former names resolve to it
    protected_only: bool = False  # GI or mark
    green_only: bool = False  # producers whose environmental commitments are verified
    min_price: int | None = None
    max_price: int | None = None
    producer_id: int | None = None
    sort: str = "featured"  # "relevance" (the default when searching) follows the order of `ids`
    page: int = 1
    q: str = ""  # a search query; `catalog_page` turns it into `ids`
    ids: tuple[int, ...] | None = None  # only these products (search matches, best first)
    # The wholesale catalogue: in stock, with price tiers, a minimum order or a case pack.
    wholesale_only: bool = False
    # On a page's filters, a fingerprint of the search matches in place of `ids` (see catalog_page).
    matches: str = ""

    def without(self, facet: str) -> CatalogFilters:
        """These filters minus one facet (for that facet's own counts), on page 1."""
        cleared = {
            "stars": {"stars": None},
            "group": {"group": None},
            "province": {"province": None},
            "protected": {"protected_only": False},
            "green": {"green_only": False},
            "price": {"min_price": None, "max_price": None},
            "producer": {"producer_id": None},
        }[facet]
        return replace(self, page=1, **cleared)

    def query_args(self, **changes: object) -> dict[str, object]:
        """URL arguments for these filters with `changes` applied (None removes an argument)."""
        args: dict[str, object] = {
            "stars": self.stars,
            "group": self.group,
            "province": self.province,
            "gi": 1 if self.protected_only else None,
            "green": 1 if self.green_only else None,
            "min_price": self.min_price,
            "max_price": self.max_price,
            "sort": None if self.sort in ("featured", "relevance") else self.sort,
            "page": None if self.page == 1 else self.page,
            "q": self.q or None,
            "producer": self.producer_id if self.wholesale_only else None,
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, False, "")}

    @property
    def active(self) -> bool:
        return any(
            (
                self.stars,
                self.group,
                self.province,
                self.protected_only,
                self.green_only,
                self.wholesale_only and self.producer_id is not None,
                self.min_price is not None,
                self.max_price is not None,
            )
        )


def _int_arg(value: str | None, low: int, high: int) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value.strip().replace(".", "").replace(",", ""))
    except ValueError:
        return None
    return number if low <= number <= high else None


def _flag(value: str | None) -> bool:
    return (value or "").lower() in {"1", "true", "on", "yes"}


def parse_filters(args: dict[str, str] | object, wholesale: bool = False) -> CatalogFilters:
    """Filters from request arguments. A value that makes no sense (page=-1, stars=9, an unknown
    province) is ignored rather than answered with an error page. The wholesale catalogue also
    filters by producer (`producer`, its id)."""
    get = args.get  # type: ignore[attr-defined]
    stars = _int_arg(get("stars"), 3, 5)
    group = get("group") if get("group") in PRODUCT_GROUPS_BY_CODE else None
    province = resolve_province(get("province"))
    min_price = _int_arg(get("min_price"), 0, MAX_PRICE_VND)
    max_price = _int_arg(get("max_price"), 0, MAX_PRICE_VND)
    bucket = next((b for b in PRICE_BUCKETS if b[0] == get("price")), None)
    if bucket:
        min_price, max_price = bucket[1], bucket[2]
    if min_price is not None and max_price is not None and min_price > max_price:
        min_price, max_price = max_price, min_price
    sort = get("sort") if get("sort") in SORTS else "featured"
    q = " ".join((get("q") or "").split())[:MAX_QUERY_LENGTH]
    return CatalogFilters(
        q=q,
        stars=stars,
        group=group,
        province=province.code if province else None,
        protected_only=_flag(get("gi")),
        green_only=_flag(get("green")),
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        page=_int_arg(get("page"), 1, MAX_PAGE) or 1,
        producer_id=_int_arg(get("producer"), 1, 2**31 - 1) if wholesale else None,
        wholesale_only=wholesale,
    )


# ---------------------------------------------------------------------------------------------
# Plain data the templates render


@dataclass(frozen=True)
class ProtectionBadge:
    kind: str  # gi, certification_mark, collective_mark
    name: str
    registration_number: str
    holder: str = ""


@dataclass(frozen=True)
class StarBadge:
    stars: int
    score: int
    certificate_number: str
    issuing_level: str
    issuing_decision: str
    issuing_province: str | None
    issued_on: date
    valid_until: date


@dataclass(frozen=True)
class ProductCard:
    id: int
    slug: str
    name: str
    producer_name: str
    producer_slug: str
    province_code: str
    group_code: str
    price_vnd: int
    unit: str
    stock: int
    stars: int | None
    protection: ProtectionBadge | None
    green: bool
    image_key: str | None
    image_alt: str
    name_en: str | None = None  # shown in the English interface when set (`in_locale`)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


@dataclass(frozen=True)
class FacetValue:
    value: object
    count: int


@dataclass(frozen=True)
class Facets:
    stars: tuple[FacetValue, ...]
    groups: tuple[FacetValue, ...]
    provinces: tuple[FacetValue, ...]
    protected: int
    green: int
    prices: tuple[FacetValue, ...]
    # Only in the wholesale catalogue: (producer id, name) values, by name.
    producers: tuple[FacetValue, ...] = ()


@dataclass(frozen=True)
class CatalogPage:
    filters: CatalogFilters
    items: tuple[ProductCard, ...]
    total: int
    facets: Facets | None
    page_size: int = PAGE_SIZE
    # When searching: product names with the matched words in <mark>, and a spelling to propose
    # when nothing matched.
    highlighted: Mapping[int, Markup] = field(default_factory=lambda: MappingProxyType({}))
    did_you_mean: str | None = None
    nearest: tuple[str, ...] = ()  # other searches to propose when nothing matched

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


# ---------------------------------------------------------------------------------------------
# Query building


def _in_force(today: date) -> ColumnElement[bool]:
    """`certificate_in_force` as SQL: verified, issued, and not past its expiry date."""
    return and_(
        Certification.status == "verified",
        Certification.issued_on <= today,
        Certification.expires_on >= today,
    )


def _stars_in_force(today: date):
    """product_id -> star class of the verified certificate in force today."""
    return (
        select(
            Certification.product_id.label("product_id"),
            func.max(Certification.star_class).label("stars"),
        )
        .where(_in_force(today))
        .group_by(Certification.product_id)
        .subquery("stars_in_force")
    )


def _has_verified_protection() -> ColumnElement[bool]:
    return exists().where(ProtectionRight.product_id == Product.id, ProtectionRight.status == "verified")


def visible_condition() -> ColumnElement[bool]:
    """What the public may see: published products of verified producers."""
    return and_(Product.status == "published", Producer.verification_status == "verified")


def _filtered(stmt: Select, filters: CatalogFilters, stars_sq) -> Select:
    stmt = stmt.where(visible_condition())
    if filters.stars:
        stmt = stmt.where(stars_sq.c.stars == filters.stars)
    if filters.group:
        stmt = stmt.where(Product.group_code == filters.group)
    if filters.province:
        stmt = stmt.where(Producer.province_code == filters.province)
    if filters.protected_only:
        stmt = stmt.where(_has_verified_protection())
    if filters.green_only:
        stmt = stmt.where(Producer.green_verified.is_(True))
    if filters.min_price is not None:
        stmt = stmt.where(Product.price_vnd >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Product.price_vnd <= filters.max_price)
    if filters.producer_id is not None:
        stmt = stmt.where(Product.producer_id == filters.producer_id)
    if filters.wholesale_only:
        stmt = stmt.where(wholesale_ready_condition())
    return stmt


def wholesale_ready_condition() -> ColumnElement[bool]:
    """Products a supermarket can order in bulk: in stock, with price tiers, a minimum order
    quantity or a case pack (with `visible_condition`)."""
    return and_(
        Product.stock > 0,
        or_(
            exists().where(PriceTier.product_id == Product.id),
            Product.min_order_qty > 1,
            Product.case_pack > 1,
        ),
    )


def _from_products(stmt: Select, stars_sq) -> Select:
    return (
        stmt.select_from(Product)
        .join(Producer, Producer.id == Product.producer_id)
        .outerjoin(stars_sq, stars_sq.c.product_id == Product.id)
    )


def _ordering(sort: str, stars_sq) -> tuple:
    if sort == "price_asc":
        return (Product.price_vnd.asc(), Product.id)
    if sort == "price_desc":
        return (Product.price_vnd.desc(), Product.id)
    if sort == "newest":
        return (Product.created_at.desc(), Product.id.desc())
    if sort == "name":
        return (Product.name.asc(), Product.id)
    return (func.coalesce(stars_sq.c.stars, 0).desc(), Product.id.desc())


def _cards(rows, today: date) -> tuple[ProductCard, ...]:
    """Cards for `rows` of (Product, producer name, slug, province, green, stars): two more
    statements whatever the number of rows (cover pictures, protections)."""
    ids = [row[0].id for row in rows]
    covers: dict[int, ProductImage] = {}
    protections: dict[int, ProtectionBadge] = {}
    if ids:
        for image in db.session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id.in_(ids))
            .order_by(ProductImage.is_cover.desc(), ProductImage.position)
        ):
            covers.setdefault(image.product_id, image)
        for product_id, protection in db.session.execute(
            select(ProtectionRight.product_id, Protection)
            .join(Protection, Protection.id == ProtectionRight.protection_id)
            .where(ProtectionRight.product_id.in_(ids), ProtectionRight.status == "verified")
            .order_by(ProtectionRight.id)
        ):
            protections.setdefault(product_id, _protection_badge(protection))
    cards = []
    for product, producer_name, producer_slug, province_code, green, stars in rows:
        cover = covers.get(product.id)
        cards.append(
            ProductCard(
                id=product.id,
                slug=product.slug,
                name=product.name,
                producer_name=producer_name,
                producer_slug=producer_slug,
                province_code=province_code,
                group_code=product.group_code,
                price_vnd=product.price_vnd,
                unit=product.unit,
                stock=product.stock,
                stars=stars,
                protection=protections.get(product.id),
                green=bool(green),
                image_key=cover.storage_key if cover else None,
                image_alt=(cover.alt or product.name) if cover else product.name,
                name_en=product.name_en or None,
            )
        )
    return tuple(cards)


def certificates_valid_until(product_ids: list[int], today: date | None = None) -> dict[int, date]:
    """For each product, the expiry of the certificate in force that gives its star class (the
    highest class; the latest expiry among those)."""
    today = today or today_in_vietnam()
    best: dict[int, tuple[int, date]] = {}
    if product_ids:
        for product_id, stars, expires_on in db.session.execute(
            select(Certification.product_id, Certification.star_class, Certification.expires_on).where(
                Certification.product_id.in_(product_ids), _in_force(today)
            )
        ):
            best[product_id] = max(best.get(product_id, (0, expires_on)), (stars, expires_on))
    return {product_id: expires_on for product_id, (_, expires_on) in best.items()}


def _protection_badge(protection: Protection) -> ProtectionBadge:
    return ProtectionBadge(
        kind=protection.kind,
        name=protection.name,
        registration_number=protection.registration_number,
        holder=protection.holder,
    )


def _card_columns(stars_sq) -> Select:
    return select(
        Product,
        Producer.name,
        Producer.slug,
        Producer.province_code,
        Producer.green_verified,
        stars_sq.c.stars,
    )


def _card_rows(filters: CatalogFilters, today: date, limit: int, offset: int):
    stars_sq = _stars_in_force(today)
    stmt = _filtered(_from_products(_card_columns(stars_sq), stars_sq), filters, stars_sq)
    stmt = stmt.order_by(*_ordering(filters.sort, stars_sq))
    return db.session.execute(stmt.limit(limit).offset(offset)).all()


def _card_rows_of(ids: list[int], index: FacetIndex):
    """Card rows of these products, in this order, by primary key (still visible), with the star
    class in force from the facet index (the grouped certificate subquery would read them all)."""
    if not ids:
        return []
    stmt = (
        select(Product, Producer.name, Producer.slug, Producer.province_code, Producer.green_verified)
        .join(Producer, Producer.id == Product.producer_id)
        .where(visible_condition(), Product.id.in_(ids))
    )
    position = {product_id: n for n, product_id in enumerate(ids)}
    rows = sorted(db.session.execute(stmt).all(), key=lambda row: position[row[0].id])
    return [(*row, index.stars(row[0].id)) for row in rows]


# ---------------------------------------------------------------------------------------------
# Facet counts and pages from the facet index


def _build_facet_index(today: date) -> FacetIndex:
    """Every visible product's facet values, in one statement."""
    stars_sq = _stars_in_force(today)
    stmt = _from_products(
        select(
            Product.id,
            stars_sq.c.stars,
            Product.group_code,
            Producer.province_code,
            _has_verified_protection(),
            Producer.green_verified,
            wholesale_ready_condition(),
            Product.price_vnd,
            Product.producer_id,
        ),
        stars_sq,
    ).where(visible_condition())

    def read_ordering(sort: str) -> list[int]:
        ordered = _from_products(select(Product.id), stars_sq).where(visible_condition())
        return list(db.session.scalars(ordered.order_by(*_ordering(sort, stars_sq))))

    def read_producer_names() -> list[tuple[int, str]]:
        return [
            (pid, name)
            for pid, name in db.session.execute(
                select(Producer.id, Producer.name).order_by(Producer.name, Producer.id)
            )
        ]

    # Core rows, not ORM ones: tens of thousands of them, read once per catalogue version.
    rows = db.session.connection().execute(stmt).all()
    return FacetIndex(rows, PRICE_BUCKETS, read_ordering, read_producer_names)


def facet_index(today: date | None = None) -> FacetIndex:
    """The facet index of this catalogue version and date (built on first use)."""
    today = today or today_in_vietnam()
    return cached_index(lambda: _build_facet_index(today))


def _filter_sets(index: FacetIndex, filters: CatalogFilters) -> dict[str, int]:
    """The bitset of each facet filter that `filters` set, by facet name (as `without` names them)."""
    sets: dict[str, int] = {}
    if filters.stars:
        sets["stars"] = index.values("stars").get(filters.stars, 0)
    if filters.group:
        sets["group"] = index.values("group").get(filters.group, 0)
    if filters.province:
        sets["province"] = index.values("province").get(filters.province, 0)
    if filters.protected_only:
        sets["protected"] = index.protected
    if filters.green_only:
        sets["green"] = index.green
    if filters.min_price is not None or filters.max_price is not None:
        bucket = next(
            (
                code
                for code, low, high in PRICE_BUCKETS
                if (filters.min_price or 0) == low and filters.max_price == high
            ),
            None,
        )
        sets["price"] = (
            index.values("price").get(bucket, 0)
            if bucket is not None
            else index.price_range(filters.min_price, filters.max_price)
        )
    if filters.producer_id is not None:
        sets["producer"] = index.by_producer(filters.producer_id)
    return sets


def _scope(index: FacetIndex, filters: CatalogFilters) -> int:
    """What every count starts from: the visible products, the search matches, wholesale-ready."""
    scope = index.visible
    if filters.ids is not None:
        scope &= bitset(filters.ids, index.size)
    if filters.wholesale_only:
        scope &= index.wholesale
    return scope


def _all_but(scope: int, sets: dict[str, int], facet: str | None) -> int:
    for name, bits in sets.items():
        if name != facet:
            scope &= bits
    return scope


def _facets(index: FacetIndex, scope: int, sets: dict[str, int], wholesale: bool) -> Facets:
    """Counts for every facet value. Each facet is counted under all the other filters, so that a
    count says how many products choosing that value would show."""

    def counts(kind: str) -> dict[object, int]:
        base = _all_but(scope, sets, kind)
        return {value: (base & bits).bit_count() for value, bits in index.values(kind).items()}

    stars, groups, provinces, prices = (counts(k) for k in ("stars", "group", "province", "price"))
    producers: tuple[FacetValue, ...] = ()
    if wholesale:
        per_producer: dict[int, int] = {}
        producer_of = index.producer_of
        for pid in members(_all_but(scope, sets, "producer")):
            producer = producer_of[pid]
            per_producer[producer] = per_producer.get(producer, 0) + 1
        producers = tuple(
            FacetValue((pid, name), per_producer[pid])
            for pid, name in index.producer_names()
            if pid in per_producer
        )
    return Facets(
        stars=tuple(FacetValue(s, stars.get(s, 0)) for s in sorted(STAR_CLASSES, reverse=True)),
        groups=tuple(FacetValue(code, groups.get(code, 0)) for code in PRODUCT_GROUPS_BY_CODE),
        provinces=tuple(FacetValue(p.code, provinces.get(p.code, 0)) for p in PROVINCES),
        protected=(_all_but(scope, sets, "protected") & index.protected).bit_count(),
        green=(_all_but(scope, sets, "green") & index.green).bit_count(),
        prices=tuple(FacetValue(code, prices.get(code, 0)) for code, _, _ in PRICE_BUCKETS),
        producers=producers,
    )


# ---------------------------------------------------------------------------------------------
# Pages


class Searched(Protocol):
    ids: tuple[int, ...]  # best first
    words: frozenset[str]  # folded words to highlight
    did_you_mean: str | None
    nearest: tuple[str, ...]


@dataclass(frozen=True)
class SearchEngine:
    """How the catalogue ranks a search query and highlights the words found. `marketplace.search`
    registers itself at app start (`register_search_engine`): search indexes the catalogue, so it
    sits above it, and the catalogue never imports it."""

    search: Callable[[str], Searched]
    highlight: Callable[[str, Iterable[str]], Markup]


def register_search_engine(app: Flask, engine: SearchEngine) -> None:
    app.extensions["catalog.search_engine"] = engine


def _search_engine() -> SearchEngine:
    engine = current_app.extensions.get("catalog.search_engine")
    if engine is None:
        raise RuntimeError("No search engine: marketplace.search.init_app(app) registers it.")
    return engine


def _fingerprint(ids: tuple[int, ...]) -> str:
    return hashlib.blake2b(array("q", ids).tobytes(), digest_size=16).hexdigest()


def catalog_page(
    filters: CatalogFilters, with_facets: bool = True, page_size: int = PAGE_SIZE
) -> CatalogPage:
    """One page of the catalogue under `filters`, with facet counts. With a search query
    (`filters.q`) only the matching products count, ranked by relevance unless another sort is
    asked for."""
    searched = None
    if filters.q and filters.ids is None:
        # Searched outside the cache: the index is updated just after a commit, so the ids are
        # part of the cache key rather than computed under a catalogue version.
        searched = _search_engine().search(filters.q)
        filters = replace(
            filters, ids=searched.ids, sort="relevance" if filters.sort == "featured" else filters.sort
        )
    elif filters.sort == "relevance" and filters.ids is None:
        filters = replace(filters, sort="featured")

    def compute() -> CatalogPage:
        today = today_in_vietnam()
        index = facet_index(today)
        scope, sets = _scope(index, filters), _filter_sets(index, filters)
        shown = _all_but(scope, sets, None)
        offset = (filters.page - 1) * page_size
        if filters.sort == "relevance" and filters.ids is not None:
            page_ids = page_of(filters.ids, shown, offset, page_size)
        else:
            sort = "featured" if filters.sort == "relevance" else filters.sort
            page_ids = page_of(index.ordering(sort), shown, offset, page_size, index.position(sort))
        return CatalogPage(
            filters=filters,
            items=_cards(_card_rows_of(page_ids, index), today),
            total=shown.bit_count(),
            facets=_facets(index, scope, sets, filters.wholesale_only) if with_facets else None,
            page_size=page_size,
        )

    if filters.ids is None:
        page = cached(("catalog", filters, with_facets, page_size), compute)
    else:
        # Search matches: computed each time (the facet index makes that cheap), and the page
        # keeps a fingerprint of the matches instead of the ids themselves, so that the cached
        # fragments keyed by its filters follow the index without holding thousands of ids each.
        page = compute()
        page = replace(page, filters=replace(filters, ids=None, matches=_fingerprint(filters.ids)))
    if searched is not None:
        highlight = _search_engine().highlight
        page = replace(
            page,
            highlighted=MappingProxyType({c.id: highlight(c.name, searched.words) for c in page.items}),
            did_you_mean=searched.did_you_mean,
            nearest=searched.nearest,
        )
    return page


@dataclass(frozen=True)
class ProducerCard:
    id: int
    slug: str
    name: str
    entity_type: str
    province_code: str
    commune: str
    craft_village: str | None
    story: str
    environment_plan: str
    circular_practices: str
    green_verified: bool


@dataclass(frozen=True)
class ProductDetail:
    card: ProductCard
    sku: str
    subgroup_code: str
    description_html: Markup
    net_weight_g: int | None
    min_order_qty: int
    case_pack: int
    images: tuple[tuple[str, str], ...]  # (storage key, alt)
    price_tiers: tuple[tuple[int, int], ...]  # (from quantity, unit price)
    certificate: StarBadge | None
    protections: tuple[ProtectionBadge, ...]
    producer: ProducerCard
    more_from_producer: tuple[ProductCard, ...] = field(default=())
    notices: tuple[ProductNotice, ...] = field(default=())
    description_en_html: Markup = Markup("")  # the English description, when the producer wrote one


@dataclass(frozen=True)
class ProductNotice:
    """A warning the product page shows above everything else, such as a recalled batch. Plain
    data (the template writes the words), so that it can be cached for every language."""

    kind: str  # "recall"
    lot_code: str
    reason: str
    since: date
    link: str  # the batch's public traceability page


def register_notice_source(app: Flask, source: Callable[[int], Iterable[ProductNotice]]) -> None:
    """Let a domain above the catalogue add notices to product pages (`traceability` registers its
    recalls at app start, so the catalogue never imports it). A source is called with a product id
    inside the cached page computation: whatever changes its answer must raise the catalogue
    version in the same transaction (`catalog.cache.bump_catalog_version`)."""
    app.extensions.setdefault("catalog.notice_sources", []).append(source)


def _notices(product_id: int) -> tuple[ProductNotice, ...]:
    sources = current_app.extensions.get("catalog.notice_sources", ())
    return tuple(notice for source in sources for notice in source(product_id))


def _producer_card(producer: Producer) -> ProducerCard:
    return ProducerCard(
        id=producer.id,
        slug=producer.slug,
        name=producer.name,
        entity_type=producer.entity_type,
        province_code=producer.province_code,
        commune=producer.commune,
        craft_village=producer.craft_village,
        story=producer.story,
        environment_plan=producer.environment_plan,
        circular_practices=producer.circular_practices,
        green_verified=producer.green_verified,
    )


def product_detail(slug: str) -> ProductDetail | None:
    """The public product page's data, or None when the product is not visible."""

    def compute() -> ProductDetail | None:
        today = today_in_vietnam()
        stars_sq = _stars_in_force(today)
        row = db.session.execute(
            _from_products(
                _card_columns(stars_sq),
                stars_sq,
            ).where(visible_condition(), Product.slug == slug)
        ).first()
        if row is None:
            return None
        product = row[0]
        producer = db.session.get(Producer, product.producer_id)
        images = db.session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product.id)
            .order_by(ProductImage.is_cover.desc(), ProductImage.position)
        ).all()
        tiers = db.session.execute(
            select(PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .where(PriceTier.product_id == product.id)
            .order_by(PriceTier.min_quantity)
        ).all()
        certificate = db.session.scalars(
            select(Certification)
            .where(Certification.product_id == product.id, _in_force(today))
            .order_by(Certification.star_class.desc(), Certification.issued_on.desc())
            .limit(1)
        ).first()
        protections = db.session.scalars(
            select(Protection)
            .join(ProtectionRight, ProtectionRight.protection_id == Protection.id)
            .where(ProtectionRight.product_id == product.id, ProtectionRight.status == "verified")
            .order_by(ProtectionRight.id)
        ).all()
        more_rows = _card_rows(CatalogFilters(producer_id=product.producer_id), today, limit=5, offset=0)
        more = tuple(c for c in _cards(more_rows, today) if c.id != product.id)[:4]
        return ProductDetail(
            card=_cards([row], today)[0],
            sku=product.sku,
            subgroup_code=product.subgroup_code,
            description_html=render_markdown(product.description),
            description_en_html=(
                render_markdown(product.description_en) if product.description_en else Markup("")
            ),
            net_weight_g=product.net_weight_g,
            min_order_qty=product.min_order_qty,
            case_pack=product.case_pack,
            images=tuple((i.storage_key, i.alt or product.name) for i in images),
            price_tiers=tuple((q, p) for q, p in tiers),
            certificate=_star_badge(certificate) if certificate else None,
            protections=tuple(_protection_badge(p) for p in protections),
            producer=_producer_card(producer),
            more_from_producer=more,
            notices=_notices(product.id),
        )

    return cached(("product", slug), compute)


def _star_badge(cert: Certification) -> StarBadge:
    return StarBadge(
        stars=cert.star_class,
        score=cert.score,
        certificate_number=cert.certificate_number,
        issuing_level=cert.issuing_level,
        issuing_decision=cert.issuing_decision,
        issuing_province=cert.issuing_province,
        issued_on=cert.issued_on,
        valid_until=cert.expires_on,
    )


@dataclass(frozen=True)
class ProducerPage:
    producer: ProducerCard
    products: CatalogPage


def producer_page(slug: str, page: int = 1) -> ProducerPage | None:
    """A verified producer and its visible products."""

    def compute() -> ProducerPage | None:
        producer = db.session.scalars(
            select(Producer).where(Producer.slug == slug, Producer.verification_status == "verified")
        ).first()
        if producer is None:
            return None
        products = catalog_page(CatalogFilters(producer_id=producer.id, page=page), with_facets=False)
        return ProducerPage(producer=_producer_card(producer), products=products)

    return cached(("producer", slug, page), compute)


@dataclass(frozen=True)
class ProvincePage:
    code: str
    producers: tuple[ProducerCard, ...]
    products: CatalogPage


def province_page(code: str) -> ProvincePage:
    """The specialities (đặc sản) of a province: its verified producers and their products."""

    def compute() -> ProvincePage:
        producers = db.session.scalars(
            select(Producer)
            .where(Producer.province_code == code, Producer.verification_status == "verified")
            .order_by(Producer.name)
        ).all()
        products = catalog_page(CatalogFilters(province=code), with_facets=False)
        return ProvincePage(
            code=code, producers=tuple(_producer_card(p) for p in producers), products=products
        )

    return cached(("province", code), compute)


@dataclass(frozen=True)
class HomeOverview:
    facets: Facets
    total: int
    featured: tuple[ProductCard, ...]


def home_overview() -> HomeOverview:
    """Ways into the catalogue: groups, provinces and star classes with counts, and a few of the
    highest-rated products."""

    def compute() -> HomeOverview:
        everything = catalog_page(CatalogFilters(), with_facets=True, page_size=8)
        return HomeOverview(facets=everything.facets, total=everything.total, featured=everything.items)

    return cached(("home",), compute)
