"""A producer's listings and stock: the rules, as plain functions.

Functions take the producer's id (never the request), flush but never commit: the view commits
once, so a listing and its tiers (or a whole CSV file) are saved together or not at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.permissions import producer_can_publish
from marketplace.catalog.models import (
    Certification,
    PriceTier,
    Product,
    ProductImage,
    Protection,
    ProtectionRight,
)
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.portal.models import STOCK_REASONS, StockAdjustment
from marketplace.portal.validation import ListingData
from marketplace.producers.models import Producer
from marketplace.producers.tax_codes import normalise_tax_code
from marketplace.reference import former_provinces_of
from marketplace.text import slugify
from marketplace.timeutil import today_in_vietnam

CERTIFICATE_WARNING_DAYS = 60


class ListingError(DomainError):
    """A change the rules refuse. `field` names the form field the message belongs to, if any."""

    def __init__(self, code: str, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


# ---------------------------------------------------------------------------------------------
# Loading, always scoped to the producer


def owned_product(producer_id: int, product_id: int) -> Product | None:
    """The producer's product `product_id`, or None (another producer's product is None too)."""
    return db.session.scalar(
        select(Product).where(Product.id == product_id, Product.producer_id == producer_id)
    )


def owned_image(producer_id: int, product_id: int, image_id: int) -> ProductImage | None:
    return db.session.scalar(
        select(ProductImage)
        .join(Product, Product.id == ProductImage.product_id)
        .where(
            ProductImage.id == image_id,
            ProductImage.product_id == product_id,
            Product.producer_id == producer_id,
        )
    )


def product_tiers(product_id: int) -> list[tuple[int, int]]:
    return [
        (q, p)
        for q, p in db.session.execute(
            select(PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .where(PriceTier.product_id == product_id)
            .order_by(PriceTier.min_quantity)
        )
    ]


def product_images(product_id: int) -> list[ProductImage]:
    return list(
        db.session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    )


def image_count(product_id: int) -> int:
    return db.session.scalar(select(func.count()).where(ProductImage.product_id == product_id)) or 0


# ---------------------------------------------------------------------------------------------
# Listings


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "san-pham")[:180].strip("-") or "san-pham"
    slug = base
    while db.session.scalar(select(Product.id).where(Product.slug == slug)) is not None:
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _sku_taken(producer_id: int, sku: str, except_id: int | None = None) -> bool:
    stmt = select(Product.id).where(Product.producer_id == producer_id, Product.sku == sku)
    if except_id is not None:
        stmt = stmt.where(Product.id != except_id)
    return db.session.scalar(stmt) is not None


def _duplicate_sku() -> ListingError:
    return ListingError("duplicate_sku", _l("You already have a product with this code (SKU)."), "sku")


def _gtin_taken(gtin: str | None, except_id: int | None = None) -> bool:
    if gtin is None:
        return False
    stmt = select(Product.id).where(Product.gtin == gtin)
    if except_id is not None:
        stmt = stmt.where(Product.id != except_id)
    return db.session.scalar(stmt) is not None


def _duplicate_gtin() -> ListingError:
    return ListingError("duplicate_gtin", _l("Another product already carries this GTIN."), "gtin")


def _apply(product: Product, data: ListingData) -> None:
    for name in (
        "sku",
        "name",
        "group_code",
        "subgroup_code",
        "description",
        "unit",
        "net_weight_g",
        "price_vnd",
        "min_order_qty",
        "case_pack",
        "low_stock_threshold",
        "name_en",
        "description_en",
    ):
        setattr(product, name, getattr(data, name))
    if data.supply is not None:
        product.gtin = data.supply.gtin
        product.monthly_capacity = data.supply.monthly_capacity
        product.season_months = data.supply.season_months


def _replace_tiers(product_id: int, tiers: tuple[tuple[int, int], ...]) -> None:
    if [tuple(t) for t in tiers] == product_tiers(product_id):
        return
    # Delete first, in its own statement: new tiers may reuse the quantities of old ones.
    db.session.execute(delete(PriceTier).where(PriceTier.product_id == product_id))
    db.session.add_all(PriceTier(product_id=product_id, min_quantity=q, unit_price_vnd=p) for q, p in tiers)


def create_product(
    producer_id: int, data: ListingData, *, stock: int, user_id: int | None, stock_note: str = ""
) -> Product:
    """A new draft listing with its tiers and opening stock (recorded as a stock count)."""
    if _sku_taken(producer_id, data.sku):
        raise _duplicate_sku()
    if data.supply is not None and _gtin_taken(data.supply.gtin):
        raise _duplicate_gtin()
    product = Product(producer_id=producer_id, slug=_unique_slug(data.name), status="draft", stock=stock)
    _apply(product, data)
    db.session.add(product)
    _flush_or_duplicate()
    _replace_tiers(product.id, data.tiers)
    if stock:
        db.session.add(
            StockAdjustment(
                product_id=product.id,
                delta=stock,
                reason="counted",
                note=stock_note or "opening stock",
                stock_after=stock,
                user_id=user_id,
            )
        )
    _flush_or_duplicate()
    return product


def update_product(product: Product, data: ListingData) -> None:
    """Save the listing's fields and tiers. Stock changes go through `adjust_stock`."""
    if _sku_taken(product.producer_id, data.sku, except_id=product.id):
        raise _duplicate_sku()
    if data.supply is not None and _gtin_taken(data.supply.gtin, except_id=product.id):
        raise _duplicate_gtin()
    _apply(product, data)
    _flush_or_duplicate()
    _replace_tiers(product.id, data.tiers)
    _flush_or_duplicate()


def _flush_or_duplicate() -> None:
    try:
        db.session.flush()
    except IntegrityError as error:  # two requests raced past `_sku_taken`; the caller rolls back
        if "gtin" in str(error.orig).lower():
            raise _duplicate_gtin() from error
        raise _duplicate_sku() from error


def publish(product: Product, producer: Producer) -> None:
    if not producer_can_publish(producer):
        raise ListingError(
            "producer_not_verified",
            _l(
                "Your organisation is not verified yet, so its products cannot be published. You can prepare "
                "them as drafts; an administrator will verify your organisation."
            ),
        )
    if image_count(product.id) == 0:
        raise ListingError("no_picture", _l("Add at least one picture before publishing."))
    product.status = "published"


def unpublish(product: Product) -> None:
    """Back to draft: hidden from the storefront, still editable (also brings back an archived one)."""
    product.status = "draft"


def archive(product: Product) -> None:
    product.status = "archived"


# ---------------------------------------------------------------------------------------------
# Stock


@dataclass(frozen=True)
class StockChange:
    delta: int
    stock_after: int
    adjustment_id: int | None = None  # the StockAdjustment recorded (traceability ties it to a batch)


def adjust_stock(
    product: Product, reason: str, quantity: int, *, note: str = "", user_id: int | None = None
) -> StockChange:
    """Change the stock of `product` and record why.

    `received` adds `quantity`, `damaged` takes it away, `counted` sets the stock to it. Each is one
    conditional UPDATE, so that an order taking stock at the same moment is neither lost nor able
    to push the stock below zero."""
    if reason not in STOCK_REASONS:
        raise ListingError("invalid_reason", _l("Choose a reason."), "reason")
    if quantity < 0 or (reason != "counted" and quantity == 0):
        raise ListingError("invalid_quantity", _l("Enter a quantity of at least 1."), "quantity")
    if reason == "counted":
        for _attempt in range(5):
            current = db.session.scalar(select(Product.stock).where(Product.id == product.id))
            done = db.session.execute(
                update(Product)
                .where(Product.id == product.id, Product.stock == current)
                .values(stock=quantity)
                .execution_options(synchronize_session=False)
            ).rowcount
            if done:
                delta = quantity - current
                break
        else:  # pragma: no cover - only under sustained contention
            raise ListingError(
                "stock_busy", _l("The stock changed while saving. Please try again."), "quantity"
            )
    else:
        delta = quantity if reason == "received" else -quantity
        done = db.session.execute(
            update(Product)
            .where(Product.id == product.id, Product.stock + delta >= 0)
            .values(stock=Product.stock + delta)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not done:
            raise ListingError("stock_below_zero", _l("There is not that much in stock."), "quantity")
    stock_after = db.session.scalar(select(Product.stock).where(Product.id == product.id))
    adjustment = StockAdjustment(
        product_id=product.id,
        delta=delta,
        reason=reason,
        note=note.strip(),
        stock_after=stock_after,
        user_id=user_id,
    )
    db.session.add(adjustment)
    db.session.flush()
    db.session.expire(product, ["stock"])
    return StockChange(delta=delta, stock_after=stock_after, adjustment_id=adjustment.id)


def stock_history(product_id: int, limit: int = 100) -> list[StockAdjustment]:
    return list(
        db.session.scalars(
            select(StockAdjustment)
            .where(StockAdjustment.product_id == product_id)
            .order_by(StockAdjustment.at.desc(), StockAdjustment.id.desc())
            .limit(limit)
        )
    )


def is_low_stock(product: Product) -> bool:
    return 0 < product.stock <= product.low_stock_threshold


# ---------------------------------------------------------------------------------------------
# Lists and the dashboard


@dataclass(frozen=True)
class ListingRow:
    """A product as the portal's lists show it."""

    id: int
    sku: str
    name: str
    slug: str
    status: str
    price_vnd: int
    unit: str
    stock: int
    low_stock_threshold: int
    pictures: int
    cover_key: str | None

    @property
    def low_stock(self) -> bool:
        return 0 < self.stock <= self.low_stock_threshold

    @property
    def out_of_stock(self) -> bool:
        return self.stock == 0


def listing_rows(producer_id: int, status: str | None = None) -> list[ListingRow]:
    """Every product of the producer with its picture count and cover, in two statements."""
    pictures = (
        select(ProductImage.product_id, func.count().label("n")).group_by(ProductImage.product_id).subquery()
    )
    stmt = (
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.slug,
            Product.status,
            Product.price_vnd,
            Product.unit,
            Product.stock,
            Product.low_stock_threshold,
            func.coalesce(pictures.c.n, 0),
        )
        .outerjoin(pictures, pictures.c.product_id == Product.id)
        .where(Product.producer_id == producer_id)
        .order_by(case((Product.status == "archived", 1), else_=0), Product.name, Product.id)
    )
    if status:
        stmt = stmt.where(Product.status == status)
    rows = db.session.execute(stmt).all()
    covers: dict[int, str] = {}
    if rows:
        for product_id, key in db.session.execute(
            select(ProductImage.product_id, ProductImage.storage_key)
            .join(Product, Product.id == ProductImage.product_id)
            .where(Product.producer_id == producer_id)
            .order_by(
                ProductImage.product_id, ProductImage.is_cover.desc(), ProductImage.position, ProductImage.id
            )
        ):
            covers.setdefault(product_id, key)
    return [ListingRow(*row, cover_key=covers.get(row[0])) for row in rows]


@dataclass(frozen=True)
class CertificateAlert:
    product_id: int
    product_name: str
    expires_on: date
    expired: bool


@dataclass(frozen=True)
class ClaimAlert:
    product_id: int
    product_name: str
    protection_name: str
    protection_kind: str


@dataclass(frozen=True)
class Dashboard:
    counts: dict[str, int]
    drafts: list[ListingRow]
    without_picture: list[ListingRow]
    low_stock: list[ListingRow]
    out_of_stock: list[ListingRow]
    certificates: list[CertificateAlert]
    pending_certificates: int
    pending_claims: list[ClaimAlert]
    # No tax code yet: a supermarket order paid on terms cannot be invoiced (so not delivered).
    missing_tax_code: bool = False

    @property
    def needs_attention(self) -> bool:
        return any(
            (
                self.drafts,
                self.without_picture,
                self.low_stock,
                self.out_of_stock,
                self.certificates,
                self.pending_certificates,
                self.pending_claims,
                self.missing_tax_code,
            )
        )


def dashboard(producer_id: int, today: date | None = None) -> Dashboard:
    """What needs the producer's attention, in five statements whatever the number of products.

    A certificate alert is raised for a product (not archived) whose latest verified certificate
    expires within 60 days or has expired, unless a newer one is waiting for verification."""
    today = today or today_in_vietnam()
    rows = listing_rows(producer_id)
    active = [r for r in rows if r.status != "archived"]
    counts = {
        status: sum(1 for r in rows if r.status == status) for status in ("draft", "published", "archived")
    }
    counts["all"] = len(rows)

    latest = (
        select(Certification.product_id, func.max(Certification.expires_on).label("expires_on"))
        .join(Product, Product.id == Certification.product_id)
        .where(
            Product.producer_id == producer_id,
            Product.status != "archived",
            Certification.status == "verified",
        )
        .group_by(Certification.product_id)
        .subquery()
    )
    pending_cert = (
        select(Certification.id)
        .where(Certification.product_id == latest.c.product_id, Certification.status == "pending")
        .exists()
    )
    certificates = [
        CertificateAlert(product_id, name, expires_on, expires_on < today)
        for product_id, name, expires_on in db.session.execute(
            select(latest.c.product_id, Product.name, latest.c.expires_on)
            .join(Product, Product.id == latest.c.product_id)
            .where(latest.c.expires_on <= today + timedelta(days=CERTIFICATE_WARNING_DAYS), ~pending_cert)
            .order_by(latest.c.expires_on)
        )
    ]
    pending_certificates, tax_code = db.session.execute(
        select(  # one statement for both
            select(func.count())
            .select_from(Certification)
            .join(Product, Product.id == Certification.product_id)
            .where(Product.producer_id == producer_id, Certification.status == "pending")
            .scalar_subquery(),
            select(Producer.tax_code).where(Producer.id == producer_id).scalar_subquery(),
        )
    ).one()
    claims = [
        ClaimAlert(product_id, product_name, protection_name, kind)
        for product_id, product_name, protection_name, kind in db.session.execute(
            select(Product.id, Product.name, Protection.name, Protection.kind)
            .join(ProtectionRight, ProtectionRight.product_id == Product.id)
            .join(Protection, Protection.id == ProtectionRight.protection_id)
            .where(Product.producer_id == producer_id, ProtectionRight.status == "pending")
            .order_by(ProtectionRight.created_at)
        )
    ]
    return Dashboard(
        counts=counts,
        drafts=[r for r in active if r.status == "draft"],
        without_picture=[r for r in active if r.pictures == 0],
        low_stock=[r for r in active if r.low_stock],
        out_of_stock=[r for r in active if r.status == "published" and r.out_of_stock],
        certificates=certificates,
        pending_certificates=pending_certificates or 0,
        pending_claims=claims,
        missing_tax_code=not tax_code,
    )


def set_tax_code(producer: Producer, text: str) -> Producer:
    """Record the producer's tax code, which its invoices carry (`InvalidTaxCode` if malformed)."""
    producer.tax_code = normalise_tax_code(text)
    return producer


__all__ = [
    "ListingError",
    "adjust_stock",
    "archive",
    "create_product",
    "dashboard",
    "listing_rows",
    "owned_image",
    "owned_product",
    "publish",
    "set_tax_code",
    "unpublish",
    "update_product",
]


# ---------------------------------------------------------------------------------------------
# Stock and prices by SKU, in bulk (the JSON API)


@dataclass(frozen=True)
class ListingChange:
    """What a producer's stock system sends for one SKU; None leaves a value as it is."""

    sku: str
    stock: int | None = None
    price_vnd: int | None = None
    tiers: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class ChangeError:
    row: int  # from 1, in the order sent
    sku: str
    field: str
    code: str
    message: str


class ListingsRefused(DomainError):
    """Some rows break a rule; nothing was changed. `errors` names every one."""

    code = "listings_refused"

    def __init__(self, errors: list[ChangeError]) -> None:
        super().__init__("Some rows cannot be applied; nothing was changed.")
        self.errors = errors


def update_listings(
    producer_id: int, changes: list[ListingChange], *, user_id: int | None, note: str = "API"
) -> list[Product]:
    """Set the stock, price and tiers of the producer's products by SKU, all or nothing: every
    row is checked with the portal's own rules (an unknown SKU, a SKU twice, a stock out of range,
    a price or tiers the listing form would refuse) before anything changes. A stock change is a
    "counted" stock adjustment. Flushes; the caller commits, or rolls back on `ListingsRefused`."""
    from dataclasses import replace

    from marketplace.portal.validation import MAX_QUANTITY, FieldError, clean_price, clean_tiers

    skus = [change.sku for change in changes]
    products = (
        {
            p.sku: p
            for p in db.session.scalars(
                select(Product).where(Product.producer_id == producer_id, Product.sku.in_(skus))
            )
        }
        if skus
        else {}
    )
    errors: list[ChangeError] = []
    seen: dict[str, int] = {}
    for number, change in enumerate(changes, start=1):
        product = products.get(change.sku)
        if change.sku in seen:
            errors.append(
                ChangeError(
                    number,
                    change.sku,
                    "sku",
                    "duplicate_sku",
                    f"This SKU is already on row {seen[change.sku]}.",
                )
            )
            continue
        seen[change.sku] = number
        if product is None:
            errors.append(
                ChangeError(number, change.sku, "sku", "unknown_sku", "No product of yours has this SKU.")
            )
            continue
        if change.stock is None and change.price_vnd is None and change.tiers is None:
            errors.append(
                ChangeError(number, change.sku, "", "nothing_to_change", "Send stock, price_vnd or tiers.")
            )
        if change.stock is not None and not 0 <= change.stock <= MAX_QUANTITY:
            errors.append(
                ChangeError(
                    number,
                    change.sku,
                    "stock",
                    "invalid_stock",
                    f"The stock must be from 0 to {MAX_QUANTITY}.",
                )
            )
        price = product.price_vnd
        if change.price_vnd is not None:
            try:
                price = clean_price(str(change.price_vnd))
            except FieldError as error:
                errors.append(
                    ChangeError(number, change.sku, "price_vnd", "invalid_price", str(error.message))
                )
                continue
        tiers = change.tiers if change.tiers is not None else tuple(product_tiers(product.id))
        try:
            clean_tiers([(str(q), str(p)) for q, p in tiers], price)
        except FieldError as error:
            errors.append(ChangeError(number, change.sku, "tiers", "invalid_tiers", str(error.message)))
    if not changes:
        errors.append(ChangeError(0, "", "", "empty", "Send at least one row."))
    if errors:
        raise ListingsRefused(errors)
    changed = []
    for change in changes:
        product = products[change.sku]
        if change.price_vnd is not None or change.tiers is not None:
            tiers = change.tiers if change.tiers is not None else tuple(product_tiers(product.id))
            data = ListingData(
                sku=product.sku,
                name=product.name,
                group_code=product.group_code,
                subgroup_code=product.subgroup_code,
                description=product.description,
                unit=product.unit,
                net_weight_g=product.net_weight_g,
                price_vnd=product.price_vnd,
                min_order_qty=product.min_order_qty,
                case_pack=product.case_pack,
                low_stock_threshold=product.low_stock_threshold,
                tiers=tuple(sorted(tiers)),
            )
            if change.price_vnd is not None:
                data = replace(data, price_vnd=change.price_vnd)
            update_product(product, data)
        if change.stock is not None and change.stock != product.stock:
            adjust_stock(product, "counted", change.stock, note=note, user_id=user_id)
        changed.append(product)
    return changed


class FormerProvinceError(DomainError):
    code = "invalid_former_province"


def set_former_province(producer: Producer, code: str) -> None:
    """Record which pre-July-2025 province the producer was in: one of the former units that
    merged into its current province, so that its sales series read the same either way. Sales
    already in the ledger keep the province they were written with (rows are never changed)."""
    if code not in {c for c, _name in former_provinces_of(producer.province_code)}:
        raise FormerProvinceError(str(_l("Choose one of the provinces that merged into yours.")))
    producer.former_province_code = code
    db.session.flush()
