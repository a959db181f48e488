"""What buyers and producers read for each order error code (the services' own messages are
English and technical; these are translated)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.domain import DomainError
from marketplace.formatting import format_date, format_vnd
from marketplace.orders.errors import OutOfStock, PricesChanged, TotalChanged, UnknownProduct
from marketplace.orders.models import Order, ProducerOrder
from marketplace.orders.services import MAX_CART_LINES, MAX_LINE_QUANTITY

ERROR_MESSAGES = {
    "empty_cart": _l("Your cart is empty."),
    "too_many_lines": _l("One order holds at most %(n)s different products.", n=MAX_CART_LINES),
    "invalid_quantity": _l("Enter a whole number between 1 and %(n)s.", n=MAX_LINE_QUANTITY),
    "unknown_product": _l("This product does not exist or is no longer for sale."),
    "invalid_checkout": _l("The checkout form has expired or is incomplete; please check it and try again."),
    "card_amount_too_large": _l(
        "Orders above 99,999,999 ₫ cannot be paid by card; choose cash on delivery or split the order."
    ),
    "transition_not_allowed": _l("This change is not possible in the order's current state."),
    "awaiting_payment": _l("This order is not paid yet; accept it once the payment has arrived."),
    "invalid_shipment": _l("Enter the carrier and the tracking number."),
    "refund_failed": _l("The refund could not be made; nothing was changed. Please try again."),
    "payment_error": _l("The payment service could not be reached. Please try again in a moment."),
    "card_declined": _l("Your card was declined."),
    "payments_not_configured": _l("Card payments are not available at the moment; choose cash on delivery."),
}


def error_message(error: DomainError) -> str:
    """A sentence for `error`, naming the products concerned where there are some."""
    if isinstance(error, OutOfStock):
        names = "; ".join(
            _("%(name)s: only %(available)s left", name=s.name, available=s.available)
            for s in error.shortages
        )
        return _("Not enough stock: %(names)s.", names=names)
    if isinstance(error, PricesChanged):
        return _("Some prices have changed since you saw them. Please check the new prices before ordering.")
    if isinstance(error, TotalChanged):
        return _(
            "The total is now %(total)s, not the %(shown)s the page showed (shipping to the chosen province "
            "is included). Nothing was ordered: check the total and place the order again.",
            total=format_vnd(error.current_vnd),
            shown=format_vnd(error.shown_vnd or 0),
        )
    if isinstance(error, UnknownProduct) and len(error.product_ids) > 1:
        return _("Some products in the cart are no longer for sale.")
    message = ERROR_MESSAGES.get(error.code)
    return str(message) if message is not None else str(error)


def move_message(move: str, order: Order, producer_order: ProducerOrder | None = None) -> str:
    """What the flash says after a person moved an order: which order, whose, and what became of
    it ("Đã chấp nhận đơn OCOP-… của …"), never a bare "order updated".

    move: accepted, accepted_in_part, rejected, shipped, delivered, delivery_date (the producer's
    moves, on `producer_order`), approved, rejected_by_buyer (a supermarket owner's decision),
    received, received_with_problems (the buyer's receipt of `producer_order`).
    """
    ref, buyer = order.reference, order.recipient_name
    part = producer_order
    if move == "accepted":
        return _("Accepted order %(ref)s from %(buyer)s.", ref=ref, buyer=buyer)
    if move == "accepted_in_part":
        return _(
            "Accepted order %(ref)s from %(buyer)s with the quantities you set; the buyer sees them "
            "and your reasons.",
            ref=ref,
            buyer=buyer,
        )
    if move == "rejected":
        return _(
            "Rejected order %(ref)s from %(buyer)s: its stock is back and the buyer is told.",
            ref=ref,
            buyer=buyer,
        )
    if move == "shipped" and part is not None:
        return _(
            "Order %(ref)s from %(buyer)s is shipped with %(carrier)s, tracking number %(tracking)s.",
            ref=ref,
            buyer=buyer,
            carrier=part.carrier,
            tracking=part.tracking_number,
        )
    if move == "delivered" and part is not None:
        if order.payment_method == "cod":
            return _(
                "Order %(ref)s from %(buyer)s is delivered and its cash collected.", ref=ref, buyer=buyer
            )
        return _("Order %(ref)s from %(buyer)s is delivered.", ref=ref, buyer=buyer)
    if move == "delivery_date" and part is not None:
        return _(
            "Delivery of order %(ref)s to %(buyer)s is confirmed for %(date)s; the buyer sees it.",
            ref=ref,
            buyer=buyer,
            date=format_date(part.confirmed_delivery_date),
        )
    if move == "approved":
        return _("Approved order %(ref)s: it has gone to the producers.", ref=ref)
    if move == "rejected_by_buyer":
        return _("Rejected order %(ref)s: it is cancelled and its stock given back.", ref=ref)
    if move == "received":
        return _("Receipt of order %(ref)s confirmed. Thank you.", ref=ref)
    if move == "received_with_problems":
        return _(
            "Receipt of order %(ref)s confirmed; credit notes were opened for the problems you reported.",
            ref=ref,
        )
    raise ValueError(f"no message for the move {move!r}")
