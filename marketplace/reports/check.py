"""`flask ledger check`: every producer part's sales figure recomputed from the state of its order,
compared with what the ledger holds for it.

The figure is derived here from scratch, without the ledger's rules (`ledger.py`), so that a bug
in either shows as a difference: a card part counts its line totals and units while its order is
paid and the part is not cancelled or refunded, and so does a VietQR (bank transfer) part; a
cash-on-delivery part once its cash was collected; a part on terms its invoice's goods lines less
its credit notes; anything else nothing.
Every row must also agree with its part about the producer, the order, the channel and the buyer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.invoicing.models import CreditNote, Invoice, InvoiceLine
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.reports.models import SalesEntry

CARD_MONEY_TAKEN = ("paid", "partially_refunded", "refunded")
PAID_UP_FRONT = ("card", "vietqr")  # written out again here, not taken from ledger.py: see above
NOT_CANCELLED = ProducerOrder.status.notin_(("cancelled", "refunded"))


@dataclass(frozen=True)
class Difference:
    producer_order_id: int
    order_reference: str
    producer_id: int
    expected_vnd: int
    expected_units: int
    ledger_vnd: int
    ledger_units: int

    def describe(self) -> str:
        return (
            f"{self.order_reference} part {self.producer_order_id} (producer {self.producer_id}): "
            f"expected {self.expected_vnd} VND / {self.expected_units} units, "
            f"ledger {self.ledger_vnd} VND / {self.ledger_units} units"
        )


@dataclass(frozen=True)
class LedgerCheck:
    parts_checked: int
    rows: int
    differences: list[Difference]
    inconsistent_rows: list[int]  # ids of rows that disagree with their part

    @property
    def ok(self) -> bool:
        return not self.differences and not self.inconsistent_rows


def _add(into: dict[int, tuple[int, int]], rows) -> None:
    for part_id, amount, units in rows:
        before = into.get(part_id, (0, 0))
        into[part_id] = (before[0] + int(amount or 0), before[1] + int(units or 0))


def expected_by_part() -> dict[int, tuple[int, int]]:
    """Producer part id -> (VND, units) it should count now, from the orders' state."""
    expected: dict[int, tuple[int, int]] = {}
    lines_of_parts = (
        select(ProducerOrder.id, func.sum(OrderLine.line_total_vnd), func.sum(OrderLine.quantity))
        .join(Order, Order.id == ProducerOrder.order_id)
        .join(OrderLine, OrderLine.producer_order_id == ProducerOrder.id)
        .where(
            NOT_CANCELLED,
            or_(
                and_(Order.payment_method.in_(PAID_UP_FRONT), Order.payment_status.in_(CARD_MONEY_TAKEN)),
                and_(Order.payment_method == "cod", ProducerOrder.cod_collected_at.is_not(None)),
            ),
        )
        .group_by(ProducerOrder.id)
    )
    _add(expected, db.session.execute(lines_of_parts))
    invoiced = (
        select(Invoice.producer_order_id, func.sum(InvoiceLine.amount_vnd), func.sum(InvoiceLine.quantity))
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(InvoiceLine.order_line_id.is_not(None))
        .group_by(Invoice.producer_order_id)
    )
    _add(expected, db.session.execute(invoiced))
    credited = (
        select(Invoice.producer_order_id, -func.sum(CreditNote.amount_vnd), -func.sum(CreditNote.quantity))
        .join(CreditNote, CreditNote.invoice_id == Invoice.id)
        .join(InvoiceLine, InvoiceLine.id == CreditNote.invoice_line_id)
        .where(InvoiceLine.order_line_id.is_not(None))
        .group_by(Invoice.producer_order_id)
    )
    _add(expected, db.session.execute(credited))
    return expected


def ledger_by_part() -> dict[int, tuple[int, int]]:
    """Producer part id -> (VND, units) the ledger holds for it."""
    held: dict[int, tuple[int, int]] = {}
    _add(
        held,
        db.session.execute(
            select(
                SalesEntry.producer_order_id, func.sum(SalesEntry.amount_vnd), func.sum(SalesEntry.units)
            ).group_by(SalesEntry.producer_order_id)
        ),
    )
    return held


def _buyer_key_of_order() -> ColumnElement[str]:
    """`ledger.buyer_key_of` in SQL, over the joined order."""
    return case(
        (
            Order.buyer_organisation_id.is_not(None),
            literal("org:", String).concat(cast(Order.buyer_organisation_id, String)),
        ),
        (Order.customer_id.is_not(None), literal("user:", String).concat(cast(Order.customer_id, String))),
        else_=literal("guest:", String).concat(func.lower(Order.contact_email)),
    )


def _inconsistent_rows() -> list[int]:
    return list(
        db.session.scalars(
            select(SalesEntry.id)
            .join(ProducerOrder, ProducerOrder.id == SalesEntry.producer_order_id)
            .join(Order, Order.id == ProducerOrder.order_id)
            .join(OrderLine, OrderLine.id == SalesEntry.order_line_id)
            .where(
                or_(
                    SalesEntry.producer_id != ProducerOrder.producer_id,
                    SalesEntry.order_id != ProducerOrder.order_id,
                    SalesEntry.channel != Order.channel,
                    OrderLine.producer_order_id != SalesEntry.producer_order_id,
                    SalesEntry.product_id != OrderLine.product_id,
                    SalesEntry.buyer_organisation_id.is_distinct_from(Order.buyer_organisation_id),
                    SalesEntry.buyer_key != _buyer_key_of_order(),
                )
            )
            .order_by(SalesEntry.id)
        )
    )


def check_ledger() -> LedgerCheck:
    expected, held = expected_by_part(), ledger_by_part()
    parts = sorted(
        part_id
        for part_id in expected.keys() | held.keys()
        if expected.get(part_id, (0, 0)) != held.get(part_id, (0, 0))
    )
    info = (
        {
            part_id: (reference, producer_id)
            for part_id, reference, producer_id in db.session.execute(
                select(ProducerOrder.id, Order.reference, ProducerOrder.producer_id)
                .join(Order, Order.id == ProducerOrder.order_id)
                .where(ProducerOrder.id.in_(parts))
            )
        }
        if parts
        else {}
    )
    differences = [
        Difference(
            part_id, *info.get(part_id, ("?", 0)), *expected.get(part_id, (0, 0)), *held.get(part_id, (0, 0))
        )
        for part_id in parts
    ]
    rows = db.session.scalar(select(func.count(SalesEntry.id))) or 0
    checked = db.session.scalar(select(func.count(ProducerOrder.id))) or 0
    return LedgerCheck(checked, rows, differences, _inconsistent_rows())
