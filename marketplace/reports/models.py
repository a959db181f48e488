"""The sales ledger: one row per event that changes what a producer sold on the platform.

Rows are appended, never updated or deleted (see `ledger.py` for the rules that write them and
`ledger.forbid_changes` for the guard); a correction is a new row. Every figure about sales is a
sum over these rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.reference import DECLARABLE_CHANNELS
from marketplace.timeutil import utcnow

# sale: a line counts (card paid, cash collected, invoice issued). refund: a counted card part
# cancelled, its money given back by card. cancellation: any other counted part cancelled.
# credit_note: units of an invoiced line credited for a shortfall or damage.
ENTRY_KINDS = ("sale", "refund", "cancellation", "credit_note")
# What caused the row, and what `source_id` points at:
#   card_payment       the order's OrderEvent to "paid"
#   transfer_payment   the order's OrderEvent to "paid" (VietQR: the transfer matched on a statement)
#   cash_collection    the part's OrderEvent to "delivered" (cash on delivery)
#   invoice            the Invoice
#   part_cancellation  the part's OrderEvent to "cancelled" (or "refunded")
#   credit_note        the CreditNote
SOURCE_KINDS = (
    "card_payment",
    "transfer_payment",
    "cash_collection",
    "invoice",
    "part_cancellation",
    "credit_note",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SalesEntry(db.Model):
    """One line's change in what was sold: amount in VND at the order line's price (goods only,
    shipping and VAT excluded; negative for reversals), units, when it happened (UTC), and the
    producer's province, product group and star class as they were then."""

    __tablename__ = "sales_entries"
    __table_args__ = (
        # Exactly once: one source event writes a line once, however often it is delivered.
        UniqueConstraint("source_kind", "source_id", "order_line_id", name="uq_sales_entries_source_line"),
        CheckConstraint(_in("kind", ENTRY_KINDS), name="kind"),
        CheckConstraint(_in("source_kind", SOURCE_KINDS), name="source_kind"),
        CheckConstraint(
            "(kind = 'sale' AND amount_vnd >= 0 AND units >= 0) "
            "OR (kind <> 'sale' AND amount_vnd <= 0 AND units <= 0)",
            name="sign_of_kind",
        ),
        CheckConstraint("star_class IS NULL OR star_class BETWEEN 3 AND 5", name="star_class"),
        # Covers the producer report: its queries read this index alone (no table, no orders).
        Index(
            "ix_sales_entries_producer_report",
            "producer_id",
            "occurred_at",
            "channel",
            "product_id",
            "order_id",
            "buyer_organisation_id",
            "buyer_key",
            "amount_vnd",
            "units",
        ),
        Index("ix_sales_entries_channel_occurred", "channel", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_kind: Mapped[str] = mapped_column(String(24))
    source_id: Mapped[int]
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    producer_order_id: Mapped[int] = mapped_column(ForeignKey("producer_orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    channel: Mapped[str] = mapped_column(String(32))  # a code of reference.CHANNELS
    # The producer's province when the row was written: the current code, and the pre-2025 one.
    province_code: Mapped[str] = mapped_column(String(40))
    former_province_code: Mapped[str | None] = mapped_column(String(40))
    group_code: Mapped[str] = mapped_column(String(32))  # the product's OCOP group then
    star_class: Mapped[int | None] = mapped_column(SmallInteger)  # None: no certificate in force then
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int]
    occurred_at: Mapped[datetime]  # UTC
    # Who bought, copied from the order when the row is written (an order's buyer never changes),
    # so that figures by buyer read the ledger alone: the supermarket organisation, and a key
    # per buyer ("org:<id>", "user:<id>" or "guest:<e-mail, lower-cased>"; see ledger.buyer_key_of).
    buyer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("buyer_organisations.id"))
    buyer_key: Mapped[str] = mapped_column(String(270))


# submitted: waiting for an administrator; queried: the administrator asked the producer a
# question (admin_message) and waits for a corrected figure; accepted: counted as declared;
# rejected: not counted; superseded: an accepted figure replaced by its accepted correction.
DECLARATION_STATUSES = ("submitted", "queried", "accepted", "rejected", "superseded")
DECLARABLE_CHANNEL_CODES = tuple(c.code for c in DECLARABLE_CHANNELS)


class SalesDeclaration(db.Model):
    """Sales a producer made outside the platform in one month through one channel, as the
    producer declares them (never mixed into the ledger's platform figures).

    An accepted declaration is never changed: a correction is a new row whose `supersedes_id`
    names it, and the old one becomes `superseded` only when the correction is accepted."""

    __tablename__ = "sales_declarations"
    __table_args__ = (
        CheckConstraint(_in("status", DECLARATION_STATUSES), name="status"),
        CheckConstraint(_in("channel", DECLARABLE_CHANNEL_CODES), name="channel"),
        CheckConstraint("amount_vnd >= 0", name="amount_not_negative"),
        CheckConstraint("units IS NULL OR units >= 0", name="units_not_negative"),
        Index("ix_sales_declarations_producer_month", "producer_id", "month"),
    )
    organisation_scope = ("producer", "producer_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    month: Mapped[date]  # the first day of the month, in Vietnam's calendar
    channel: Mapped[str] = mapped_column(String(32))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_key: Mapped[str | None] = mapped_column(String(255))  # a private document (storage)
    evidence_media_type: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("sales_declarations.id"), unique=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    admin_message: Mapped[str | None] = mapped_column(Text)

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"
