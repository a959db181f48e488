"""An in-process cache for storefront data, exact under change.

Entries are keyed by the catalogue version (`CatalogState.version`, raised in the same transaction
as any change to what the storefront shows) and by the date in Vietnam (certificates fall out of
force at midnight without any job running). Each request reads the version once; every gunicorn
worker keeps its own cache and all of them see a change at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_app_context
from markupsafe import Markup
from sqlalchemy import event, text, update
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam

T = TypeVar("T")

_MAX_ENTRIES = 2048
_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
_VERSION_SQL = text("SELECT version FROM catalog_state WHERE id = 1")


def catalog_version() -> int:
    """The catalogue version, read once per request."""
    if "catalog_version" not in g:
        # Plain SQL: this runs on every storefront request, and the ORM's overhead would dominate it.
        g.catalog_version = db.session.execute(_VERSION_SQL).scalar() or 0
    return g.catalog_version


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
        while len(_entries) > _MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()


def bump_catalog_version(session: Session) -> None:
    """Raise the catalogue version inside `session`'s transaction."""
    from marketplace.catalog.models import CatalogState

    session.execute(update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1))


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
