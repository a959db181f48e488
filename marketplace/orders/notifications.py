"""The buyer's e-mails about an order: placed, paid, shipped, cancelled. Plain text, in English
until the translations catch up; handed to the outgoing-mail module by whoever connects
`orders.signals` to it."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.orders.models import Order, ProducerOrder


@dataclass(frozen=True)
class OrderEmail:
    to: str
    subject: str
    body: str


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def compose(kind: str, order: Order, producer_order: ProducerOrder | None = None) -> OrderEmail:
    """kind: placed, paid, shipped or cancelled."""
    ref = order.reference
    if kind == "placed":
        payment = (
            "Please complete the card payment within 30 minutes."
            if order.is_card
            else "You pay each producer in cash on delivery."
        )
        lines = [
            f"- {line.product_name} × {line.quantity}: {_vnd(line.line_total_vnd)}"
            for po in order.producer_orders
            for line in po.lines
        ]
        body = "\n".join(
            [
                f"Thank you for your order {ref}.",
                *lines,
                f"Shipping: {_vnd(order.shipping_total_vnd)}",
                f"Total: {_vnd(order.total_vnd)}",
                payment,
            ]
        )
        return OrderEmail(order.contact_email, f"Order {ref} placed", body)
    if kind == "paid":
        return OrderEmail(
            order.contact_email,
            f"Order {ref} paid",
            f"We have received your card payment of {_vnd(order.total_vnd)} for order {ref}.",
        )
    if kind == "shipped" and producer_order is not None:
        return OrderEmail(
            order.contact_email,
            f"Order {ref}: a parcel is on its way",
            f"Your parcel from order {ref} has been shipped with {producer_order.carrier}, "
            f"tracking number {producer_order.tracking_number}.",
        )
    if kind == "cancelled":
        refund = f" {_vnd(order.refunded_vnd)} has been refunded to your card." if order.refunded_vnd else ""
        what = (
            "Part of your order"
            if producer_order is not None and order.cancelled_at is None
            else "Your order"
        )
        return OrderEmail(
            order.contact_email, f"Order {ref} cancelled", f"{what} {ref} has been cancelled.{refund}"
        )
    raise ValueError(f"no e-mail for {kind!r}")
