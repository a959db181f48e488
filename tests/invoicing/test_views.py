"""Invoicing pages filled in as people would: partial acceptance, delivery date, receipt, invoices
in HTML and PDF, payments, overdue lists, terms, and the panels other pages include."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import render_template
from pypdf import PdfReader
from sqlalchemy import select

from marketplace.buyers.models import BuyerOrganisation
from marketplace.extensions import db
from marketplace.invoicing import services
from marketplace.invoicing.models import CreditNote, Invoice
from marketplace.orders.models import Order, OrderLine, ProducerOrder
from marketplace.timeutil import today_in_vietnam
from tests.factories import (
    make_buyer_member,
    make_buyer_organisation,
    make_producer,
    make_producer_member,
    make_product,
    make_user,
)
from tests.invoicing.helpers import deliver, supermarket_order


@pytest.fixture
def scene(app):
    producer = make_producer(name="HTX Chè Tân Cương", tax_code="4600123456")
    tea = make_product(producer, name="Chè Tân Cương đặc biệt", price_vnd=82_000, stock=500)
    honey = make_product(
        producer,
        name="Mật ong bạc hà",
        price_vnd=150_000,
        stock=100,
        group_code="food",
        subgroup_code="processed",
    )
    organisation = make_buyer_organisation(legal_name="Công ty CP Siêu thị Đà Nẵng")
    buyer = make_buyer_member(organisation)
    viewer = make_buyer_member(organisation, role="viewer")
    producer_user = make_producer_member(producer)
    admin = make_user(is_admin=True)
    db.session.commit()
    order = supermarket_order(organisation, [[(tea, 100), (honey, 20)]], customer_id=buyer.id)
    return {
        "producer": producer,
        "tea": tea,
        "honey": honey,
        "organisation": organisation,
        "buyer": buyer,
        "viewer": viewer,
        "producer_user": producer_user,
        "admin": admin,
        "order": order,
        "part": order.producer_orders[0],
    }


def test_producer_accepts_part_and_the_buyer_sees_ordered_accepted_and_reason(scene, web) -> None:
    part = scene["part"]
    tea_line, honey_line = part.lines
    web.sign_in(scene["producer_user"])
    page = web.get(f"/portal/orders/{part.id}/accept-part")
    assert page.status_code == 200 and "Chè Tân Cương đặc biệt" in page.text
    response = web.post(
        f"/portal/orders/{part.id}/accept-part",
        {
            f"quantity-{tea_line.id}": "60",
            f"reason-{tea_line.id}": "Vụ chè năm nay thiếu hàng",
            f"quantity-{honey_line.id}": "20",
            f"reason-{honey_line.id}": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OrderLine, tea_line.id).quantity == 60
    assert db.session.get(ProducerOrder, part.id).status == "accepted"
    web.sign_in(scene["buyer"])
    receipt = web.get(f"/buyer/orders/{scene['order'].reference}/parts/{part.id}/receipt")
    assert receipt.status_code == 200
    assert "Vụ chè năm nay thiếu hàng" in receipt.text
    assert ">100<" in receipt.text and ">60<" in receipt.text


def test_accept_part_form_shows_a_message_per_line_and_changes_nothing(scene, web) -> None:
    part = scene["part"]
    tea_line = part.lines[0]
    web.sign_in(scene["producer_user"])
    response = web.post(f"/portal/orders/{part.id}/accept-part", {f"quantity-{tea_line.id}": "150"})
    assert response.status_code == 422
    assert f'id="quantity-{tea_line.id}-errors"' in response.text
    response = web.post(f"/portal/orders/{part.id}/accept-part", {f"quantity-{tea_line.id}": "50"})
    assert response.status_code == 422 and f'id="reason-{tea_line.id}-errors"' in response.text
    db.session.expire_all()
    assert db.session.get(OrderLine, tea_line.id).quantity == 100
    assert db.session.get(ProducerOrder, part.id).status == "placed"


def test_producer_confirms_a_delivery_date_not_in_the_past(scene, web) -> None:
    part = scene["part"]
    web.sign_in(scene["producer_user"])
    yesterday = today_in_vietnam() - timedelta(days=1)
    response = web.post(f"/portal/orders/{part.id}/delivery-date", {"delivery_date": yesterday.isoformat()})
    assert (
        response.status_code == 422 and "delivery-date-" in response.text and "field__errors" in response.text
    )
    day = today_in_vietnam() + timedelta(days=3)
    assert (
        web.post(f"/portal/orders/{part.id}/delivery-date", {"delivery_date": day.isoformat()}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ProducerOrder, part.id).confirmed_delivery_date == day


def test_another_producer_cannot_reach_the_part(scene, web) -> None:
    stranger = make_producer_member(make_producer())
    db.session.commit()
    web.sign_in(stranger)
    part = scene["part"]
    assert web.get(f"/portal/orders/{part.id}/accept-part").status_code == 404
    assert (
        web.post(
            f"/portal/orders/{part.id}/delivery-date", {"delivery_date": today_in_vietnam().isoformat()}
        ).status_code
        == 404
    )


def test_buyer_reports_damage_at_receipt_and_the_invoice_shows_the_credit_note(scene, web) -> None:
    part = scene["part"]
    deliver(part)
    honey_line = part.lines[1]
    web.sign_in(scene["buyer"])
    url = f"/buyer/orders/{scene['order'].reference}/parts/{part.id}/receipt"
    bad = web.post(
        url,
        {
            f"kind-{honey_line.id}": "damaged",
            f"quantity-{honey_line.id}": "30",
            f"note-{honey_line.id}": "Vỡ lọ",
        },
    )
    assert bad.status_code == 422 and f'id="quantity-{honey_line.id}-errors"' in bad.text
    response = web.post(
        url,
        {
            f"kind-{honey_line.id}": "damaged",
            f"quantity-{honey_line.id}": "2",
            f"note-{honey_line.id}": "Vỡ 2 lọ khi vận chuyển",
        },
    )
    assert response.status_code == 302
    note = db.session.scalars(select(CreditNote)).one()
    assert (note.amount_vnd, note.vat_vnd, note.total_vnd) == (300_000, 24_000, 324_000)
    invoice = db.session.scalars(select(Invoice)).one()
    page = web.get(f"/buyer/invoices/{invoice.id}")
    assert page.status_code == 200 and note.number in page.text and "Vỡ 2 lọ khi vận chuyển" in page.text
    assert web.post(url, {}).status_code == 422  # once only


def test_a_viewer_sees_the_receipt_page_but_cannot_confirm(scene, web) -> None:
    deliver(scene["part"])
    web.sign_in(scene["viewer"])
    url = f"/buyer/orders/{scene['order'].reference}/parts/{scene['part'].id}/receipt"
    assert web.get(url).status_code == 200
    assert web.post(url, {}).status_code == 403
    assert db.session.get(ProducerOrder, scene["part"].id).received_at is None


def test_invoice_pdf_is_a_pdf_with_the_number_and_vietnamese_text(scene, web) -> None:
    deliver(scene["part"])
    invoice = db.session.scalars(select(Invoice)).one()
    for user, url in (
        (scene["buyer"], f"/buyer/invoices/{invoice.id}.pdf"),
        (scene["producer_user"], f"/portal/invoices/{invoice.id}.pdf"),
        (scene["admin"], f"/admin/invoices/{invoice.id}.pdf"),
    ):
        web.sign_in(user)
        response = web.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF") and len(response.data) > 5_000
        assert f'filename="{invoice.number}.pdf"' in response.headers["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert invoice.number in text and invoice.payment_reference in text
    assert "Công ty CP Siêu thị Đà Nẵng" in text and "Chè Tân Cương đặc biệt" in text
    assert "4600123456" in text


def test_admin_records_payments_and_overpayment_is_refused_with_the_figures(scene, web) -> None:
    deliver(scene["part"])
    invoice = db.session.scalars(select(Invoice)).one()
    web.sign_in(scene["admin"])
    found = web.get(f"/admin/invoices?q={invoice.payment_reference[:6]}%20{invoice.payment_reference[6:]}")
    assert invoice.number in found.text
    url = f"/admin/invoices/{invoice.id}/payments"
    today = today_in_vietnam().isoformat()
    too_much = web.post(
        url, {"amount_vnd": str(invoice.total_vnd + 1), "received_on": today, "bank_reference": "FT26335"}
    )
    assert too_much.status_code == 422 and "field__errors" in too_much.text
    assert (
        web.post(
            url, {"amount_vnd": "1000000", "received_on": today, "bank_reference": "FT26335"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.paid_vnd == 1_000_000 and invoice.status_on(today_in_vietnam()) == "partially_paid"
    page = web.get(f"/admin/invoices/{invoice.id}")
    assert "FT26335" in page.text


def test_overdue_invoices_show_as_overdue_to_buyer_producer_and_admin(scene, web) -> None:
    deliver(scene["part"])
    invoice = db.session.scalars(select(Invoice)).one()
    invoice.due_date = invoice.issue_date = today_in_vietnam() - timedelta(days=1)
    db.session.commit()
    for user, url in (
        (scene["buyer"], "/buyer/invoices?status=overdue"),
        (scene["producer_user"], "/portal/invoices?status=overdue"),
        (scene["admin"], "/admin/invoices?status=overdue"),
    ):
        web.sign_in(user)
        page = web.get(url)
        assert (
            page.status_code == 200 and invoice.number in page.text and "badge--invoice-overdue" in page.text
        )
    web.sign_in(scene["buyer"])
    assert "badge--invoice-overdue" in web.get(f"/buyer/invoices/{invoice.id}").text
    assert invoice.number not in web.get("/buyer/invoices?status=paid").text


def test_other_chains_and_producers_do_not_see_the_invoice(scene, web) -> None:
    deliver(scene["part"])
    invoice = db.session.scalars(select(Invoice)).one()
    other_buyer = make_buyer_member(make_buyer_organisation())
    other_producer = make_producer_member(make_producer())
    db.session.commit()
    web.sign_in(other_buyer)
    assert web.get(f"/buyer/invoices/{invoice.id}").status_code == 404
    assert invoice.number not in web.get("/buyer/invoices").text
    web.sign_in(other_producer)
    assert web.get(f"/portal/invoices/{invoice.id}.pdf").status_code == 404
    assert invoice.number not in web.get("/portal/invoices").text


def test_admin_sets_terms_and_credit_limit(scene, web) -> None:
    organisation = scene["organisation"]
    web.sign_in(scene["admin"])
    assert organisation.legal_name in web.get("/admin/buyers").text
    bad = web.post(
        f"/admin/buyers/{organisation.id}/terms", {"payment_terms_days": "400", "credit_limit_vnd": "-5"}
    )
    assert bad.status_code == 422
    response = web.post(
        f"/admin/buyers/{organisation.id}/terms",
        {"payment_terms_days": "45", "credit_limit_vnd": "750000000"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    organisation = db.session.get(BuyerOrganisation, organisation.id)
    assert (organisation.payment_terms_days, organisation.credit_limit_vnd) == (45, 750_000_000)


def test_panels_render_for_the_order_pages_that_include_them(scene, app) -> None:
    part = scene["part"]
    deliver(part)
    with app.test_request_context("/"):
        producer_panel = render_template("invoicing/_producer_order_panel.html", producer_order=part)
        buyer_panel = render_template("invoicing/_buyer_order_panel.html", order=scene["order"])
    invoice = services.invoice_of_producer_order(part.id)
    assert invoice.number in producer_panel and "Công ty CP Siêu thị Đà Nẵng" in producer_panel
    assert invoice.number in buyer_panel and f"/parts/{part.id}/receipt" in buyer_panel


def test_the_buyer_panel_loads_in_the_same_number_of_queries_for_one_part_or_three(
    app, count_queries
) -> None:
    organisation = make_buyer_organisation()
    products = [make_product(make_producer(), stock=50) for _ in range(3)]
    db.session.commit()
    one = supermarket_order(organisation, [[(products[0], 1)]])
    three = supermarket_order(organisation, [[(p, 1)] for p in products])
    for part in (*one.producer_orders, *three.producer_orders):
        deliver(part)
    counts = []
    ids = (one.id, three.id)
    for order_id in ids:
        db.session.expunge_all()
        with app.test_request_context("/"), count_queries() as counter:
            render_template("invoicing/_buyer_order_panel.html", order=db.session.get(Order, order_id))
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_a_part_waiting_for_the_buyers_approval_is_hidden_from_its_producer(scene, web) -> None:
    part = scene["part"]
    part.status = "pending_approval"
    db.session.commit()
    web.sign_in(scene["producer_user"])
    assert web.get(f"/portal/orders/{part.id}/accept-part").status_code == 404


@pytest.mark.parametrize(
    ("who", "prefix", "section"),
    [
        ("producer_user", "/portal/invoices", 'aria-label="Producer portal"'),
        ("buyer", "/buyer/invoices", 'aria-label="Bulk ordering"'),
    ],
)
def test_invoice_pages_keep_their_sections_navigation(scene, web, who, prefix, section) -> None:
    deliver(scene["part"])
    invoice = db.session.scalars(select(Invoice)).one()
    web.client.set_cookie("lang", "en")
    web.sign_in(scene[who])
    for url in (prefix, f"{prefix}/{invoice.id}"):
        page = web.get(url).text
        nav = page.split(section, 1)[1].split("</nav>", 1)[0] if section in page else ""
        assert nav, url
        invoices_link = next(item for item in nav.split("<li>") if f'href="{prefix}"' in item)
        assert 'aria-current="page"' in invoices_link, url
        assert invoice.number in page
