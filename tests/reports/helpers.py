"""Builders and readers for ledger tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.reports.models import SalesEntry


def pay_by_card(order: Order, now: datetime | None = None) -> str:
    """Stripe's payment_intent.succeeded for `order`, applied as the webhook applies it; commits."""
    outcome = orders.record_card_payment(
        order, payment_intent_id=f"pi_{order.reference}", amount_vnd=order.total_vnd, currency="vnd", now=now
    )
    db.session.commit()
    return outcome


def ship_and_deliver(part, now: datetime | None = None) -> None:
    """Accept (if placed), ship and deliver a part, as its producer would; commits."""
    if part.status == "placed":
        orders.accept_producer_order(part, "producer", now)
    orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="GHN1", now=now)
    orders.mark_delivered(part, "producer", now)
    db.session.commit()


def entries(order: Order | None = None) -> list[tuple[str, int, int, int]]:
    """(kind, order line id, VND, units) of every ledger row (of `order`), in the order written."""
    query = select(SalesEntry).order_by(SalesEntry.id)
    if order is not None:
        query = query.where(SalesEntry.order_id == order.id)
    return [(e.kind, e.order_line_id, e.amount_vnd, e.units) for e in db.session.scalars(query)]


def all_rows() -> list[SalesEntry]:
    return list(db.session.scalars(select(SalesEntry).order_by(SalesEntry.id)))
