"""Catalogue models: products, their pictures and wholesale tiers, OCOP certificates, and the
protections (GI, certification mark, collective mark) a producer may hold the right to use."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import utcnow

PRODUCT_STATUSES = ("draft", "published", "archived")
CERTIFICATE_STATUSES = ("pending", "verified", "rejected", "revoked", "superseded")
RIGHT_STATUSES = ("pending", "verified", "rejected", "revoked")
PROTECTION_KINDS = ("gi", "certification_mark", "collective_mark")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("producer_id", "sku", name="uq_products_producer_sku"),
        CheckConstraint("price_vnd > 0 AND price_vnd <= 1000000000", name="price_range"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("min_order_qty >= 1", name="min_order_qty_positive"),
        CheckConstraint("case_pack >= 1", name="case_pack_positive"),
        CheckConstraint("low_stock_threshold >= 0", name="low_stock_threshold_not_negative"),
        CheckConstraint(
            "monthly_capacity IS NULL OR monthly_capacity >= 0", name="monthly_capacity_not_negative"
        ),
        CheckConstraint("season_months BETWEEN 1 AND 4095", name="season_months_range"),
        CheckConstraint(_in("status", PRODUCT_STATUSES), name="status"),
        Index("ix_products_status_group", "status", "group_code"),
        Index("ix_products_status_price", "status", "price_vnd"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group_code: Mapped[str] = mapped_column(String(32))
    subgroup_code: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on display
    # Optional English name and description for the English interface (the Vietnamese otherwise).
    name_en: Mapped[str | None] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    unit: Mapped[str] = mapped_column(String(16))
    net_weight_g: Mapped[int | None]
    price_vnd: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    min_order_qty: Mapped[int] = mapped_column(default=1)  # wholesale minimum, in units
    case_pack: Mapped[int] = mapped_column(default=1)  # wholesale quantities are multiples of it
    # The producer's portal warns when stock falls to this level or below (0: no warning).
    low_stock_threshold: Mapped[int] = mapped_column(default=5, server_default="5")
    # GS1 trade item number, stored as GTIN-14 (zero-padded); the traceability pages use it in
    # their Digital Link path. Unique: one GTIN names one trade item.
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    # Supply capacity for supermarket planning: units the producer can supply per calendar month
    # (None: not declared, no limit), and the months of the year it is available, as a bit mask
    # (bit 0 = January ... bit 11 = December; 4095 = all year). See `wholesale.capacity`.
    monthly_capacity: Mapped[int | None]
    season_months: Mapped[int] = mapped_column(SmallInteger, default=4095, server_default="4095")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    producer: Mapped[Producer] = relationship(back_populates="products", lazy="raise_on_sql")
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product",
        order_by="ProductImage.position",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )
    price_tiers: Mapped[list[PriceTier]] = relationship(
        back_populates="product",
        order_by="PriceTier.min_quantity",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )
    certifications: Mapped[list[Certification]] = relationship(
        back_populates="product",
        order_by="Certification.issued_on",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )
    protection_rights: Mapped[list[ProtectionRight]] = relationship(
        back_populates="product", cascade="all, delete-orphan", lazy="raise_on_sql"
    )


class ProductImage(db.Model):
    """A picture of a product. `storage_key` names the stored renditions (see marketplace.storage)."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    is_cover: Mapped[bool] = mapped_column(default=False)
    alt: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="images", lazy="raise_on_sql")


class PriceTier(db.Model):
    """A wholesale price: from `min_quantity` units on, each unit costs `unit_price_vnd`."""

    __tablename__ = "price_tiers"
    __table_args__ = (
        UniqueConstraint("product_id", "min_quantity", name="uq_price_tiers_product_quantity"),
        CheckConstraint("min_quantity >= 1", name="min_quantity_positive"),
        CheckConstraint("unit_price_vnd > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    min_quantity: Mapped[int]
    unit_price_vnd: Mapped[int] = mapped_column(BigInteger)

    product: Mapped[Product] = relationship(back_populates="price_tiers", lazy="raise_on_sql")


class Certification(db.Model):
    """An OCOP certificate (giấy chứng nhận sản phẩm OCOP) for one product.

    History is kept: a newer verified certificate marks the older one `superseded`; revoked,
    rejected and expired ones stay. The badge shows only for a verified certificate in force
    (see `catalog.services.certificate_in_force`).
    """

    __tablename__ = "certifications"
    __table_args__ = (
        CheckConstraint("star_class BETWEEN 3 AND 5", name="star_class"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score"),
        CheckConstraint(_in("status", CERTIFICATE_STATUSES), name="status"),
        CheckConstraint("issuing_level IN ('district', 'province', 'central')", name="level"),
        CheckConstraint("expires_on > issued_on", name="expiry_after_issue"),
        Index("ix_certifications_in_force", "product_id", "status", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    star_class: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[int] = mapped_column(SmallInteger)
    certificate_number: Mapped[str] = mapped_column(String(64))
    issuing_level: Mapped[str] = mapped_column(String(16))
    issuing_decision: Mapped[str] = mapped_column(String(120))  # e.g. "Quyết định 2345/QĐ-UBND"
    # The province that issued it, as named when it was issued (kept through the 2025 merger).
    issuing_province: Mapped[str | None] = mapped_column(String(64))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Submission and decision (see marketplace.certification): the scan is a private document.
    scan_key: Mapped[str | None] = mapped_column(String(255))
    scan_media_type: Mapped[str | None] = mapped_column(String(64))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certifications.id", ondelete="SET NULL"))

    product: Mapped[Product] = relationship(back_populates="certifications", lazy="raise_on_sql")


class Protection(db.Model):
    """A registered name: geographical indication (chỉ dẫn địa lý), certification mark (nhãn hiệu
    chứng nhận) or collective mark (nhãn hiệu tập thể), owned by a province or an association."""

    __tablename__ = "protections"
    __table_args__ = (
        CheckConstraint(_in("kind", PROTECTION_KINDS), name="kind"),
        UniqueConstraint("kind", "registration_number", name="uq_protections_kind_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(200))
    registration_number: Mapped[str] = mapped_column(String(32))
    holder: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str] = mapped_column(String(40))
    registered_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")


class ProtectionRight(db.Model):
    """A producer's right to use a protection on one product; shown only once verified."""

    __tablename__ = "protection_rights"
    __table_args__ = (
        UniqueConstraint("protection_id", "product_id", name="uq_protection_rights_product"),
        CheckConstraint(_in("status", RIGHT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    protection_id: Mapped[int] = mapped_column(ForeignKey("protections.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    decision_number: Mapped[str] = mapped_column(String(120))  # the decision granting the right
    status: Mapped[str] = mapped_column(String(16), default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Claim and decision (see marketplace.certification): the scan is a private document.
    scan_key: Mapped[str | None] = mapped_column(String(255))
    scan_media_type: Mapped[str | None] = mapped_column(String(64))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    protection: Mapped[Protection] = relationship(lazy="raise_on_sql")
    product: Mapped[Product] = relationship(back_populates="protection_rights", lazy="raise_on_sql")


class CatalogState(db.Model):
    """One row whose `version` goes up in the same transaction as any change to what the
    storefront shows; caches key on it, so a change shows at once on every worker."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # When the version last rose (UTC): the public pages' Last-Modified. None until the first change.
    changed_at: Mapped[datetime | None]
