"""What tells producers that an order part waits for them: an e-mail to the producer's members
when a part reaches them, the count of parts waiting for acceptance (the portal's navigation), and
one reminder per part that has waited longer than PRODUCER_ACCEPTANCE_REMINDER_HOURS.

A part reaches its producer when it is `placed` and its order is not waiting for a card payment:
at `order_placed` (cash on delivery, terms; a supermarket order that needed approval is announced
on approval), or at `order_paid` for card orders — a producer is not asked to prepare an order that
may still expire unpaid, nor one the buyer's owner has not approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import ProducerMembership, User
from marketplace.extensions import db
from marketplace.formatting import format_date, format_vnd
from marketplace.orders import mailing, signals
from marketplace.orders.models import Order, ProducerOrder
from marketplace.timeutil import utcnow

_connected = False


def _waiting(part: ProducerOrder) -> bool:
    return part.status == "placed" and part.order.payment_status != "awaiting_payment"


def member_addresses(producer_ids: Iterable[int]) -> dict[int, list[str]]:
    """The e-mail addresses of each producer's members, in one query."""
    ids = sorted(set(producer_ids))
    found: dict[int, list[str]] = {pid: [] for pid in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(ProducerMembership.producer_id, User.email)
        .join(User, User.id == ProducerMembership.user_id)
        .where(ProducerMembership.producer_id.in_(ids))
        .order_by(ProducerMembership.producer_id, User.id)
    ).all()
    for producer_id, email in rows:
        found[producer_id].append(email)
    return found


def _lines(part: ProducerOrder) -> list[str]:
    return [
        f"- {line.product_name} × {line.quantity}: {format_vnd(line.line_total_vnd)}" for line in part.lines
    ]


def _send(parts: list[ProducerOrder], kind: str) -> None:
    """One message per member of each part's producer (in Vietnamese: accounts store no language)."""
    addresses = member_addresses(part.producer_id for part in parts)
    with force_locale("vi"):
        for part in parts:
            ref, buyer = part.order.reference, part.order.recipient_name
            if kind == "new":
                subject = _("New order %(ref)s from %(buyer)s", ref=ref, buyer=buyer)
                opening = _(
                    "A new order waits for your acceptance: %(ref)s from %(buyer)s.", ref=ref, buyer=buyer
                )
            else:
                subject = _("Reminder: order %(ref)s waits for your acceptance", ref=ref)
                opening = _(
                    "Order %(ref)s from %(buyer)s has been waiting for your acceptance since %(since)s.",
                    ref=ref,
                    buyer=buyer,
                    since=format_date(waiting_since(part.order)),
                )
            body = "\n".join(
                [
                    opening,
                    *_lines(part),
                    _("Total: %(amount)s", amount=format_vnd(part.total_vnd)),
                    _(
                        "Accept or reject it in the producer portal: %(path)s",
                        path=f"/portal/orders/{part.id}",
                    ),
                ]
            )
            for address in addresses[part.producer_id]:
                mailing.deliver(address, str(subject), body, f"producer_order_{kind}")


def announce_new_parts(order: Order) -> None:
    """Mail the members of every producer whose part of `order` now waits for acceptance."""
    parts = [part for part in order.producer_orders if _waiting(part)]
    if parts:
        _send(parts, "new")


def waiting_count(producer_id: int) -> int:
    """How many of the producer's parts wait for acceptance (the portal's navigation), one query."""
    return (
        db.session.scalar(
            select(func.count(ProducerOrder.id))
            .join(Order, Order.id == ProducerOrder.order_id)
            .where(
                ProducerOrder.producer_id == producer_id,
                ProducerOrder.status == "placed",
                Order.payment_status != "awaiting_payment",
            )
        )
        or 0
    )


def waiting_since(order: Order) -> datetime:
    """When the order's parts reached their producers: placed, approved or paid, the latest."""
    return max(moment for moment in (order.created_at, order.approval_decided_at, order.paid_at) if moment)


def remind_producers(now: datetime | None = None, hours: int | None = None) -> list[str]:
    """Remind the producers of parts waiting for acceptance longer than `hours` (the setting
    PRODUCER_ACCEPTANCE_REMINDER_HOURS), once per part: the reminder is recorded on the part in the
    same transaction as its messages. Commits; returns "reference/producer id" of each part."""
    now = now or utcnow()
    hours = current_app.config["PRODUCER_ACCEPTANCE_REMINDER_HOURS"] if hours is None else hours
    cutoff = now - timedelta(hours=hours)
    candidates = db.session.scalars(
        select(ProducerOrder)
        .join(Order, Order.id == ProducerOrder.order_id)
        .where(
            ProducerOrder.status == "placed",
            ProducerOrder.acceptance_reminder_sent_at.is_(None),
            Order.payment_status != "awaiting_payment",
            Order.created_at <= cutoff,
        )
        .order_by(ProducerOrder.id)
        .with_for_update(of=ProducerOrder, skip_locked=True)
    ).all()
    due = [part for part in candidates if waiting_since(part.order) <= cutoff]
    if due:
        _send(due, "reminder")
        for part in due:
            part.acceptance_reminder_sent_at = now
    db.session.commit()
    return [f"{part.order.reference}/{part.producer_id}" for part in due]


def _placed(sender, order: Order, **kwargs) -> None:
    announce_new_parts(order)


def _paid(sender, order: Order, **kwargs) -> None:
    announce_new_parts(order)


def init_app(app: Flask) -> None:
    global _connected
    if _connected:
        return
    signals.order_placed.connect(_placed)
    signals.order_paid.connect(_paid)
    _connected = True
