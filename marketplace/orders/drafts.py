"""A priced draft: everything an order is made of, decided by its channel, before it is written.

Every channel (consumer checkout, supermarket bulk orders on the site, the API next) prices its
lines and checks its own rules, then hands an `OrderDraft` to `orders.services.place`, which is the
one routine that writes orders: idempotency, Order, ProducerOrders, lines, stock taken, the first
events, `order_placed`. Prices on a draft are final: they are copied onto the order lines as they
are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DraftLine:
    """One product of a producer's part, at the unit price the buyer pays."""

    product_id: int
    name: str
    sku: str
    unit: str
    unit_price_vnd: int
    quantity: int
    retail_unit_price_vnd: int | None = None  # wholesale lines: the retail price it is compared with
    tier_min_quantity: int | None = None  # wholesale lines: the tier applied (None: retail price)

    @property
    def line_total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity


@dataclass(frozen=True)
class DraftPart:
    """What one producer will deliver: it becomes one ProducerOrder."""

    producer_id: int
    lines: tuple[DraftLine, ...]
    shipping_fee_vnd: int = 0
    weight_g: int = 0
    delivery_location_id: int | None = None
    requested_delivery_date: date | None = None

    @property
    def subtotal_vnd(self) -> int:
        return sum(line.line_total_vnd for line in self.lines)


@dataclass(frozen=True)
class OrderDraft:
    """An order as its channel has priced and checked it.

    `payment_status` is the order's first one (`awaiting_payment` for card orders, which then get
    the payment window; `cash_on_delivery`; `on_terms`). `approval_status="pending"` places the
    parts as `pending_approval`: the stock is reserved, producers do not see them, and
    `order_placed` waits for the approval. `payment_note` goes on the first payment event;
    `notes` are further first events on the order, as (to_status, note).
    """

    channel: str
    idempotency_key: str
    payment_method: str
    payment_status: str
    parts: tuple[DraftPart, ...]
    contact_email: str
    recipient_name: str
    phone: str
    street: str
    commune: str
    province_code: str
    customer_id: int | None = None
    buyer_organisation_id: int | None = None
    purchase_order_number: str | None = None
    payment_terms_days: int | None = None
    approval_status: str | None = None
    payment_note: str = ""
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def items_total_vnd(self) -> int:
        return sum(part.subtotal_vnd for part in self.parts)

    @property
    def shipping_total_vnd(self) -> int:
        return sum(part.shipping_fee_vnd for part in self.parts)

    @property
    def total_vnd(self) -> int:
        return self.items_total_vnd + self.shipping_total_vnd
