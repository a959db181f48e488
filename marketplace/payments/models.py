"""Payments' own records: the log of Stripe events already applied (each event id once, so a
replayed event changes nothing), and the bank statements uploaded with each of their lines (each
bank transaction once, so a re-uploaded or overlapping statement applies nothing twice)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class ProcessedStripeEvent(db.Model):
    __tablename__ = "processed_stripe_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(200))  # what applying it did, for whoever reads the log
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


# applied: matched by reference and exact amount, and applied (order paid / invoice payment).
# queued: waits for an administrator (`reason` says why); resolved: applied by hand;
# dismissed: an administrator decided it pays nothing here (with a note).
TRANSACTION_STATUSES = ("applied", "queued", "resolved", "dismissed")
QUEUE_REASONS = (
    "underpaid",
    "overpaid",
    "unknown_reference",
    "already_paid",
    "order_cancelled",
    "not_applicable",
)


class BankStatement(db.Model):
    """One uploaded statement file: who uploaded it, in which layout, and what it brought."""

    __tablename__ = "bank_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    layout: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    lines_read: Mapped[int] = mapped_column(default=0)  # incoming transfers in the file
    lines_new: Mapped[int] = mapped_column(default=0)  # of which not seen in an earlier upload


class BankTransaction(db.Model):
    """One incoming transfer on the platform's account, as a statement showed it, and what became
    of it. `fingerprint` is UNIQUE: the bank's own transaction id where the layout has one, else a
    hash of the day, amount, description and running balance."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint(
            "status IN (" + ", ".join(repr(s) for s in TRANSACTION_STATUSES) + ")", name="status"
        ),
        CheckConstraint(
            "reason IS NULL OR reason IN (" + ", ".join(repr(r) for r in QUEUE_REASONS) + ")", name="reason"
        ),
        CheckConstraint("NOT (order_id IS NOT NULL AND invoice_id IS NOT NULL)", name="one_target"),
        Index("ix_bank_transactions_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(120), unique=True)
    bank_transaction_id: Mapped[str | None] = mapped_column(String(80))
    booked_on: Mapped[date] = mapped_column(Date)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(Text)
    running_balance_vnd: Mapped[int | None] = mapped_column(BigInteger)
    payment_reference: Mapped[str | None] = mapped_column(String(20))  # the one found in the description
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(24))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    invoice_payment_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_payments.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
