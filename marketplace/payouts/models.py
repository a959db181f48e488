"""Payout tables: the rates (data, with validity dates), the producers' bank accounts, payout runs,
one statement per producer and run, and one payout line per sales ledger row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

TAX_KINDS = ("vat", "pit")
# due: owed, to be transferred; paid: transferred; carried_forward: the net was negative (or nil),
# its balance goes into the producer's next statement.
STATEMENT_STATUSES = ("due", "paid", "carried_forward")


class CommissionRate(db.Model):
    """The platform's commission on a channel's sales, in basis points (1/100 of a percent), for
    the Vietnam dates valid_from..valid_to (inclusive; open-ended when valid_to is NULL)."""

    __tablename__ = "commission_rates"
    __table_args__ = (
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_bp"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    rate_bp: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class WithholdingRate(db.Model):
    """A tax the platform withholds from a kind of producer's sales (VAT or PIT), in basis points,
    with its validity and the legal text it comes from."""

    __tablename__ = "withholding_rates"
    __table_args__ = (
        CheckConstraint("tax_kind IN ('vat', 'pit')", name="tax_kind"),
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_bp"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    tax_kind: Mapped[str] = mapped_column(String(8))
    rate_bp: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legal_source: Mapped[str] = mapped_column(Text)


class PayoutAccount(db.Model):
    """The bank account a producer is paid into (one per producer, edited in the portal)."""

    __tablename__ = "payout_accounts"

    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), primary_key=True)
    bank_name: Mapped[str] = mapped_column(String(120))
    account_number: Mapped[str] = mapped_column(String(34))
    account_holder: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayoutRun(db.Model):
    """A payout run up to and including a Vietnam date; one per period end."""

    __tablename__ = "payout_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))

    statements: Mapped[list[PayoutStatement]] = relationship(
        back_populates="run", lazy="raise_on_sql", order_by="PayoutStatement.id"
    )


class PayoutStatement(db.Model):
    """What one run owes one producer: its lines' totals plus the balance brought forward."""

    __tablename__ = "payout_statements"
    __table_args__ = (
        UniqueConstraint("run_id", "producer_id", name="uq_payout_statements_run_producer"),
        CheckConstraint("status IN ('due', 'paid', 'carried_forward')", name="status"),
        CheckConstraint(
            "gross_vnd - commission_vnd - vat_vnd - pit_vnd + brought_forward_vnd = net_vnd", name="net"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payout_runs.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    gross_vnd: Mapped[int] = mapped_column(BigInteger)
    commission_vnd: Mapped[int] = mapped_column(BigInteger)
    vat_vnd: Mapped[int] = mapped_column(BigInteger)
    pit_vnd: Mapped[int] = mapped_column(BigInteger)
    brought_forward_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    net_vnd: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    carried_into_id: Mapped[int | None] = mapped_column(ForeignKey("payout_statements.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    bank_reference: Mapped[str | None] = mapped_column(String(64))

    run: Mapped[PayoutRun] = relationship(back_populates="statements", lazy="raise_on_sql")
    lines: Mapped[list[PayoutLine]] = relationship(
        back_populates="statement", lazy="raise_on_sql", order_by="PayoutLine.id"
    )


class PayoutLine(db.Model):
    """One sales ledger row in a statement: its amount and what is kept from it. sales_entry_id is
    UNIQUE, so a ledger row is never paid out twice."""

    __tablename__ = "payout_lines"
    __table_args__ = (
        CheckConstraint("gross_vnd - commission_vnd - vat_vnd - pit_vnd = net_vnd", name="net"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("payout_statements.id"), index=True)
    sales_entry_id: Mapped[int] = mapped_column(ForeignKey("sales_entries.id"), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    kind: Mapped[str] = mapped_column(String(16))  # the ledger row's kind
    channel: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    business_date: Mapped[date] = mapped_column(Date)  # the ledger row's day in Vietnam
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM of business_date
    gross_vnd: Mapped[int] = mapped_column(BigInteger)
    commission_bp: Mapped[int] = mapped_column(Integer)
    commission_vnd: Mapped[int] = mapped_column(BigInteger)
    vat_vnd: Mapped[int] = mapped_column(BigInteger)
    pit_vnd: Mapped[int] = mapped_column(BigInteger)
    net_vnd: Mapped[int] = mapped_column(BigInteger)

    statement: Mapped[PayoutStatement] = relationship(back_populates="lines", lazy="raise_on_sql")
