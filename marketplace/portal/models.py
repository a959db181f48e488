"""Stock adjustments: every change a producer makes to a product's stock, with its reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow

# received: goods came in (+); damaged: goods lost or spoiled (−); counted: a stocktake sets the
# level (either way).
STOCK_REASONS = ("received", "counted", "damaged")


class StockAdjustment(db.Model):
    """One change to a product's stock made in the portal (orders keep their own record)."""

    __tablename__ = "stock_adjustments"
    __table_args__ = (
        CheckConstraint(f"reason IN ({', '.join(repr(r) for r in STOCK_REASONS)})", name="reason"),
        CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
        Index("ix_stock_adjustments_product_at", "product_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    stock_after: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
