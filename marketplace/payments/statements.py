"""Bank statements: an administrator uploads the platform account's statement (CSV), and each
incoming transfer is matched to the order or invoice whose payment reference its description
carries.

Reading is strict and all-or-nothing: UTF-8 (with or without BOM) only, a size and line limit,
the layout's columns in the header, and every line's date, amounts, transaction id checked; each
bad line is named with its number and the reason, and a file with any bad line applies nothing.
Layouts are data (`statement_layouts.json`): the column names of a date, a description, either one
signed amount or credit and debit columns, and optionally the bank's transaction id and the
running balance. Outgoing lines (debits) are read but not kept.

Each incoming line is kept once (`BankTransaction.fingerprint` is UNIQUE: "id:" + the bank's
transaction id, or "h:" + a hash of day, amount, description and running balance when the layout
has no id), in the same transaction as what it applies, so the same statement, or an overlapping
one, uploaded again applies nothing twice — also when two uploads run at once (the second one's
insert fails and it changes nothing).

Matching: the description is normalised (`invoicing.services.normalise_reference`: spaces, dashes
and dots removed, upper case — banks mangle all three) and searched for "OCOPDH…" (an order's
payment reference) or "OCOPHD…" (an invoice's). The exact amount due applies it (the order paid
through `orders.services.record_transfer_payment`, which the ledger counts; an InvoicePayment
through `invoicing.services.record_payment`, as an administrator's manual entry would). Anything
else goes to the queue with its reason — underpaid, overpaid, unknown reference, already paid,
order cancelled, not applicable — where an administrator applies it by hand or dismisses it
with a note.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.models import Invoice
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.payments.models import BankStatement, BankTransaction
from marketplace.timeutil import utcnow

LAYOUTS: dict[str, dict] = json.loads(
    (Path(__file__).with_name("statement_layouts.json")).read_text(encoding="utf-8")
)
_ALPHABET = re.escape(orders.PAYMENT_REFERENCE_ALPHABET)
_REFERENCE_IN_TEXT = re.compile(
    f"(?:{orders.PAYMENT_REFERENCE_PREFIX}|{invoicing.REFERENCE_PREFIX})[{_ALPHABET}]{{6}}"
)
_WHOLE = re.compile(r"[+-]?\d+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
MAX_PROBLEMS_LISTED = 100


class StatementError(DomainError):
    code = "statement_error"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line of the file (line 0: the file as a whole)."""

    line: int
    code: str
    message: str


class StatementRefused(StatementError):
    """The file is refused as a whole; nothing was applied."""

    code = "statement_refused"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The statement was refused; nothing was applied."))
        self.problems = problems


class StatementConflict(StatementError):
    code = "statement_conflict"


class ResolutionRefused(StatementError):
    code = "resolution_refused"


@dataclass(frozen=True)
class StatementLine:
    line: int
    booked_on: date
    amount_vnd: int  # incoming, > 0
    description: str
    transaction_id: str | None
    running_balance_vnd: int | None

    @property
    def fingerprint(self) -> str:
        if self.transaction_id:
            return f"id:{self.transaction_id}"[:120]
        text = "|".join(
            [
                self.booked_on.isoformat(),
                str(self.amount_vnd),
                " ".join(self.description.split()),
                "" if self.running_balance_vnd is None else str(self.running_balance_vnd),
            ]
        )
        return "h:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ImportResult:
    statement: BankStatement
    applied: list[BankTransaction] = field(default_factory=list)
    queued: list[BankTransaction] = field(default_factory=list)
    already_seen: int = 0
    outgoing: int = 0


# ---------------------------------------------------------------------------------------------
# Reading a file


def layout_choices() -> list[tuple[str, str]]:
    return [(code, layout["label"]) for code, layout in LAYOUTS.items()]


def parse_amount(text: str) -> int | None:
    """Whole đồng: "1500000", "1,500,000" or "1.500.000" (one separator, in groups of three);
    None for anything else (decimals, letters, mixed separators)."""
    text = text.strip().replace(" ", "")
    if _WHOLE.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementRefused(
            [Problem(0, "encoding", _("The file is in UTF-16; export it again as CSV UTF-8."))]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StatementRefused(
            [
                Problem(
                    line,
                    "encoding",
                    _(
                        "Line %(line)s is not UTF-8 text (another encoding, e.g. Windows-1258?); export the "
                        "statement again as CSV UTF-8.",
                        line=line,
                    ),
                )
            ]
        ) from None


def parse_statement(data: bytes, layout_code: str) -> tuple[list[StatementLine], int]:
    """The incoming lines of a statement file and the number of outgoing lines, or
    `StatementRefused` naming every bad line."""
    layout = LAYOUTS.get(layout_code)
    if layout is None:
        raise StatementRefused([Problem(0, "layout", _("Choose the layout of the statement."))])
    if not data:
        raise StatementRefused([Problem(0, "empty", _("The file is empty."))])
    limit = current_app.config["STATEMENT_MAX_BYTES"]
    if len(data) > limit:
        raise StatementRefused(
            [
                Problem(
                    0,
                    "too_large",
                    _(
                        "The file is larger than %(mb)s MB; upload the statement of a shorter period.",
                        mb=limit // (1024 * 1024) or 1,
                    ),
                )
            ]
        )
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    lines: list[StatementLine] = []
    outgoing = 0
    header: dict[str, int] | None = None
    seen: dict[str, int] = {}
    max_lines = current_app.config["STATEMENT_MAX_LINES"]
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                names = [cell.strip() for cell in row]
                wanted = [
                    layout[key]
                    for key in (
                        "date",
                        "description",
                        "amount",
                        "credit",
                        "debit",
                        "transaction_id",
                        "balance",
                    )
                    if key in layout
                ]
                missing = [name for name in wanted if name not in names]
                if missing:
                    problems.append(
                        Problem(
                            number,
                            "columns",
                            _(
                                "The header lacks the columns %(missing)s of this layout (found: %(found)s).",
                                missing=", ".join(missing),
                                found=", ".join(names),
                            ),
                        )
                    )
                    break
                header = {name: names.index(name) for name in wanted}
                width = len(names)
                continue
            if len(lines) + outgoing >= max_lines:
                problems.append(
                    Problem(
                        number,
                        "too_many_lines",
                        _("More than %(n)s lines; upload the statement of a shorter period.", n=max_lines),
                    )
                )
                break
            line, reason, code = _read_row(row, number, layout, header, width)
            if reason:
                problems.append(Problem(number, code, reason))
            elif line is None:
                outgoing += 1
            else:
                first = seen.setdefault(line.fingerprint, number)
                if first != number:
                    problems.append(
                        Problem(
                            number,
                            "duplicate_in_file",
                            _("The same transaction as line %(first)s.", first=first),
                        )
                    )
                else:
                    lines.append(line)
            if len(problems) >= MAX_PROBLEMS_LISTED:
                break
    except csv.Error as error:
        problems.append(
            Problem(reader.line_num, "csv", _("Not a readable CSV line (%(error)s).", error=error))
        )
    if header is None and not problems:
        problems.append(Problem(0, "no_header", _("The file has no header line.")))
    if problems:
        raise StatementRefused(problems)
    return lines, outgoing


def _read_row(
    row: list[str], number: int, layout: dict, header: dict[str, int], width: int
) -> tuple[StatementLine | None, str, str]:
    """(line, "", "") for an incoming line, (None, "", "") for an outgoing one, or
    (None, reason, code) for a bad one."""
    if len(row) != width:
        return None, _("%(found)s columns instead of %(width)s.", found=len(row), width=width), "width"

    def cell(key: str) -> str:
        return row[header[layout[key]]].strip() if key in layout else ""

    booked_on = None
    for pattern in layout["date_formats"]:
        try:
            booked_on = datetime.strptime(cell("date"), pattern).date()
            break
        except ValueError:
            continue
    if booked_on is None:
        return None, _("The date %(value)r is not a date of this layout.", value=cell("date")), "date"
    if "amount" in layout:
        amount = parse_amount(cell("amount"))
        if amount is None or amount == 0:
            reason = _("The amount %(value)r is not a whole number of đồng.", value=cell("amount"))
            return None, reason, "amount"
    else:
        credit_text, debit_text = cell("credit"), cell("debit")
        credit = parse_amount(credit_text) if credit_text else 0
        debit = parse_amount(debit_text) if debit_text else 0
        if credit is None or debit is None or credit < 0 or debit < 0:
            bad = credit_text if credit is None or (credit or 0) < 0 else debit_text
            return None, _("The amount %(value)r is not a whole number of đồng.", value=bad), "amount"
        if bool(credit) == bool(debit):
            return None, _("A line has either a credit or a debit amount."), "amount"
        amount = credit or -debit
    balance = None
    if "balance" in layout and cell("balance"):
        balance = parse_amount(cell("balance"))
        if balance is None:
            reason = _("The balance %(value)r is not a whole number of đồng.", value=cell("balance"))
            return None, reason, "balance"
    transaction_id = cell("transaction_id") or None
    if "transaction_id" in layout and not transaction_id:
        return None, _("The transaction id is missing."), "transaction_id"
    if transaction_id and len(transaction_id) > 80:
        return None, _("The transaction id is longer than 80 characters."), "transaction_id"
    if amount < 0:
        return None, "", ""
    return StatementLine(number, booked_on, amount, cell("description"), transaction_id, balance), "", ""


# ---------------------------------------------------------------------------------------------
# Applying a statement


def references_in(description: str) -> list[str]:
    """The payment references a statement description carries, in order, once each."""
    found = _REFERENCE_IN_TEXT.findall(invoicing.normalise_reference(description))
    return list(dict.fromkeys(found))


def import_statement(
    data: bytes, *, layout: str, filename: str, uploaded_by_id: int | None, now: datetime | None = None
) -> ImportResult:
    """Read the file (refusing it whole if any line is bad), keep each transaction not seen
    before, match and apply what can be applied, queue the rest; one transaction, committed."""
    lines, outgoing = parse_statement(data, layout)
    now = now or utcnow()
    try:
        statement = BankStatement(
            layout=layout,
            filename=(filename or "statement.csv")[:200],
            uploaded_by_id=uploaded_by_id,
            uploaded_at=now,
            lines_read=len(lines),
        )
        db.session.add(statement)
        db.session.flush()
        result = ImportResult(statement=statement, outgoing=outgoing)
        known = _known_fingerprints([line.fingerprint for line in lines])
        for line in lines:
            if line.fingerprint in known:
                result.already_seen += 1
                continue
            transaction = BankTransaction(
                statement_id=statement.id,
                fingerprint=line.fingerprint,
                bank_transaction_id=line.transaction_id,
                booked_on=line.booked_on,
                amount_vnd=line.amount_vnd,
                description=line.description,
                running_balance_vnd=line.running_balance_vnd,
                status="queued",
                note="",
                created_at=now,
            )
            db.session.add(transaction)
            db.session.flush()  # a concurrent upload of the same transaction stops here
            _match(transaction, uploaded_by_id, now)
            (result.applied if transaction.status == "applied" else result.queued).append(transaction)
        statement.lines_new = len(result.applied) + len(result.queued)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise StatementConflict(
            _(
                "Another upload of the same transactions was being applied; nothing of this one was. "
                "Upload it again to see what is left."
            )
        ) from None
    except BaseException:
        db.session.rollback()
        raise
    return result


def _known_fingerprints(fingerprints: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(fingerprints), 500):
        chunk = fingerprints[start : start + 500]
        known.update(
            db.session.scalars(
                select(BankTransaction.fingerprint).where(BankTransaction.fingerprint.in_(chunk))
            )
        )
    return known


def _target(references: list[str]) -> tuple[str | None, Order | None, Invoice | None]:
    for reference in references:
        if reference.startswith(orders.PAYMENT_REFERENCE_PREFIX):
            order = orders.order_by_payment_reference(reference)
            if order is not None:
                return reference, order, None
        else:
            invoice = invoicing.invoice_by_payment_reference(reference)
            if invoice is not None:
                return reference, None, invoice
    return (references[0] if references else None), None, None


def _bank_reference(transaction: BankTransaction) -> str:
    return (transaction.bank_transaction_id or f"statement line {transaction.id}")[:80]


def _queue(transaction: BankTransaction, reason: str, note: str = "") -> None:
    transaction.status, transaction.reason, transaction.note = "queued", reason, note


def _match(transaction: BankTransaction, actor_id: int | None, now: datetime) -> None:
    reference, order, invoice = _target(references_in(transaction.description))
    transaction.payment_reference = reference
    if order is not None:
        transaction.order_id = order.id
        order = orders.lock_order(order)
        if order.payment_status in ("voided",) or order.cancelled_at is not None:
            return _queue(transaction, "order_cancelled")
        if order.payment_status != "awaiting_payment":
            return _queue(transaction, "already_paid")
        if transaction.amount_vnd != order.total_vnd:
            short = transaction.amount_vnd < order.total_vnd
            return _queue(transaction, "underpaid" if short else "overpaid")
        orders.record_transfer_payment(
            order,
            amount_vnd=transaction.amount_vnd,
            bank_transaction=_bank_reference(transaction),
            actor=_actor(actor_id),
            now=now,
        )
        transaction.status = "applied"
        return None
    if invoice is not None:
        transaction.invoice_id = invoice.id
        due = invoice.amount_due_vnd
        if due <= 0:
            return _queue(transaction, "already_paid")
        if transaction.amount_vnd != due:
            return _queue(transaction, "underpaid" if transaction.amount_vnd < due else "overpaid")
        try:  # record_payment checks everything before it changes anything
            payment = _record_invoice_payment(invoice, transaction, actor_id, now)
        except DomainError as error:
            return _queue(transaction, "not_applicable", error.message)
        transaction.invoice_payment_id = payment.id
        transaction.status = "applied"
        return None
    return _queue(transaction, "unknown_reference")


def _record_invoice_payment(
    invoice: Invoice, transaction: BankTransaction, actor_id: int | None, now: datetime
):
    return invoicing.record_payment(
        invoice,
        amount_vnd=transaction.amount_vnd,
        received_on=transaction.booked_on,
        bank_reference=_bank_reference(transaction),
        recorded_by_id=actor_id,
        now=now,
    )


def _actor(user_id: int | None) -> str:
    return f"admin {user_id} (bank statement)" if user_id else "bank statement"


# ---------------------------------------------------------------------------------------------
# The queue


def resolve(
    transaction_id: int,
    *,
    action: str,
    reference: str = "",
    note: str = "",
    resolved_by_id: int,
    now: datetime | None = None,
) -> BankTransaction:
    """An administrator settles a queued line: `apply` it to the order or invoice named by
    `reference` (an order is then paid although the amount differed — the note says what happens
    to the difference; an invoice records the amount as a payment, partial if less is due), or
    `dismiss` it (it pays nothing here; a note is required). Commits; refuses a line no longer
    queued, so two administrators never apply it twice."""
    now = now or utcnow()
    note = (note or "").strip()
    try:
        transaction = db.session.scalars(
            select(BankTransaction)
            .where(BankTransaction.id == transaction_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one_or_none()
        if transaction is None:
            raise ResolutionRefused(_("No such statement line."))
        if transaction.status != "queued":
            raise ResolutionRefused(_("This line has already been resolved."))
        if len(note) > 1000:
            raise ResolutionRefused(_("The note is longer than 1000 characters."))
        if action == "dismiss":
            if not note:
                raise ResolutionRefused(_("Say in a note why this transfer pays nothing here."))
            transaction.status = "dismissed"
        elif action == "apply":
            _apply_by_hand(
                transaction,
                invoicing.normalise_reference(reference) or transaction.payment_reference or "",
                note,
                resolved_by_id,
                now,
            )
            transaction.status = "resolved"
        else:
            raise ResolutionRefused(_("Choose to apply or to dismiss the line."))
        transaction.resolved_by_id, transaction.resolved_at, transaction.note = resolved_by_id, now, note
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return transaction


def _apply_by_hand(
    transaction: BankTransaction, reference: str, note: str, admin_id: int, now: datetime
) -> None:
    order = orders.order_by_payment_reference(reference) if reference else None
    invoice = invoicing.invoice_by_payment_reference(reference) if reference and order is None else None
    if order is not None:
        try:
            orders.record_transfer_payment(
                order,
                amount_vnd=transaction.amount_vnd,
                bank_transaction=_bank_reference(transaction),
                actor=f"admin {admin_id}",
                now=now,
                by_hand=True,
            )
        except DomainError as error:
            raise ResolutionRefused(
                _("Order %(ref)s is not waiting for a bank transfer.", ref=order.reference)
            ) from error
        transaction.order_id, transaction.invoice_id = order.id, None
        return
    if invoice is not None:
        try:
            payment = _record_invoice_payment(invoice, transaction, admin_id, now)
        except DomainError as error:
            raise ResolutionRefused(error.message) from error
        transaction.invoice_id, transaction.order_id = invoice.id, None
        transaction.invoice_payment_id = payment.id
        return
    raise ResolutionRefused(_("No order or invoice has the payment reference %(ref)s.", ref=reference or "—"))


def queued_transactions() -> list[BankTransaction]:
    return list(
        db.session.scalars(
            select(BankTransaction).where(BankTransaction.status == "queued").order_by(BankTransaction.id)
        )
    )


def recent_transactions(limit: int = 200) -> list[BankTransaction]:
    return list(
        db.session.scalars(
            select(BankTransaction)
            .where(BankTransaction.status != "queued")
            .order_by(BankTransaction.id.desc())
            .limit(limit)
        )
    )


def recent_statements(limit: int = 20) -> list[BankStatement]:
    return list(db.session.scalars(select(BankStatement).order_by(BankStatement.id.desc()).limit(limit)))


def queue_size() -> int:
    return (
        db.session.scalar(select(func.count(BankTransaction.id)).where(BankTransaction.status == "queued"))
        or 0
    )
