"""Supply capacity: a month's committed volume counts the open supermarket lines to be delivered
that month; a bulk order beyond what is left is refused line by line with the figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.supply import mask_of
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.timeutil import add_months, today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.capacity import committed_units, months_from, supply_capacity
from marketplace.wholesale.errors import OrderNotValid
from marketplace.wholesale.pricing import BulkLine, quote_bulk_order
from tests.factories import make_product
from tests.invoicing.helpers import deliver, supermarket_order
from tests.wholesale.helpers import buyer, choices_for, fill_draft, wholesale_product

JUNE = date(2027, 6, 15)


def _committed(product, month=(2027, 6)) -> int:
    return committed_units([product.id], [month]).get((product.id, *month), 0)


def test_committed_volume_counts_open_and_delivered_parts_for_that_delivery_month_only(app) -> None:
    _user, organisation = buyer()
    product = wholesale_product(monthly_capacity=500, stock=10_000)
    other = wholesale_product(stock=10_000)
    supermarket_order(organisation, [[(product, 100)]], requested=date(2027, 6, 1))  # placed
    accepted = supermarket_order(organisation, [[(product, 40)]], requested=date(2027, 6, 30))
    orders.accept_producer_order(accepted.producer_orders[0], "producer")
    delivered = supermarket_order(organisation, [[(product, 7)]], requested=date(2027, 6, 10))
    deliver(delivered.producer_orders[0])
    cancelled = supermarket_order(organisation, [[(product, 1000)]], requested=date(2027, 6, 5))
    orders.transition(cancelled.producer_orders[0], "cancelled", "buyer")
    supermarket_order(organisation, [[(product, 300)]], requested=date(2027, 7, 1))  # July
    supermarket_order(organisation, [[(product, 300)]], requested=date(2027, 5, 31))  # May
    supermarket_order(organisation, [[(other, 300)]], requested=date(2027, 6, 2))  # another product
    db.session.commit()
    assert _committed(product) == 100 + 40 + 7
    assert _committed(product, (2027, 7)) == 300
    assert _committed(other) == 300


def test_consumer_orders_do_not_commit_supermarket_capacity(app) -> None:
    product = make_product(monthly_capacity=10, stock=50)
    order = orders.place_order(
        lines=[orders.CartLine(product.id, 5, product.price_vnd)],
        address=orders.validate_address(
            recipient_name="An",
            phone="0912345678",
            street="1 Phố Huế",
            commune="Hai Bà Trưng",
            province="ha-noi",
        ),
        contact_email="an@example.vn",
        payment_method="cod",
        idempotency_key=orders.new_idempotency_key(),
    )
    order.producer_orders[0].requested_delivery_date = date(2027, 6, 3)
    db.session.commit()
    assert _committed(product) == 0


def test_a_line_beyond_the_months_remaining_capacity_is_refused_with_the_figures(app) -> None:
    _user, organisation = buyer()
    product = wholesale_product(monthly_capacity=500, stock=10_000)
    supermarket_order(organisation, [[(product, 450)]], requested=date(2027, 6, 2))
    quote = quote_bulk_order(
        [BulkLine(product.id, 60)], organisation.id, part_dates={product.producer_id: JUNE}
    )
    [problem] = quote.lines[0].problems
    assert problem.code == "over_capacity"
    assert {
        k: problem.params[k] for k in ("capacity", "committed", "asked", "remaining", "month", "year")
    } == {"capacity": 500, "committed": 450, "asked": 60, "remaining": 50, "month": 6, "year": 2027}
    assert not quote.ok
    exactly = quote_bulk_order(
        [BulkLine(product.id, 50)], organisation.id, part_dates={product.producer_id: JUNE}
    )
    assert exactly.ok  # reaching the capacity exactly is fine
    july = quote_bulk_order(
        [BulkLine(product.id, 60)], organisation.id, part_dates={product.producer_id: date(2027, 7, 1)}
    )
    assert july.ok


def test_without_a_declared_capacity_there_is_no_limit(app) -> None:
    _user, organisation = buyer()
    product = wholesale_product(stock=10_000)
    supermarket_order(organisation, [[(product, 5000)]], requested=date(2027, 6, 2))
    assert quote_bulk_order(
        [BulkLine(product.id, 900)], organisation.id, part_dates={product.producer_id: JUNE}
    ).ok


def test_a_month_out_of_season_is_refused(app) -> None:
    _user, organisation = buyer()
    product = wholesale_product(season_months=mask_of([11, 12, 1, 2]), stock=100)
    quote = quote_bulk_order(
        [BulkLine(product.id, 10)], organisation.id, part_dates={product.producer_id: JUNE}
    )
    [problem] = quote.lines[0].problems
    assert problem.code == "out_of_season" and problem.params["season"] == (1, 2, 11, 12)
    assert quote_bulk_order(
        [BulkLine(product.id, 10)], organisation.id, part_dates={product.producer_id: date(2027, 12, 1)}
    ).ok


def test_placing_checks_the_month_of_the_chosen_delivery_date(app) -> None:
    user, organisation = buyer()
    product = wholesale_product(monthly_capacity=100, stock=10_000)
    wanted = today_in_vietnam() + timedelta(days=3)
    supermarket_order(organisation, [[(product, 80)]], requested=wanted)
    fill_draft(organisation, [(product, 30)], user)
    with pytest.raises(OrderNotValid) as refused:
        services.place_bulk_order(
            organisation_id=organisation.id,
            user=user,
            choices=choices_for(organisation, [product], days=3),
            purchase_order_number="PO",
            idempotency_key=orders.new_idempotency_key(),
        )
    assert [p.code for p in refused.value.quote.lines[0].problems] == ["over_capacity"]
    next_month = add_months(wanted.replace(day=1), 1)
    order = services.place_bulk_order(
        organisation_id=organisation.id,
        user=user,
        choices={product.producer_id: services.PartChoice(None, next_month)},
        purchase_order_number="PO",
        idempotency_key=orders.new_idempotency_key(),
    )
    assert order.producer_orders[0].requested_delivery_date == next_month
    assert _committed(product, (next_month.year, next_month.month)) == 30


def test_the_csv_report_refuses_an_over_capacity_line_with_a_stable_code(app) -> None:
    _user, organisation = buyer()
    wholesale_product(monthly_capacity=20, stock=10_000, sku="TEA")
    report = services.validate_csv(b"TEA,30\n", organisation.id)
    assert [p.code for p in report.lines[0].problems] == ["over_capacity"]
    assert not report.ok


def test_supply_capacity_gives_the_api_and_the_catalogue_the_same_figures(app) -> None:
    _user, organisation = buyer()
    product = wholesale_product(monthly_capacity=500, season_months=mask_of(range(1, 12)), stock=10_000)
    supermarket_order(organisation, [[(product, 120)]], requested=date(2027, 6, 9))
    june, _july, _aug, _sep, _oct, _nov, december = supply_capacity(
        [product], [(2027, m) for m in range(6, 13)]
    )[product.id]
    assert (june.capacity, june.committed, june.remaining, june.in_season) == (500, 120, 380, True)
    assert (december.in_season, december.remaining) == (False, 0)
    assert months_from(date(2027, 11, 30), 3) == ((2027, 11), (2027, 12), (2028, 1))


def test_the_wholesale_catalogue_shows_capacity_and_committed_volume(web) -> None:
    user, organisation = buyer()
    product = wholesale_product(monthly_capacity=500, stock=10_000)
    supermarket_order(organisation, [[(product, 120)]], requested=today_in_vietnam())
    page = web.sign_in(user).get("/wholesale/products").get_data(as_text=True)
    assert "Supply capacity" in page and "Committed in open orders" in page
    assert "500 " in page and "120 " in page and "380 " in page


def test_placing_beyond_capacity_shows_each_line_with_the_figures(web) -> None:
    user, organisation = buyer()
    product = wholesale_product(monthly_capacity=100, stock=10_000, name="Chè Tân Cương hộp")
    wanted = today_in_vietnam() + timedelta(days=2)
    supermarket_order(organisation, [[(product, 80)]], requested=wanted)
    fill_draft(organisation, [(product, 30)], user)
    web.sign_in(user)
    page = web.post(
        "/wholesale/order/place",
        {"idempotency_key": "k" * 20, f"date-{product.producer_id}": wanted.isoformat()},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Chè Tân Cương hộp: Beyond the producer&#39;s supply capacity" in text
    assert "capacity 100" in text and "80 already committed" in text and "30 asked" in text
    assert (
        db.session.scalar(
            select(Order.id).where(
                Order.buyer_organisation_id == organisation.id, Order.purchase_order_number == ""
            )
        )
        is None
    )
