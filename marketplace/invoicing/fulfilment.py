"""The producer's side of a supermarket part (ProducerOrder): accept part of it, and confirm the
delivery date. Accepting all, shipping, delivery and rejection are the order module's own
transitions (`orders.services`); invoicing issues a delivered invoice-paid part's invoice on the
`producer_order_delivered` signal, in the delivery's transaction.

Accepting part: each changed line's quantity goes down (never up), with a reason the buyer sees;
`OrderLine.ordered_quantity` keeps what was ordered. A line may go down to 0 (it stays on the order,
shown as declined) as long as another line keeps at least one unit; declining everything is a
rejection. The stock of the difference goes back, and the part's subtotal and the order's totals
are recomputed. Only parts paid on terms or in cash can change this way: nothing has been charged
for them yet.

Like the order services, these functions leave the commit to their caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from flask_babel import gettext as _

from marketplace.extensions import db
from marketplace.invoicing.errors import InvalidAdjustment, InvalidDeliveryDate, NotAnInvoiceOrder
from marketplace.orders import services as orders
from marketplace.orders.models import ProducerOrder
from marketplace.timeutil import today_in_vietnam, utcnow

MAX_REASON_LENGTH = 500


def accept_part(
    producer_order: ProducerOrder,
    actor: str,
    changes: Mapping[int, tuple[int, str]],
    now: datetime | None = None,
) -> None:
    """Accept `producer_order` with some lines lowered: `changes` maps an order line id to
    (new quantity, reason). Lines not named keep their quantity. Raises `InvalidAdjustment` with
    a message per line (field names `quantity-<id>` and `reason-<id>`); changes nothing then."""
    order = orders.lock_order(producer_order.order)
    if order.channel != "supermarket" or order.payment_method == "card":
        raise NotAnInvoiceOrder(_("Only supermarket orders not paid by card can be accepted in part."))
    if producer_order.status != "placed":
        raise InvalidAdjustment(_("Only a newly placed order can be accepted in part."))
    lines = {line.id: line for line in producer_order.lines}
    errors: dict[str, str] = {}
    lowered: dict[int, tuple[int, str]] = {}
    for line_id, (quantity, reason) in changes.items():
        line = lines.get(line_id)
        if line is None:
            raise InvalidAdjustment(_("This line is not part of the order."))
        if quantity == line.quantity:
            continue
        reason = (reason or "").strip()
        if quantity < 0 or quantity > line.quantity:
            errors[f"quantity-{line_id}"] = _(
                "Enter a quantity between 0 and %(n)d: a quantity can only go down.", n=line.quantity
            )
        elif not reason:
            errors[f"reason-{line_id}"] = _("Say why the quantity is lower: the buyer sees it.")
        elif len(reason) > MAX_REASON_LENGTH:
            errors[f"reason-{line_id}"] = _("At most %(n)d characters.", n=MAX_REASON_LENGTH)
        else:
            lowered[line_id] = (quantity, reason)
    if errors:
        raise InvalidAdjustment(_("Some lines cannot be changed that way."), errors)
    if not lowered:
        raise InvalidAdjustment(_("No quantity was lowered: to accept the order as it is, accept all of it."))
    remaining = sum(lowered[i][0] if i in lowered else line.quantity for i, line in lines.items())
    if remaining == 0:
        raise InvalidAdjustment(
            _("Every quantity would be 0: reject the order instead."), {"form": _("Nothing would be left.")}
        )

    now = now or utcnow()
    given_back: dict[int, int] = {}
    notes = []
    for line_id, (quantity, reason) in sorted(lowered.items()):
        line = lines[line_id]
        difference = line.quantity - quantity
        given_back[line.product_id] = given_back.get(line.product_id, 0) + difference
        if line.ordered_quantity is None:
            line.ordered_quantity = line.quantity
        line.quantity = quantity
        line.line_total_vnd = line.unit_price_vnd * quantity
        line.adjustment_reason = reason
        notes.append(f"{line.sku}: {line.ordered_quantity} → {quantity} ({reason})")
    old_subtotal = producer_order.subtotal_vnd
    producer_order.subtotal_vnd = sum(line.line_total_vnd for line in producer_order.lines)
    reduction = old_subtotal - producer_order.subtotal_vnd
    items_total, total = order.items_total_vnd - reduction, order.total_vnd - reduction
    order.items_total_vnd, order.total_vnd = items_total, total
    db.session.flush()  # the new quantities (and their CHECKs) before the stock moves
    orders.give_back_units(given_back)
    orders.transition(producer_order, "accepted", actor, "accepted in part: " + "; ".join(notes), now)


def confirm_delivery_date(
    producer_order: ProducerOrder,
    actor: str,
    day: date | None,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> None:
    """The producer commits to a delivery date: any day from today (in Vietnam) on, before the
    part ships. It may differ from the date the buyer asked for."""
    today = today or today_in_vietnam()
    if producer_order.status not in ("placed", "accepted"):
        raise InvalidDeliveryDate(
            _("The delivery date can only be confirmed before the order ships."),
            {"delivery_date": _("This order has already shipped or was cancelled.")},
        )
    if day is None:
        raise InvalidDeliveryDate(_("Enter a date."), {"delivery_date": _("Enter a date.")})
    if day < today:
        raise InvalidDeliveryDate(
            _("The date is in the past."), {"delivery_date": _("Choose today or a later day.")}
        )
    producer_order.confirmed_delivery_date = day
    producer_order.updated_at = now or utcnow()
    orders.record_event(
        producer_order.order,
        producer_order,
        actor,
        producer_order.status,
        producer_order.status,
        f"delivery date confirmed: {day.isoformat()}",
        now,
    )
