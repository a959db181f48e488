"""Order models: one Order per checkout, one ProducerOrder per producer in it, the lines with their
prices copied at placement, and an OrderEvent for every change of state (the audit trail)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

# invoice: a verified supermarket buyer pays each delivered ProducerOrder's invoice on its terms.
# vietqr: a consumer pays the whole order by bank transfer (a VietQR code carrying the order's
# payment reference), settled when an uploaded bank statement shows the transfer.
PAYMENT_METHODS = ("card", "cod", "invoice", "vietqr")
# awaiting_payment: a card order whose PaymentIntent has not succeeded yet, or a VietQR order
# whose transfer has not been matched yet (both expire the same way, on their own windows).
# cash_on_delivery: each producer collects its part at delivery (ProducerOrder.cod_collected_at).
# voided: a card order cancelled before any money was taken.
PAYMENT_STATUSES = (
    "awaiting_payment",
    "paid",
    "partially_refunded",
    "refunded",
    "cash_on_delivery",
    "voided",
    "on_terms",  # an invoice order: what is owed is tracked per invoice
)
# pending_approval: a supermarket order above its organisation's approval threshold, not yet
# visible to producers until an approver of the buying organisation approves it.
PRODUCER_ORDER_STATUSES = (
    "pending_approval",
    "placed",
    "accepted",
    "shipped",
    "delivered",
    "cancelled",
    "refunded",
)
APPROVAL_STATUSES = ("pending", "approved", "rejected")
# One card charge may not exceed this (Stripe's limit for VND, a zero-decimal currency).
MAX_CARD_CHARGE_VND = 99_999_999


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Order(db.Model):
    """What the buyer sees as one order; split into one ProducerOrder per producer."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(_in("payment_method", PAYMENT_METHODS), name="payment_method"),
        CheckConstraint(_in("payment_status", PAYMENT_STATUSES), name="payment_status"),
        CheckConstraint(
            "approval_status IS NULL OR " + _in("approval_status", APPROVAL_STATUSES), name="approval_status"
        ),
        CheckConstraint("items_total_vnd >= 0 AND shipping_total_vnd >= 0", name="totals_not_negative"),
        CheckConstraint("total_vnd = items_total_vnd + shipping_total_vnd", name="total_adds_up"),
        CheckConstraint("refunded_vnd >= 0 AND refunded_vnd <= total_vnd", name="refund_within_total"),
        Index("ix_orders_payment_status_expires_at", "payment_status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # shown to people: "OCOP-7K3M9Q2X"
    channel: Mapped[str] = mapped_column(String(32))  # a code of reference.CHANNELS
    # The account that placed the order (a consumer, or a supermarket's purchaser); empty for guests.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Supermarket orders: the buying organisation, its own order reference (PO number), the payment
    # terms copied at placement, and the organisation's approval when the order needs one.
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id"), index=True
    )
    purchase_order_number: Mapped[str | None] = mapped_column(String(64))
    payment_terms_days: Mapped[int | None]
    approval_status: Mapped[str | None] = mapped_column(String(16))  # None: no approval needed
    approval_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approval_decided_at: Mapped[datetime | None]
    approval_note: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(16))  # normalised: 0xxxxxxxxx
    street: Mapped[str] = mapped_column(String(200))
    commune: Mapped[str] = mapped_column(String(120))  # xã / phường / đặc khu
    province_code: Mapped[str] = mapped_column(String(40))
    payment_method: Mapped[str] = mapped_column(String(8))
    payment_status: Mapped[str] = mapped_column(String(24))
    payment_error: Mapped[str | None] = mapped_column(Text)  # the last decline, in the card network's words
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # VietQR orders: what the buyer writes in the transfer's description ("OCOPDH" + 6 characters
    # of an alphabet without look-alikes); a bank statement line is matched to the order by it.
    payment_reference: Mapped[str | None] = mapped_column(String(16), unique=True)
    items_total_vnd: Mapped[int] = mapped_column(BigInteger)
    shipping_total_vnd: Mapped[int] = mapped_column(BigInteger)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    refunded_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    # Chosen by the checkout form; a second submission with the same key returns this order.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # card and VietQR orders not paid by then are cancelled
    cancelled_at: Mapped[datetime | None]

    producer_orders: Mapped[list[ProducerOrder]] = relationship(
        back_populates="order", order_by="ProducerOrder.id", cascade="all, delete-orphan", lazy="selectin"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    @property
    def is_card(self) -> bool:
        return self.payment_method == "card"

    @property
    def is_transfer(self) -> bool:
        return self.payment_method == "vietqr"


class ProducerOrder(db.Model):
    """One producer's part of an order, which that producer accepts, ships and completes on its own."""

    __tablename__ = "producer_orders"
    __table_args__ = (
        UniqueConstraint("order_id", "producer_id", name="uq_producer_orders_order_producer"),
        CheckConstraint(_in("status", PRODUCER_ORDER_STATUSES), name="status"),
        CheckConstraint("subtotal_vnd >= 0 AND shipping_fee_vnd >= 0", name="amounts_not_negative"),
        Index("ix_producer_orders_producer_status", "producer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    status: Mapped[str] = mapped_column(String(16), default="placed")
    subtotal_vnd: Mapped[int] = mapped_column(BigInteger)
    shipping_fee_vnd: Mapped[int] = mapped_column(BigInteger)
    weight_g: Mapped[int]
    carrier: Mapped[str | None] = mapped_column(String(80))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cod_collected_at: Mapped[datetime | None]
    # Supermarket orders: where and when the buyer wants this part delivered, the date the producer
    # confirmed, and when the buyer confirmed receipt.
    delivery_location_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_locations.id"))
    requested_delivery_date: Mapped[date | None] = mapped_column(Date)
    confirmed_delivery_date: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime | None]
    # When the producer's members were reminded that this part waits for acceptance (sent once).
    acceptance_reminder_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="producer_orders", lazy="joined")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="producer_order",
        order_by="OrderLine.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def total_vnd(self) -> int:
        return self.subtotal_vnd + self.shipping_fee_vnd


class OrderLine(db.Model):
    """A product bought, with its name, SKU, unit and price copied as they were at placement."""

    __tablename__ = "order_lines"
    __table_args__ = (
        # 0 only for a line a producer declined in full when accepting part of an order (the
        # buyer still sees it, with what was ordered and why): ordered_quantity keeps the request.
        CheckConstraint("quantity > 0 OR (quantity = 0 AND ordered_quantity > 0)", name="quantity_positive"),
        CheckConstraint("unit_price_vnd > 0", name="unit_price_positive"),
        CheckConstraint("line_total_vnd = unit_price_vnd * quantity", name="line_total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_order_id: Mapped[int] = mapped_column(ForeignKey("producer_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    product_name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(16))
    unit_price_vnd: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    line_total_vnd: Mapped[int] = mapped_column(BigInteger)
    # Wholesale lines: the retail price at placement (for "savings against retail") and the tier
    # applied (its minimum quantity; None for the retail price).
    retail_unit_price_vnd: Mapped[int | None] = mapped_column(BigInteger)
    tier_min_quantity: Mapped[int | None]
    # A producer accepting part of a line: the quantity first ordered and why it was lowered.
    ordered_quantity: Mapped[int | None]
    adjustment_reason: Mapped[str | None] = mapped_column(Text)

    producer_order: Mapped[ProducerOrder] = relationship(back_populates="lines", lazy="raise_on_sql")


class OrderEvent(db.Model):
    """One change of state: of a ProducerOrder's status, or (producer_order_id empty) of the
    order's payment status. Never updated or deleted."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    producer_order_id: Mapped[int | None] = mapped_column(ForeignKey("producer_orders.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))  # "customer 12", "producer 3", "stripe", "system"
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events", lazy="raise_on_sql")


class CartItem(db.Model):
    """A line of a signed-in buyer's cart, kept in the database so that it follows the account
    across sessions and devices (a signed-out buyer's cart lives in the session)."""

    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    quantity: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
