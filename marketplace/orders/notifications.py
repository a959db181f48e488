"""The buyer's e-mails about an order: placed, paid, shipped, cancelled. Plain text, written in
the current locale (the sender picks the recipient's language, see `orders.mailing`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.formatting import format_vnd
from marketplace.orders.models import Order, ProducerOrder


@dataclass(frozen=True)
class OrderEmail:
    to: str
    subject: str
    body: str


def compose(kind: str, order: Order, producer_order: ProducerOrder | None = None) -> OrderEmail:
    """kind: placed, paid, shipped or cancelled."""
    ref = order.reference
    if kind == "placed":
        if order.is_card:
            payment = _("Please complete the card payment within 30 minutes.")
        elif order.is_transfer:
            payment = _(
                "Please pay %(amount)s by bank transfer (VietQR) with the payment reference %(reference)s "
                "in the description; the order page shows the code and the account.",
                amount=format_vnd(order.total_vnd),
                reference=order.payment_reference,
            )
        else:
            payment = _("You pay each producer in cash on delivery.")
        lines = [
            f"- {line.product_name} × {line.quantity}: {format_vnd(line.line_total_vnd)}"
            for po in order.producer_orders
            for line in po.lines
        ]
        body = "\n".join(
            [
                _("Thank you for your order %(ref)s.", ref=ref),
                *lines,
                _("Shipping: %(amount)s", amount=format_vnd(order.shipping_total_vnd)),
                _("Total: %(amount)s", amount=format_vnd(order.total_vnd)),
                payment,
            ]
        )
        return OrderEmail(order.contact_email, _("Order %(ref)s placed", ref=ref), body)
    if kind == "paid":
        return OrderEmail(
            order.contact_email,
            _("Order %(ref)s paid", ref=ref),
            _(
                "We have received your card payment of %(amount)s for order %(ref)s.",
                amount=format_vnd(order.total_vnd),
                ref=ref,
            ),
        )
    if kind == "shipped" and producer_order is not None:
        return OrderEmail(
            order.contact_email,
            _("Order %(ref)s: a parcel is on its way", ref=ref),
            _(
                "Your parcel from order %(ref)s has been shipped with %(carrier)s, "
                "tracking number %(tracking)s.",
                ref=ref,
                carrier=producer_order.carrier,
                tracking=producer_order.tracking_number,
            ),
        )
    if kind == "cancelled":
        partly = producer_order is not None and order.cancelled_at is None
        body = (
            _("Part of your order %(ref)s has been cancelled.", ref=ref)
            if partly
            else _("Your order %(ref)s has been cancelled.", ref=ref)
        )
        if order.refunded_vnd:
            refunded = format_vnd(order.refunded_vnd)
            body += " " + _("%(amount)s has been refunded to your card.", amount=refunded)
        return OrderEmail(order.contact_email, _("Order %(ref)s cancelled", ref=ref), body)
    raise ValueError(f"no e-mail for {kind!r}")
