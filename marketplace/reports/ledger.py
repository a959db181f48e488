"""The sales ledger's rules, in one place: when a sale counts, when it is taken back out, and the
queries every sales figure is read from.

When a line counts (a `sale` row, + its line total and units):
- a card order (consumer or supermarket) when Stripe's payment succeeded: the order's payment
  status becomes `paid`; every part not cancelled by then counts. A payment that arrives after
  the order was cancelled (`voided` → `paid`, refunded at once) finds no part to count and writes
  nothing;
- a VietQR (bank transfer) consumer order the same way, when its transfer is matched on a bank
  statement (`payments.statements`): the payment status becomes `paid`;
- cash on delivery when the cash was collected: the part is marked delivered;
- a supermarket order on terms when its invoice is issued (the part delivered): the invoice's
  goods lines (at the accepted quantities; lines declined in full are not invoiced).

When it is taken back out (negative rows, dated when it happens, so a closed month never
changes): a counted part cancelled or refunded writes, per line, minus what the ledger holds for
that line (`refund` for a card part, whose money goes back by card in the same transaction;
`cancellation` otherwise); a credit note for a shortfall or damage writes minus its goods amount
(`amount_vnd`, before VAT, the basis of the line prices) and units (`credit_note`).

Amounts are goods at the order line prices (line totals); shipping and VAT are never sales.

Exactly once: the receivers below run on the order and invoice signals, which are sent inside
the transaction of the change, so each row commits or rolls back with the change that causes it.
A row's (source_kind, source_id, order_line_id) is UNIQUE in the table, the rules write a sale
only for a line not sold yet and reverse only what is still counted, and Stripe events are
applied once (their ids are recorded): a webhook delivered twice writes one row. Rows are never
updated or deleted (`forbid_changes` refuses it at flush); a correction is a new row.

Each row copies what reports group by, as it was then: the producer's province (current code and
pre-2025 code: the producer's `former_province_code`, else the one former unit its province
continues, else None), the product's OCOP group, and the star class of the verified certificate
in force on the row's day in Vietnam (`catalog.services.certificate_in_force`; None without one).

`reports` sits above orders, payments, invoicing and wholesale: it imports them and subscribes
to their signals; they never import it. Migration 0011 backfills the same rows from existing
orders, and `flask ledger check` (`check.py`) recomputes every part's figure from its state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Certification, Product
from marketplace.catalog.services import certificate_in_force
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.invoicing import signals as invoicing_signals
from marketplace.invoicing.models import CreditNote, Invoice
from marketplace.orders import signals as order_signals
from marketplace.orders.models import Order, OrderEvent, ProducerOrder
from marketplace.producers.models import Producer
from marketplace.reference import sole_former_province_code
from marketplace.reports import queries
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import VIETNAM

UNCOUNTED_PART_STATUSES = ("cancelled", "refunded")
# Paid before delivery, counted when the payment status becomes paid: card, and bank transfer.
PAID_UP_FRONT = ("card", "vietqr")


class LedgerIsAppendOnly(DomainError):
    code = "ledger_append_only"


@dataclass(frozen=True)
class LineFigure:
    """What one order line adds to (or takes from) the ledger."""

    order_line_id: int
    product_id: int
    amount_vnd: int
    units: int


def vietnam_date(moment: datetime) -> date:
    """The calendar day in Vietnam of a naive UTC datetime."""
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()


# ---------------------------------------------------------------------------------------------
# Writing rows


def _stars_on(product_ids: Iterable[int], day: date) -> dict[int, int]:
    """Product id -> star class of its verified certificate in force on `day` (the highest)."""
    ids = sorted(set(product_ids))
    best: dict[int, int] = {}
    if not ids:
        return best
    for cert in db.session.scalars(
        select(Certification).where(Certification.product_id.in_(ids), Certification.status == "verified")
    ):
        if certificate_in_force(cert, day):
            best[cert.product_id] = max(best.get(cert.product_id, 0), cert.star_class)
    return best


def buyer_key_of(order: Order) -> str:
    """Who bought, as one string per buyer: the supermarket organisation for its orders (whoever
    of its staff placed them), else the signed-in consumer account, else the guest's e-mail."""
    if order.buyer_organisation_id is not None:
        return f"org:{order.buyer_organisation_id}"
    if order.customer_id is not None:
        return f"user:{order.customer_id}"
    return f"guest:{order.contact_email.lower()}"


def former_province_of(producer: Producer) -> str | None:
    return producer.former_province_code or sole_former_province_code(producer.province_code)


def _append(
    producer_order: ProducerOrder,
    figures: list[LineFigure],
    *,
    kind: str,
    source_kind: str,
    source_id: int,
    at: datetime,
) -> list[SalesEntry]:
    """Add one row per figure to the session (the caller's transaction commits them)."""
    figures = [f for f in figures if f.amount_vnd or f.units]
    if not figures:
        return []
    order = producer_order.order
    producer = db.session.get(Producer, producer_order.producer_id)
    groups = dict(
        db.session.execute(
            select(Product.id, Product.group_code).where(Product.id.in_({f.product_id for f in figures}))
        ).all()
    )
    stars = _stars_on((f.product_id for f in figures), vietnam_date(at))
    rows = [
        SalesEntry(
            kind=kind,
            source_kind=source_kind,
            source_id=source_id,
            producer_id=producer_order.producer_id,
            order_id=order.id,
            producer_order_id=producer_order.id,
            order_line_id=figure.order_line_id,
            product_id=figure.product_id,
            channel=order.channel,
            province_code=producer.province_code,
            former_province_code=former_province_of(producer),
            group_code=groups[figure.product_id],
            star_class=stars.get(figure.product_id),
            amount_vnd=figure.amount_vnd,
            units=figure.units,
            occurred_at=at,
            buyer_organisation_id=order.buyer_organisation_id,
            buyer_key=buyer_key_of(order),
        )
        for figure in figures
    ]
    db.session.add_all(rows)
    return rows


def _sold_line_ids(producer_order: ProducerOrder) -> set[int]:
    return set(
        db.session.scalars(
            select(SalesEntry.order_line_id).where(
                SalesEntry.producer_order_id == producer_order.id, SalesEntry.kind == "sale"
            )
        )
    )


def record_sale(
    producer_order: ProducerOrder,
    figures: list[LineFigure],
    *,
    source_kind: str,
    source_id: int,
    at: datetime,
) -> list[SalesEntry]:
    """Count the lines of a part that are not counted yet."""
    sold = _sold_line_ids(producer_order)
    fresh = [f for f in figures if f.order_line_id not in sold]
    return _append(producer_order, fresh, kind="sale", source_kind=source_kind, source_id=source_id, at=at)


def counted_by_line(producer_order_id: int) -> list[LineFigure]:
    """What the ledger holds for each line of a part now (its sales less its reversals)."""
    rows = db.session.execute(
        select(
            SalesEntry.order_line_id,
            SalesEntry.product_id,
            func.sum(SalesEntry.amount_vnd),
            func.sum(SalesEntry.units),
        )
        .where(SalesEntry.producer_order_id == producer_order_id)
        .group_by(SalesEntry.order_line_id, SalesEntry.product_id)
        .order_by(SalesEntry.order_line_id)
    ).all()
    return [
        LineFigure(line_id, product_id, int(amount), int(units))
        for line_id, product_id, amount, units in rows
    ]


def reverse_part(producer_order: ProducerOrder, *, source_id: int, at: datetime) -> list[SalesEntry]:
    """Take a cancelled part back out: minus what each of its lines still counts."""
    reversal = [
        LineFigure(f.order_line_id, f.product_id, -f.amount_vnd, -f.units)
        for f in counted_by_line(producer_order.id)
    ]
    kind = "refund" if producer_order.order.payment_method == "card" else "cancellation"
    return _append(
        producer_order, reversal, kind=kind, source_kind="part_cancellation", source_id=source_id, at=at
    )


def _part_lines(producer_order: ProducerOrder) -> list[LineFigure]:
    return [
        LineFigure(line.id, line.product_id, line.line_total_vnd, line.quantity)
        for line in producer_order.lines
        if line.quantity > 0
    ]


def _event_id(order: Order, producer_order: ProducerOrder | None, to_status: str) -> int:
    """The id of the OrderEvent just recorded for this change (the signal is sent right after
    the event is added to the session)."""
    db.session.flush()
    part_condition = (
        OrderEvent.producer_order_id.is_(None)
        if producer_order is None
        else OrderEvent.producer_order_id == producer_order.id
    )
    event_id = db.session.scalar(
        select(func.max(OrderEvent.id)).where(
            OrderEvent.order_id == order.id, part_condition, OrderEvent.to_status == to_status
        )
    )
    if event_id is None:
        raise LookupError(f"no {to_status} event recorded for order {order.id}")
    return event_id


# ---------------------------------------------------------------------------------------------
# Receivers of the order and invoice signals


def on_payment_status_changed(
    sender: object, *, order: Order, from_status: str, to_status: str, at: datetime, **kwargs
) -> None:
    if order.payment_method not in PAID_UP_FRONT or to_status != "paid":
        return
    parts = [po for po in order.producer_orders if po.status not in UNCOUNTED_PART_STATUSES]
    if not parts:  # paid after the order was cancelled: refunded at once, nothing sold
        return
    source_id = _event_id(order, None, "paid")
    for part in parts:
        source_kind = "card_payment" if order.payment_method == "card" else "transfer_payment"
        record_sale(part, _part_lines(part), source_kind=source_kind, source_id=source_id, at=at)


def on_producer_order_moved(
    sender: object,
    *,
    order: Order,
    producer_order: ProducerOrder,
    to_status: str,
    at: datetime,
    **kwargs,
) -> None:
    if to_status not in UNCOUNTED_PART_STATUSES:
        return
    if not any(f.amount_vnd or f.units for f in counted_by_line(producer_order.id)):
        return
    reverse_part(producer_order, source_id=_event_id(order, producer_order, to_status), at=at)


def on_producer_order_delivered(
    sender: object, *, order: Order, producer_order: ProducerOrder, at: datetime, **kwargs
) -> None:
    if order.payment_method != "cod":
        return
    source_id = _event_id(order, producer_order, "delivered")
    record_sale(
        producer_order, _part_lines(producer_order), source_kind="cash_collection", source_id=source_id, at=at
    )


def on_invoice_issued(
    sender: object, *, invoice: Invoice, producer_order: ProducerOrder, at: datetime, **kwargs
) -> None:
    product_of_line = {line.id: line.product_id for line in producer_order.lines}
    figures = [
        LineFigure(line.order_line_id, product_of_line[line.order_line_id], line.amount_vnd, line.quantity)
        for line in invoice.lines
        if line.order_line_id is not None  # the delivery charge is not a sale
    ]
    record_sale(producer_order, figures, source_kind="invoice", source_id=invoice.id, at=at)


def on_credit_note_issued(
    sender: object, *, credit_note: CreditNote, producer_order: ProducerOrder, at: datetime, **kwargs
) -> None:
    order_line_id = credit_note.line.order_line_id
    if order_line_id is None:  # a credit on the delivery charge takes back no goods
        return
    product_of_line = {line.id: line.product_id for line in producer_order.lines}
    figure = LineFigure(
        order_line_id, product_of_line[order_line_id], -credit_note.amount_vnd, -credit_note.quantity
    )
    _append(
        producer_order,
        [figure],
        kind="credit_note",
        source_kind="credit_note",
        source_id=credit_note.id,
        at=at,
    )


def forbid_changes(session: Session, flush_context: object, instances: object) -> None:
    """Append only: a ledger row is never updated or deleted through the ORM."""
    for obj in session.deleted:
        if isinstance(obj, SalesEntry):
            raise LedgerIsAppendOnly("Sales ledger rows are never deleted; add a correcting row instead.")
    for obj in session.dirty:
        if isinstance(obj, SalesEntry) and session.is_modified(obj):
            raise LedgerIsAppendOnly("Sales ledger rows are never changed; add a correcting row instead.")


_connected = False


def init_app(app: Flask) -> None:
    """Subscribe the ledger to the order and invoice signals (once per process: blinker signals
    are global, and every receiver writes through the current app's session)."""
    global _connected
    if _connected:
        return
    order_signals.payment_status_changed.connect(on_payment_status_changed)
    order_signals.producer_order_moved.connect(on_producer_order_moved)
    order_signals.producer_order_delivered.connect(on_producer_order_delivered)
    invoicing_signals.invoice_issued.connect(on_invoice_issued)
    invoicing_signals.credit_note_issued.connect(on_credit_note_issued)
    event.listen(Session, "before_flush", forbid_changes)
    _connected = True


# ---------------------------------------------------------------------------------------------
# Reading the ledger


@dataclass(frozen=True)
class MonthlySales:
    month: str  # "2026-05", in Vietnam's calendar
    amount_vnd: int
    units: int


def sales_by_month(*, producer_id: int | None = None, channel: str | None = None) -> list[MonthlySales]:
    """Net sales per calendar month in Vietnam, oldest first, for one producer and/or channel
    (read through the query layer, `queries.by_month`)."""
    rows = queries.by_month(queries.SalesFilter(producer_id=producer_id, channel=channel))
    return [MonthlySales(row.key, row.figures.revenue_vnd, row.figures.units) for row in rows]


def revenue_by_producer(channel: str | None = None) -> dict[tuple[int, str], int]:
    """Net sales (VND) per (producer, channel), leaving out pairs that net to nothing."""
    total = func.sum(SalesEntry.amount_vnd)
    query = (
        select(SalesEntry.producer_id, SalesEntry.channel, total)
        .group_by(SalesEntry.producer_id, SalesEntry.channel)
        .having(total != 0)
    )
    if channel is not None:
        query = query.where(SalesEntry.channel == channel)
    return {(producer_id, ch): int(amount) for producer_id, ch, amount in db.session.execute(query)}


def entries_of_part(producer_order_id: int) -> list[SalesEntry]:
    return list(
        db.session.scalars(
            select(SalesEntry)
            .where(SalesEntry.producer_order_id == producer_order_id)
            .order_by(SalesEntry.id)
        )
    )
