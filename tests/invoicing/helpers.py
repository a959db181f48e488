"""Builders for supermarket orders paid on terms, made directly with the order models (placement
of bulk orders belongs to the wholesale module)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.timeutil import utcnow

_refs = itertools.count(1)


def supermarket_order(
    organisation: BuyerOrganisation,
    parts: list[tuple[list[tuple[Product, int]], int]] | list[list[tuple[Product, int]]],
    *,
    unit_prices: dict[int, int] | None = None,
    po_number: str = "PO-2026-0042",
    terms_days: int | None = None,
    customer_id: int | None = None,
    now: datetime | None = None,
    requested: date | None = None,
) -> Order:
    """An order of `organisation` with one ProducerOrder per entry of `parts`: a list of
    (product, quantity), or (that list, shipping fee). The stock is taken as placement would."""
    now = now or utcnow()
    unit_prices = unit_prices or {}
    n = next(_refs)
    order = Order(
        reference=f"OCOP-TEST{n:04d}",
        channel="supermarket",
        customer_id=customer_id,
        buyer_organisation_id=organisation.id,
        purchase_order_number=po_number,
        payment_terms_days=organisation.payment_terms_days if terms_days is None else terms_days,
        contact_email=organisation.contact_email,
        recipient_name=organisation.legal_name,
        phone="0912345678",
        street=organisation.head_office_address,
        commune="Phường Hoàn Kiếm",
        province_code=organisation.head_office_province_code,
        payment_method="invoice",
        payment_status="on_terms",
        items_total_vnd=0,
        shipping_total_vnd=0,
        total_vnd=0,
        refunded_vnd=0,
        idempotency_key=f"test-key-{n}-{now.timestamp()}",
        created_at=now,
    )
    db.session.add(order)
    db.session.flush()
    items_total = shipping_total = 0
    for part in parts:
        lines, fee = part if isinstance(part, tuple) else (part, 0)
        producer_id = lines[0][0].producer_id
        order_lines = []
        for product, quantity in lines:
            price = unit_prices.get(product.id, product.price_vnd)
            product.stock -= quantity
            order_lines.append(
                OrderLine(
                    product_id=product.id,
                    product_name=product.name,
                    sku=product.sku,
                    unit=product.unit,
                    unit_price_vnd=price,
                    quantity=quantity,
                    line_total_vnd=price * quantity,
                    retail_unit_price_vnd=product.price_vnd,
                )
            )
        subtotal = sum(line.line_total_vnd for line in order_lines)
        producer_order = ProducerOrder(
            order_id=order.id,
            producer_id=producer_id,
            status="placed",
            subtotal_vnd=subtotal,
            shipping_fee_vnd=fee,
            weight_g=1000,
            requested_delivery_date=requested,
            created_at=now,
            updated_at=now,
            lines=order_lines,
        )
        db.session.add(producer_order)
        db.session.flush()
        order_services.record_event(order, producer_order, "customer", None, "placed", now=now)
        items_total += subtotal
        shipping_total += fee
    order.items_total_vnd, order.shipping_total_vnd = items_total, shipping_total
    order.total_vnd = items_total + shipping_total
    db.session.commit()
    return order


def deliver(producer_order: ProducerOrder, now: datetime | None = None) -> None:
    """Accept (if placed), ship and deliver a part, as its producer would; commits."""
    if producer_order.status == "placed":
        order_services.accept_producer_order(producer_order, "producer", now)
    order_services.ship_producer_order(
        producer_order, "producer", carrier="Viettel Post", tracking_number="VTP123", now=now
    )
    order_services.mark_delivered(producer_order, "producer", now)
    db.session.commit()
