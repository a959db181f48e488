"""The order core: `services.place(OrderDraft)`, the one routine that writes an order for every
channel, and the signals its first records do (and do not) send."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders import errors, services, signals
from marketplace.orders.drafts import DraftLine, DraftPart, OrderDraft
from marketplace.orders.models import Order, OrderEvent, OrderLine, ProducerOrder
from tests.factories import make_product


@contextmanager
def sent(*names: str):
    received: list[tuple[str, dict]] = []
    receivers = {}
    for name in names:

        def receiver(sender, name=name, **kwargs):
            received.append((name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    try:
        yield received
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver)


def draft(products_and_quantities, *, key: str | None = None, **fields) -> OrderDraft:
    parts = {}
    for product, quantity in products_and_quantities:
        parts.setdefault(product.producer_id, []).append(
            DraftLine(
                product.id,
                product.name,
                product.sku,
                product.unit,
                product.price_vnd - 1_000,
                quantity,
                retail_unit_price_vnd=product.price_vnd,
                tier_min_quantity=quantity,
            )
        )
    values = dict(
        channel="supermarket",
        idempotency_key=key or services.new_idempotency_key(),
        payment_method="invoice",
        payment_status="on_terms",
        parts=tuple(
            DraftPart(pid, tuple(lines), requested_delivery_date=date(2026, 12, 24))
            for pid, lines in sorted(parts.items())
        ),
        contact_email="mua@sieuthi.vn",
        recipient_name="Siêu thị",
        phone="0912345678",
        street="1 Tràng Tiền",
        commune="Hoàn Kiếm",
        province_code="ha-noi",
        payment_terms_days=30,
        payment_note="payment on terms: 30 days",
    )
    values.update(fields)
    return OrderDraft(**values)


def test_place_writes_the_draft_as_it_is_priced_and_takes_the_stock(app) -> None:
    tea, rice = make_product(stock=10), make_product(stock=10)
    db.session.commit()
    with sent("order_placed", "producer_order_moved") as received:
        order = services.place(draft([(tea, 3), (rice, 2)]), "buyer 7")
    assert [name for name, _ in received] == ["order_placed"]  # first records are not moves
    order = db.session.get(Order, order.id)
    expected = (tea.price_vnd - 1_000) * 3 + (rice.price_vnd - 1_000) * 2
    assert order.items_total_vnd == order.total_vnd == expected
    assert order.payment_terms_days == 30 and order.expires_at is None
    parts = sorted(order.producer_orders, key=lambda po: po.producer_id)
    assert [(po.status, po.requested_delivery_date) for po in parts] == [("placed", date(2026, 12, 24))] * 2
    line = db.session.scalar(select(OrderLine).where(OrderLine.product_id == tea.id))
    assert (line.unit_price_vnd, line.retail_unit_price_vnd, line.tier_min_quantity) == (
        tea.price_vnd - 1_000,
        tea.price_vnd,
        3,
    )
    stock = dict(db.session.execute(select(Product.id, Product.stock)).all())
    assert (stock[tea.id], stock[rice.id]) == (7, 8)
    events = db.session.scalars(select(OrderEvent).order_by(OrderEvent.id)).all()
    assert [(e.from_status, e.to_status, e.note, e.actor) for e in events] == [
        (None, "placed", "", "buyer 7"),
        (None, "placed", "", "buyer 7"),
        (None, "on_terms", "payment on terms: 30 days", "buyer 7"),
    ]


def test_a_draft_waiting_for_approval_is_placed_without_announcing_it(app) -> None:
    tea = make_product(stock=10)
    db.session.commit()
    with sent("order_placed") as received:
        order = services.place(
            draft([(tea, 1)], approval_status="pending", notes=(("approval_pending", "above 1 ₫"),)),
            "buyer 7",
        )
    assert received == []
    assert [po.status for po in order.producer_orders] == ["pending_approval"]
    assert db.session.scalars(select(OrderEvent.to_status).order_by(OrderEvent.id)).all() == [
        "pending_approval",
        "on_terms",
        "approval_pending",
    ]


def test_a_card_draft_gets_the_payment_window(app) -> None:
    tea = make_product(stock=10)
    db.session.commit()
    order = services.place(draft([(tea, 1)], payment_method="card", payment_status="awaiting_payment"), "b")
    assert order.expires_at is not None and order.expires_at > order.created_at


def test_the_same_key_places_one_order(app) -> None:
    tea = make_product(stock=10)
    db.session.commit()
    first = services.place(draft([(tea, 2)], key="same-key-123"), "b")
    again = services.place(draft([(tea, 2)], key="same-key-123"), "b")
    assert again.id == first.id
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert db.session.get(Product, tea.id).stock == 8


def test_a_short_line_places_nothing_and_runs_nothing_of_the_channel(app) -> None:
    tea, rice = make_product(stock=10), make_product(stock=1)
    db.session.commit()
    ran = []
    with pytest.raises(errors.OutOfStock) as raised:
        services.place(draft([(tea, 2), (rice, 5)]), "b", in_transaction=ran.append)
    assert [s.product_id for s in raised.value.shortages] == [rice.id]
    assert ran == []
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(func.count(ProducerOrder.id))) == 0
    assert db.session.get(Product, tea.id).stock == 10


def test_the_channels_bookkeeping_commits_with_the_order(app) -> None:
    tea = make_product(stock=10)
    db.session.commit()

    def bookkeeping(order: Order) -> None:
        order.purchase_order_number = "PO-1"

    order = services.place(draft([(tea, 1)]), "b", in_transaction=bookkeeping)
    db.session.rollback()  # nothing left to roll back: it was committed with the order
    assert db.session.get(Order, order.id).purchase_order_number == "PO-1"


@pytest.mark.parametrize(
    "change",
    [
        {"idempotency_key": "short"},
        {"channel": "traditional_market"},
        {"payment_method": "barter"},
        {"parts": ()},
    ],
)
def test_a_draft_that_cannot_be_an_order_is_refused(app, change) -> None:
    tea = make_product(stock=10)
    db.session.commit()
    with pytest.raises((errors.InvalidCheckout, errors.EmptyCart)):
        services.place(draft([(tea, 1)], **change), "b")
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_every_move_of_a_placed_part_goes_through_transition(app) -> None:
    tea = make_product(stock=10)
    db.session.commit()
    order = services.place(draft([(tea, 1)], approval_status="pending"), "b")
    part = order.producer_orders[0]
    with sent("producer_order_moved") as received:
        services.transition(part, "placed", "buyer 7", "approved")
        with pytest.raises(errors.TransitionNotAllowed):
            services.transition(part, "delivered", "producer 1")
    assert [(k["from_status"], k["to_status"], k["actor"]) for _, k in received] == [
        ("pending_approval", "placed", "buyer 7")
    ]
    last = db.session.scalars(select(OrderEvent.note).order_by(OrderEvent.id.desc()).limit(1)).one()
    assert last == "approved"
