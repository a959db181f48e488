"""`Idempotency-Key` for POST /orders: the same key and body answers the stored response, the
same key with another body is refused, a retry while the first request runs answers 409.

The key row is inserted "in_progress" in its own short transaction before the work starts: the
unique constraint on (organisation, key) makes a concurrent retry fail at once rather than place a
second order. When the work ends its response is stored with the row; an unexpected failure
deletes the row, so that the client may retry. Keys are kept at least KEEP_HOURS (24 h);
`flask --app wsgi api purge-idempotency-keys` deletes older ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from marketplace.api.errors import ApiError
from marketplace.api.models import IdempotencyKey
from marketplace.extensions import db
from marketplace.timeutil import utcnow

KEEP_HOURS = 24
MIN_KEY_LENGTH, MAX_KEY_LENGTH = 8, 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


def request_hash(method: str, path: str, body: object) -> str:
    """The request as it matters: method, path and the JSON body with its keys sorted."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError("idempotency_key_required")
    return key


def begin(kind: str, organisation_id: int, key: str, fingerprint: str) -> IdempotencyKey | Replay:
    """Claim `key` for this request (committed at once), or say what the earlier request got:
    a `Replay` of its stored response, or an ApiError (another body: 422; still running: 409)."""
    row = IdempotencyKey(
        organisation_kind=kind,
        organisation_id=organisation_id,
        key=key,
        request_hash=fingerprint,
        status="in_progress",
        created_at=utcnow(),
    )
    db.session.add(row)
    try:
        db.session.commit()
        return row
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.organisation_kind == kind,
            IdempotencyKey.organisation_id == organisation_id,
            IdempotencyKey.key == key,
        )
    )
    if earlier is None:  # deleted meanwhile (the first request failed): the client may retry
        raise ApiError("idempotency_request_in_progress")
    if earlier.request_hash != fingerprint:
        raise ApiError("idempotency_key_reused", details={"key": key})
    if earlier.status == "in_progress":
        raise ApiError("idempotency_request_in_progress", headers={"Retry-After": "1"})
    return Replay(earlier.response_status or 200, json.loads(earlier.response_body or "{}"))


def finish(row: IdempotencyKey, status: int, body: dict) -> None:
    """Store the response of the claimed key (committed)."""
    row = db.session.get(IdempotencyKey, row.id)
    row.status, row.response_status, row.response_body = "done", status, json.dumps(body, ensure_ascii=False)
    db.session.commit()


def abandon(row: IdempotencyKey) -> None:
    """The request failed unexpectedly: free the key (committed)."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row.id))
    db.session.commit()


def purge(now: datetime | None = None, hours: int = KEEP_HOURS) -> int:
    """Delete the keys older than `hours` (never fewer than KEEP_HOURS). Returns how many."""
    cutoff = (now or utcnow()) - timedelta(hours=max(hours, KEEP_HOURS))
    count = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount
    db.session.commit()
    return count
