"""Invoices (hóa đơn) of delivered supermarket parts, their lines with VAT, the bank transfers an
administrator records against them, and credit notes for what arrived short or damaged.

An invoice is a snapshot: seller, buyer, prices and VAT rates are copied when it is issued and
never follow later changes. `paid_vnd` and `credited_vnd` are kept on the invoice (updated in the
transaction that records a payment or a credit note) so that lists can filter by what is due in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

CREDIT_KINDS = ("shortfall", "damaged")


class Invoice(db.Model):
    """The invoice of one delivered ProducerOrder of an invoice-paid order."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("producer_id", "year", "sequence", name="uq_invoices_producer_year_sequence"),
        CheckConstraint("sequence > 0", name="sequence_positive"),
        CheckConstraint("subtotal_vnd >= 0 AND vat_vnd >= 0", name="amounts_not_negative"),
        CheckConstraint("total_vnd = subtotal_vnd + vat_vnd", name="total_adds_up"),
        CheckConstraint("paid_vnd >= 0 AND credited_vnd >= 0", name="settled_not_negative"),
        CheckConstraint("paid_vnd + credited_vnd <= total_vnd", name="not_settled_beyond_total"),
        CheckConstraint("due_date >= issue_date", name="due_after_issue"),
        Index("ix_invoices_buyer_due", "buyer_organisation_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "HD-<producer id>-<year>-<sequence, 6 digits>": numbered per seller and calendar year.
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    # What the buyer writes on the bank transfer: "OCOPHD" and 6 unambiguous characters.
    payment_reference: Mapped[str] = mapped_column(String(20), unique=True)
    producer_order_id: Mapped[int] = mapped_column(ForeignKey("producer_orders.id"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    buyer_organisation_id: Mapped[int] = mapped_column(ForeignKey("buyer_organisations.id"))
    order_reference: Mapped[str] = mapped_column(String(20))
    purchase_order_number: Mapped[str | None] = mapped_column(String(64))
    seller_name: Mapped[str] = mapped_column(String(200))
    seller_tax_code: Mapped[str | None] = mapped_column(String(20))
    seller_address: Mapped[str] = mapped_column(String(400))
    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_tax_code: Mapped[str] = mapped_column(String(20))
    buyer_address: Mapped[str] = mapped_column(String(400))
    delivery_address: Mapped[str | None] = mapped_column(String(500))
    issue_date: Mapped[date] = mapped_column(Date)  # in Vietnam
    due_date: Mapped[date] = mapped_column(Date)
    payment_terms_days: Mapped[int]
    subtotal_vnd: Mapped[int] = mapped_column(BigInteger)  # before VAT
    vat_vnd: Mapped[int] = mapped_column(BigInteger)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    paid_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    credited_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.id", cascade="all, delete-orphan", lazy="selectin"
    )
    payments: Mapped[list[InvoicePayment]] = relationship(
        order_by="InvoicePayment.id", cascade="all, delete-orphan", lazy="selectin"
    )
    credit_notes: Mapped[list[CreditNote]] = relationship(
        order_by="CreditNote.id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def amount_due_vnd(self) -> int:
        return self.total_vnd - self.paid_vnd - self.credited_vnd

    def status_on(self, today: date) -> str:
        """open, partially_paid, paid or overdue (past its due date, in Vietnam, and not settled)."""
        if self.amount_due_vnd <= 0:
            return "paid"
        if today > self.due_date:
            return "overdue"
        return "partially_paid" if self.paid_vnd or self.credited_vnd else "open"

    def vat_by_rate(self) -> list[tuple[int, int, int]]:
        """(rate %, amount before VAT, VAT) per rate, lowest rate first."""
        totals: dict[int, list[int]] = {}
        for line in self.lines:
            pair = totals.setdefault(line.vat_rate_percent, [0, 0])
            pair[0] += line.amount_vnd
            pair[1] += line.vat_vnd
        return [(rate, amount, vat) for rate, (amount, vat) in sorted(totals.items())]


class InvoiceLine(db.Model):
    """One line of an invoice: the accepted quantity at the order line's price, and its VAT."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_vnd = unit_price_vnd * quantity", name="amount_adds_up"),
        CheckConstraint("vat_rate_percent >= 0 AND vat_rate_percent <= 100", name="vat_rate_range"),
        CheckConstraint("vat_vnd >= 0", name="vat_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))  # None: delivery
    product_name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
    unit_price_vnd: Mapped[int] = mapped_column(BigInteger)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    vat_rate_percent: Mapped[int]
    vat_vnd: Mapped[int] = mapped_column(BigInteger)

    invoice: Mapped[Invoice] = relationship(back_populates="lines", lazy="raise_on_sql")

    @property
    def total_vnd(self) -> int:
        return self.amount_vnd + self.vat_vnd


class InvoicePayment(db.Model):
    """A bank transfer received for an invoice, as an administrator recorded it."""

    __tablename__ = "invoice_payments"
    __table_args__ = (CheckConstraint("amount_vnd > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[date] = mapped_column(Date)
    bank_reference: Mapped[str] = mapped_column(String(80))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CreditNote(db.Model):
    """What the buyer is not charged for: units of one invoice line that arrived short or damaged."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        CheckConstraint("kind IN ('shortfall', 'damaged')", name="kind"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_vnd >= 0 AND vat_vnd >= 0", name="amounts_not_negative"),
        CheckConstraint("total_vnd = amount_vnd + vat_vnd", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(48), unique=True)  # "<invoice number>-CN<n>"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    invoice_line_id: Mapped[int] = mapped_column(ForeignKey("invoice_lines.id"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    vat_vnd: Mapped[int] = mapped_column(BigInteger)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    line: Mapped[InvoiceLine] = relationship(lazy="joined")
