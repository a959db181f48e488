"""VietQR through the pages: checkout offers it when an account is configured, the order and the
invoice pages show the code and the details, an administrator uploads a statement and resolves
the queue."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.mail import OutboxMessage
from marketplace.orders.models import Order
from marketplace.payments import vietqr
from marketplace.payments.models import BankTransaction
from marketplace.timeutil import today_in_vietnam
from tests.conftest import FormClient
from tests.factories import make_buyer_member, make_buyer_organisation, make_producer, make_product, make_user
from tests.invoicing.helpers import deliver, supermarket_order
from tests.orders.test_views import ADDRESS, checkout_form


@pytest.fixture(autouse=True)
def _english(web) -> None:
    web.client.set_cookie("lang", "en")


def _tea() -> int:
    tea = make_product(make_producer(verification_status="verified"), stock=10, price_vnd=250_000)
    db.session.commit()
    return tea.id


def _checkout_vietqr(web: FormClient):
    web.post("/cart/add", {"product_id": _tea(), "quantity": "2"})
    form = checkout_form(web)
    return web.post("/checkout", {**ADDRESS, **form, "payment_method": "vietqr", "action": "place"})


def _statement(amount: int, description: str, txid: str) -> bytes:
    line = f'{today_in_vietnam()},{amount},"{description}",{txid}\n'
    return ("date,amount,description,transaction_id\n" + line).encode()


def _upload(web: FormClient, data: bytes, layout: str = "plain"):
    return web.post(
        "/admin/payments/statements",
        {"layout": layout, "file": (io.BytesIO(data), "sao-ke.csv")},
        content_type="multipart/form-data",
    )


def test_checkout_offers_vietqr_only_with_a_receiving_account(app, web, monkeypatch) -> None:
    web.post("/cart/add", {"product_id": _tea(), "quantity": "1"})
    assert 'value="vietqr"' in web.get("/checkout").get_data(as_text=True)
    monkeypatch.setitem(app.config, "VIETQR_ACCOUNT_NUMBER", "")
    assert 'value="vietqr"' not in web.get("/checkout").get_data(as_text=True)


def test_the_order_page_shows_the_code_and_the_typed_out_transfer(app, web) -> None:
    response = _checkout_vietqr(web)
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "<svg" in page and "Waiting for the bank transfer" in page
    assert order.payment_reference in page and app.config["VIETQR_ACCOUNT_NUMBER"] in page
    assert "Vietcombank" in page
    amount = re.search(r"data-vietqr-amount>([^<]+)<", page).group(1)
    assert amount.replace(",", "").replace(".", "").replace(" ₫", "") == str(order.total_vnd)
    assert "Pay by card" not in page
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert order.payment_reference in mail.body and "VietQR" in mail.body


def test_an_admin_uploads_a_statement_and_the_order_is_paid(app, web) -> None:
    response = _checkout_vietqr(web)
    order = db.session.scalar(select(Order))
    admin = FormClient(app.test_client()).sign_in(make_user(is_admin=True))
    db.session.commit()
    admin.client.set_cookie("lang", "en")
    uploaded = _upload(admin, _statement(order.total_vnd, f"CT {order.payment_reference}", "FT100"))
    assert uploaded.status_code == 302
    page = admin.get("/admin/payments/statements").get_data(as_text=True)
    assert "1 applied" in page
    assert "Paid by bank transfer" in web.get(response.headers["Location"]).get_data(as_text=True)


def test_a_refused_statement_names_its_lines_and_applies_nothing(app, web) -> None:
    admin = FormClient(app.test_client()).sign_in(make_user(is_admin=True))
    db.session.commit()
    admin.client.set_cookie("lang", "en")
    bad = b"date,amount,description,transaction_id\n2026-12-01,12.5,x,FT1\n2026-13-01,100,x,FT2\n"
    response = _upload(admin, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "nothing was applied" in page
    assert "Line 2:" in page and "Line 3:" in page
    assert db.session.scalar(select(func.count(BankTransaction.id))) == 0


def test_the_queue_lists_a_line_and_an_admin_dismisses_it_with_a_note(app, web) -> None:
    admin = FormClient(app.test_client()).sign_in(make_user(is_admin=True))
    db.session.commit()
    admin.client.set_cookie("lang", "en")
    _upload(admin, _statement(77_000, "tien khong ro", "FT200"))
    line = db.session.scalar(select(BankTransaction))
    page = admin.get("/admin/payments/queue").get_data(as_text=True)
    assert "tien khong ro" in page and "No known payment reference" in page
    refused = admin.post(f"/admin/payments/queue/{line.id}", {"action": "dismiss", "note": ""})
    assert refused.status_code == 303
    db.session.refresh(line)
    assert line.status == "queued"
    admin.post(f"/admin/payments/queue/{line.id}", {"action": "dismiss", "note": "chuyển nhầm, đã trả lại"})
    db.session.refresh(line)
    assert line.status == "dismissed" and "Nothing to resolve" in admin.get("/admin/payments/queue").get_data(
        as_text=True
    )


def test_the_invoice_page_shows_a_code_for_the_amount_still_due(app, web) -> None:
    organisation = make_buyer_organisation(payment_terms_days=30)
    member = make_buyer_member(organisation)
    order = supermarket_order(organisation, [[(make_product(stock=100, price_vnd=100_000), 10)]])
    deliver(order.producer_orders[0])
    invoice = invoicing.invoice_of_producer_order(order.producer_orders[0].id)
    db.session.commit()
    page = web.sign_in(member).get(f"/buyer/invoices/{invoice.id}").get_data(as_text=True)
    assert "<svg" in page and invoice.payment_reference in page
    details = vietqr.transfer_details(amount_vnd=invoice.amount_due_vnd, reference=invoice.payment_reference)
    assert vietqr.parse(details.payload)["54"] == str(invoice.amount_due_vnd)
