"""A buyer organisation's order lists: its one current draft bulk order, and named saved lists
("weekly restock, store 3") that can be loaded into the draft."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

LIST_KINDS = ("draft", "saved")


class OrderList(db.Model):
    """Lines a buyer organisation means to order. `kind` "draft" is the order being put together
    (at most one per organisation, created on first use); "saved" lists carry a name."""

    __tablename__ = "wholesale_lists"
    __table_args__ = (
        CheckConstraint("kind IN ('draft', 'saved')", name="kind"),
        Index("ix_wholesale_lists_organisation_kind", "buyer_organisation_id", "kind"),
    )
    organisation_scope = ("buyer", "buyer_organisation_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list[OrderListLine]] = relationship(
        back_populates="order_list",
        order_by="OrderListLine.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class OrderListLine(db.Model):
    """A product and quantity on a list; the delivery location, when the buyer chose one."""

    __tablename__ = "wholesale_list_lines"
    __table_args__ = (
        UniqueConstraint("order_list_id", "product_id", name="uq_wholesale_list_lines_list_product"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_list_id: Mapped[int] = mapped_column(
        ForeignKey("wholesale_lists.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int]
    delivery_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_locations.id", ondelete="SET NULL")
    )

    order_list: Mapped[OrderList] = relationship(back_populates="lines", lazy="raise_on_sql")
