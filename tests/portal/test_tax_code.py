"""A producer's tax code: the form that asks for it, the dashboard item while it is missing, and
no invoice (so no delivery) of a supermarket order on terms without it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.invoicing.models import Invoice
from marketplace.orders import services as order_services
from marketplace.producers.models import Producer
from marketplace.producers.tax_codes import InvalidTaxCode, normalise_tax_code
from tests.conftest import FormClient
from tests.factories import (
    make_buyer_member,
    make_buyer_organisation,
    make_producer,
    make_producer_member,
    make_product,
)
from tests.invoicing.helpers import supermarket_order


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0101234567", "0101234567"),
        ("0101 234 567", "0101234567"),
        ("0101234567-001", "0101234567-001"),
        ("001085012345", "001085012345"),  # a household business: the owner's 12-digit ID
    ],
)
def test_tax_codes_of_enterprises_branches_and_households_are_accepted(typed: str, kept: str) -> None:
    assert normalise_tax_code(typed) == kept


@pytest.mark.parametrize(
    "typed", ["", "—", "123456789", "01012345678", "0101234567-01", "0101234567001x", "MST 0101234567"]
)
def test_malformed_tax_codes_are_refused(typed: str) -> None:
    with pytest.raises(InvalidTaxCode):
        normalise_tax_code(typed)


@pytest.fixture
def untaxed(app):
    producer = make_producer(slug="htx-khong-mst", tax_code=None)
    owner = make_producer_member(producer, email="owner@example.vn")
    db.session.commit()
    return producer, owner


def _signed_in(client, owner) -> FormClient:
    client.set_cookie("lang", "en")
    return FormClient(client).sign_in(owner)


def test_the_dashboard_asks_for_a_missing_tax_code_and_the_form_records_it(client, untaxed) -> None:
    producer, owner = untaxed
    web = _signed_in(client, owner)
    page = web.get("/portal/").get_data(as_text=True)
    assert "Your tax code is missing" in page and 'href="/portal/tax-code"' in page

    refused = web.post("/portal/tax-code", {"tax_code": "12345"})
    assert refused.status_code == 200 and "A tax code has 10 digits" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Producer.tax_code).where(Producer.id == producer.id)) is None

    saved = web.post("/portal/tax-code", {"tax_code": "4600 123 456"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Producer, producer.id).tax_code == "4600123456"
    assert "Your tax code is missing" not in web.get("/portal/").get_data(as_text=True)


def test_a_terms_order_is_not_delivered_without_the_sellers_tax_code(client, untaxed) -> None:
    producer, owner = untaxed
    tea = make_product(producer, price_vnd=82_000, stock=100)
    organisation = make_buyer_organisation()
    buyer = make_buyer_member(organisation)
    db.session.commit()
    part = supermarket_order(organisation, [[(tea, 10)]], customer_id=buyer.id).producer_orders[0]
    order_services.accept_producer_order(part, "producer")
    order_services.ship_producer_order(part, "producer", carrier="Viettel Post", tracking_number="VTP1")
    db.session.commit()
    web = _signed_in(client, owner)

    page = web.get(f"/portal/orders/{part.id}").get_data(as_text=True)
    assert "an invoice needs your tax code" in page
    assert f'href="/portal/tax-code?next=/portal/orders/{part.id}"' in page

    refused = web.post(f"/portal/orders/{part.id}/deliver", follow_redirects=True)
    assert "Enter your organisation&#39;s tax code" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(part), part.id).status == "shipped"
    assert db.session.scalar(select(Invoice.id)) is None

    web.post(f"/portal/tax-code?next=/portal/orders/{part.id}", {"tax_code": "4600123456"})
    web.post(f"/portal/orders/{part.id}/deliver")
    db.session.expire_all()
    invoice = db.session.scalars(select(Invoice)).one()
    assert invoice.seller_tax_code == "4600123456"
    assert db.session.get(type(part), part.id).status == "delivered"


def test_every_demo_producer_has_a_tax_code_and_a_short_code() -> None:
    from marketplace.demo.data import catalogue

    producers = catalogue().producers
    assert all(normalise_tax_code(p.tax_code) == p.tax_code for p in producers)
    assert all(p.tax_code.startswith("99") for p in producers)  # never a real firm's
    codes = [p.code for p in producers]
    assert len(set(codes)) == len(codes) and "CCNM" in codes
