"""Order rules: pricing, address, shipping, placement with stock, the status machine, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.models import CatalogState, Product
from marketplace.extensions import db
from marketplace.orders import errors, services
from marketplace.orders.models import Order, OrderEvent, OrderLine, ProducerOrder
from marketplace.orders.services import CartLine
from marketplace.orders.shipping import DEFAULT_SHIPPING_TABLE, ShippingTable, distance_class
from marketplace.reports import ledger
from marketplace.timeutil import utcnow
from tests.factories import make_producer, make_product, make_user
from tests.orders.helpers import address, place


def _stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def _counts() -> tuple[int, int, int]:
    return (
        db.session.query(Order).count(),
        db.session.query(ProducerOrder).count(),
        db.session.query(OrderLine).count(),
    )


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "091 234 5678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "0352.123.456",
        "(024) 3825 1234",
        "02083 852 123",
    ],
)
def test_vietnamese_phone_numbers_are_accepted_and_normalised(raw) -> None:
    assert services.normalise_phone(raw).startswith("0")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345",
        "0112345678",
        "0412345678",
        "091234567",
        "09123456789",
        "+1 415 555 0100",
        "0912-345-67a",
        "0212345678",
    ],
)
def test_invalid_phone_numbers_are_refused(raw) -> None:
    assert services.normalise_phone(raw) is None


def test_address_lists_every_wrong_field_and_resolves_former_provinces(app) -> None:
    with pytest.raises(errors.InvalidAddress) as caught:
        services.validate_address(recipient_name="", phone="123", street="", commune="", province="Atlantis")
    assert set(caught.value.errors) == {"recipient_name", "phone", "street", "commune", "province"}
    assert caught.value.code == "invalid_address"
    assert address(province="Hà Giang").province_code == "tuyen-quang"
    assert address(phone="+84 912 345 678").phone == "0912345678"


def test_shipping_fee_grows_with_distance_and_weight() -> None:
    table = ShippingTable.from_mapping(DEFAULT_SHIPPING_TABLE)
    fee = lambda to, w: table.fee(from_province="thai-nguyen", to_province=to, weight_g=w)  # noqa: E731
    assert distance_class("thai-nguyen", "ca-mau") == "far_zone"
    assert fee("thai-nguyen", 400) < fee("ha-noi", 400) < fee("hue", 400) < fee("ca-mau", 400)
    assert fee("ca-mau", 400) < fee("ca-mau", 1500) < fee("ca-mau", 2001) < fee("ca-mau", 3001)


def test_shipping_table_setting_replaces_the_default(app) -> None:
    flat = {
        "bands": [
            {
                "max_weight_g": 100_000,
                "fees": dict.fromkeys(("same_province", "same_zone", "neighbour_zone", "far_zone"), 10_000),
            }
        ],
        "extra_per_kg": dict.fromkeys(("same_province", "same_zone", "neighbour_zone", "far_zone"), 0),
    }
    product = make_product(make_producer(province_code="thai-nguyen"))
    app.config["SHIPPING_FEE_TABLE"] = flat
    try:
        cart = services.price_cart([CartLine(product.id, 2)], "ca-mau")
    finally:
        app.config["SHIPPING_FEE_TABLE"] = None
    assert cart.shipping_total_vnd == 10_000


def test_cart_is_grouped_by_producer_and_reports_changed_prices_and_shortages(app) -> None:
    tea = make_product(
        make_producer(province_code="thai-nguyen"), price_vnd=250_000, stock=5, net_weight_g=200
    )
    fish_sauce = make_product(make_producer(province_code="an-giang"), price_vnd=90_000, stock=1)
    cart = services.price_cart(
        [CartLine(tea.id, 2, 240_000), CartLine(fish_sauce.id, 3), CartLine(tea.id, 1)], "ha-noi"
    )
    assert [g.producer_id for g in cart.groups] == sorted([tea.producer_id, fish_sauce.producer_id])
    tea_group = next(g for g in cart.groups if g.producer_id == tea.producer_id)
    assert (
        tea_group.lines[0].quantity == 3 and tea_group.subtotal_vnd == 750_000 and tea_group.weight_g == 600
    )
    assert [(c.product_id, c.expected_vnd, c.current_vnd) for c in cart.price_changes] == [
        (tea.id, 240_000, 250_000)
    ]
    assert [(s.product_id, s.requested, s.available) for s in cart.shortages] == [(fish_sauce.id, 3, 1)]
    assert cart.total_vnd == 750_000 + 270_000 + sum(g.shipping_fee_vnd for g in cart.groups)


def test_placing_an_order_copies_prices_splits_by_producer_and_takes_stock(app) -> None:
    tea = make_product(make_producer(), price_vnd=250_000, stock=5)
    honey = make_product(make_producer(province_code="ha-noi"), price_vnd=180_000, stock=4)
    db.session.commit()
    customer = make_user()
    db.session.commit()
    version = db.session.get(CatalogState, 1).version
    order = place([(tea, 2), (honey, 1)], method="cod", customer_id=customer.id)
    assert order.reference.startswith("OCOP-") and order.channel == "online"
    assert order.customer_id == customer.id
    assert order.payment_status == "cash_on_delivery" and order.expires_at is None
    assert order.items_total_vnd == 680_000
    assert order.total_vnd == order.items_total_vnd + order.shipping_total_vnd
    assert [(po.producer_id, po.status, po.subtotal_vnd) for po in order.producer_orders] == [
        (tea.producer_id, "placed", 500_000),
        (honey.producer_id, "placed", 180_000),
    ]
    line = order.producer_orders[0].lines[0]
    assert (line.product_name, line.sku, line.unit_price_vnd, line.quantity) == (
        tea.name,
        tea.sku,
        250_000,
        2,
    )
    assert (_stock(tea.id), _stock(honey.id)) == (3, 3)
    assert db.session.get(CatalogState, 1).version > version
    tea_row = db.session.get(Product, tea.id)
    tea_row.price_vnd = 300_000
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OrderLine, line.id).unit_price_vnd == 250_000  # the copy does not follow
    assert [e.to_status for e in services.events_of(order)] == ["placed", "placed", "cash_on_delivery"]


def test_a_card_order_waits_thirty_minutes_for_its_payment(app) -> None:
    tea = make_product(stock=5)
    now = utcnow()
    order = place([(tea, 1)], method="card", now=now)
    assert order.payment_status == "awaiting_payment" and order.expires_at == now + timedelta(minutes=30)


def test_the_same_idempotency_key_places_one_order(app) -> None:
    tea = make_product(stock=5)
    first = place([(tea, 2)], key="checkout-key-0001")
    second = place([(tea, 2)], key="checkout-key-0001")
    assert first.id == second.id and _counts() == (1, 1, 1) and _stock(tea.id) == 3


def test_every_short_line_is_reported_at_once_and_nothing_is_taken(app) -> None:
    tea, honey, rice = make_product(stock=1), make_product(stock=0), make_product(stock=9)
    db.session.commit()
    with pytest.raises(errors.OutOfStock) as caught:
        place([(tea, 2), (honey, 1), (rice, 3)])
    assert caught.value.code == "out_of_stock"
    assert [(s.product_id, s.requested, s.available) for s in caught.value.shortages] == [
        (tea.id, 2, 1),
        (honey.id, 1, 0),
    ]
    assert "only 1 left" in caught.value.message
    assert (_stock(tea.id), _stock(honey.id), _stock(rice.id)) == (1, 0, 9) and _counts() == (0, 0, 0)


@pytest.mark.parametrize("quantity", [0, -1, -100, 1_001, 10**12, "abc", "1.5", None, True])
def test_bad_quantities_are_refused_with_a_clear_message(app, quantity) -> None:
    with pytest.raises(errors.InvalidQuantity) as caught:
        services.cart_line(1, quantity)
    assert "at least 1" in caught.value.message or "At most" in caught.value.message


def test_bad_quantities_reaching_place_order_change_nothing(app) -> None:
    tea = make_product(stock=5)
    db.session.commit()
    for quantity in (0, -3, 10**9):
        with pytest.raises(errors.InvalidQuantity):
            services.place_order(
                lines=[CartLine(tea.id, quantity)],
                address=address(),
                contact_email="a@b.vn",
                payment_method="cod",
                idempotency_key=services.new_idempotency_key(),
            )
    assert _stock(tea.id) == 5 and _counts() == (0, 0, 0)


@pytest.mark.parametrize("status", ["missing", "draft", "archived", "unverified-producer"])
def test_unknown_or_unsellable_products_are_refused(app, status) -> None:
    if status == "missing":
        product_id = 999_999
    elif status == "unverified-producer":
        product_id = make_product(make_producer(verification_status="pending")).id
    else:
        product_id = make_product(status=status).id
    db.session.commit()
    with pytest.raises(errors.UnknownProduct) as caught:
        services.place_order(
            lines=[CartLine(product_id, 1)],
            address=address(),
            contact_email="a@b.vn",
            payment_method="cod",
            idempotency_key=services.new_idempotency_key(),
        )
    assert caught.value.product_ids == [product_id] and _counts() == (0, 0, 0)
    with pytest.raises(errors.UnknownProduct):
        services.cart_line("drop table", 1)


@pytest.mark.parametrize("sent_price", [1, 249_999, 250_001])
def test_a_tampered_or_stale_price_places_no_order(app, sent_price) -> None:
    tea = make_product(price_vnd=250_000, stock=5)
    db.session.commit()
    with pytest.raises(errors.PricesChanged) as caught:
        services.place_order(
            lines=[services.cart_line(str(tea.id), "1", str(sent_price))],
            address=address(),
            contact_email="a@b.vn",
            payment_method="card",
            idempotency_key=services.new_idempotency_key(),
        )
    assert caught.value.code == "price_changed" and caught.value.changes[0].current_vnd == 250_000
    assert _stock(tea.id) == 5 and _counts() == (0, 0, 0)
    with pytest.raises(errors.InvalidCheckout):
        services.cart_line(tea.id, 1, "-5")


@pytest.mark.parametrize("shown", [0, 250_000, 250_000 + 16_000 + 1])
def test_a_total_other_than_the_one_shown_places_no_order(app, shown) -> None:
    tea = make_product(price_vnd=250_000, stock=5, net_weight_g=400)
    db.session.commit()
    arguments = dict(
        lines=[CartLine(tea.id, 1, 250_000)], address=address(), contact_email="a@b.vn", payment_method="cod"
    )
    current = services.price_cart(arguments["lines"], address().province_code).total_vnd
    with pytest.raises(errors.TotalChanged) as caught:
        services.place_order(
            **arguments, idempotency_key=services.new_idempotency_key(), shown_total_vnd=shown
        )
    assert caught.value.code == "total_changed" and caught.value.current_vnd == current
    assert _stock(tea.id) == 5 and _counts() == (0, 0, 0)
    order = services.place_order(
        **arguments, idempotency_key=services.new_idempotency_key(), shown_total_vnd=current
    )
    assert order.total_vnd == current and _stock(tea.id) == 4


def test_invalid_phone_places_no_order(app) -> None:
    with pytest.raises(errors.InvalidAddress) as caught:
        address(phone="0123")
    assert (
        list(caught.value.errors) == ["phone"] and "Vietnamese phone number" in caught.value.errors["phone"]
    )


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"payment_method": "bitcoin"}, "invalid_checkout"),
        ({"contact_email": "not-an-email"}, "invalid_checkout"),
        ({"idempotency_key": "x"}, "invalid_checkout"),
        ({"channel": "traditional_market"}, "invalid_checkout"),
        ({"lines": []}, "empty_cart"),
    ],
)
def test_bad_checkout_fields_are_refused(app, fields, code) -> None:
    tea = make_product(stock=5)
    db.session.commit()
    arguments = dict(
        lines=[CartLine(tea.id, 1)],
        address=address(),
        contact_email="a@b.vn",
        payment_method="cod",
        idempotency_key=services.new_idempotency_key(),
    )
    with pytest.raises(errors.OrderError) as caught:
        services.place_order(**{**arguments, **fields})
    assert caught.value.code == code and _counts() == (0, 0, 0)


def test_a_card_order_above_stripes_limit_is_refused(app) -> None:
    gold = make_product(price_vnd=1_000_000_000 - 1, stock=5)
    with pytest.raises(errors.CardAmountTooLarge):
        place([(gold, 1)], method="card")
    assert _stock(gold.id) == 5


def test_producer_order_goes_through_its_statuses_with_an_event_for_each(app) -> None:
    tea = make_product(stock=5)
    order = place([(tea, 1)], method="cod")
    part = order.producer_orders[0]
    services.accept_producer_order(part, "producer 1")
    with pytest.raises(errors.InvalidShipment):
        services.ship_producer_order(part, "producer 1", carrier="", tracking_number="")
    services.ship_producer_order(part, "producer 1", carrier="GHN", tracking_number="GHN123")
    with pytest.raises(errors.TransitionNotAllowed):
        services.cancel_order(order, "customer 1")
    services.mark_delivered(part, "producer 1")
    db.session.commit()
    assert part.status == "delivered" and part.cod_collected_at is not None and part.carrier == "GHN"
    transitions = [(e.from_status, e.to_status) for e in services.events_of(order) if e.producer_order_id]
    assert transitions == [
        (None, "placed"),
        ("placed", "accepted"),
        ("accepted", "shipped"),
        ("shipped", "delivered"),
    ]
    assert ledger.revenue_by_producer("online") == {(tea.producer_id, "online"): tea.price_vnd}


@pytest.mark.parametrize("moves", [("delivered",), ("shipped",), ("accepted", "accepted"), ("refunded",)])
def test_impossible_transitions_are_refused(app, moves) -> None:
    order = place([(make_product(stock=5), 1)], method="cod")
    part = order.producer_orders[0]
    actions = {
        "accepted": lambda: services.accept_producer_order(part, "p"),
        "shipped": lambda: services.ship_producer_order(part, "p", carrier="VNPost", tracking_number="1"),
        "delivered": lambda: services.mark_delivered(part, "p"),
        "refunded": lambda: services.transition(part, "refunded", "p"),
    }
    with pytest.raises(errors.TransitionNotAllowed):
        for move in moves:
            actions[move]()


def test_producers_accept_card_orders_only_once_paid(app) -> None:
    order = place([(make_product(stock=5), 1)], method="card")
    with pytest.raises(errors.AwaitingPayment):
        services.accept_producer_order(order.producer_orders[0], "producer 1")


def test_cancelling_and_rejecting_give_the_stock_back(app) -> None:
    tea, honey = make_product(stock=5), make_product(make_producer(), stock=5)
    order = place([(tea, 2), (honey, 3)], method="cod")
    tea_part, honey_part = order.producer_orders
    services.reject_producer_order(honey_part, "producer 2", "harvest failed")
    db.session.commit()
    assert (_stock(tea.id), _stock(honey.id)) == (3, 5) and order.cancelled_at is None
    services.cancel_order(order, "customer 1")
    db.session.commit()
    assert (_stock(tea.id), _stock(honey.id)) == (5, 5)
    assert [po.status for po in order.producer_orders] == ["cancelled", "cancelled"] and order.cancelled_at
    assert ledger.revenue_by_producer() == {}
    with pytest.raises(errors.TransitionNotAllowed):
        services.cancel_order(order, "customer 1")


def test_expiry_cancels_unpaid_card_orders_only_and_gives_stock_back(app) -> None:
    tea = make_product(stock=5)
    now = utcnow()
    unpaid = place([(tea, 2)], method="card", now=now - timedelta(minutes=31))
    recent = place([(tea, 1)], method="card", now=now - timedelta(minutes=5))
    cod = place([(tea, 1)], method="cod", now=now - timedelta(hours=5))
    assert _stock(tea.id) == 1
    assert services.expire_unpaid_orders(now) == [unpaid.reference]
    db.session.expire_all()
    assert db.session.get(Order, unpaid.id).payment_status == "voided"
    assert db.session.get(Order, recent.id).payment_status == "awaiting_payment"
    assert db.session.get(Order, cod.id).payment_status == "cash_on_delivery"
    assert _stock(tea.id) == 3
    notes = db.session.scalars(select(OrderEvent.note).where(OrderEvent.order_id == unpaid.id)).all()
    assert "not paid within the payment window" in notes


def test_orders_expire_command(app) -> None:
    tea = make_product(stock=5)
    place([(tea, 2)], method="card", now=utcnow() - timedelta(hours=1))
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert result.exit_code == 0 and "Expired 1 unpaid card order" in result.output
    assert _stock(tea.id) == 5


def test_orders_are_read_only_by_their_customer_and_producer(app) -> None:
    tea = make_product(stock=5)
    customer, other = make_user(), make_user()
    db.session.commit()
    order = place([(tea, 1)], customer_id=customer.id)
    assert services.order_of_customer(order.reference, customer.id).id == order.id
    assert services.order_of_customer(order.reference, other.id) is None
    part = order.producer_orders[0]
    assert services.producer_order_of(tea.producer_id, part.id).id == part.id
    assert services.producer_order_of(tea.producer_id + 100, part.id) is None
    assert [o.id for o in services.orders_of_customer(customer.id)] == [order.id]
