"""People and what they belong to.

Every User can shop as a consumer. A user may also be a member of one producer (owner or staff)
and of one buyer organisation (owner, purchaser or viewer), and may be a programme administrator.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.timeutil import utcnow

PRODUCER_ROLES = ("owner", "staff")
BUYER_ROLES = ("owner", "purchaser", "viewer")
ORGANISATION_KINDS = ("producer", "buyer")
# "revoked": an administrator withdrew an earlier verification (a certificate, a right of use).
DECISION_OUTCOMES = ("verified", "rejected", "revoked")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None]
    # What the session cookie names the user by; replaced when the password changes, which signs
    # every other session out.
    session_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    producer_membership: Mapped[ProducerMembership | None] = relationship(
        back_populates="user", uselist=False, lazy="selectin"
    )
    buyer_membership: Mapped[BuyerMembership | None] = relationship(
        back_populates="user", uselist=False, lazy="selectin"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def name(self) -> str:
        return self.display_name or self.email


class ProducerMembership(db.Model):
    """A user working for a producer. One producer per user."""

    __tablename__ = "producer_memberships"
    __table_args__ = (CheckConstraint(_in("role", PRODUCER_ROLES), name="role"),)
    organisation_scope = ("producer", "producer_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="producer_membership")
    producer: Mapped[Producer] = relationship(lazy="joined")  # noqa: F821

    @property
    def organisation_id(self) -> int:
        return self.producer_id

    @property
    def organisation(self):
        return self.producer


class BuyerMembership(db.Model):
    """A user working for a buyer organisation (supermarket chain). One organisation per user."""

    __tablename__ = "buyer_memberships"
    __table_args__ = (CheckConstraint(_in("role", BUYER_ROLES), name="role"),)
    organisation_scope = ("buyer", "buyer_organisation_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="buyer_membership")
    organisation: Mapped[BuyerOrganisation] = relationship(lazy="joined")  # noqa: F821

    @property
    def organisation_id(self) -> int:
        return self.buyer_organisation_id


class Invitation(db.Model):
    """An owner's invitation to join the organisation, sent by e-mail as a link. Only a hash of
    the link's token is stored."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(_in("organisation_kind", ORGANISATION_KINDS), name="organisation_kind"),
        CheckConstraint(
            "(producer_id IS NOT NULL AND buyer_organisation_id IS NULL) OR "
            "(producer_id IS NULL AND buyer_organisation_id IS NOT NULL)",
            name="one_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_kind: Mapped[str] = mapped_column(String(16))
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PasswordResetToken(db.Model):
    """The single-use part of a password-reset link. The link itself is signed and expires; this
    row makes it usable once (used_at)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class VerificationDecision(db.Model):
    """An administrator's decision on something that needs verifying: who, when, what, why.

    `subject_type` names the queue (producer, buyer_organisation, certificate, protection_right) and
    `subject_id` the row in it, so that new queues need no schema change."""

    __tablename__ = "verification_decisions"
    __table_args__ = (
        CheckConstraint(_in("outcome", DECISION_OUTCOMES), name="outcome"),
        Index("ix_verification_decisions_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User | None] = relationship(lazy="joined")
