"""Buyer organisations: supermarket chains that buy in bulk once an administrator verified them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.reference import province_name
from marketplace.timeutil import utcnow

LOCATION_KINDS = ("store", "distribution_centre")


class BuyerOrganisation(db.Model):
    __tablename__ = "buyer_organisations"
    __table_args__ = (
        CheckConstraint(
            "verification_status IN ('pending', 'verified', 'rejected')", name="verification_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str] = mapped_column(String(20), unique=True)  # mã số thuế
    head_office_address: Mapped[str] = mapped_column(String(300))
    head_office_province_code: Mapped[str] = mapped_column(String(40))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    verification_status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    verified_at: Mapped[datetime | None]
    # Payment on terms, set by an administrator: days until an invoice is due, and the most the
    # organisation may owe at once (open invoices plus orders not yet invoiced).
    payment_terms_days: Mapped[int] = mapped_column(default=30, server_default="30")
    credit_limit_vnd: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Set by the organisation's owner: orders above this total wait for an owner's approval.
    approval_threshold_vnd: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    locations: Mapped[list[DeliveryLocation]] = relationship(
        back_populates="organisation", order_by="DeliveryLocation.id", lazy="raise_on_sql"
    )

    @property
    def name(self) -> str:
        return self.legal_name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == "verified"

    @property
    def province_name(self) -> str:
        return province_name(self.head_office_province_code)


class DeliveryLocation(db.Model):
    """Where a buyer's orders are delivered: a store or a distribution centre."""

    __tablename__ = "delivery_locations"
    __table_args__ = (CheckConstraint("kind IN ('store', 'distribution_centre')", name="kind"),)
    # Which organisation owns a row: read by the permission helpers to scope loads by id.
    organisation_scope = ("buyer", "buyer_organisation_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(300))
    province_code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[BuyerOrganisation] = relationship(back_populates="locations")

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)
