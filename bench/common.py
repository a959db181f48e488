"""What the benchmarks share: a fresh database to load, on SQLite or on a PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def temporary_database(backend: str, tmp: Path, prefix: str = "ocop_bench") -> Iterator[str]:
    """The URL of an empty database: a file under `tmp` for SQLite, or a new database on the
    BENCH_DATABASE_URL server (the local one by default), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    server = sa.engine.make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
