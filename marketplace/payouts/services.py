"""Payout rules: what each producer is owed, from the sales ledger.

A payout run for a period end (a Vietnam date) takes every sales ledger row up to the end of
that day that is in no statement yet and makes one payout line of it: gross (the row's amount,
negative for a refund, cancellation or credit note), the platform's commission at the channel's
rate, and for household businesses the VAT and PIT withheld under Decree 117/2025/NĐ-CP; net =
gross − commission − VAT − PIT. Rates are those valid on the row's day in Vietnam (`rates.py`,
which also says how amounts are rounded). A refund of a sale already paid out is simply a later
ledger row, so it becomes a negative line in the next run.

One statement per producer with new lines: the lines' totals plus the balance brought forward
from the producer's earlier statements whose net was not positive (status carried_forward). A
statement with a positive net is due (goes into the bank batch, then is marked paid); one with
a negative or nil net is carried forward into the producer's next statement. A run is made once
per period end: running it again returns the same run (and sales_entry_id is UNIQUE in
payout_lines, so a ledger row is never in two statements, even under concurrent runs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.payouts.models import PayoutAccount, PayoutLine, PayoutRun, PayoutStatement
from marketplace.payouts.rates import RateBook, share
from marketplace.producers.models import Producer
from marketplace.reference import EntityType
from marketplace.reports import exports
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import VIETNAM, today_in_vietnam


class PayoutError(DomainError):
    code = "payout_error"


class PeriodInFuture(PayoutError):
    code = "payout_period_in_future"


class StatementNotDue(PayoutError):
    code = "payout_statement_not_due"


class BankReferenceMissing(PayoutError):
    code = "payout_bank_reference_missing"


class AccountIncomplete(PayoutError):
    code = "payout_account_incomplete"


def vietnam_day(moment: datetime) -> date:
    """The calendar day in Vietnam of a naive UTC datetime."""
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()


def end_of_vietnam_day_utc(day: date) -> datetime:
    """The first instant after `day` in Vietnam, as a naive UTC datetime."""
    start_next = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM)
    return start_next.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LineFigures:
    gross_vnd: int
    commission_bp: int
    commission_vnd: int
    vat_vnd: int
    pit_vnd: int

    @property
    def net_vnd(self) -> int:
        return self.gross_vnd - self.commission_vnd - self.vat_vnd - self.pit_vnd


def line_figures(entry: SalesEntry, entity_type: str, book: RateBook) -> LineFigures:
    """What one ledger row gives the producer, at the rates of its day in Vietnam."""
    rates = book.for_row(entry.channel, entity_type, vietnam_day(entry.occurred_at))
    return LineFigures(
        gross_vnd=entry.amount_vnd,
        commission_bp=rates.commission_bp,
        commission_vnd=share(entry.amount_vnd, rates.commission_bp),
        vat_vnd=share(entry.amount_vnd, rates.vat_bp),
        pit_vnd=share(entry.amount_vnd, rates.pit_bp),
    )


def run_weekly_payouts() -> int:
    """The scheduled payout run (`marketplace.jobs.SCHEDULE`): up to yesterday in Vietnam, made
    once (run again, it finds the run it made). Returns the run's id."""
    return run_payouts(today_in_vietnam() - timedelta(days=1), actor="schedule").id


def run_payouts(period_end: date, *, actor: str, today: date | None = None) -> PayoutRun:
    """The payout run for `period_end`, made now if there is none yet (the caller commits)."""
    today = today or today_in_vietnam()
    if period_end > today:
        raise PeriodInFuture("a payout run cannot end after today")
    existing = db.session.scalars(select(PayoutRun).where(PayoutRun.period_end == period_end)).first()
    if existing is not None:
        return existing
    run = PayoutRun(period_end=period_end, created_by=actor)
    db.session.add(run)
    db.session.flush()
    paid_out = select(PayoutLine.sales_entry_id)
    entries = list(
        db.session.scalars(
            select(SalesEntry)
            .where(
                SalesEntry.occurred_at < end_of_vietnam_day_utc(period_end), SalesEntry.id.not_in(paid_out)
            )
            .order_by(SalesEntry.producer_id, SalesEntry.occurred_at, SalesEntry.id)
        )
    )
    by_producer: dict[int, list[SalesEntry]] = defaultdict(list)
    for entry in entries:
        by_producer[entry.producer_id].append(entry)
    if not by_producer:
        return run
    entity_types = dict(
        db.session.execute(
            select(Producer.id, Producer.entity_type).where(Producer.id.in_(by_producer))
        ).all()
    )
    carried = defaultdict(list)
    for earlier in db.session.scalars(
        select(PayoutStatement).where(
            PayoutStatement.producer_id.in_(by_producer),
            PayoutStatement.status == "carried_forward",
            PayoutStatement.carried_into_id.is_(None),
        )
    ):
        carried[earlier.producer_id].append(earlier)
    book = RateBook()
    for producer_id, rows in by_producer.items():
        figures = [(row, line_figures(row, entity_types[producer_id], book)) for row in rows]
        brought_forward = sum(s.net_vnd for s in carried[producer_id])
        statement = PayoutStatement(
            run_id=run.id,
            producer_id=producer_id,
            gross_vnd=sum(f.gross_vnd for _, f in figures),
            commission_vnd=sum(f.commission_vnd for _, f in figures),
            vat_vnd=sum(f.vat_vnd for _, f in figures),
            pit_vnd=sum(f.pit_vnd for _, f in figures),
            brought_forward_vnd=brought_forward,
            net_vnd=brought_forward + sum(f.net_vnd for _, f in figures),
            status="due",
        )
        if statement.net_vnd <= 0:
            statement.status = "carried_forward"
        db.session.add(statement)
        db.session.flush()
        for earlier in carried[producer_id]:
            earlier.carried_into_id = statement.id
        db.session.add_all(
            PayoutLine(
                statement_id=statement.id,
                sales_entry_id=row.id,
                producer_id=producer_id,
                kind=row.kind,
                channel=row.channel,
                order_id=row.order_id,
                business_date=vietnam_day(row.occurred_at),
                month=vietnam_day(row.occurred_at).strftime("%Y-%m"),
                gross_vnd=f.gross_vnd,
                commission_bp=f.commission_bp,
                commission_vnd=f.commission_vnd,
                vat_vnd=f.vat_vnd,
                pit_vnd=f.pit_vnd,
                net_vnd=f.net_vnd,
            )
            for row, f in figures
        )
    db.session.flush()
    return run


def mark_paid(statement: PayoutStatement, *, paid_on: date, bank_reference: str) -> None:
    """Record the bank transfer of a due statement (the caller commits)."""
    bank_reference = bank_reference.strip()
    if statement.status != "due":
        raise StatementNotDue("only a due statement can be marked paid")
    if not bank_reference:
        raise BankReferenceMissing("the bank's reference of the transfer is required")
    statement.status = "paid"
    statement.paid_on = paid_on
    statement.bank_reference = bank_reference[:64]
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# Reading


def runs() -> list[PayoutRun]:
    return list(db.session.scalars(select(PayoutRun).order_by(PayoutRun.period_end.desc())))


def run_or_none(run_id: int) -> PayoutRun | None:
    return db.session.scalars(
        select(PayoutRun).where(PayoutRun.id == run_id).options(selectinload(PayoutRun.statements))
    ).first()


def statement_or_none(statement_id: int, *, producer_id: int | None = None) -> PayoutStatement | None:
    """A statement with its lines and run; scoped to `producer_id` when given (None otherwise)."""
    query = (
        select(PayoutStatement)
        .where(PayoutStatement.id == statement_id)
        .options(selectinload(PayoutStatement.lines), selectinload(PayoutStatement.run))
    )
    if producer_id is not None:
        query = query.where(PayoutStatement.producer_id == producer_id)
    return db.session.scalars(query).first()


def statements(producer_id: int | None = None) -> list[PayoutStatement]:
    """Statements, newest first (one producer's, or all)."""
    query = (
        select(PayoutStatement).options(selectinload(PayoutStatement.run)).order_by(PayoutStatement.id.desc())
    )
    if producer_id is not None:
        query = query.where(PayoutStatement.producer_id == producer_id)
    return list(db.session.scalars(query))


def producers_by_id(ids: Iterable[int]) -> dict[int, Producer]:
    ids = set(ids)
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Producer).where(Producer.id.in_(ids)))}


@dataclass(frozen=True)
class WithheldMonth:
    month: str
    revenue_vnd: int
    vat_vnd: int
    pit_vnd: int


def withheld_by_month(producer_id: int) -> list[WithheldMonth]:
    """What was withheld from one producer, per month of the ledger rows (newest first)."""
    rows = db.session.execute(
        select(
            PayoutLine.month,
            func.sum(PayoutLine.gross_vnd),
            func.sum(PayoutLine.vat_vnd),
            func.sum(PayoutLine.pit_vnd),
        )
        .where(PayoutLine.producer_id == producer_id, (PayoutLine.vat_vnd != 0) | (PayoutLine.pit_vnd != 0))
        .group_by(PayoutLine.month)
        .order_by(PayoutLine.month.desc())
    ).all()
    return [WithheldMonth(m, int(r), int(v), int(p)) for m, r, v, p in rows]


@dataclass(frozen=True)
class CommissionIncome:
    month: str
    channel: str
    gross_vnd: int
    commission_vnd: int


def commission_income() -> list[CommissionIncome]:
    """The platform's commission per month (of the ledger rows) and channel, newest first."""
    rows = db.session.execute(
        select(
            PayoutLine.month,
            PayoutLine.channel,
            func.sum(PayoutLine.gross_vnd),
            func.sum(PayoutLine.commission_vnd),
        )
        .group_by(PayoutLine.month, PayoutLine.channel)
        .order_by(PayoutLine.month.desc(), PayoutLine.channel)
    ).all()
    return [CommissionIncome(m, c, int(g), int(k)) for m, c, g, k in rows]


@dataclass(frozen=True)
class WithholdingRow:
    producer_id: int
    name: str
    tax_code: str
    revenue_vnd: int
    vat_vnd: int
    pit_vnd: int


def withholding_report(month: str) -> list[WithholdingRow]:
    """Per household business, for the tax declaration of `month` (YYYY-MM): revenue and the VAT
    and PIT withheld on the ledger rows of that month that are in a payout run."""
    rows = db.session.execute(
        select(
            Producer.id,
            Producer.name,
            Producer.tax_code,
            func.sum(PayoutLine.gross_vnd),
            func.sum(PayoutLine.vat_vnd),
            func.sum(PayoutLine.pit_vnd),
        )
        .join(Producer, Producer.id == PayoutLine.producer_id)
        .where(PayoutLine.month == month, Producer.entity_type == EntityType.HOUSEHOLD.value)
        .group_by(Producer.id, Producer.name, Producer.tax_code)
        .order_by(Producer.name, Producer.id)
    ).all()
    return [WithholdingRow(i, n, t or "", int(r), int(v), int(p)) for i, n, t, r, v, p in rows]


WITHHOLDING_HEADER = ("tax_code", "household_business", "revenue_vnd", "vat_withheld_vnd", "pit_withheld_vnd")


def _withholding_cells(rows: list[WithholdingRow]) -> list[list[object]]:
    return [[r.tax_code, r.name, r.revenue_vnd, r.vat_vnd, r.pit_vnd] for r in rows]


def withholding_csv(month: str) -> bytes:
    return exports.csv_bytes([list(WITHHOLDING_HEADER), *_withholding_cells(withholding_report(month))])


def withholding_xlsx(month: str) -> bytes:
    rows = [list(WITHHOLDING_HEADER), *_withholding_cells(withholding_report(month))]
    return exports.xlsx_bytes(rows, f"withholding {month}")


# ---------------------------------------------------------------------------------------------
# Bank accounts and the bank batch


def account(producer_id: int) -> PayoutAccount | None:
    return db.session.get(PayoutAccount, producer_id)


def save_account(
    producer_id: int, *, bank_name: str, account_number: str, account_holder: str
) -> PayoutAccount:
    """Set the producer's payout account (the caller commits)."""
    bank_name, account_holder = bank_name.strip(), account_holder.strip()
    account_number = account_number.replace(" ", "").strip()
    if not bank_name or not account_holder or not account_number.isdigit():
        raise AccountIncomplete("bank name, holder and a numeric account number are required")
    row = db.session.get(PayoutAccount, producer_id) or PayoutAccount(producer_id=producer_id)
    row.bank_name, row.account_number, row.account_holder = bank_name, account_number, account_holder
    db.session.add(row)
    db.session.flush()
    return row


@dataclass(frozen=True)
class BatchLine:
    statement: PayoutStatement
    producer: Producer
    account: PayoutAccount | None

    @property
    def pending_reason(self) -> str | None:
        return None if self.account is not None else "no bank account"

    @property
    def transfer_note(self) -> str:
        return f"OCOP PAYOUT {self.statement.id}"


def bank_batch(run: PayoutRun) -> list[BatchLine]:
    """The run's due statements with their producer and account (None: pending, no account)."""
    due = [s for s in run.statements if s.status == "due"]
    producers = producers_by_id(s.producer_id for s in due)
    accounts = (
        {
            a.producer_id: a
            for a in db.session.scalars(
                select(PayoutAccount).where(PayoutAccount.producer_id.in_([s.producer_id for s in due]))
            )
        }
        if due
        else {}
    )
    return [BatchLine(s, producers[s.producer_id], accounts.get(s.producer_id)) for s in due]


def bank_batch_csv(run: PayoutRun) -> bytes:
    """The transfers of a run for the bank's batch upload: due statements with an account."""
    rows: list[tuple[object, ...]] = [
        ("bank_name", "account_number", "account_holder", "amount_vnd", "transfer_note")
    ]
    for line in bank_batch(run):
        if line.account is None:
            continue
        rows.append(
            (
                line.account.bank_name,
                line.account.account_number,
                line.account.account_holder,
                line.statement.net_vnd,
                line.transfer_note,
            )
        )
    return exports.csv_bytes(rows)
