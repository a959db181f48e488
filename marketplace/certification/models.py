"""What the certification module adds to the catalogue's Certification and ProtectionRight: the
record of expiry reminders sent, so that each is sent once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow

# Days before expiry when the producer is reminded.
REMINDER_DAYS = (60, 30)


class CertificateReminder(db.Model):
    """One expiry reminder sent for one certificate (60 or 30 days before it expires)."""

    __tablename__ = "certificate_reminders"
    __table_args__ = (
        UniqueConstraint("certification_id", "days_before", name="uq_certificate_reminders_certificate_days"),
        CheckConstraint("days_before IN (60, 30)", name="days_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True
    )
    days_before: Mapped[int] = mapped_column(SmallInteger)
    sent_on: Mapped[date]  # the day in Vietnam the reminder was sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
