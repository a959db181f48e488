"""What the API reads, always scoped to the token's organisation, in id order with a cursor
(the id of the last row of the previous page; newest first for orders and invoices)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select

from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.extensions import db
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.services import status_filter
from marketplace.orders.models import Order, OrderEvent, ProducerOrder
from marketplace.producers.models import Producer
from marketplace.timeutil import today_in_vietnam


def _page(rows: list, limit: int, key) -> tuple[list, str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(key(rows[-1])) if more and rows else None)


def orders_page(
    organisation_id: int,
    *,
    status: str | None,
    purchase_order_number: str | None,
    created_since: datetime | None,
    before_id: int | None,
    limit: int,
) -> tuple[list[Order], str | None]:
    query = select(Order).where(Order.buyer_organisation_id == organisation_id)
    if status:
        query = query.where(
            exists().where(ProducerOrder.order_id == Order.id, ProducerOrder.status == status)
        )
    if purchase_order_number:
        query = query.where(Order.purchase_order_number == purchase_order_number)
    if created_since:
        query = query.where(Order.created_at >= created_since.replace(tzinfo=None))
    if before_id:
        query = query.where(Order.id < before_id)
    rows = list(db.session.scalars(query.order_by(Order.id.desc()).limit(limit + 1)).unique())
    return _page(rows, limit, lambda order: order.id)


def order_of(organisation_id: int, reference: str) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.reference == reference, Order.buyer_organisation_id == organisation_id)
    )


def events_by_part(order: Order) -> dict[int | None, list[OrderEvent]]:
    events: dict[int | None, list[OrderEvent]] = {}
    for item in db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
    ):
        events.setdefault(item.producer_order_id, []).append(item)
    return events


def producers_by_id(ids: set[int]) -> dict[int, Producer]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Producer).where(Producer.id.in_(ids)))}


def invoices_page(
    organisation_id: int, *, status: str | None, before_id: int | None, limit: int
) -> tuple[list[Invoice], str | None]:
    query = status_filter(
        select(Invoice).where(Invoice.buyer_organisation_id == organisation_id), status, today_in_vietnam()
    )
    if before_id:
        query = query.where(Invoice.id < before_id)
    rows = list(db.session.scalars(query.order_by(Invoice.id.desc()).limit(limit + 1)))
    return _page(rows, limit, lambda invoice: invoice.id)


def invoice_by_number(organisation_id: int, number: str) -> Invoice | None:
    return db.session.scalar(
        select(Invoice).where(
            func.upper(Invoice.number) == number.upper(), Invoice.buyer_organisation_id == organisation_id
        )
    )


LISTED = ("placed", "accepted", "shipped", "delivered", "cancelled", "refunded")  # not pending_approval


def producer_parts_page(
    producer_id: int, *, status: str | None, before_id: int | None, limit: int
) -> tuple[list[ProducerOrder], str | None]:
    query = select(ProducerOrder).where(
        ProducerOrder.producer_id == producer_id, ProducerOrder.status.in_(LISTED)
    )
    if status:
        query = query.where(ProducerOrder.status == status)
    if before_id:
        query = query.where(ProducerOrder.id < before_id)
    rows = list(db.session.scalars(query.order_by(ProducerOrder.id.desc()).limit(limit + 1)).unique())
    return _page(rows, limit, lambda part: part.id)


def producer_part(producer_id: int, part_id: int) -> ProducerOrder | None:
    """The producer's part `part_id` (never one waiting for the buyer's approval), or None."""
    return db.session.scalar(
        select(ProducerOrder).where(
            ProducerOrder.id == part_id,
            ProducerOrder.producer_id == producer_id,
            ProducerOrder.status.in_(LISTED),
        )
    )


def part_events(part: ProducerOrder) -> list[OrderEvent]:
    return list(
        db.session.scalars(
            select(OrderEvent)
            .where(
                OrderEvent.order_id == part.order_id,
                (OrderEvent.producer_order_id == part.id) | OrderEvent.producer_order_id.is_(None),
            )
            .order_by(OrderEvent.id)
        )
    )


def buyer_names(organisation_ids: set[int]) -> dict[int, str]:
    if not organisation_ids:
        return {}
    return dict(
        db.session.execute(
            select(BuyerOrganisation.id, BuyerOrganisation.legal_name).where(
                BuyerOrganisation.id.in_(organisation_ids)
            )
        ).all()
    )


def location_addresses(location_ids: set[int]) -> dict[int, str]:
    if not location_ids:
        return {}
    return {
        i: f"{name}, {address}"
        for i, name, address in db.session.execute(
            select(DeliveryLocation.id, DeliveryLocation.name, DeliveryLocation.address).where(
                DeliveryLocation.id.in_(location_ids)
            )
        )
    }


def organisation(organisation_id: int) -> BuyerOrganisation | None:
    return db.session.get(BuyerOrganisation, organisation_id)


def product_slug(product_id: int) -> str | None:
    from marketplace.catalog.models import Product

    return db.session.scalar(select(Product.slug).where(Product.id == product_id))
