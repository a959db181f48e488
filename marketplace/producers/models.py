"""The Producer organisation: a cooperative, enterprise, cooperative group or household business."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.reference import ENTITY_TYPE_LABELS, EntityType, province_name
from marketplace.timeutil import utcnow

VERIFICATION_STATUSES = ("pending", "verified", "rejected")


class Producer(db.Model):
    __tablename__ = "producers"
    __table_args__ = (
        CheckConstraint(
            "verification_status IN ('pending', 'verified', 'rejected')", name="verification_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    # A short code ("CCNM") that wholesale product codes start with: unique, never changed once
    # assigned (saved lists and buyers' systems keep it), see `producers.codes`.
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(32))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(40), index=True)
    # The pre-July-2025 province (its code, a slug of its name) the producer was in, when known:
    # filled where the current province continues exactly one former unit. Sales reports keep it
    # so that time series across the 2025 merger stay comparable.
    former_province_code: Mapped[str | None] = mapped_column(String(40))
    commune: Mapped[str] = mapped_column(String(120))
    craft_village: Mapped[str | None] = mapped_column(String(160))  # làng nghề, if any
    story: Mapped[str] = mapped_column(Text, default="")
    # Green criteria: the waste plan every OCOP producer commits to, and circular practices.
    environment_plan: Mapped[str] = mapped_column(Text, default="")
    circular_practices: Mapped[str] = mapped_column(Text, default="")
    green_verified: Mapped[bool] = mapped_column(default=False)
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    verification_status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    verified_at: Mapped[datetime | None]
    # The smallest wholesale order (before shipping) this producer accepts from a supermarket.
    min_order_value_vnd: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    products: Mapped[list[Product]] = relationship(  # noqa: F821
        back_populates="producer", lazy="raise_on_sql"
    )

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    @property
    def entity_label(self) -> object:
        return ENTITY_TYPE_LABELS.get(EntityType(self.entity_type), self.entity_type)

    @property
    def is_verified(self) -> bool:
        return self.verification_status == "verified"
