"""A bulk order names only its own organisation's delivery locations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.errors import InvalidOrderDetails
from marketplace.wholesale.pricing import organisation_locations, quote_bulk_order
from tests.wholesale.helpers import buyer, fill_draft, wholesale_product


def test_the_review_refuses_another_organisations_delivery_location_with_a_message(web) -> None:
    user, organisation = buyer()
    _, other = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    theirs = organisation_locations(other.id)[0]
    web.sign_in(user)
    web.client.set_cookie("lang", "en")
    when = (today_in_vietnam() + timedelta(days=2)).isoformat()
    page = web.post(
        "/wholesale/order/place",
        {
            "idempotency_key": "k" * 20,
            f"date-{product.producer_id}": when,
            f"location-{product.producer_id}": theirs.id,
        },
    )
    assert page.status_code == 200
    assert "This delivery location is not one of your organisation&#39;s." in page.get_data(as_text=True)
    assert db.session.scalar(select(Order.id)) is None


def test_placing_with_another_organisations_location_raises_and_places_nothing(app) -> None:
    user, organisation = buyer()
    _, other = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    theirs = organisation_locations(other.id)[0]
    quote = quote_bulk_order(
        services.bulk_lines(services.draft_of(organisation.id)),
        organisation.id,
        {product.producer_id: theirs.id},
    )
    assert quote.parts[0].delivery_location is None
    with pytest.raises(InvalidOrderDetails) as refused:
        services.place_bulk_order(
            organisation_id=organisation.id,
            user=user,
            purchase_order_number="PO",
            choices={
                product.producer_id: services.PartChoice(theirs.id, today_in_vietnam() + timedelta(days=2))
            },
            idempotency_key="k" * 20,
        )
    assert refused.value.errors[f"location_{product.producer_id}"] == ("unknown_location", {})
    assert db.session.scalar(select(Order.id)) is None
