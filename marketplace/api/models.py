"""The API's own tables: tokens, idempotency keys, webhook endpoints and their delivery outbox.

A token belongs to one organisation, a buyer organisation (supermarket chain) or a producer:
`organisation_kind` says which, and exactly one of the two foreign keys is set. Only the SHA-256
of a token is stored (tokens are 256-bit random strings, so a fast hash is enough); the token
itself is shown once, when it is created.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

ORGANISATION_KINDS = ("buyer", "producer")
_ONE_OWNER = (
    "(organisation_kind = 'buyer' AND buyer_organisation_id IS NOT NULL AND producer_id IS NULL) OR "
    "(organisation_kind = 'producer' AND producer_id IS NOT NULL AND buyer_organisation_id IS NULL)"
)


class ApiToken(db.Model):
    """A bearer token of one organisation, with its scopes."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("organisation_kind IN ('buyer', 'producer')", name="organisation_kind"),
        CheckConstraint(_ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_kind: Mapped[str] = mapped_column(String(16))
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True
    )
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, shown in the list
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    @property
    def organisation_id(self) -> int:
        return self.buyer_organisation_id if self.organisation_kind == "buyer" else self.producer_id

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class IdempotencyKey(db.Model):
    """One `Idempotency-Key` of one organisation: the request it came with (hashed) and, once
    answered, the stored response. Inserted "in_progress" in its own transaction before the work
    starts, so that a concurrent retry meets the unique constraint."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (
        UniqueConstraint(
            "organisation_kind", "organisation_id", "key", name="uq_api_idempotency_keys_owner_key"
        ),
        CheckConstraint("status IN ('in_progress', 'done')", name="status"),
        Index("ix_api_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_kind: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookEndpoint(db.Model):
    """Where an organisation receives its events (one endpoint per organisation, optional).

    The signing secret is kept as it is (`whsec_` + base64): signing needs it. It is shown to the
    owner once, when created or rotated."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        CheckConstraint("organisation_kind IN ('buyer', 'producer')", name="organisation_kind"),
        CheckConstraint(_ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_kind: Mapped[str] = mapped_column(String(16))
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), unique=True
    )
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    secret_rotated_at: Mapped[datetime | None]


class WebhookDelivery(db.Model):
    """One event for one endpoint: the outbox row, written in the transaction of the change, and
    its delivery state (attempts, when to try next, the last answer)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(40), unique=True)  # webhook-id: "msg_..."
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # the JSON body sent, as signed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id", cascade="all, delete-orphan", lazy="selectin"
    )


class WebhookAttempt(db.Model):
    """One try at sending a delivery: when, the HTTP status (None when no answer) and the error."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(default=0)
