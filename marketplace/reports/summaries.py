"""Monthly summaries of the sales ledger, kept in step with it in the same transaction, so that the
programme's figures read a few hundred thousand rows at national scale instead of millions.

- `sales_producer_months`: net VND and units per (Vietnam month, producer, channel);
- `sales_cell_months`: net VND and units per (Vietnam month, channel, province then, former
  province then ('' when unknown), product group then, star class then (0 without one)).

Exact, not estimated: every ledger row added through the session adds its amount and units to
its two summary rows in the same flush (`after_flush`, an INSERT ... ON CONFLICT DO UPDATE on
SQLite and PostgreSQL alike), so a summary commits or rolls back with the row. Rows written
without the ORM (migration 0011's backfill, the national-scale generator's COPY) are summed by
`rebuild` (the migration 0017 runs the same SQL). `differences()` compares both summaries with
the ledger itself; `flask ledger check` reports any difference.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import BigInteger, String, event, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.extensions import db
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import VIETNAM


class SalesProducerMonth(db.Model):
    __tablename__ = "sales_producer_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "YYYY-MM" in Vietnam
    producer_id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(BigInteger)


class SalesCellMonth(db.Model):
    __tablename__ = "sales_cell_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    former_province_code: Mapped[str] = mapped_column(String(40), primary_key=True)  # '' when unknown
    group_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    star_class: Mapped[int] = mapped_column(primary_key=True)  # 0 without a certificate in force
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(BigInteger)


class LedgerState(db.Model):
    """One row whose `version` goes up in the transaction of every flush that adds ledger rows:
    caches of sales figures key on it (`programme.ledger_version`). Not the ledger's highest id:
    a transaction holding a lower id may commit after one holding a higher id has been read, and
    a figure cached under that id would miss its rows."""

    __tablename__ = "ledger_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


def vietnam_month(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM).strftime("%Y-%m")


def _insert(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def bump_ledger_version(connection) -> None:
    """Raise the ledger version in the connection's transaction (creating its row if missing)."""
    table = LedgerState.__table__
    statement = _insert(connection)(table).values(id=1, version=1)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_={"version": table.c.version + 1})
    )


def _upsert(connection, model, keys: tuple[str, ...], deltas: dict[tuple, list[int]]) -> None:
    if not deltas:
        return
    insert = _insert(connection)
    rows = [
        dict(zip(keys, key, strict=True), amount_vnd=amount, units=units)
        for key, (amount, units) in sorted(deltas.items())
    ]
    statement = insert(model.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            "amount_vnd": model.__table__.c.amount_vnd + statement.excluded.amount_vnd,
            "units": model.__table__.c.units + statement.excluded.units,
        },
    )
    connection.execute(statement, rows)


def add_to_summaries(session: Session, flush_context: object) -> None:
    """Add the ledger rows of this flush to their summary rows, in the same transaction."""
    producer: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for obj in session.new:
        if not isinstance(obj, SalesEntry):
            continue
        month = vietnam_month(obj.occurred_at)
        for bucket, key in (
            (producer, (month, obj.producer_id, obj.channel)),
            (
                cells,
                (
                    month,
                    obj.channel,
                    obj.province_code,
                    obj.former_province_code or "",
                    obj.group_code,
                    obj.star_class or 0,
                ),
            ),
        ):
            bucket[key][0] += obj.amount_vnd
            bucket[key][1] += obj.units
    if not producer:
        return
    connection = session.connection()
    _upsert(connection, SalesProducerMonth, ("month", "producer_id", "channel"), producer)
    _upsert(
        connection,
        SalesCellMonth,
        ("month", "channel", "province_code", "former_province_code", "group_code", "star_class"),
        cells,
    )
    bump_ledger_version(connection)


def month_sql(dialect: str) -> str:
    if dialect == "postgresql":
        return "to_char(timezone('Asia/Ho_Chi_Minh', timezone('UTC', occurred_at)), 'YYYY-MM')"
    return "strftime('%Y-%m', occurred_at, '+7 hours')"


def rebuild_sql(dialect: str) -> list[str]:
    """Empty both summaries and sum the whole ledger into them (migration 0017 runs the same)."""
    month = month_sql(dialect)
    return [
        "DELETE FROM sales_producer_months",
        "DELETE FROM sales_cell_months",
        f"INSERT INTO sales_producer_months (month, producer_id, channel, amount_vnd, units) "
        f"SELECT {month}, producer_id, channel, SUM(amount_vnd), SUM(units) FROM sales_entries "
        f"GROUP BY {month}, producer_id, channel",
        f"INSERT INTO sales_cell_months (month, channel, province_code, former_province_code, group_code, "
        f"star_class, amount_vnd, units) "
        f"SELECT {month}, channel, province_code, COALESCE(former_province_code, ''), group_code, "
        f"COALESCE(star_class, 0), SUM(amount_vnd), SUM(units) FROM sales_entries "
        f"GROUP BY {month}, channel, province_code, COALESCE(former_province_code, ''), group_code, "
        f"COALESCE(star_class, 0)",
    ]


def rebuild() -> None:
    """Recompute the summaries from the ledger (after rows were written without the ORM); the caller
    commits."""
    for statement in rebuild_sql(db.engine.dialect.name):
        db.session.execute(text(statement))
    bump_ledger_version(db.session.connection())


def differences() -> list[str]:
    """Where a summary disagrees with the ledger it sums (empty when they agree)."""
    month = text(month_sql(db.engine.dialect.name))
    out = []
    ledger = {
        (m, pid, ch): (int(a), int(u))
        for m, pid, ch, a, u in db.session.execute(
            select(
                month,
                SalesEntry.producer_id,
                SalesEntry.channel,
                func.sum(SalesEntry.amount_vnd),
                func.sum(SalesEntry.units),
            ).group_by(month, SalesEntry.producer_id, SalesEntry.channel)
        )
    }
    summary = {
        (r.month, r.producer_id, r.channel): (r.amount_vnd, r.units)
        for r in db.session.scalars(select(SalesProducerMonth))
    }
    for key in sorted(ledger.keys() | summary.keys()):
        if ledger.get(key, (0, 0)) != summary.get(key, (0, 0)):
            out.append(f"producer month {key}: ledger {ledger.get(key)}, summary {summary.get(key)}")
    former = func.coalesce(SalesEntry.former_province_code, "")
    star = func.coalesce(SalesEntry.star_class, 0)
    ledger_cells = {
        tuple(row[:6]): (int(row[6]), int(row[7]))
        for row in db.session.execute(
            select(
                month,
                SalesEntry.channel,
                SalesEntry.province_code,
                former,
                SalesEntry.group_code,
                star,
                func.sum(SalesEntry.amount_vnd),
                func.sum(SalesEntry.units),
            ).group_by(
                month, SalesEntry.channel, SalesEntry.province_code, former, SalesEntry.group_code, star
            )
        )
    }
    summary_cells = {
        (r.month, r.channel, r.province_code, r.former_province_code, r.group_code, r.star_class): (
            r.amount_vnd,
            r.units,
        )
        for r in db.session.scalars(select(SalesCellMonth))
    }
    for key in sorted(ledger_cells.keys() | summary_cells.keys()):
        if ledger_cells.get(key, (0, 0)) != summary_cells.get(key, (0, 0)):
            out.append(f"cell month {key}: ledger {ledger_cells.get(key)}, summary {summary_cells.get(key)}")
    return out


_connected = False


def init_app() -> None:
    global _connected
    if not _connected:
        event.listen(Session, "after_flush", add_to_summaries)
        _connected = True
