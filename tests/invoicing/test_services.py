"""Supermarket parts paid on terms: partial acceptance, delivery dates, invoices with VAT,
payments, overdue status, receipt with credit notes, revenue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.invoicing import errors, fulfilment, services, vat
from marketplace.invoicing.models import Invoice
from marketplace.orders.models import Order, OrderEvent, OrderLine, ProducerOrder
from marketplace.reports import ledger
from marketplace.timeutil import today_in_vietnam, utcnow
from tests.factories import make_buyer_organisation, make_producer, make_product
from tests.invoicing.helpers import deliver, supermarket_order


def _stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


@pytest.fixture
def world(app):
    producer = make_producer(tax_code="4600123456")
    other = make_producer(tax_code="4600999999")
    tea = make_product(producer, price_vnd=82_000, stock=500, group_code="food", subgroup_code="tea")
    rice = make_product(producer, price_vnd=33_333, stock=500, group_code="food", subgroup_code="raw")
    wine = make_product(
        other, price_vnd=120_000, stock=100, group_code="beverages", subgroup_code="alcoholic"
    )
    organisation = make_buyer_organisation(payment_terms_days=30, legal_name="Công ty CP Siêu thị Hà Nội")
    db.session.commit()
    return {
        "producer": producer,
        "other": other,
        "tea": tea,
        "rice": rice,
        "wine": wine,
        "organisation": organisation,
    }


def test_accepting_part_lowers_lines_gives_stock_back_and_recomputes_totals(world) -> None:
    tea, rice, wine = world["tea"], world["rice"], world["wine"]
    order = supermarket_order(world["organisation"], [[(tea, 100), (rice, 30)], [(wine, 10)]])
    part = order.producer_orders[0]
    tea_line, rice_line = part.lines
    fulfilment.accept_part(part, "producer 1", {tea_line.id: (60, "Chỉ còn 60 hộp"), rice_line.id: (30, "")})
    db.session.commit()
    db.session.expire_all()
    part = db.session.get(ProducerOrder, part.id)
    tea_line = db.session.get(OrderLine, tea_line.id)
    assert part.status == "accepted"
    assert (tea_line.ordered_quantity, tea_line.quantity, tea_line.adjustment_reason) == (
        100,
        60,
        "Chỉ còn 60 hộp",
    )
    assert tea_line.line_total_vnd == 60 * 82_000
    assert db.session.get(OrderLine, rice_line.id).ordered_quantity is None  # unchanged
    assert part.subtotal_vnd == 60 * 82_000 + 30 * 33_333
    order = db.session.get(Order, order.id)
    assert order.items_total_vnd == part.subtotal_vnd + 10 * 120_000
    assert order.total_vnd == order.items_total_vnd + order.shipping_total_vnd
    assert _stock(tea.id) == 500 - 60 and _stock(rice.id) == 470
    event = db.session.scalars(
        select(OrderEvent).where(OrderEvent.producer_order_id == part.id, OrderEvent.to_status == "accepted")
    ).one()
    assert "Chỉ còn 60 hộp" in event.note


def test_a_line_may_go_to_zero_while_another_line_remains(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10), (world["rice"], 5)]])
    part = order.producer_orders[0]
    fulfilment.accept_part(part, "producer", {part.lines[1].id: (0, "Hết gạo")})
    db.session.commit()
    db.session.expire_all()
    line = db.session.get(OrderLine, part.lines[1].id)
    assert (line.quantity, line.ordered_quantity, line.line_total_vnd) == (0, 5, 0)
    assert _stock(world["rice"].id) == 500


@pytest.mark.parametrize(
    ("change", "field"),
    [((11, "more"), "quantity"), ((-1, "negative"), "quantity"), ((5, "  "), "reason")],
)
def test_accepting_part_refuses_raising_negative_or_unexplained_quantities(world, change, field) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)]])
    part = order.producer_orders[0]
    line_id = part.lines[0].id
    with pytest.raises(errors.InvalidAdjustment) as caught:
        fulfilment.accept_part(part, "producer", {line_id: change})
    assert f"{field}-{line_id}" in caught.value.errors
    db.session.rollback()
    assert db.session.get(ProducerOrder, part.id).status == "placed" and _stock(world["tea"].id) == 490


def test_lowering_every_line_to_zero_is_a_rejection_not_a_partial_acceptance(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)]])
    part = order.producer_orders[0]
    with pytest.raises(errors.InvalidAdjustment):
        fulfilment.accept_part(part, "producer", {part.lines[0].id: (0, "Hết hàng")})


def test_card_orders_cannot_be_accepted_in_part(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)]])
    order.payment_method, order.payment_status = "card", "paid"
    db.session.commit()
    with pytest.raises(errors.NotAnInvoiceOrder):
        fulfilment.accept_part(
            order.producer_orders[0], "producer", {order.producer_orders[0].lines[0].id: (5, "x")}
        )


def test_delivery_date_is_confirmed_from_today_on_and_may_differ_from_the_request(world) -> None:
    today = date(2026, 12, 1)
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)]], requested=date(2026, 12, 3))
    part = order.producer_orders[0]
    with pytest.raises(errors.InvalidDeliveryDate) as caught:
        fulfilment.confirm_delivery_date(part, "producer", date(2026, 11, 30), today=today)
    assert "delivery_date" in caught.value.errors
    fulfilment.confirm_delivery_date(part, "producer", today, today=today)
    fulfilment.confirm_delivery_date(part, "producer", date(2026, 12, 5), today=today)
    db.session.commit()
    assert db.session.get(ProducerOrder, part.id).confirmed_delivery_date == date(2026, 12, 5)
    deliver(part)
    with pytest.raises(errors.InvalidDeliveryDate):
        fulfilment.confirm_delivery_date(part, "producer", date(2026, 12, 6), today=today)


def test_delivery_issues_an_invoice_with_vat_per_line_and_due_date_from_terms(world) -> None:
    tea, rice = world["tea"], world["rice"]
    order = supermarket_order(world["organisation"], [([(tea, 3), (rice, 1)], 25_000)], terms_days=45)
    part = order.producer_orders[0]
    now = datetime(2026, 12, 10, 20, 0)  # 03:00 on 11 December in Vietnam
    deliver(part, now)
    invoice = services.invoice_of_producer_order(part.id)
    assert invoice.number == f"HD-{world['producer'].id}-2026-000001"
    assert invoice.payment_reference.startswith("OCOPHD") and len(invoice.payment_reference) == 12
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 12, 11), date(2027, 1, 25))
    assert (invoice.seller_tax_code, invoice.buyer_tax_code) == ("4600123456", world["organisation"].tax_code)
    assert invoice.purchase_order_number == "PO-2026-0042"
    rows = [
        (line.quantity, line.unit_price_vnd, line.amount_vnd, line.vat_rate_percent, line.vat_vnd)
        for line in invoice.lines
    ]
    assert rows == [
        (3, 82_000, 246_000, 8, 19_680),  # packaged tea: 8% until the end of 2026
        (1, 33_333, 33_333, 5, 1_667),  # raw produce: 5%; 1666.65 rounds up
        (1, 25_000, 25_000, 8, 2_000),  # delivery
    ]
    assert invoice.subtotal_vnd == 304_333 and invoice.vat_vnd == 23_347 and invoice.total_vnd == 327_680
    assert invoice.vat_by_rate() == [(5, 33_333, 1_667), (8, 271_000, 21_680)]


def test_vat_is_rounded_per_line_half_up_so_printed_figures_add_up(world) -> None:
    rice = world["rice"]
    other_rice = make_product(
        world["producer"], price_vnd=10_010, stock=50, group_code="food", subgroup_code="raw"
    )
    db.session.commit()
    order = supermarket_order(
        world["organisation"],
        [[(rice, 1), (other_rice, 1)]],
        unit_prices={rice.id: 33_330, other_rice.id: 10_010},
    )
    deliver(order.producer_orders[0])
    invoice = services.invoice_of_producer_order(order.producer_orders[0].id)
    # 33,330 × 5% = 1,666.5 → 1,667 (half up); 10,010 × 5% = 500.5 → 501. Per rate it would be
    # 43,340 × 5% = 2,167: per-line rounding gives 2,168, and that is what the invoice says.
    assert [line.vat_vnd for line in invoice.lines] == [1_667, 501]
    assert invoice.vat_vnd == 2_168 == sum(vat for _, _, vat in invoice.vat_by_rate())
    assert vat.vat_on(1, 5) == 0 and vat.vat_on(10, 5) == 1 and vat.vat_on(0, 8) == 0


def test_vat_rates_follow_the_table_and_the_end_of_the_reduction() -> None:
    assert vat.vat_rate_percent("food", "fresh", date(2026, 12, 31)) == 5
    assert vat.vat_rate_percent("food", "processed", date(2026, 12, 31)) == 8
    assert vat.vat_rate_percent("food", "processed", date(2027, 1, 1)) == 10
    assert vat.vat_rate_percent("beverages", "alcoholic", date(2026, 6, 1)) == 10
    assert vat.vat_rate_percent("herbal", "herbs", date(2027, 6, 1)) == 5
    assert vat.vat_rate_percent("unknown", "thing", date(2026, 6, 1)) == 10


def test_invoice_numbers_run_per_producer_and_year(world) -> None:
    first = supermarket_order(world["organisation"], [[(world["tea"], 1)], [(world["wine"], 1)]])
    second = supermarket_order(world["organisation"], [[(world["tea"], 1)]])
    for part in (*first.producer_orders, *second.producer_orders):
        deliver(part, datetime(2026, 6, 1, 3, 0))
    numbers = sorted(i.number for i in db.session.scalars(select(Invoice)))
    p, o = world["producer"].id, world["other"].id
    assert numbers == sorted([f"HD-{p}-2026-000001", f"HD-{p}-2026-000002", f"HD-{o}-2026-000001"])


def test_cash_and_card_deliveries_issue_no_invoice(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 1)]])
    order.payment_method, order.payment_status = "cod", "cash_on_delivery"
    db.session.commit()
    deliver(order.producer_orders[0])
    assert db.session.scalar(select(Invoice)) is None


def _invoice(world, quantity=10, terms=30, now=None):
    order = supermarket_order(world["organisation"], [[(world["tea"], quantity)]], terms_days=terms)
    deliver(order.producer_orders[0], now)
    return services.invoice_of_producer_order(order.producer_orders[0].id)


def test_partial_payments_then_paid_and_overpayment_refused(world) -> None:
    invoice = _invoice(world)  # 820,000 + 65,600 VAT = 885,600
    today = invoice.issue_date
    assert invoice.total_vnd == 885_600 and invoice.status_on(today) == "open"
    services.record_payment(
        invoice,
        amount_vnd=500_000,
        received_on=today,
        bank_reference="FT2633501",
        recorded_by_id=None,
        today=today,
    )
    db.session.commit()
    assert invoice.amount_due_vnd == 385_600 and invoice.status_on(today) == "partially_paid"
    with pytest.raises(errors.Overpayment) as caught:
        services.record_payment(
            invoice,
            amount_vnd=385_601,
            received_on=today,
            bank_reference="FT2",
            recorded_by_id=None,
            today=today,
        )
    assert "amount_vnd" in caught.value.errors
    db.session.rollback()
    services.record_payment(
        invoice, amount_vnd=385_600, received_on=today, bank_reference="FT2", recorded_by_id=None, today=today
    )
    db.session.commit()
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.status_on(today + timedelta(days=400)) == "paid" and len(invoice.payments) == 2
    assert services.settled_vnd_by_organisation(world["organisation"].id) == 885_600


@pytest.mark.parametrize(
    ("amount", "received", "bank_reference", "field"),
    [
        (0, 0, "FT1", "amount_vnd"),
        (1000, 1, "FT1", "received_on"),
        (1000, -1, "FT1", "received_on"),
        (1000, 0, "", "bank_reference"),
    ],
)
def test_payments_need_an_amount_a_past_day_and_a_bank_reference(
    world,
    amount,
    received,
    bank_reference,
    field,
) -> None:
    invoice = _invoice(world)
    today = invoice.issue_date
    with pytest.raises(errors.InvalidPayment) as caught:
        services.record_payment(
            invoice,
            amount_vnd=amount,
            received_on=today + timedelta(days=received),
            bank_reference=bank_reference,
            recorded_by_id=None,
            today=today,
        )
    assert field in caught.value.errors


def test_an_invoice_is_overdue_the_day_after_its_due_date_not_on_it(world) -> None:
    invoice = _invoice(world, terms=30)
    due = invoice.due_date
    assert invoice.status_on(due) == "open"
    assert invoice.status_on(due + timedelta(days=1)) == "overdue"
    org = world["organisation"].id
    assert services.list_invoices(buyer_organisation_id=org, status="overdue", today=due) == []
    assert services.list_invoices(
        buyer_organisation_id=org, status="overdue", today=due + timedelta(days=1)
    ) == [invoice]
    services.record_payment(
        invoice,
        amount_vnd=1_000,
        received_on=invoice.issue_date,
        bank_reference="FT",
        recorded_by_id=None,
        today=invoice.issue_date,
    )
    assert invoice.status_on(due + timedelta(days=1)) == "overdue"  # part-paid and late is still overdue


def test_receipt_with_shortfall_and_damage_opens_credit_notes_that_reduce_the_amount_due(world) -> None:
    tea, rice = world["tea"], world["rice"]
    order = supermarket_order(world["organisation"], [[(tea, 10), (rice, 3)]])
    part = order.producer_orders[0]
    deliver(part)
    invoice = services.invoice_of_producer_order(part.id)
    total = invoice.total_vnd
    tea_line, rice_line = part.lines
    notes = services.confirm_receipt(
        part,
        actor="customer",
        user_id=None,
        problems={
            tea_line.id: services.ReceiptProblem(tea_line.id, "shortfall", 2, "Thiếu 2 hộp"),
            rice_line.id: services.ReceiptProblem(rice_line.id, "damaged", 1, "Bao rách"),
        },
    )
    db.session.commit()
    assert [(n.kind, n.quantity, n.amount_vnd, n.vat_vnd, n.total_vnd) for n in notes] == [
        ("shortfall", 2, 164_000, 13_120, 177_120),
        ("damaged", 1, 33_333, 1_667, 35_000),
    ]
    assert notes[0].number == f"{invoice.number}-CN1"
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.credited_vnd == 212_120 and invoice.amount_due_vnd == total - 212_120
    assert invoice.status_on(invoice.issue_date) == "partially_paid"
    assert db.session.get(ProducerOrder, part.id).received_at is not None
    with pytest.raises(errors.InvalidReceipt):
        services.confirm_receipt(part, actor="customer", user_id=None)


def test_receipt_refuses_more_than_was_invoiced_and_before_delivery(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)]])
    part = order.producer_orders[0]
    with pytest.raises(errors.InvalidReceipt):
        services.confirm_receipt(part, actor="customer", user_id=None)
    deliver(part)
    line_id = part.lines[0].id
    with pytest.raises(errors.InvalidReceipt) as caught:
        services.confirm_receipt(
            part,
            actor="customer",
            user_id=None,
            problems={line_id: services.ReceiptProblem(line_id, "shortfall", 11, "Thiếu")},
        )
    assert f"quantity-{line_id}" in caught.value.errors
    db.session.rollback()
    assert db.session.get(ProducerOrder, part.id).received_at is None


def test_partly_accepted_line_is_invoiced_at_its_accepted_quantity_and_zero_lines_are_left_out(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10), (world["rice"], 4)]])
    part = order.producer_orders[0]
    fulfilment.accept_part(
        part, "producer", {part.lines[0].id: (7, "Thiếu hàng"), part.lines[1].id: (0, "Hết")}
    )
    db.session.commit()
    deliver(part)
    invoice = services.invoice_of_producer_order(part.id)
    assert [(line.sku, line.quantity) for line in invoice.lines] == [(world["tea"].sku, 7)]


def test_invoice_revenue_counts_at_delivery_less_credit_notes(world) -> None:
    order = supermarket_order(world["organisation"], [[(world["tea"], 10)], [(world["wine"], 2)]])
    tea_part, wine_part = order.producer_orders
    assert ledger.revenue_by_producer() == {}
    deliver(tea_part)
    revenue = ledger.revenue_by_producer("supermarket")
    assert revenue == {(world["producer"].id, "supermarket"): 820_000}
    line_id = tea_part.lines[0].id
    services.confirm_receipt(
        tea_part,
        actor="customer",
        user_id=None,
        problems={line_id: services.ReceiptProblem(line_id, "damaged", 1, "Móp")},
    )
    db.session.commit()
    assert ledger.revenue_by_producer() == {(world["producer"].id, "supermarket"): 738_000}


def test_admin_terms_are_validated_and_saved(world) -> None:
    organisation = world["organisation"]
    with pytest.raises(errors.InvalidTerms) as caught:
        services.set_terms(organisation, payment_terms_days=-1, credit_limit_vnd=None)
    assert set(caught.value.errors) == {"payment_terms_days", "credit_limit_vnd"}
    services.set_terms(organisation, payment_terms_days=60, credit_limit_vnd=500_000_000)
    db.session.commit()
    assert (organisation.payment_terms_days, organisation.credit_limit_vnd) == (60, 500_000_000)


def test_search_by_payment_reference_ignores_spaces_and_case(world) -> None:
    invoice = _invoice(world)
    spaced = " ".join([invoice.payment_reference[:4], invoice.payment_reference[4:]]).lower()
    assert services.list_invoices(search=spaced) == [invoice]
    assert services.invoice_by_payment_reference(spaced) == invoice
    assert services.list_invoices(search="OCOPHD222222") == [] or invoice.payment_reference == "OCOPHD222222"


def test_delivery_at_utc_evening_is_issued_on_the_vietnamese_date(world) -> None:
    invoice = _invoice(world, now=datetime(2026, 12, 31, 17, 30))  # 00:30 on 1 January 2027 there
    assert invoice.issue_date == date(2027, 1, 1) and invoice.number.endswith("-2027-000001")
    assert invoice.lines[0].vat_rate_percent == 10  # the reduction has ended
    assert today_in_vietnam() and utcnow()
