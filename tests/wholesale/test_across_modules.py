"""Where bulk ordering, the producer order pages and invoicing meet: a part waiting for the
buyer's approval follows the order rules, and the pages of one module lead to the others'."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.orders import errors as order_errors
from marketplace.orders import services as order_services
from tests.factories import make_producer, make_producer_member
from tests.invoicing.helpers import deliver
from tests.wholesale.helpers import buyer, fill_draft, place, wholesale_product


@pytest.fixture
def placed(app):
    """A purchaser's order of 60 units from one producer, placed (no approval needed)."""
    user, organisation = buyer("purchaser")
    producer = make_producer()
    owner = make_producer_member(producer)
    product = wholesale_product(producer)
    fill_draft(organisation, [(product, 60)], user)
    order = place(user, organisation, [product], po="PO-NOI-BO-7")
    db.session.commit()
    return {"buyer": user, "owner": owner, "order": order, "part": order.producer_orders[0]}


def _pending_part(app):
    owner, organisation = buyer("owner", approval_threshold_vnd=0)
    product = wholesale_product(make_producer())
    fill_draft(organisation, [(product, 50)], owner)
    order = place(owner, organisation, [product])
    db.session.commit()
    part = order.producer_orders[0]
    assert part.status == "pending_approval"
    return part


@pytest.mark.parametrize("step", ["accept", "ship", "deliver"])
def test_a_part_waiting_for_approval_cannot_move_on_in_the_order_rules(app, step) -> None:
    part = _pending_part(app)
    move = {
        "accept": lambda: order_services.accept_producer_order(part, "test"),
        "ship": lambda: order_services.ship_producer_order(part, "test", carrier="VTP", tracking_number="1"),
        "deliver": lambda: order_services.mark_delivered(part, "test"),
    }[step]
    with pytest.raises(order_errors.TransitionNotAllowed):  # not a KeyError (a 500 on a page)
        move()
    assert part.status == "pending_approval"


def test_the_order_rules_know_every_producer_order_status() -> None:
    from marketplace.orders.models import PRODUCER_ORDER_STATUSES

    assert set(order_services.TRANSITIONS) == set(PRODUCER_ORDER_STATUSES)
    assert order_services.TRANSITIONS["pending_approval"] == {"placed", "cancelled"}


def test_the_producer_page_shows_a_supermarket_part_s_lines_once(placed, web) -> None:
    part = placed["part"]
    web.sign_in(placed["owner"])
    page = web.get(f"/portal/orders/{part.id}").get_data(as_text=True)
    assert page.count("<table") == 1  # the panel's lines, ordered and accepted; no second table
    assert 'class="table table--stack part-lines"' in page
    assert "PO-NOI-BO-7" in page
    assert page.count(">Deliver to<") == 1  # the store, in the panel


def test_the_portal_navigation_leads_to_the_producer_s_invoices(placed, web) -> None:
    web.sign_in(placed["owner"])
    page = web.get(f"/portal/orders/{placed['part'].id}/accept-part").get_data(as_text=True)
    nav = re.search(r'<nav class="account-nav portal-nav".*?</nav>', page, re.S).group(0)
    assert 'href="/portal/invoices"' in nav
    assert re.search(r'href="/portal/orders" aria-current="page"', nav)  # accepting part is in Orders


def test_the_receipt_page_leads_back_to_its_order_and_the_bulk_nav_to_invoices(placed, web) -> None:
    order, part = placed["order"], placed["part"]
    deliver(part)
    db.session.commit()
    web.sign_in(placed["buyer"])
    page = web.get(f"/buyer/orders/{order.reference}/parts/{part.id}/receipt").get_data(as_text=True)
    assert f'href="/buyer/orders/{order.reference}#part-{part.id}"' in page
    assert 'href="/buyer/invoices"' in page
    order_page = web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)
    nav = re.search(r'<nav class="account-nav" aria-label="Bulk ordering">.*?</nav>', order_page, re.S).group(
        0
    )
    assert 'href="/buyer/invoices"' in nav


def test_the_buyer_order_table_stacks_on_phones_with_the_accepted_quantity(placed, web) -> None:
    order = placed["order"]
    web.sign_in(placed["buyer"])
    page = web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)
    assert 'class="table table--stack bulk-table"' in page
    assert 'data-label="Accepted"' in page


def test_the_consumer_order_pages_send_a_supermarket_order_to_its_bulk_order_page(placed, web) -> None:
    order = placed["order"]
    web.sign_in(placed["buyer"])
    bulk_page = f"/buyer/orders/{order.reference}"
    assert f'href="{bulk_page}"' in web.get("/orders").get_data(as_text=True)
    for response in (web.get(f"/orders/{order.reference}"), web.post(f"/orders/{order.reference}/cancel")):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(bulk_page)
    db.session.expire_all()
    assert placed["part"].status == "placed"  # not cancelled through the consumer page
