"""Throttles: how often something may be tried per account or per address, counted where every
worker sees the count.

A limit is a setting such as `LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"`: at most 10 in
each fixed window of 15 minutes. `take()` counts one attempt against several limits at once and
refuses (`Throttled`, counting nothing) when any of them is already used up; `give_back()` takes
an attempt out again, e.g. a sign-in that turned out right, so that only failures count. Counting
first and checking the new count is what keeps the limit exact when two workers answer at the
same moment: each gets its own number from one atomic statement.

The store (`THROTTLE_STORAGE`): `redis://...` (several servers), `database` (one statement per
count in `throttle_counters`, shared by every worker on one database: SQLite or PostgreSQL), or
`memory` (one process only, for `sqlite://` test apps; production refuses it).

When Redis cannot be reached, the Redis store counts in the database store instead (logging a
warning) and tries Redis again after `REDIS_RETRY_SECONDS`: the limits keep holding for every
worker on the database, the pages keep being served, and no request fails because Redis is down.
The counts start again from zero in the other store at each switch, so for the window in which
Redis went away (or came back) a limit may allow up to twice its count.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

from flask import Flask, current_app, has_app_context
from sqlalchemy import BigInteger, Integer, String, case, delete, update
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.domain import DomainError
from marketplace.extensions import db

_LIMIT = re.compile(r"^\s*(\d+)\s+per\s+(?:(\d+)\s+)?(second|minute|hour|day)s?\s*$")
_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# Stale rows of the database store are deleted once every this many counts (per process).
PRUNE_EVERY = 200
# After Redis failed to answer, counts go to the database for this long before Redis is tried again.
REDIS_RETRY_SECONDS = 5.0
# A Redis that does not answer within this many seconds counts as down (a request waits no longer).
REDIS_TIMEOUT_SECONDS = 0.5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """ "10 per 15 minutes", "3 per hour", "100 per day"."""
        match = _LIMIT.match(text)
        if not match:
            raise ValueError(f"not a limit: {text!r} (write e.g. '10 per 15 minutes')")
        return cls(int(match[1]), int(match[2] or 1) * _UNIT_SECONDS[match[3]])


class Throttled(DomainError):
    """Too many attempts: `setting` names the limit that was used up."""

    code = "throttled"

    def __init__(self, setting: str, limit: Limit, retry_after: int = 1) -> None:
        super().__init__(f"More than {limit.count} attempts in {limit.seconds} seconds ({setting}).")
        self.setting = setting
        self.limit = limit
        self.retry_after = retry_after  # seconds until the window that was used up ends


@dataclass
class Attempt:
    """What one `take()` counted, so that `give_back()` can take exactly that out again."""

    counted: list[tuple[str, int, int]] = field(default_factory=list)  # (key, window start, seconds)


class Store(Protocol):
    def add(self, key: str, window_start: int, seconds: int, amount: int) -> int:
        """Adds `amount` to the count of `key` in the window starting at `window_start` (epoch
        seconds) and returns the new count, atomically."""

    def reset(self) -> None:
        """Forgets every count (tests)."""


class ThrottleCounter(db.Model):
    """One count per key (limit and subject), for the window that started at `window_start`."""

    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


class DatabaseStore:
    """Counts in `throttle_counters` with one upsert (`INSERT ... ON CONFLICT DO UPDATE ...
    RETURNING count`), on its own connection and transaction: a count is committed at once, so the
    other workers see it, whatever becomes of the request's own transaction."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.counts_since_prune = 0

    def _engine(self):
        if has_app_context() and current_app._get_current_object() is self.app:
            return db.engine
        with self.app.app_context():
            return db.engine

    def add(self, key: str, window_start: int, seconds: int, amount: int) -> int:
        table = ThrottleCounter.__table__
        engine = self._engine()
        if amount < 0:  # taking back: never below zero, and only in the same window
            with engine.begin() as conn:
                conn.execute(
                    update(table)
                    .where(
                        table.c.key == key,
                        table.c.window_start == window_start,
                        table.c.count > 0,
                    )
                    .values(count=table.c.count + amount)
                )
            return 0
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table).values(
            key=key, window_start=window_start, count=amount, expires_at=window_start + seconds
        )
        same_window = table.c.window_start == stmt.excluded.window_start
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((same_window, table.c.count + stmt.excluded.count), else_=stmt.excluded.count),
                "window_start": stmt.excluded.window_start,
                "expires_at": stmt.excluded.expires_at,
            },
        ).returning(table.c.count)
        with engine.begin() as conn:
            count = conn.execute(stmt).scalar_one()
            self.counts_since_prune += 1
            if self.counts_since_prune >= PRUNE_EVERY:
                self.counts_since_prune = 0
                conn.execute(delete(table).where(table.c.expires_at < int(time.time())))
        return count

    def reset(self) -> None:
        with self._engine().begin() as conn:
            conn.execute(delete(ThrottleCounter.__table__))


class RedisStore:
    """Counts in Redis: INCRBY on a key per window, which expires with its window. While Redis
    does not answer, `fallback` (the database store) counts instead (see the module docstring)."""

    def __init__(self, url: str, prefix: str, fallback: Store) -> None:
        import redis

        self.redis = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
        )
        self.errors = (redis.RedisError, OSError)
        self.prefix = prefix
        self.fallback = fallback
        self.down_until = 0.0  # time.monotonic() before which Redis is not tried again

    @property
    def using_fallback(self) -> bool:
        return time.monotonic() < self.down_until

    def add(self, key: str, window_start: int, seconds: int, amount: int) -> int:
        if self.using_fallback:
            return self.fallback.add(key, window_start, seconds, amount)
        name = f"{key}:{window_start}"
        try:
            with self.redis.pipeline() as pipe:
                pipe.incrby(name, amount)
                pipe.expireat(name, window_start + seconds + 1)
                count, _ = pipe.execute()
        except self.errors as exc:
            logger.warning(
                "Redis unreachable (%s): throttles count in the database for %.0f s", exc, REDIS_RETRY_SECONDS
            )
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
            return self.fallback.add(key, window_start, seconds, amount)
        return int(count)

    def reset(self) -> None:
        self.down_until = 0.0
        self.fallback.reset()
        try:
            for name in self.redis.scan_iter(match=f"{self.prefix}:*"):
                self.redis.delete(name)
        except self.errors:
            pass  # nothing to forget in a Redis that is not there


class MemoryStore:
    """Counts in this process only: every worker would count on its own. Never in production."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int], int] = {}
        self.lock = threading.Lock()

    def add(self, key: str, window_start: int, seconds: int, amount: int) -> int:
        with self.lock:
            count = max(self.counts.get((key, window_start), 0) + amount, 0)
            self.counts[(key, window_start)] = count
            return count

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()


def init_app(app: Flask) -> None:
    storage = app.config.get("THROTTLE_STORAGE") or "database"
    if storage == "memory":
        if not app.config.get("THROTTLE_MEMORY_ALLOWED", True):
            raise RuntimeError(
                "THROTTLE_STORAGE=memory counts in each worker separately: in production set "
                "REDIS_URL, or leave THROTTLE_STORAGE empty to count in the database"
            )
        store: Store = MemoryStore()
    elif storage == "database":
        store = DatabaseStore(app)
    elif storage.startswith(("redis://", "rediss://", "unix://")):
        store = RedisStore(storage, app.config["THROTTLE_KEY_PREFIX"], fallback=DatabaseStore(app))
    else:
        raise RuntimeError(f"THROTTLE_STORAGE: {storage!r} is neither redis://..., database nor memory")
    app.extensions["throttle"] = store


def store() -> Store:
    return current_app.extensions["throttle"]


def _key(setting: str, subject: str) -> str:
    return f"{current_app.config['THROTTLE_KEY_PREFIX']}:{setting}:{subject[:254]}"


def take(*rules: tuple[str, str], now: float | None = None) -> Attempt:
    """Counts one attempt for each (setting, subject), e.g. ("LOGIN_FAILURES_PER_ADDRESS",
    "203.0.113.7"). When one of them goes over its limit nothing stays counted and `Throttled`
    names that setting."""
    now = time.time() if now is None else now
    attempt = Attempt()
    for setting, subject in rules:
        limit = Limit.parse(current_app.config[setting])
        window_start = int(now // limit.seconds) * limit.seconds
        key = _key(setting, subject)
        count = store().add(key, window_start, limit.seconds, 1)
        attempt.counted.append((key, window_start, limit.seconds))
        if count > limit.count:
            give_back(attempt)
            raise Throttled(setting, limit, max(1, int(window_start + limit.seconds - now + 0.999)))
    return attempt


def give_back(attempt: Attempt) -> None:
    """Takes back what `attempt` counted (a sign-in that succeeded is no failure)."""
    for key, window_start, seconds in attempt.counted:
        store().add(key, window_start, seconds, -1)
    attempt.counted.clear()


def reset(app: Flask | None = None) -> None:
    """Forgets every count of `app`'s store (tests)."""
    (app or current_app).extensions["throttle"].reset()
