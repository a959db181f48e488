"""The log of Stripe events already applied: each event id once, so a replayed event changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
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
