"""A listing's GTIN (check digit validated, unique) and supply capacity with its season, edited in
the portal's form; the CSV import leaves them as they are."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.catalog.supply import ALL_YEAR, mask_of
from marketplace.extensions import db
from tests.factories import make_product
from tests.portal.conftest import catalogue_snapshot, listing_form


def test_a_listing_keeps_its_gtin_in_14_digits_and_its_capacity_and_season(portal, producer) -> None:
    form = listing_form(gtin="950 6000 134352", monthly_capacity="1.500")
    response = portal.post("/portal/products/new", {**form, "season": ["11", "12", "1"]})
    assert response.status_code == 302
    product = db.session.scalar(select(Product))
    assert (product.gtin, product.monthly_capacity, product.season_months) == (
        "09506000134352",
        1500,
        mask_of([1, 11, 12]),
    )


def test_no_month_ticked_means_all_year_and_an_empty_capacity_no_limit(portal, producer) -> None:
    assert portal.post("/portal/products/new", listing_form()).status_code == 302
    product = db.session.scalar(select(Product))
    assert (product.gtin, product.monthly_capacity, product.season_months) == (None, None, ALL_YEAR)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9506000134353", "not its check digit"),
        ("95060001343", "8, 12, 13 or 14 digits"),
        ("95060001343AB", "digits only"),
    ],
)
def test_a_wrong_gtin_is_refused_next_to_its_field(portal, value, message) -> None:
    before = catalogue_snapshot()
    response = portal.post("/portal/products/new", listing_form(gtin=value))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert catalogue_snapshot() == before


def test_a_gtin_names_one_product_only(portal, producer) -> None:
    make_product(gtin="09506000134352")
    db.session.commit()
    response = portal.post("/portal/products/new", listing_form(gtin="9506000134352"))
    assert "Another product already carries this GTIN." in response.get_data(as_text=True)


def test_editing_shows_and_keeps_the_supply_facts(portal, producer) -> None:
    product = make_product(
        producer, gtin="09506000134352", monthly_capacity=300, season_months=mask_of([6, 7])
    )
    db.session.commit()
    page = portal.get(f"/portal/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="09506000134352"' in page and 'value="300"' in page
    assert page.count("checked") == 2
