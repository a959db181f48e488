"""Invoices on terms: issued when an invoice-paid ProducerOrder is delivered, paid by bank transfer
(recorded by an administrator against the payment reference), reduced by credit notes when the
buyer reports a shortfall or damage at receipt.

Decisions, in one place:
- Numbering: per seller (the producer issues the invoice) and calendar year in Vietnam,
  "HD-<producer id>-<year>-<000001>", the next number being one more than the producer's highest
  of that year; a unique constraint makes a concurrent duplicate fail (the delivery is retried).
- Prices on order lines are before VAT; the invoice adds VAT per line (see `vat.py`). A delivery
  charge on the part becomes one more line, at the delivery rate.
- Due date: issue date (in Vietnam) plus the payment terms copied onto the order at placement
  (the organisation's current terms if the order has none).
- Payment reference: "OCOPHD" + 6 characters without look-alikes (no 0/O, 1/I/L), unique; what a
  buyer types into a bank transfer's description. Matching ignores spaces and case.
- Payments: partial payments are allowed; a payment above the amount due is refused with the
  figures (an administrator records only what the invoice still owes: no credit balance is kept).
- Overdue: not fully settled and today, in Vietnam, is after the due date (the due date itself
  is not overdue). Computed when read, so no job is needed.
- Credit notes reduce the amount due; they cannot take more units of a line than were invoiced.

Functions that change state leave the commit to their caller.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select

from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.invoicing import signals, vat
from marketplace.invoicing.errors import (
    InvalidPayment,
    InvalidReceipt,
    InvalidTerms,
    NotAnInvoiceOrder,
    Overpayment,
    SellerTaxCodeMissing,
)
from marketplace.invoicing.models import CreditNote, Invoice, InvoiceLine, InvoicePayment
from marketplace.orders import services as order_services
from marketplace.orders import signals as order_signals
from marketplace.orders.models import Order, ProducerOrder
from marketplace.producers.models import Producer
from marketplace.reference import province_name
from marketplace.timeutil import VIETNAM, today_in_vietnam, utcnow

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "OCOPHD"
INVOICE_STATUSES = ("open", "partially_paid", "paid", "overdue")
MAX_PAYMENT_TERMS_DAYS = 180
DELIVERY_LINE_NAME = "Phí vận chuyển (delivery)"  # stored on the invoice, which is in Vietnamese
MAX_CREDIT_LIMIT_VND = 100_000_000_000  # 100 billion đồng


def _vietnam_date(moment: datetime) -> date:

    return moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()


def new_payment_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def normalise_reference(text: str) -> str:
    return re.sub(r"[\s\-.]", "", text or "").upper()


def _next_sequence(producer_id: int, year: int) -> int:
    highest = db.session.scalar(
        select(func.max(Invoice.sequence)).where(Invoice.producer_id == producer_id, Invoice.year == year)
    )
    return (highest or 0) + 1


def init_app(app: Flask) -> None:
    """Invoicing reacts to the order events it needs (orders never imports invoicing)."""
    order_signals.producer_order_delivered.connect(_invoice_delivered_part)


def _invoice_delivered_part(
    sender: object, *, order: Order, producer_order: ProducerOrder, at: datetime
) -> None:
    """A part paid on terms is invoiced when it is delivered, in the delivery's transaction."""
    if order.payment_method == "invoice":
        issue_invoice(producer_order, at)


def issue_invoice(producer_order: ProducerOrder, now: datetime | None = None) -> Invoice:
    """The invoice of a delivered part of an invoice-paid order (on `producer_order_delivered`,
    inside the delivery's transaction). Issuing twice returns the first invoice."""
    existing = db.session.scalar(select(Invoice).where(Invoice.producer_order_id == producer_order.id))
    if existing is not None:
        return existing
    order = producer_order.order
    if order.payment_method != "invoice" or order.buyer_organisation_id is None:
        raise NotAnInvoiceOrder(_("Only orders paid on terms by a supermarket chain are invoiced."))
    now = now or utcnow()
    issue_date = _vietnam_date(now)
    producer = db.session.get(Producer, producer_order.producer_id)
    if not producer.tax_code:
        raise SellerTaxCodeMissing(
            _(
                "Enter your organisation's tax code (Producer portal, Dashboard) before this order "
                "is delivered: "
                "its invoice must carry it."
            )
        )
    organisation = db.session.get(BuyerOrganisation, order.buyer_organisation_id)
    terms = (
        order.payment_terms_days if order.payment_terms_days is not None else organisation.payment_terms_days
    )
    sequence = _next_sequence(producer.id, issue_date.year)
    location = (
        db.session.get(DeliveryLocation, producer_order.delivery_location_id)
        if producer_order.delivery_location_id
        else None
    )
    invoice = Invoice(
        number=f"HD-{producer.id}-{issue_date.year}-{sequence:06d}",
        year=issue_date.year,
        sequence=sequence,
        payment_reference=_unused_reference(),
        producer_order_id=producer_order.id,
        order_id=order.id,
        producer_id=producer.id,
        buyer_organisation_id=organisation.id,
        order_reference=order.reference,
        purchase_order_number=order.purchase_order_number,
        seller_name=producer.name,
        seller_tax_code=producer.tax_code,
        seller_address=f"{producer.commune}, {province_name(producer.province_code)}",
        buyer_name=organisation.legal_name,
        buyer_tax_code=organisation.tax_code,
        buyer_address=f"{organisation.head_office_address}, {organisation.province_name}",
        delivery_address=(
            f"{location.name}: {location.address}, {location.province_name}"
            if location
            else f"{order.street}, {order.commune}, {province_name(order.province_code)}"
        ),
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=terms),
        payment_terms_days=terms,
        subtotal_vnd=0,
        vat_vnd=0,
        total_vnd=0,
        paid_vnd=0,
        credited_vnd=0,
        created_at=now,
    )
    classes = {
        product_id: (group, subgroup)
        for product_id, group, subgroup in db.session.execute(
            select(Product.id, Product.group_code, Product.subgroup_code).where(
                Product.id.in_([line.product_id for line in producer_order.lines])
            )
        )
    }
    for line in producer_order.lines:
        if line.quantity == 0:
            continue
        group, subgroup = classes.get(line.product_id, ("", ""))
        rate = vat.vat_rate_percent(group, subgroup, issue_date)
        invoice.lines.append(
            _invoice_line(
                line.product_name, line.sku, line.unit, line.quantity, line.unit_price_vnd, rate, line.id
            )
        )
    if producer_order.shipping_fee_vnd:
        rate = vat.rate_of_class(vat.DELIVERY_CLASS, issue_date)
        invoice.lines.append(
            _invoice_line(DELIVERY_LINE_NAME, "", "", 1, producer_order.shipping_fee_vnd, rate, None)
        )
    invoice.subtotal_vnd = sum(line.amount_vnd for line in invoice.lines)
    invoice.vat_vnd = sum(line.vat_vnd for line in invoice.lines)
    invoice.total_vnd = invoice.subtotal_vnd + invoice.vat_vnd
    db.session.add(invoice)
    db.session.flush()
    signals.invoice_issued.send(
        current_app._get_current_object(), invoice=invoice, producer_order=producer_order, at=now
    )
    return invoice


def _invoice_line(
    name: str, sku: str, unit: str, quantity: int, unit_price_vnd: int, rate: int, order_line_id: int | None
) -> InvoiceLine:
    amount = unit_price_vnd * quantity
    return InvoiceLine(
        order_line_id=order_line_id,
        product_name=name,
        sku=sku,
        unit=unit,
        quantity=quantity,
        unit_price_vnd=unit_price_vnd,
        amount_vnd=amount,
        vat_rate_percent=rate,
        vat_vnd=vat.vat_on(amount, rate),
    )


def _unused_reference() -> str:
    while True:
        reference = new_payment_reference()
        if db.session.scalar(select(Invoice.id).where(Invoice.payment_reference == reference)) is None:
            return reference


# ---------------------------------------------------------------------------------------------
# Payments


def record_payment(
    invoice: Invoice,
    *,
    amount_vnd: int,
    received_on: date | None,
    bank_reference: str,
    recorded_by_id: int | None,
    today: date | None = None,
    now: datetime | None = None,
) -> InvoicePayment:
    """A bank transfer received for `invoice` (partial payments allowed; more than is due refused)."""
    today = today or today_in_vietnam()
    invoice = _lock_invoice(invoice)
    bank_reference = (bank_reference or "").strip()
    errors: dict[str, str] = {}
    if not isinstance(amount_vnd, int) or isinstance(amount_vnd, bool) or amount_vnd <= 0:
        errors["amount_vnd"] = _("Enter an amount of at least 1 ₫.")
    if received_on is None:
        errors["received_on"] = _("Enter the day the transfer arrived.")
    elif received_on > today:
        errors["received_on"] = _("The day cannot be in the future.")
    elif received_on < invoice.issue_date:
        errors["received_on"] = _("The day cannot be before the invoice was issued.")
    if not bank_reference or len(bank_reference) > 80:
        errors["bank_reference"] = _("Enter the bank's reference of the transfer (at most 80 characters).")
    if errors:
        raise InvalidPayment(_("The payment cannot be recorded."), errors)
    due = invoice.amount_due_vnd
    if amount_vnd > due:
        message = _(
            "%(amount)s is more than the %(due)s still due on this invoice.",
            amount=_vnd(amount_vnd),
            due=_vnd(due),
        )
        raise Overpayment(message, {"amount_vnd": message})
    payment = InvoicePayment(
        invoice_id=invoice.id,
        amount_vnd=amount_vnd,
        received_on=received_on,
        bank_reference=bank_reference,
        recorded_by_id=recorded_by_id,
        recorded_at=now or utcnow(),
    )
    invoice.payments.append(payment)
    invoice.paid_vnd += amount_vnd
    db.session.flush()
    return payment


def _vnd(amount: int) -> str:
    from marketplace.formatting import format_vnd

    return format_vnd(amount)


def _lock_invoice(invoice: Invoice) -> Invoice:
    return db.session.scalars(
        select(Invoice)
        .where(Invoice.id == invoice.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


# ---------------------------------------------------------------------------------------------
# Receipt and credit notes


@dataclass(frozen=True)
class ReceiptProblem:
    """Units of one order line that arrived short or damaged."""

    order_line_id: int
    kind: str  # shortfall or damaged
    quantity: int
    note: str


def confirm_receipt(
    producer_order: ProducerOrder,
    *,
    actor: str,
    user_id: int | None,
    problems: Mapping[int, ReceiptProblem] | None = None,
    now: datetime | None = None,
) -> list[CreditNote]:
    """The buyer confirms that a delivered part arrived, reporting any shortfall or damage per
    line; each reported line opens a credit note against the part's invoice. Once only."""
    problems = problems or {}
    if producer_order.status != "delivered":
        raise InvalidReceipt(_("Receipt can be confirmed once the order has been delivered."))
    if producer_order.received_at is not None:
        raise InvalidReceipt(_("Receipt of this order has already been confirmed."))
    invoice = db.session.scalar(select(Invoice).where(Invoice.producer_order_id == producer_order.id))
    if problems and invoice is None:
        raise InvalidReceipt(_("This order has no invoice to credit."))
    lines_by_order_line = {line.order_line_id: line for line in invoice.lines} if invoice else {}
    errors: dict[str, str] = {}
    for line_id, problem in problems.items():
        line = lines_by_order_line.get(line_id)
        if line is None:
            errors[f"quantity-{line_id}"] = _("Nothing of this line was invoiced.")
        elif problem.kind not in ("shortfall", "damaged"):
            errors[f"kind-{line_id}"] = _("Choose short or damaged.")
        elif problem.quantity < 1 or problem.quantity > line.quantity:
            errors[f"quantity-{line_id}"] = _("Enter a quantity between 1 and %(n)d.", n=line.quantity)
        elif not problem.note.strip():
            errors[f"note-{line_id}"] = _("Describe what was wrong.")
        elif len(problem.note) > 1000:
            errors[f"note-{line_id}"] = _("At most 1000 characters.")
    if errors:
        raise InvalidReceipt(_("Some lines need correcting."), errors)
    now = now or utcnow()
    notes: list[CreditNote] = []
    if invoice is not None and problems:
        invoice = _lock_invoice(invoice)
        for line_id, problem in sorted(problems.items()):
            line = lines_by_order_line[line_id]
            amount = line.unit_price_vnd * problem.quantity
            tax = vat.vat_on(amount, line.vat_rate_percent)
            note = CreditNote(
                number=f"{invoice.number}-CN{len(invoice.credit_notes) + 1}",
                invoice_id=invoice.id,
                invoice_line_id=line.id,
                kind=problem.kind,
                quantity=problem.quantity,
                note=problem.note.strip(),
                amount_vnd=amount,
                vat_vnd=tax,
                total_vnd=amount + tax,
                created_by_id=user_id,
                created_at=now,
            )
            invoice.credit_notes.append(note)
            notes.append(note)
        # A payment already recorded may leave less due than the credit: the credit is then
        # capped at what is still owed (the rest is for the producer and buyer to settle).
        credit = sum(n.total_vnd for n in notes)
        invoice.credited_vnd += min(credit, invoice.total_vnd - invoice.paid_vnd - invoice.credited_vnd)
    producer_order.received_at = now
    summary = "; ".join(
        f"{p.kind} {p.quantity} × {lines_by_order_line[i].sku}: {p.note.strip()}"
        for i, p in sorted(problems.items())
    )
    order_services.record_event(
        producer_order.order,
        producer_order,
        actor,
        "delivered",
        "delivered",
        "receipt confirmed" + (f" with problems: {summary}" if summary else ""),
        now,
    )
    db.session.flush()
    for note in notes:
        signals.credit_note_issued.send(
            current_app._get_current_object(),
            credit_note=note,
            invoice=invoice,
            producer_order=producer_order,
            at=now,
        )
    return notes


# ---------------------------------------------------------------------------------------------
# Reading invoices (every load scoped to who may see it)


def invoice_for_buyer(organisation_id: int, invoice_id: int) -> Invoice | None:
    return db.session.scalar(
        select(Invoice).where(Invoice.id == invoice_id, Invoice.buyer_organisation_id == organisation_id)
    )


def invoice_for_producer(producer_id: int, invoice_id: int) -> Invoice | None:
    return db.session.scalar(
        select(Invoice).where(Invoice.id == invoice_id, Invoice.producer_id == producer_id)
    )


def invoice_of_producer_order(producer_order_id: int) -> Invoice | None:
    return db.session.scalar(select(Invoice).where(Invoice.producer_order_id == producer_order_id))


def _due_expression():
    return Invoice.total_vnd - Invoice.paid_vnd - Invoice.credited_vnd


def status_filter(query: Select, status: str | None, today: date) -> Select:
    due = _due_expression()
    if status == "paid":
        return query.where(due <= 0)
    if status == "overdue":
        return query.where(due > 0, Invoice.due_date < today)
    if status == "open":
        return query.where(
            due > 0, Invoice.due_date >= today, Invoice.paid_vnd == 0, Invoice.credited_vnd == 0
        )
    if status == "partially_paid":
        return query.where(
            due > 0, Invoice.due_date >= today, or_(Invoice.paid_vnd > 0, Invoice.credited_vnd > 0)
        )
    if status == "unpaid":  # open, partially paid or overdue
        return query.where(due > 0)
    return query


def list_invoices(
    *,
    buyer_organisation_id: int | None = None,
    producer_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
    today: date | None = None,
    limit: int = 200,
) -> list[Invoice]:
    """Invoices, newest first, filtered by owner, status and (for administrators) a search on the
    payment reference, the invoice number, the order reference or the PO number."""
    today = today or today_in_vietnam()
    query = select(Invoice)
    if buyer_organisation_id is not None:
        query = query.where(Invoice.buyer_organisation_id == buyer_organisation_id)
    if producer_id is not None:
        query = query.where(Invoice.producer_id == producer_id)
    query = status_filter(query, status, today)
    if search and search.strip():
        text = search.strip()
        compact = normalise_reference(text)
        query = query.where(
            or_(
                Invoice.payment_reference == compact,
                func.upper(Invoice.number) == text.upper(),
                func.upper(Invoice.order_reference) == text.upper(),
                Invoice.purchase_order_number == text,
            )
        )
    query = query.order_by(Invoice.issue_date.desc(), Invoice.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def invoice_by_payment_reference(reference: str) -> Invoice | None:
    return db.session.scalar(
        select(Invoice).where(Invoice.payment_reference == normalise_reference(reference))
    )


def settled_vnd_by_organisation(organisation_id: int) -> int:
    """What an organisation has settled on its invoices: payments recorded plus credit notes
    applied (VND). The wholesale module's open balance subtracts it from what was ordered."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Invoice.paid_vnd + Invoice.credited_vnd), 0)).where(
            Invoice.buyer_organisation_id == organisation_id
        )
    )
    return int(total or 0)


def outstanding_invoices_vnd(organisation_id: int) -> int:
    """What an organisation still owes on its issued invoices (VAT included)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(_due_expression()), 0)).where(
            Invoice.buyer_organisation_id == organisation_id
        )
    )
    return int(total or 0)


# ---------------------------------------------------------------------------------------------
# Payment terms of an organisation (administrators)


def set_terms(
    organisation: BuyerOrganisation, *, payment_terms_days: int | None, credit_limit_vnd: int | None
) -> None:
    """An administrator sets how many days an organisation's invoices run and how much it may owe.
    Orders already placed keep the terms they were placed with."""
    errors: dict[str, str] = {}
    if payment_terms_days is None or not 0 <= payment_terms_days <= MAX_PAYMENT_TERMS_DAYS:
        errors["payment_terms_days"] = _("Enter a number of days from 0 to %(n)d.", n=MAX_PAYMENT_TERMS_DAYS)
    if credit_limit_vnd is None or not 0 <= credit_limit_vnd <= MAX_CREDIT_LIMIT_VND:
        errors["credit_limit_vnd"] = _("Enter an amount from 0 to 100.000.000.000 ₫.")
    if errors:
        raise InvalidTerms(_("The terms cannot be saved."), errors)
    organisation.payment_terms_days = payment_terms_days
    organisation.credit_limit_vnd = credit_limit_vnd


# ---------------------------------------------------------------------------------------------
# Supermarket parts as the buyer sees them


def producer_order_for_buyer(
    organisation_id: int, reference: str, producer_order_id: int
) -> ProducerOrder | None:
    return db.session.scalar(
        select(ProducerOrder)
        .join(Order, Order.id == ProducerOrder.order_id)
        .where(
            ProducerOrder.id == producer_order_id,
            Order.reference == reference,
            Order.buyer_organisation_id == organisation_id,
        )
    )


def invoices_by_producer_order(producer_order_ids: list[int]) -> dict[int, Invoice]:
    if not producer_order_ids:
        return {}
    return {
        invoice.producer_order_id: invoice
        for invoice in db.session.scalars(
            select(Invoice).where(and_(Invoice.producer_order_id.in_(producer_order_ids)))
        )
    }
