"""Batches (lots) of a product, the stock received from them, the order lines shipped from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class Batch(db.Model):
    """A production batch (lô sản xuất) of one product: what the traceability page and the QR
    label show. The lot code is unique per product and never changes once printed."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("product_id", "lot_code", name="uq_batches_product_lot"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "best_before IS NULL OR best_before >= production_date", name="best_before_after_production"
        ),
        CheckConstraint("(recalled_at IS NULL) = (recall_reason IS NULL)", name="recall_has_reason"),
        Index("ix_batches_producer_product", "producer_id", "product_id"),
    )
    organisation_scope = ("producer", "producer_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    # The product's producer, copied so that loads are scoped to the producer in one condition.
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_code: Mapped[str] = mapped_column(String(20))
    production_date: Mapped[date] = mapped_column(Date)
    best_before: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int]  # units of the product's unit
    origin: Mapped[str] = mapped_column(Text, default="")  # where the raw materials came from
    origin_commune: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    picture_key: Mapped[str | None] = mapped_column(String(255))  # storage key of the renditions
    recalled_at: Mapped[datetime | None]
    recall_reason: Mapped[str | None] = mapped_column(Text)
    recalled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None


class BatchStockReceipt(db.Model):
    """Stock received into the shop from a batch: ties a portal StockAdjustment to the batch."""

    __tablename__ = "batch_stock_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    stock_adjustment_id: Mapped[int] = mapped_column(
        ForeignKey("stock_adjustments.id", ondelete="CASCADE"), unique=True
    )


class OrderLineBatch(db.Model):
    """The batch an order line was shipped from, as the producer recorded it at shipment."""

    __tablename__ = "order_line_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
