"""Producers hear about orders: an e-mail to their members when a part reaches them, the count of
parts waiting in the portal's navigation, and one reminder when a part waits too long."""

from __future__ import annotations

from datetime import datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from marketplace.orders import producer_notices, services
from marketplace.orders.models import Order
from marketplace.wholesale import services as wholesale
from tests.conftest import FormClient
from tests.factories import make_producer, make_producer_member, make_product
from tests.orders.helpers import place
from tests.wholesale.helpers import buyer, fill_draft, wholesale_product
from tests.wholesale.helpers import place as place_bulk

PLACED_AT = datetime(2026, 12, 1, 2, 0)  # UTC


def _producer_mail(kind: str = "producer_order_new") -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))
    )


def _two_producers_with_members():
    tea_producer = make_producer(slug="htx-tea", verification_status="verified")
    sauce_producer = make_producer(slug="htx-sauce", verification_status="verified")
    owners = [
        make_producer_member(tea_producer, email="tea@htx.vn"),
        make_producer_member(tea_producer, email="tea-2@htx.vn"),
        make_producer_member(sauce_producer, email="sauce@htx.vn"),
    ]
    tea = make_product(tea_producer, price_vnd=250_000, stock=10)
    sauce = make_product(sauce_producer, price_vnd=120_000, stock=10)
    db.session.commit()
    return tea, sauce, owners


def test_a_cash_order_mails_each_member_of_each_producer_about_their_part(app) -> None:
    tea, sauce, _ = _two_producers_with_members()
    order = place([(tea, 2), (sauce, 1)], method="cod")
    messages = _producer_mail()
    assert sorted(m.to_address for m in messages) == ["sauce@htx.vn", "tea-2@htx.vn", "tea@htx.vn"]
    tea_mail = next(m for m in messages if m.to_address == "tea@htx.vn")
    assert order.reference in tea_mail.subject and "Nguyễn Văn An" in tea_mail.subject
    assert tea.name in tea_mail.body and sauce.name not in tea_mail.body
    tea_part = next(p for p in order.producer_orders if p.producer_id == tea.producer_id)
    assert f"/portal/orders/{tea_part.id}" in tea_mail.body


def test_a_card_order_reaches_the_producer_when_it_is_paid(app) -> None:
    tea, _, _ = _two_producers_with_members()
    order = place([(tea, 1)], method="card")
    assert _producer_mail() == []  # it may still expire unpaid
    services.record_card_payment(order, payment_intent_id="pi_1", amount_vnd=order.total_vnd, currency="vnd")
    db.session.commit()
    assert sorted(m.to_address for m in _producer_mail()) == ["tea-2@htx.vn", "tea@htx.vn"]


def test_a_supermarket_order_waiting_for_approval_reaches_the_producer_only_once_approved(app) -> None:
    producer = make_producer(slug="htx-bulk", verification_status="verified")
    make_producer_member(producer, email="bulk@htx.vn")
    product = wholesale_product(producer, stock=500)
    user, organisation = buyer("owner", approval_threshold_vnd=1_000_000)
    db.session.commit()
    fill_draft(organisation, [(product, 50)], user)
    order = place_bulk(user, organisation, [product])
    assert order.approval_status == "pending" and _producer_mail() == []
    wholesale.approve_order(order, user)
    db.session.commit()
    assert [m.to_address for m in _producer_mail()] == ["bulk@htx.vn"]


def test_the_portal_navigation_counts_the_parts_waiting_for_acceptance(app) -> None:
    tea, _, owners = _two_producers_with_members()
    first = place([(tea, 1)], method="cod")
    place([(tea, 1)], method="cod")
    place([(tea, 1)], method="card")  # not paid: not waiting for the producer yet
    member = FormClient(app.test_client()).sign_in(owners[0])
    page = member.get("/portal/orders").get_data(as_text=True)
    assert "data-waiting-orders>2<" in page
    member.post(f"/portal/orders/{first.producer_orders[0].id}/accept")
    assert "data-waiting-orders>1<" in member.get("/portal/").get_data(as_text=True)
    other = FormClient(app.test_client()).sign_in(owners[2])
    assert "data-waiting-orders" not in other.get("/portal/orders").get_data(as_text=True)


def test_the_count_is_one_query(app, count_queries) -> None:
    tea, _, _ = _two_producers_with_members()
    for _ in range(3):
        place([(tea, 1)], method="cod")
    producer_id = tea.producer_id
    with count_queries() as counter:
        assert producer_notices.waiting_count(producer_id) == 3
    assert counter.count == 1


def test_a_part_waiting_longer_than_the_setting_is_reminded_once(app) -> None:
    tea, sauce, owners = _two_producers_with_members()
    order = place([(tea, 1), (sauce, 1)], method="cod", now=PLACED_AT)
    tea_part, sauce_part = sorted(order.producer_orders, key=lambda p: p.producer_id != tea.producer_id)
    services.accept_producer_order(sauce_part, "producer")
    db.session.commit()
    assert app.config["PRODUCER_ACCEPTANCE_REMINDER_HOURS"] == 24
    assert producer_notices.remind_producers(now=PLACED_AT + timedelta(hours=23, minutes=59)) == []
    reminded = producer_notices.remind_producers(now=PLACED_AT + timedelta(hours=24))
    assert reminded == [f"{order.reference}/{tea.producer_id}"]
    messages = _producer_mail("producer_order_reminder")
    assert sorted(m.to_address for m in messages) == ["tea-2@htx.vn", "tea@htx.vn"]
    assert order.reference in messages[0].subject
    # never twice
    assert producer_notices.remind_producers(now=PLACED_AT + timedelta(days=3)) == []
    assert len(_producer_mail("producer_order_reminder")) == 2
    db.session.expire_all()
    sent_at = db.session.get(type(tea_part), tea_part.id).acceptance_reminder_sent_at
    assert sent_at == PLACED_AT + timedelta(hours=24)


def test_the_reminder_follows_the_setting_and_runs_from_the_command_line(app) -> None:
    tea, _, _ = _two_producers_with_members()
    order = place([(tea, 1)], method="cod", now=PLACED_AT)
    db.session.get(Order, order.id).created_at = PLACED_AT
    db.session.commit()
    app.config["PRODUCER_ACCEPTANCE_REMINDER_HOURS"] = 2
    try:
        assert producer_notices.remind_producers(now=PLACED_AT + timedelta(hours=1)) == []
        result = CliRunner().invoke(app.cli, ["orders", "remind-producers"], catch_exceptions=False)
    finally:
        app.config["PRODUCER_ACCEPTANCE_REMINDER_HOURS"] = 24
    assert f"Reminded 1 order part(s): {order.reference}/{tea.producer_id}" in result.output
