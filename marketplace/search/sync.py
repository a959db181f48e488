"""Keep the search index in step with the database: the ORM changes of a transaction are collected
at each flush and applied to the index by a job (`marketplace.jobs`) once the transaction has
committed (never for one that rolled back): inline without Redis, on the queue with it. The
index is then read back from the committed rows, so it always mirrors them.

Bulk statements (`insert(Product)`, `update(...)` executed directly) are not tracked: code that
loads data that way rebuilds the index afterwards (as `flask seed-demo` does).
"""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from marketplace import jobs
from marketplace.catalog.models import Product, Protection, ProtectionRight
from marketplace.producers.models import Producer

_PENDING = "search_pending_products"
# Attributes whose change alters a product's indexed text. Visibility (status, verification,
# certificates) is decided by the catalogue's SQL at query time and needs no reindex.
_INDEXED = {
    Product: (
        "name",
        "description",
        "name_en",
        "description_en",
        "group_code",
        "subgroup_code",
        "producer_id",
    ),
    Producer: ("name", "province_code", "former_province_code"),
    Protection: ("name",),
    ProtectionRight: ("status", "product_id", "protection_id"),
}


def _changed(obj: object, session: Session) -> bool:
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _INDEXED[type(obj)])


def _affected_products(session: Session) -> set[int]:
    ids: set[int] = set()
    producers: list[int] = []
    protections: list[int] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if type(obj) not in _INDEXED or not _changed(obj, session):
            continue
        if isinstance(obj, Product):
            ids.add(obj.id)
        elif isinstance(obj, ProtectionRight):
            ids.add(obj.product_id)
            for old in inspect(obj).attrs.product_id.history.deleted or ():
                ids.add(old)
        elif isinstance(obj, Producer) and obj not in session.new:
            producers.append(obj.id)
        elif isinstance(obj, Protection) and obj not in session.new:
            protections.append(obj.id)
    conn = session.connection()
    if producers:
        ids.update(conn.scalars(select(Product.id).where(Product.producer_id.in_(producers))))
    if protections:
        ids.update(
            conn.scalars(
                select(ProtectionRight.product_id).where(ProtectionRight.protection_id.in_(protections))
            )
        )
    ids.discard(None)  # type: ignore[arg-type]
    return ids


def install() -> None:
    """Listen to every ORM session (idempotent)."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)


def _after_flush(session: Session, flush_context) -> None:
    ids = _affected_products(session)
    if not ids or not has_app_context():
        return
    pending = session.info.get(_PENDING)
    if pending is None:
        # One job per transaction: it is handed this set, which later flushes of the same
        # transaction still add to; it is read (and, on the queue, serialised) after the commit.
        pending = session.info[_PENDING] = set()
        jobs.enqueue("marketplace.search:index_products", pending, session=session)
    pending.update(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _after_commit(session: Session) -> None:
    session.info.pop(_PENDING, None)
