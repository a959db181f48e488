"""A product's optional English name and description: shown in the English interface, the
Vietnamese ones otherwise (and whenever there is no English one)."""

from __future__ import annotations

from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.factories import add_image, make_product


def _product(**fields) -> Product:
    product = make_product(
        slug="nuoc-mam", name="Nước mắm Phú Quốc 40 độ đạm", description="Ủ chượp *cá cơm*.", **fields
    )
    add_image(product)
    db.session.commit()
    return product


def test_the_english_interface_shows_the_english_name_and_description(client, app) -> None:
    _product(name_en="Phu Quoc fish sauce, 40° protein", description_en="Anchovies aged *a year*.")
    client.set_cookie("lang", "en")
    page = client.get("/products/nuoc-mam").get_data(as_text=True)
    assert '<h1 class="product__name">Phu Quoc fish sauce, 40° protein</h1>' in page
    assert "Anchovies aged <em>a year</em>." in page and "Ủ chượp" not in page
    assert "Phu Quoc fish sauce, 40° protein</a>" in client.get("/products").get_data(as_text=True)

    client.set_cookie("lang", "vi")
    page = client.get("/products/nuoc-mam").get_data(as_text=True)
    assert '<h1 class="product__name">Nước mắm Phú Quốc 40 độ đạm</h1>' in page
    assert "Ủ chượp" in page and "Anchovies" not in page and "Phu Quoc fish sauce" not in page


def test_without_an_english_name_the_english_interface_shows_the_vietnamese_one(client, app) -> None:
    _product()
    client.set_cookie("lang", "en")
    page = client.get("/products/nuoc-mam").get_data(as_text=True)
    assert '<h1 class="product__name">Nước mắm Phú Quốc 40 độ đạm</h1>' in page and "Ủ chượp" in page
