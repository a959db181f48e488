"""Test fixtures: one application per database backend, a clean database for every test.

Every test that uses `app` (or `client`) runs on SQLite and, when `TEST_DATABASE_URL` names a
PostgreSQL server, on PostgreSQL as well: the test ids end in [sqlite] or [postgresql]. Each test
session creates its own PostgreSQL database (and drops it afterwards), so several runs on one
server do not interfere. With CI=true an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from marketplace import create_app, throttle
from marketplace.catalog import cache
from marketplace.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
SESSION_ID = uuid.uuid4().hex[:12]
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """Test databases are thrown away, so SQLite need not wait for the disk at each commit (an
    fsync per commit was a quarter of the SQLite tests' time). Locking is unchanged, so the race
    tests still race."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def pytest_report_header(config) -> str:
    return f"database backends: {', '.join(BACKENDS)}"


def pytest_sessionstart(session) -> None:
    if IN_CI and not TEST_DATABASE_URL:
        raise pytest.UsageError("CI=true requires TEST_DATABASE_URL (PostgreSQL)")


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the TEST_DATABASE_URL server; dropped afterwards."""
    server_url = make_url(TEST_DATABASE_URL)
    name = f"ocop_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            # As for SQLite (`_sqlite_without_fsync`): a commit need not wait for its WAL to reach
            # the disk in a database that is dropped at the end of the run.
            conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL at {server_url.render_as_string(hide_password=True)} unreachable: {exc}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_database(backend: str, tmp_dir) -> Iterator[str]:
    if backend == "postgresql":
        with temporary_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"


def make_app(database_url: str, tmp_dir, **overrides) -> Flask:
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": str(tmp_dir / "uploads"),
        "DOCUMENT_DIR": str(tmp_dir / "documents"),
        "SEARCH_INDEX_DIR": str(tmp_dir / "search"),
        "WTF_CSRF_ENABLED": True,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # still scrypt, cheap enough for hundreds of sign-ins
        # With REDIS_URL set the throttles count in Redis: keep this run's counts apart from others'.
        "THROTTLE_KEY_PREFIX": f"ocop-test-{SESSION_ID}",
    }
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def _migrated_app(backend: str, tmp_path_factory) -> Iterator[Flask]:
    """One application per backend for the whole session, its schema built by the migrations."""
    from flask_migrate import upgrade

    tmp_dir = tmp_path_factory.mktemp(backend)
    with temporary_database(backend, tmp_dir) as url:
        app = make_app(url, tmp_dir)
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def _truncate_all(app: Flask) -> None:
    """Delete every row the test wrote, leaving the schema and the catalogue state row.

    Only the tables that hold rows are emptied: one query finds them. (A TRUNCATE of all 50-odd
    tables costs about a quarter of a second on PostgreSQL, which over the suite is minutes.)"""
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name != "catalog_state"]
        with db.engine.begin() as conn:
            probe = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
            )
            written = {name for (name,) in conn.execute(sa.text(probe))}
            dirty = [t for t in tables if t.name in written]
            if dirty and db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in dirty)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in dirty:
                    conn.execute(table.delete())
            conn.execute(sa.text("UPDATE catalog_state SET version = 0"))
    cache.clear()


@pytest.fixture
def app(_migrated_app: Flask) -> Iterator[Flask]:
    """The application with an empty database, fresh rate limits and an app context pushed."""
    _truncate_all(_migrated_app)
    throttle.reset(_migrated_app)  # the database store was emptied above; Redis is not
    with _migrated_app.app_context():
        yield _migrated_app
        db.session.remove()
    _truncate_all(_migrated_app)


@pytest.fixture
def client(app: Flask):
    return app.test_client()


class QueryCounter:
    """Counts SQL statements sent through the engine while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """`with count_queries() as counter:` counts the statements run inside the block."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting


def csrf_token(client) -> str:
    """A valid CSRF token for `client`'s session, as a rendered form would carry it."""
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", uuid.uuid4().hex)
    return URLSafeTimedSerializer(current_app.secret_key, salt="wtf-csrf-token").dumps(raw)


def sign_in_as(client, user) -> None:
    """Puts `user` in `client`'s session, as a successful sign-in does."""
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True


class FormClient:
    """A test client that fills in forms: `post` adds the CSRF token.

    Each request runs in its own application context, as in production: the test's context (and
    its `g`, where Flask-Login keeps the current user) is not shared with the request, so data
    the test prepares must be committed."""

    def __init__(self, client) -> None:
        self.client = client

    def _request(self, method: str, url: str, **kwargs):
        with self.client.application.app_context():
            return self.client.open(url, method=method, **kwargs)

    def get(self, url: str, **kwargs):
        return self._request("GET", url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(self.client))
        return self._request("POST", url, data=data, **kwargs)

    def sign_in(self, user) -> FormClient:
        sign_in_as(self.client, user)
        return self


@pytest.fixture
def web(client) -> FormClient:
    return FormClient(client)
