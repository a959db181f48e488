"""Control and bidirectional characters never enter a product name, through the listing form or
the CSV import, on both databases (PostgreSQL refuses NUL in text outright: a 500 before)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.portal.conftest import listing_form
from tests.portal.test_csv import csv_file, post_import

REFUSED = "invisible control characters"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\u202e"], ids=["NUL", "ESC", "BEL", "RLO"])
def test_the_listing_form_refuses_a_product_name_with_a_control_character(portal, char) -> None:
    response = portal.post("/portal/products/new", listing_form(name=f"Chè{char} Tân Cương"))
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert db.session.scalar(select(Product.id)) is None


def test_the_listing_form_stores_the_name_in_nfc(portal) -> None:
    assert (
        portal.post(
            "/portal/products/new", listing_form(name="Che\u0300 Ta\u0302n Cu\u031bo\u031bng")
        ).status_code
        == 302
    )
    assert db.session.scalar(select(Product.name)) == "Chè Tân Cương"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e"], ids=["NUL", "ESC", "RLO"])
def test_the_csv_import_refuses_a_name_with_a_control_character(portal, char) -> None:
    row = f"CHE-1,Chè{char} Tân Cương,food,tea,box,200,150000,20,10,5,draft,,"
    response = post_import(portal, csv_file(row))
    assert REFUSED in response.get_data(as_text=True) and "Row 2, name" in response.get_data(as_text=True)
    assert db.session.scalar(select(Product.id)) is None
