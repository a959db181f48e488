"""API tokens: created and revoked by an organisation's owner, shown once, stored hashed.

A token is `ocop_` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored, with
the first characters (`prefix`) so that the owner can tell tokens apart in the list. Scopes are
fixed per kind of organisation (`SCOPES`). Like the other services, these functions flush but
leave the commit to the caller — except `authenticate`, which records the last use on its own.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from marketplace.api.models import ApiToken
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.timeutil import utcnow

SCOPES: dict[str, tuple[str, ...]] = {
    "buyer": ("catalog:read", "orders:read", "orders:write", "invoices:read"),
    "producer": ("listings:write", "orders:read", "orders:fulfil"),
}
TOKEN_PREFIX = "ocop_"
MAX_NAME_LENGTH = 80
MAX_EXPIRY_DAYS = 730
# Writing last_used_at on every request would make every read a write: once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(DomainError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CreatedToken:
    """A new token: the row, and the secret shown to the owner this once."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    kind: str,
    organisation_id: int,
    *,
    name: str,
    scopes: list[str],
    user_id: int | None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> CreatedToken:
    """A new token for the organisation. Refused: no name or a long one, an unknown scope for this
    kind of organisation, no scope, an expiry in the past or more than two years ahead."""
    now = now or utcnow()
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise TokenError("invalid_name", f"Give the token a name of at most {MAX_NAME_LENGTH} characters.")
    wanted = list(dict.fromkeys(scopes))
    if not wanted or any(scope not in SCOPES[kind] for scope in wanted):
        raise TokenError("invalid_scopes", "Choose at least one of the scopes offered.")
    if expires_at is not None and not now < expires_at <= now + timedelta(days=MAX_EXPIRY_DAYS):
        raise TokenError("invalid_expiry", "The expiry must be in the future, at most two years ahead.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation_kind=kind,
        buyer_organisation_id=organisation_id if kind == "buyer" else None,
        producer_id=organisation_id if kind == "producer" else None,
        name=name,
        prefix=secret[:12],
        token_hash=digest(secret),
        scopes=" ".join(scope for scope in SCOPES[kind] if scope in wanted),
        created_by_id=user_id,
        created_at=now,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    return CreatedToken(token, secret)


def tokens_of(kind: str, organisation_id: int) -> list[ApiToken]:
    column = ApiToken.buyer_organisation_id if kind == "buyer" else ApiToken.producer_id
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.organisation_kind == kind, column == organisation_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(kind: str, organisation_id: int, token_id: int) -> ApiToken | None:
    """The organisation's token `token_id`, or None (another organisation's token too)."""
    column = ApiToken.buyer_organisation_id if kind == "buyer" else ApiToken.producer_id
    return db.session.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.organisation_kind == kind, column == organisation_id
        )
    )


def revoke_token(token: ApiToken, now: datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()


def authenticate(secret: str, now: datetime | None = None) -> ApiToken:
    """The token `secret` names, if it may be used now; raises TokenError with the API's code
    otherwise. Records the last use (at most once a minute), committed on its own."""
    now = now or utcnow()
    if not secret:
        raise TokenError("token_missing", "No bearer token.")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None:
        raise TokenError("token_invalid", "The token is not known.")
    if token.revoked_at is not None:
        raise TokenError("token_revoked", "The token was revoked.")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenError("token_expired", "The token has expired.")
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return token
