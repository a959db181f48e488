"""Bank statement matching: exact, under, over, unknown, already paid, duplicate and re-uploaded
lines, the layouts, malformed files refused whole, and the queue resolved by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.models import InvoicePayment
from marketplace.orders import services as orders
from marketplace.orders.errors import InvalidCheckout
from marketplace.payments import statements
from marketplace.payments.models import BankStatement, BankTransaction
from marketplace.reports.check import check_ledger
from marketplace.reports.models import SalesEntry
from marketplace.timeutil import today_in_vietnam, utcnow
from tests.factories import make_buyer_organisation, make_product, make_user
from tests.invoicing.helpers import deliver, supermarket_order
from tests.orders.helpers import place

HEADER = "date,amount,description,transaction_id\n"


def _today() -> str:
    return today_in_vietnam().isoformat()


def plain(*lines: tuple[int, str, str]) -> bytes:
    """A plain-layout statement: (amount, description, transaction id) per line, dated today."""
    body = "".join(f'{_today()},{amount},"{text}",{txid}\n' for amount, text, txid in lines)
    return (HEADER + body).encode()


def upload(data: bytes, layout: str = "plain", admin_id: int | None = None) -> statements.ImportResult:
    return statements.import_statement(data, layout=layout, filename="sao-ke.csv", uploaded_by_id=admin_id)


def vietqr_order(price: int = 150_000, quantity: int = 2):
    return place([(make_product(stock=10, price_vnd=price), quantity)], method="vietqr")


def rows() -> list[BankTransaction]:
    return list(db.session.scalars(select(BankTransaction).order_by(BankTransaction.id)))


def ledger_total(order) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(SalesEntry.amount_vnd), 0)).where(SalesEntry.order_id == order.id)
    )


# ---------------------------------------------------------------------------------------------
# Orders


def test_a_vietqr_order_waits_for_its_transfer_with_a_payment_reference_and_the_longer_window(app):
    order = vietqr_order()
    assert order.payment_method == "vietqr" and order.payment_status == "awaiting_payment"
    assert order.payment_reference.startswith("OCOPDH") and len(order.payment_reference) == 12
    window = order.expires_at - order.created_at
    assert window == timedelta(hours=app.config["TRANSFER_PAYMENT_WINDOW_HOURS"]) > timedelta(hours=24)
    assert ledger_total(order) == 0


def test_vietqr_is_refused_without_a_receiving_account(app, monkeypatch):
    monkeypatch.setitem(app.config, "VIETQR_BANK_BIN", "")
    with pytest.raises(InvalidCheckout):
        vietqr_order()


def test_an_exact_transfer_pays_the_order_and_the_ledger_counts_it(app):
    order = vietqr_order()
    total = order.total_vnd
    result = upload(plain((total, f"MBVCB.123.{order.payment_reference}.CT tu 0011 NGUYEN VAN AN", "FT001")))
    db.session.refresh(order)
    assert [t.status for t in result.applied] == ["applied"] and result.queued == []
    assert order.payment_status == "paid" and order.paid_at is not None and order.expires_at is None
    assert result.applied[0].order_id == order.id
    items = order.items_total_vnd
    assert ledger_total(order) == items == 300_000
    assert {e.source_kind for e in db.session.scalars(select(SalesEntry))} == {"transfer_payment"}
    assert check_ledger().ok


def test_a_reference_mangled_by_the_bank_still_matches(app):
    order = vietqr_order()
    ref = order.payment_reference
    mangled = f"chuyen tien {ref[:4].lower()}-{ref[4:8].lower()} {ref[8:]}"
    result = upload(plain((order.total_vnd, mangled, "FT002")))
    assert len(result.applied) == 1
    db.session.refresh(order)
    assert order.payment_status == "paid"


@pytest.mark.parametrize("difference, reason", [(-1, "underpaid"), (1_000, "overpaid")])
def test_another_amount_goes_to_the_queue_and_pays_nothing(app, difference, reason):
    order = vietqr_order()
    result = upload(plain((order.total_vnd + difference, order.payment_reference, "FT003")))
    db.session.refresh(order)
    assert result.applied == [] and [(t.status, t.reason) for t in result.queued] == [("queued", reason)]
    assert result.queued[0].order_id == order.id
    assert order.payment_status == "awaiting_payment" and ledger_total(order) == 0
    assert check_ledger().ok


def test_an_unknown_or_missing_reference_goes_to_the_queue(app):
    result = upload(plain((100_000, "OCOPDH222222 mua che", "FT004"), (50_000, "tien hang", "FT005")))
    assert [(t.reason, t.payment_reference) for t in result.queued] == [
        ("unknown_reference", "OCOPDH222222"),
        ("unknown_reference", None),
    ]


def test_a_second_transfer_for_a_paid_order_is_queued_as_already_paid(app):
    order = vietqr_order()
    upload(plain((order.total_vnd, order.payment_reference, "FT006")))
    result = upload(plain((order.total_vnd, order.payment_reference, "FT007")))
    assert [t.reason for t in result.queued] == ["already_paid"]
    assert ledger_total(order) == order.items_total_vnd  # counted once


def test_the_same_statement_uploaded_again_applies_nothing_twice(app):
    first, second = vietqr_order(), vietqr_order()
    data = plain((first.total_vnd, first.payment_reference, "FT010"), (5_000, "phi", "FT011"))
    upload(data)
    again = upload(data)
    assert again.already_seen == 2 and again.applied == [] and again.queued == []
    # An overlapping statement: the old lines again, and one new.
    overlapping = plain(
        (first.total_vnd, first.payment_reference, "FT010"),
        (5_000, "phi", "FT011"),
        (second.total_vnd, second.payment_reference, "FT012"),
    )
    result = upload(overlapping)
    assert result.already_seen == 2 and len(result.applied) == 1 and result.applied[0].order_id == second.id
    assert len(rows()) == 3
    assert db.session.scalar(select(func.count(SalesEntry.id))) == 2
    uploads = db.session.scalars(select(BankStatement).order_by(BankStatement.id))
    assert [s.lines_new for s in uploads] == [2, 0, 1]
    assert check_ledger().ok


def test_an_upload_racing_another_with_the_same_transactions_applies_nothing(app, monkeypatch):
    """Two uploads at once both find the transactions new; the UNIQUE fingerprint stops the
    second, which is rolled back whole."""
    first, second = vietqr_order(), vietqr_order()
    upload(plain((first.total_vnd, first.payment_reference, "FT050")))
    monkeypatch.setattr(statements, "_known_fingerprints", lambda fingerprints: set())
    with pytest.raises(statements.StatementConflict):
        upload(
            plain(
                (second.total_vnd, second.payment_reference, "FT051"),
                (first.total_vnd, first.payment_reference, "FT050"),
            )
        )
    db.session.refresh(second)
    assert second.payment_status == "awaiting_payment" and len(rows()) == 1
    assert db.session.scalar(select(func.count(BankStatement.id))) == 1
    assert ledger_total(first) == first.items_total_vnd and ledger_total(second) == 0


def test_a_transfer_after_the_order_expired_is_queued_as_cancelled(app):
    order = vietqr_order()
    product_id = order.producer_orders[0].lines[0].product_id
    # still waiting after the card window
    assert orders.expire_unpaid_orders(utcnow() + timedelta(hours=1)) == []
    assert orders.expire_unpaid_orders(order.expires_at + timedelta(seconds=1)) == [order.reference]
    db.session.refresh(order)
    assert order.payment_status == "voided"
    from marketplace.catalog.models import Product

    assert db.session.get(Product, product_id).stock == 10
    result = upload(plain((order.total_vnd, order.payment_reference, "FT013")))
    assert [t.reason for t in result.queued] == ["order_cancelled"]


# ---------------------------------------------------------------------------------------------
# Invoices


def _invoice(price: int = 100_000, quantity: int = 10):
    organisation = make_buyer_organisation(payment_terms_days=30)
    order = supermarket_order(organisation, [[(make_product(stock=100, price_vnd=price), quantity)]])
    deliver(order.producer_orders[0])
    return invoicing.invoice_of_producer_order(order.producer_orders[0].id)


def test_an_exact_transfer_records_the_invoice_payment(app):
    invoice = _invoice()
    due = invoice.amount_due_vnd
    result = upload(plain((due, f"TT HD {invoice.payment_reference}", "FT020")))
    db.session.refresh(invoice)
    assert len(result.applied) == 1 and invoice.amount_due_vnd == 0 and invoice.paid_vnd == due
    [payment] = db.session.scalars(select(InvoicePayment)).all()
    assert (payment.amount_vnd, payment.bank_reference) == (due, "FT020")
    assert result.applied[0].invoice_payment_id == payment.id
    again = upload(plain((due, invoice.payment_reference, "FT021")))
    assert [t.reason for t in again.queued] == ["already_paid"]


def test_an_underpaid_invoice_is_queued_then_applied_by_hand_as_a_partial_payment(app):
    invoice = _invoice()
    due = invoice.amount_due_vnd
    admin = make_user(is_admin=True)
    result = upload(plain((due - 100_000, invoice.payment_reference, "FT022")))
    [line] = result.queued
    assert line.reason == "underpaid" and line.invoice_id == invoice.id
    db.session.refresh(invoice)
    assert invoice.paid_vnd == 0
    statements.resolve(line.id, action="apply", note="khách trả thiếu", resolved_by_id=admin.id)
    db.session.refresh(invoice)
    assert invoice.paid_vnd == due - 100_000 and invoice.amount_due_vnd == 100_000
    assert line.status == "resolved" and line.resolved_by_id == admin.id
    with pytest.raises(statements.ResolutionRefused):  # never twice
        statements.resolve(line.id, action="apply", resolved_by_id=admin.id)
    assert db.session.scalar(select(func.count(InvoicePayment.id))) == 1


def test_an_overpaid_invoice_cannot_be_applied_and_is_dismissed_with_a_note(app):
    invoice = _invoice()
    admin = make_user(is_admin=True)
    [line] = upload(plain((invoice.amount_due_vnd + 1, invoice.payment_reference, "FT023"))).queued
    assert line.reason == "overpaid"
    with pytest.raises(statements.ResolutionRefused):
        statements.resolve(line.id, action="apply", resolved_by_id=admin.id)
    with pytest.raises(statements.ResolutionRefused):  # a dismissal says why
        statements.resolve(line.id, action="dismiss", note="  ", resolved_by_id=admin.id)
    statements.resolve(line.id, action="dismiss", note="refunded by hand", resolved_by_id=admin.id)
    assert line.status == "dismissed" and line.note == "refunded by hand"


# ---------------------------------------------------------------------------------------------
# The queue, for orders


def test_an_overpaid_order_applied_by_hand_is_paid_and_counted(app):
    order = vietqr_order()
    admin = make_user(is_admin=True)
    [line] = upload(plain((order.total_vnd + 10_000, order.payment_reference, "FT030"))).queued
    statements.resolve(line.id, action="apply", note="10.000 ₫ trả lại", resolved_by_id=admin.id)
    db.session.refresh(order)
    assert order.payment_status == "paid" and ledger_total(order) == order.items_total_vnd
    assert check_ledger().ok


def test_an_unknown_reference_is_applied_to_the_order_the_admin_names(app):
    order = vietqr_order()
    admin = make_user(is_admin=True)
    [line] = upload(plain((order.total_vnd, "chuyen khoan don hang", "FT031"))).queued
    with pytest.raises(statements.ResolutionRefused):
        statements.resolve(line.id, action="apply", reference="OCOPDH999999", resolved_by_id=admin.id)
    statements.resolve(
        line.id, action="apply", reference=order.payment_reference.lower(), resolved_by_id=admin.id
    )
    db.session.refresh(order)
    assert order.payment_status == "paid" and line.order_id == order.id


# ---------------------------------------------------------------------------------------------
# Layouts


def test_the_vietcombank_layout_reads_credits_and_skips_debits(app):
    order = vietqr_order()
    total = order.total_vnd
    today = today_in_vietnam().strftime("%d/%m/%Y")
    data = (
        "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả\n"
        f'1,{today},5243.65937,,"{total:,}","1,000,000",'
        f'"MBVCB.4525077405.{order.payment_reference}.CT tu 0351"\n'
        f'2,{today},9920.28,"26,338,000",,"974,000",CHI LUONG\n'
    ).encode("utf-8-sig")
    result = upload(data, "vietcombank")
    assert result.outgoing == 1 and len(result.applied) == 1
    assert result.applied[0].bank_transaction_id == "5243.65937"
    assert result.applied[0].running_balance_vnd == 1_000_000


def test_the_techcombank_layout_without_ids_is_kept_once_by_its_fingerprint(app):
    order = vietqr_order()
    today = today_in_vietnam().strftime("%d/%m/%Y")
    data = (
        "Ngày giao dịch;Diễn giải;Nợ;Có;Số dư\n"
        f"{today};{order.payment_reference} thanh toan;;{order.total_vnd};{order.total_vnd + 5_000}\n"
        f"{today};phi dich vu;5.000;;{order.total_vnd}\n"
    ).encode()
    first = upload(data, "techcombank")
    assert len(first.applied) == 1 and first.applied[0].fingerprint.startswith("h:")
    again = upload(data, "techcombank")
    assert again.already_seen == 1 and again.applied == [] and len(rows()) == 1


# ---------------------------------------------------------------------------------------------
# Malformed files: refused whole, every bad line named, nothing applied


def _refused(data: bytes, layout: str = "plain") -> list[tuple[int, str]]:
    with pytest.raises(statements.StatementRefused) as refused:
        upload(data, layout)
    return [(p.line, p.code) for p in refused.value.problems]


def test_a_file_with_bad_lines_names_each_and_applies_nothing(app):
    order = vietqr_order()
    data = (
        HEADER
        + f"{_today()},{order.total_vnd},{order.payment_reference},FT040\n"  # good, yet not applied
        + f"{_today()},12.5,x,FT041\n"
        + "31/02/2026,1000,x,FT042\n"
        + f"{_today()},abc,x,FT043\n"
        + f"{_today()},1000,x,\n"
        + f"{_today()},1000,x\n"
        + f"{_today()},1000,y,FT040\n"
    ).encode()
    assert _refused(data) == [
        (3, "amount"),
        (4, "date"),
        (5, "amount"),
        (6, "transaction_id"),
        (7, "width"),
        (8, "duplicate_in_file"),
    ]
    db.session.refresh(order)
    assert order.payment_status == "awaiting_payment" and rows() == []
    assert db.session.scalar(select(func.count(BankStatement.id))) == 0


def test_the_wrong_columns_are_named_on_the_header_line(app):
    assert _refused(b"\nngay,so tien,noi dung\n2026-12-01,1000,x\n") == [(2, "columns")]
    assert _refused(HEADER.encode(), "vietcombank") == [(1, "columns")]


@pytest.mark.parametrize(
    "data, problem",
    [
        ((HEADER + "2026-12-01,1000,Thanh toán cà phê,FT1\n").encode("cp1258"), (2, "encoding")),
        ((HEADER + "2026-12-01,1000,x,FT1\n").encode("utf-16"), (0, "encoding")),
        (b"", (0, "empty")),
        (b"\n\n", (0, "no_header")),
    ],
)
def test_another_encoding_or_an_empty_file_is_refused(app, data, problem):
    assert _refused(data) == [problem]


def test_a_huge_file_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "STATEMENT_MAX_BYTES", 1000)
    assert _refused(plain(*[(1000 + i, "x" * 20, f"FT{i}") for i in range(40)])) == [(0, "too_large")]
    monkeypatch.setitem(app.config, "STATEMENT_MAX_BYTES", 2 * 1024 * 1024)
    monkeypatch.setitem(app.config, "STATEMENT_MAX_LINES", 3)
    assert _refused(plain(*[(1000 + i, "x", f"FT{i}") for i in range(5)])) == [(5, "too_many_lines")]
    assert rows() == []


def test_an_unknown_layout_is_refused(app):
    assert _refused(plain((1000, "x", "FT1")), "agribank") == [(0, "layout")]


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1500000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("-26,338,000", -26_338_000),
    ],
)
def test_amounts_in_whole_dong_with_thousands_separators(text, amount):
    assert statements.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["1,500.000", "1500.50", "1,50,000", "12a", "", "1 500 000,5"])
def test_amounts_that_are_not_whole_dong_are_refused(text):
    assert statements.parse_amount(text) is None
