"""Whole storefront pages for visitors without a session, served from memory with validators.

A visitor who is not signed in and whose session holds nothing of theirs (at most a CSRF token)
sees the same page as every other such visitor: no name, an empty cart, no messages, and no CSRF
token in the page (`public_page()`; the templates leave the token out and `static/js/cart.js`
asks `/csrf-token` for one when a form is sent). Such a page is rendered once per worker for its
path and query, language, catalogue version and date in Vietnam, and kept here; a WSGI
middleware in front of Flask answers the next request for it after reading the catalogue version
(one small statement on a connection kept for it), so a change shows at once on every worker,
as everywhere in the storefront (`cache.py`).

Each such page carries a strong `ETag` (a hash of the body, so equal on every worker),
`Last-Modified` (the catalogue's last change, the start of the day in Vietnam or the start of
this process, whichever is latest), `Cache-Control` letting a shared proxy keep it
PAGE_CACHE_PROXY_SECONDS before asking again, and `Vary: Cookie` (the language is a cookie, and
any session makes the page someone's own). A request whose validators match gets a 304. The
cache holds at most PAGE_CACHE_MAX_BYTES of pages per worker, least recently used out first.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask, Response, current_app, make_response, request, session
from flask_babel import get_locale
from sqlalchemy import event
from werkzeug.http import parse_cookie, parse_date, parse_etags

from marketplace.catalog import cache
from marketplace.extensions import db
from marketplace.timeutil import VIETNAM, today_in_vietnam

# What a session may hold and still be nobody's: Flask-WTF's token and Flask-Login's flags.
ANONYMOUS_SESSION_KEYS = frozenset({"csrf_token", "_fresh", "_permanent"})
_PUBLIC = "marketplace.public_page"  # request.environ: this request's page is the public one
_PENDING = "marketplace.page_cache.pending"  # request.environ: the page may be kept, under this entry
_VERSION_SQL = "SELECT version FROM catalog_state WHERE id = 1"
_STARTED = datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Entry:
    version: int
    day: date
    etag: str
    last_modified: datetime  # aware, UTC, whole seconds
    headers: tuple[tuple[str, str], ...]  # of the 200 answer
    validators: tuple[tuple[str, str], ...]  # of a 304 answer
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 512


class PageStore:
    """Pages by (path, query, language), at most `max_bytes` of them, least recently used out."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str, str], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, str, str], entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


class _VersionReader:
    """The catalogue version on connections of the app's engine kept for this one statement
    (autocommit, no pool checkout or ping per request: this runs on every cached answer)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._idle: list = []
        self._engine = None

    def __call__(self) -> int | None:
        """The version, or None when the database cannot be read (Flask then answers)."""
        for _ in range(2):  # a connection the server closed: one more try on a new one
            try:
                connection = self._idle.pop()
            except IndexError:
                try:
                    connection = self._connect()
                except Exception:
                    return None
            try:
                cursor = connection.cursor()
                cursor.execute(_VERSION_SQL)
                row = cursor.fetchone()
                cursor.close()
            except Exception:
                connection.invalidate()
                continue
            self._idle.append(connection)
            return (row[0] or 0) if row else 0
        return None

    def _connect(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
            # Tests and `flask` commands dispose of the engine: close what is kept with it.
            event.listen(self._engine, "engine_disposed", lambda engine: self.close())
        connection = self._engine.raw_connection()
        if self._engine.dialect.name == "postgresql":
            connection.dbapi_connection.autocommit = True  # one round trip, no transaction left open
        return connection

    def close(self) -> None:
        while self._idle:
            self._idle.pop().invalidate()


class PageCacheMiddleware:
    """Answers GET and HEAD requests of visitors without a session from the page store when the
    page there is of the current catalogue version and day; keeps the pages Flask marks."""

    def __init__(self, app: Flask, wsgi_app, store: PageStore) -> None:
        self.wsgi_app = wsgi_app
        self.store = store
        self.read_version = _VersionReader(app)
        self.visitor_language = _visitor_language_reader(app)

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD") or not self.store.max_bytes:
            return self.wsgi_app(environ, start_response)
        language = self.visitor_language(environ)
        if language is None:  # signed in, or a session with something of the visitor's in it
            return self.wsgi_app(environ, start_response)
        key = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), language)
        entry = self.store.get(key)
        if entry is not None and entry.day == today_in_vietnam() and entry.version == self.read_version():
            return _answer(entry, environ, start_response, "hit")
        return self._render(key, environ, start_response)

    def _render(self, key, environ, start_response) -> Iterable[bytes]:
        answer: list = []

        def capture(status, headers, exc_info=None):
            answer[:] = [status, headers, exc_info]
            return lambda data: None  # Werkzeug never writes through this callable

        app_iter = self.wsgi_app(environ, capture)
        status, headers, exc_info = answer
        pending: _Pending | None = environ.get(_PENDING)
        if pending is None or not status.startswith("200 ") or pending.key != key:
            start_response(status, headers, exc_info)
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        if any(name.lower() == "set-cookie" for name, _ in headers):
            # The view wrote something into the session after all: this answer is the visitor's.
            headers = [(n, v) for n, v in headers if n.lower() != "cache-control"]
            headers.append(("Cache-Control", "private, no-cache"))
            start_response(status, headers, exc_info)
            return [body]
        entry = pending.entry(headers, body)
        if environ["REQUEST_METHOD"] == "GET":
            self.store.put(key, entry)
        return _answer(entry, environ, start_response, "miss")


def _answer(entry: Entry, environ, start_response, outcome: str) -> Iterable[bytes]:
    cache_header = ("X-Page-Cache", outcome)
    if _not_modified(entry, environ):
        start_response("304 Not Modified", [*entry.validators, cache_header])
        return []
    start_response("200 OK", [*entry.headers, cache_header])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]


def _not_modified(entry: Entry, environ) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when sent; If-Modified-Since otherwise."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return parse_etags(if_none_match).contains_weak(entry.etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and entry.last_modified <= since


def _visitor_language_reader(app: Flask) -> Callable[[dict], str | None]:
    """A function of the WSGI environ: the language of the public page the visitor would see,
    or None when the visitor is signed in or has something in their session (the same decision
    as `public_page()`, made before Flask opens the session)."""
    session_cookie = app.config["SESSION_COOKIE_NAME"]
    remember_cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    max_age = int(app.permanent_session_lifetime.total_seconds())

    def visitor_language(environ) -> str | None:
        header = environ.get("HTTP_COOKIE")
        if not header:
            return "vi"
        cookies = parse_cookie(header)
        if remember_cookie in cookies:
            return None
        value = cookies.get(session_cookie)
        if value:
            serializer = app.session_interface.get_signing_serializer(app)
            try:
                data = serializer.loads(value, max_age=max_age)
            except Exception:  # not signed by us, or expired: Flask starts an empty session
                data = {}
            if not set(data) <= ANONYMOUS_SESSION_KEYS:
                return None
        lang = cookies.get("lang")
        return lang if lang in ("vi", "en") else "vi"

    return visitor_language


@dataclass(frozen=True)
class _Pending:
    """A page being rendered for the store: under which key, version and day."""

    key: tuple[str, str, str]
    version: int
    day: date
    last_modified: datetime
    proxy_seconds: int

    def headers_for(self, response: Response) -> None:
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        response.last_modified = self.last_modified
        response.headers["Cache-Control"] = (
            f"public, max-age=0, s-maxage={self.proxy_seconds}, must-revalidate"
        )
        response.vary.add("Cookie")
        response.headers["Content-Language"] = self.key[2]

    def entry(self, headers: list[tuple[str, str]], body: bytes) -> Entry:
        kept = tuple((n, v) for n, v in headers)
        wanted = {"etag", "last-modified", "cache-control", "vary", "content-language"}
        validators = tuple((n, v) for n, v in headers if n.lower() in wanted)
        etag = next(v for n, v in headers if n.lower() == "etag").strip('"')
        return Entry(self.version, self.day, etag, self.last_modified, kept, validators, body)


def public_page() -> bool:
    """Whether this request's page is the one every visitor without a session sees: a GET or HEAD
    from a visitor who is not signed in and has nothing in their session but a CSRF token. Such a
    page carries no CSRF token and no state of the visitor's (templates test this)."""
    environ = request.environ
    if _PUBLIC not in environ:
        environ[_PUBLIC] = (
            request.method in ("GET", "HEAD")
            and request.cookies.get(_remember_cookie()) is None
            and set(session.keys()) <= ANONYMOUS_SESSION_KEYS
        )
    return environ[_PUBLIC]


def _remember_cookie() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


def not_cacheable() -> None:
    """This page is not to be kept whole (e.g. search results, which follow the search index
    rather than the catalogue version)."""
    request.environ.pop(_PENDING, None)


def cached_whole(view):
    """Keep the page this view renders for visitors without a session (see the module)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        pending = _start() if request.method == "GET" and public_page() else None
        response = make_response(view(*args, **kwargs))
        if pending is not None and request.environ.get(_PENDING) is pending:
            if response.status_code == 200:
                pending.headers_for(response)
            else:
                not_cacheable()
        return response

    return wrapper


def _start() -> _Pending | None:
    if not current_app.config["PAGE_CACHE_MAX_BYTES"]:
        return None
    language = str(get_locale())
    environ = request.environ
    key = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), language)
    # The version and day are read before the page's data, so the page is never older than them.
    version = cache.catalog_version()
    day = today_in_vietnam()
    midnight = datetime.combine(day, datetime.min.time(), VIETNAM).astimezone(UTC)
    changed = cache.catalog_changed_at()
    changed = changed.replace(tzinfo=UTC, microsecond=0) if changed else midnight
    last_modified = max(changed, midnight, _STARTED)
    pending = _Pending(key, version, day, last_modified, current_app.config["PAGE_CACHE_PROXY_SECONDS"])
    environ[_PENDING] = pending
    return pending


def init_app(app: Flask) -> PageStore:
    """Put the page cache in front of the app; `catalog.cache.clear()` empties it too."""
    store = PageStore(int(app.config["PAGE_CACHE_MAX_BYTES"]))
    app.wsgi_app = PageCacheMiddleware(app, app.wsgi_app, store)
    cache.on_clear(store.clear)
    app.jinja_env.globals["public_page"] = public_page
    app.extensions["page_cache"] = store
    return store
