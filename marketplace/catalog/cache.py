"""An in-process cache for storefront data, exact under change.

Entries are keyed by the catalogue version (`CatalogState.version`, raised in the same transaction
as any change to what the storefront shows) and by the date in Vietnam (certificates fall out of
force at midnight without any job running). Each request reads the version once; every gunicorn
worker keeps its own cache and all of them see a change at once. The number of entries is
bounded by STOREFRONT_CACHE_ENTRIES; whole pages have their own cache (`page_cache.py`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from flask import g, has_app_context
from markupsafe import Markup
from sqlalchemy import BigInteger, DateTime, event, text, update
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam, utcnow

T = TypeVar("T")

_max_entries = 2048  # STOREFRONT_CACHE_ENTRIES, set by init_app
_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
_on_clear: list[Callable[[], None]] = []
_VERSION_SQL = text("SELECT version, changed_at FROM catalog_state WHERE id = 1").columns(
    version=BigInteger, changed_at=DateTime
)


def catalog_version() -> int:
    """The catalogue version, read once per request."""
    if "catalog_version" not in g:
        # Plain SQL: this runs on every storefront request, and the ORM's overhead would dominate it.
        row = db.session.execute(_VERSION_SQL).first()
        g.catalog_version, g.catalog_changed_at = (row[0] or 0, row[1]) if row else (0, None)
    return g.catalog_version


def catalog_changed_at() -> datetime | None:
    """When the catalogue version read by this request was reached (UTC), if it ever rose."""
    catalog_version()
    return g.catalog_changed_at


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or the value it gave for `key` at this catalogue version and date."""
    full_key = (catalog_version(), today_in_vietnam(), key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > _max_entries:
            _entries.popitem(last=False)
    return value


# The facet index (`catalog.facet_index`): one structure that every catalogue page reads, kept in
# its own slot (never evicted by pages) for the current catalogue version and date only.
_index: tuple[Hashable, object] | None = None


def cached_index(compute: Callable[[], T]) -> T:
    """`compute()`, or the value it gave at this catalogue version and date."""
    global _index
    full_key = (catalog_version(), today_in_vietnam())
    held = _index
    if held is not None and held[0] == full_key:
        return held[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _index = (full_key, value)
    return value


def clear(keep_index: bool = False) -> None:
    """Forget every cached value, and the caches registered with `on_clear` (the page cache).

    `keep_index`: all but the facet index, which follows the catalogue version anyway; the
    search benchmark keeps it to measure pages with cold caches."""
    global _index
    with _lock:
        _entries.clear()
        if not keep_index:
            _index = None
    for forget in _on_clear:
        forget()


def on_clear(forget: Callable[[], None]) -> None:
    """Have `clear` forget `forget`'s cache too (the page cache)."""
    _on_clear.append(forget)


def bump_catalog_version(session: Session) -> None:
    """Raise the catalogue version inside `session`'s transaction."""
    from marketplace.catalog.models import CatalogState

    session.execute(
        update(CatalogState)
        .where(CatalogState.id == 1)
        .values(version=CatalogState.version + 1, changed_at=utcnow())
    )


def _storefront_tables() -> frozenset[str]:
    return frozenset(
        {
            "products",
            "producers",
            "product_images",
            "price_tiers",
            "certifications",
            "protections",
            "protection_rights",
        }
    )


def init_app(app) -> None:
    """Forget the version read by a request when it ends (an app context may outlive a request);
    give templates the catalogue's fragment cache and price buckets."""
    from marketplace.catalog.services import PRICE_BUCKETS  # services imports this module

    global _max_entries
    _max_entries = int(app.config["STOREFRONT_CACHE_ENTRIES"])
    app.teardown_request(lambda exc: g.pop("catalog_version", None))
    install_change_tracking()
    app.jinja_env.globals.update(
        cached_fragment=cached_fragment,
        PRICE_BUCKETS={code: (low, high) for code, low, high in PRICE_BUCKETS},
    )


_tracking_installed = False


def install_change_tracking() -> None:
    """Raise the version whenever the ORM writes to a table the storefront shows."""
    global _tracking_installed
    if _tracking_installed:  # session events are global: install them once per process
        return
    _tracking_installed = True
    tables = _storefront_tables()

    @event.listens_for(Session, "before_flush")
    def _before_flush(session: Session, flush_context, instances) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(obj, "__tablename__", None)
            if table in tables and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
                bump_catalog_version(session)
                return

    @event.listens_for(Session, "after_commit")
    def _forget_version(session: Session) -> None:
        # A context that commits and reads again (a CLI command, a job, a test, a request that
        # writes then renders) must see the version its own commit may have raised.
        if has_app_context():
            g.pop("catalog_version", None)

    @event.listens_for(Session, "do_orm_execute")
    def _bulk_write(state) -> None:
        if not (state.is_update or state.is_delete or state.is_insert):
            return
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in tables:
            bump_catalog_version(state.session)


def cached_fragment(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """Template helper: `{% call cached_fragment("product", slug) %}...{% endcall %}` renders the
    body once per catalogue version, date, locale and key. The body must depend only on the key
    (no user, no request), which holds for the public storefront pages."""
    from flask_babel import get_locale

    return cached(("fragment", str(get_locale()), *key), lambda: Markup(caller()))
