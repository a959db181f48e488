"""Placing bulk orders: split by producer, stock, idempotency, atomicity, credit limit, approval;
the draft, saved lists and ordering again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.errors import OutOfStock
from marketplace.orders.models import Order, OrderEvent
from marketplace.orders.services import new_idempotency_key
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.credit import open_balance_vnd
from marketplace.wholesale.errors import (
    ApprovalNotPending,
    CreditLimitExceeded,
    InvalidOrderDetails,
    NoteRequired,
    OrderNotValid,
)
from tests.factories import make_producer
from tests.wholesale.helpers import buyer, choices_for, fill_draft, place, wholesale_product


def stock_of(product) -> int:
    return db.session.scalar(select(Product.stock).where(Product.id == product.id))


def test_a_bulk_order_splits_by_producer_on_terms_with_prices_copied(app) -> None:
    user, organisation = buyer(payment_terms_days=45)
    a, b = make_producer(), make_producer()
    pa, pb = wholesale_product(a, stock=200), wholesale_product(b, stock=200)
    fill_draft(organisation, [(pa, 50), (pb, 100)], user)
    order = place(user, organisation, [pa, pb], po="PO-2026-001")
    assert (order.channel, order.payment_method, order.payment_status) == (
        "supermarket",
        "invoice",
        "on_terms",
    )
    assert (order.payment_terms_days, order.purchase_order_number, order.approval_status) == (
        45,
        "PO-2026-001",
        None,
    )
    assert order.buyer_organisation_id == organisation.id and order.customer_id == user.id
    parts = {po.producer_id: po for po in order.producer_orders}
    assert {pid: po.status for pid, po in parts.items()} == {a.id: "placed", b.id: "placed"}
    line = parts[a.id].lines[0]
    assert (line.unit_price_vnd, line.retail_unit_price_vnd, line.tier_min_quantity) == (82_000, 90_000, 50)
    assert parts[a.id].requested_delivery_date == today_in_vietnam() + timedelta(days=3)
    assert parts[a.id].delivery_location_id is not None
    assert order.total_vnd == 50 * 82_000 + 100 * 78_000
    assert (stock_of(pa), stock_of(pb)) == (150, 100)
    assert services.draft_of(organisation.id).lines == []  # the draft is emptied
    assert db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.order_id == order.id)) == 3


def test_a_second_submission_with_the_same_key_returns_the_first_order(app) -> None:
    user, organisation = buyer()
    product = wholesale_product(stock=200)
    fill_draft(organisation, [(product, 50)], user)
    key = new_idempotency_key()
    first = place(user, organisation, [product], key=key)
    again = place(user, organisation, [product], key=key)
    assert again.id == first.id
    assert db.session.scalar(select(func.count(Order.id))) == 1 and stock_of(product) == 150


def test_one_short_line_places_nothing_and_leaves_the_stock(app) -> None:
    user, organisation = buyer()
    ok, short = wholesale_product(stock=200), wholesale_product(stock=60)
    fill_draft(organisation, [(ok, 50), (short, 50)], user)
    db.session.commit()
    # Someone else buys the short product between review and placing.
    db.session.execute(Product.__table__.update().where(Product.id == short.id).values(stock=40))
    db.session.commit()
    with pytest.raises(OrderNotValid):
        place(user, organisation, [ok, short])
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert (stock_of(ok), stock_of(short)) == (200, 40)
    assert len(services.draft_of(organisation.id).lines) == 2


def test_the_stock_update_itself_refuses_a_line_taken_meanwhile(app, monkeypatch) -> None:
    """Even when the check passed, the conditional UPDATE is the last word: all or nothing."""
    user, organisation = buyer()
    ok, short = wholesale_product(stock=200), wholesale_product(stock=60)
    fill_draft(organisation, [(ok, 50), (short, 50)], user)
    db.session.commit()
    real_quote = services.quote_bulk_order

    def quote_then_sell_out(*args, **kwargs):
        quote = real_quote(*args, **kwargs)
        db.session.execute(Product.__table__.update().where(Product.id == short.id).values(stock=10))
        return quote

    monkeypatch.setattr(services, "quote_bulk_order", quote_then_sell_out)
    with pytest.raises(OutOfStock):
        place(user, organisation, [ok, short])
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert stock_of(ok) == 200


def test_a_delivery_date_in_the_past_is_refused(app) -> None:
    user, organisation = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    with pytest.raises(InvalidOrderDetails) as caught:
        place(user, organisation, [product], days=-1)
    assert list(caught.value.errors) == [f"date_{product.producer_id}"]


def test_today_in_vietnam_is_a_valid_delivery_date(app) -> None:
    user, organisation = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    assert place(user, organisation, [product], days=0).reference


@pytest.mark.parametrize(("limit", "allowed"), [(4_100_000 + 1_000_000, True), (4_100_000 + 999_999, False)])
def test_the_credit_limit_counts_the_open_balance(app, limit, allowed) -> None:
    user, organisation = buyer(credit_limit_vnd=limit)
    product = wholesale_product(price_vnd=100_000, tiers=(), stock=1000)
    fill_draft(organisation, [(product, 10)], user)
    place(user, organisation, [product])  # open: 1.000.000 ₫
    assert open_balance_vnd(organisation.id) == 1_000_000
    other = wholesale_product(stock=1000)
    fill_draft(organisation, [(other, 50)], user)  # 4.100.000 ₫
    if allowed:
        place(user, organisation, [other])  # exactly at the limit
        assert open_balance_vnd(organisation.id) == limit
    else:
        with pytest.raises(CreditLimitExceeded) as caught:
            place(user, organisation, [other])
        error = caught.value
        assert (error.limit_vnd, error.open_vnd, error.order_vnd) == (limit, 1_000_000, 4_100_000)
        assert stock_of(other) == 1000


def test_cancelled_parts_do_not_count_in_the_open_balance(app) -> None:
    user, organisation = buyer(approval_threshold_vnd=0)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    order = place(user, organisation, [product])
    assert open_balance_vnd(organisation.id) == 4_100_000  # pending approval counts: its stock is held
    services.reject_order(order, user, "Not this week")
    db.session.commit()
    assert open_balance_vnd(organisation.id) == 0


@pytest.mark.parametrize(
    ("threshold", "pending"),
    [
        (4_100_001, False),
        (4_100_000, False),
        (4_099_999, True),
        (None, False),
    ],
)
def test_orders_above_the_threshold_wait_for_approval(app, threshold, pending) -> None:
    user, organisation = buyer(approval_threshold_vnd=threshold)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)  # 4.100.000 ₫
    order = place(user, organisation, [product])
    assert order.approval_status == ("pending" if pending else None)
    assert order.producer_orders[0].status == ("pending_approval" if pending else "placed")
    assert stock_of(product) == 950  # reserved either way


def test_an_owner_approves_and_the_parts_go_to_the_producers(app) -> None:
    owner, organisation = buyer(approval_threshold_vnd=0)
    purchaser, _ = buyer("purchaser", organisation)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], purchaser)
    order = place(purchaser, organisation, [product])
    services.approve_order(order, owner)
    db.session.commit()
    assert (order.approval_status, order.approval_decided_by_id) == ("approved", owner.id)
    assert order.producer_orders[0].status == "placed"
    with pytest.raises(ApprovalNotPending):
        services.approve_order(order, owner)


def test_an_owner_rejects_with_a_note_and_the_stock_comes_back(app) -> None:
    owner, organisation = buyer(approval_threshold_vnd=0)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], owner)
    order = place(owner, organisation, [product])
    with pytest.raises(NoteRequired):
        services.reject_order(order, owner, "  ")
    services.reject_order(order, owner, "Too much for this month")
    db.session.commit()
    assert (order.approval_status, order.approval_note) == ("rejected", "Too much for this month")
    assert order.producer_orders[0].status == "cancelled" and order.cancelled_at is not None
    assert stock_of(product) == 1000
    statuses = db.session.scalars(select(OrderEvent.to_status).where(OrderEvent.order_id == order.id)).all()
    assert "rejected" in statuses and "cancelled" in statuses


def test_saved_lists_and_ordering_again_fill_the_draft(app) -> None:
    user, organisation = buyer()
    a, b = wholesale_product(), wholesale_product()
    fill_draft(organisation, [(a, 50), (b, 100)], user)
    saved = services.save_draft_as(organisation.id, user.id, "Nhập hàng tuần, cửa hàng 3")
    services.clear_draft(organisation.id)
    db.session.commit()
    assert services.draft_of(organisation.id).lines == []
    services.load_list(saved, user.id)
    db.session.commit()
    assert sorted((ln.product_id, ln.quantity) for ln in services.draft_of(organisation.id).lines) == [
        (a.id, 50),
        (b.id, 100),
    ]
    order = place(user, organisation, [a, b])
    services.order_again(order, user.id)
    db.session.commit()
    assert sorted((ln.product_id, ln.quantity) for ln in services.draft_of(organisation.id).lines) == [
        (a.id, 50),
        (b.id, 100),
    ]


def test_adding_the_same_product_twice_adds_the_quantities(app) -> None:
    user, organisation = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 30), (product, 20)], user)
    assert [(ln.product_id, ln.quantity) for ln in services.draft_of(organisation.id).lines] == [
        (product.id, 50)
    ]


def test_an_unverified_organisation_cannot_place(app) -> None:
    from marketplace.wholesale.errors import NotVerified

    user, organisation = buyer(status="pending")
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    with pytest.raises(NotVerified):
        place(user, organisation, [product])


def test_choices_helper_covers_every_part(app) -> None:
    _, organisation = buyer()
    product = wholesale_product()
    assert set(choices_for(organisation, [product])) == {product.producer_id}
