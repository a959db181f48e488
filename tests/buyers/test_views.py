"""Buyer organisations: registration, delivery locations scoped to the organisation, wholesale prices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.catalog.models import PriceTier
from marketplace.extensions import db
from tests.factories import (
    add_location,
    make_buyer_member,
    make_buyer_organisation,
    make_product,
    make_user,
)


def test_a_supermarket_chain_registers_with_a_first_delivery_location(web) -> None:
    web.sign_in(make_user())
    db.session.commit()
    response = web.post(
        "/buyer/register",
        {
            "legal_name": "Công ty CP Siêu thị Xanh",
            "tax_code": "0301234567",
            "head_office_address": "163 Phan Đăng Lưu",
            "head_office_province_code": "ho-chi-minh",
            "contact_email": "mua@xanh.vn",
            "contact_phone": "",
            "location_kind": "distribution_centre",
            "location_name": "Kho Sóng Thần",
            "location_address": "KCN Sóng Thần",
            "location_province_code": "ho-chi-minh",
        },
    )
    assert response.status_code == 302
    organisation = db.session.scalar(select(BuyerOrganisation))
    assert organisation.verification_status == "pending"
    assert db.session.scalar(select(DeliveryLocation.kind)) == "distribution_centre"


def test_a_buyer_edits_its_own_locations_and_gets_404_for_another_chains(web) -> None:
    x, y = make_buyer_organisation(), make_buyer_organisation()
    buyer_x = make_buyer_member(x)
    location_y = add_location(y, name="Cửa hàng Y")
    location_x = db.session.scalar(
        select(DeliveryLocation).where(DeliveryLocation.buyer_organisation_id == x.id)
    )
    db.session.commit()
    web.sign_in(buyer_x)
    assert web.get(f"/buyer/locations/{location_y.id}/edit").status_code == 404
    assert web.post(f"/buyer/locations/{location_y.id}/remove").status_code == 404
    assert (
        web.post(
            f"/buyer/locations/{location_y.id}/edit",
            {"kind": "store", "name": "Bị đổi", "address": "x", "province_code": "ha-noi"},
        ).status_code
        == 404
    )
    response = web.post(
        f"/buyer/locations/{location_x.id}/edit",
        {"kind": "store", "name": "Cửa hàng Hoàn Kiếm", "address": "1 Hàng Bài", "province_code": "ha-noi"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(DeliveryLocation, location_y.id).name == "Cửa hàng Y"
    assert db.session.get(DeliveryLocation, location_x.id).name == "Cửa hàng Hoàn Kiếm"


def test_the_last_delivery_location_cannot_be_removed(web) -> None:
    x = make_buyer_organisation()
    buyer = make_buyer_member(x)
    db.session.commit()
    location_id = db.session.scalar(select(DeliveryLocation.id))
    web.sign_in(buyer).post(f"/buyer/locations/{location_id}/remove")
    assert db.session.get(DeliveryLocation, location_id) is not None


def test_a_viewer_cannot_change_locations(web) -> None:
    x = make_buyer_organisation()
    viewer = make_buyer_member(x, role="viewer")
    db.session.commit()
    web.sign_in(viewer)
    assert web.get("/buyer/locations").status_code == 200
    assert (
        web.post(
            "/buyer/locations", {"kind": "store", "name": "N", "address": "A", "province_code": "ha-noi"}
        ).status_code
        == 403
    )


@pytest.fixture
def product_with_tiers():
    product = make_product(slug="che-tan-cuong", price_vnd=150_000)
    db.session.add(PriceTier(product_id=product.id, min_quantity=50, unit_price_vnd=123_456))
    db.session.commit()
    return product


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("consumer", False),
        ("pending_buyer", False),
        ("rejected_buyer", False),
        ("verified_buyer", True),
        ("admin", True),
    ],
)
def test_only_verified_buyers_see_wholesale_prices(web, product_with_tiers, who, sees) -> None:
    users = {
        "consumer": lambda: make_user(),
        "pending_buyer": lambda: make_buyer_member(make_buyer_organisation(status="pending")),
        "rejected_buyer": lambda: make_buyer_member(make_buyer_organisation(status="rejected")),
        "verified_buyer": lambda: make_buyer_member(make_buyer_organisation(status="verified")),
        "admin": lambda: make_user(is_admin=True),
    }
    if who != "anonymous":
        web.sign_in(users[who]())
        db.session.commit()
    response = web.get("/products/che-tan-cuong")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("123.456" in page or "123,456" in page) is sees


def test_wholesale_visibility_rule(app) -> None:
    from flask_login import AnonymousUserMixin

    from marketplace.accounts.permissions import can_see_wholesale

    assert not can_see_wholesale(AnonymousUserMixin())
    assert not can_see_wholesale(make_buyer_member(make_buyer_organisation(status="pending")))
    assert can_see_wholesale(make_buyer_member(make_buyer_organisation(status="verified")))


def test_unverified_producers_cannot_publish(app) -> None:
    from marketplace.accounts.permissions import producer_can_publish
    from tests.factories import make_producer

    assert not producer_can_publish(make_producer(verification_status="pending"))
    assert not producer_can_publish(make_producer(verification_status="rejected"))
    assert producer_can_publish(make_producer(verification_status="verified"))


def test_a_verified_buyers_view_of_a_product_is_never_served_to_others(
    web, client, product_with_tiers
) -> None:
    """The product page is cached per catalogue version: the cached copy must not carry the tiers
    from a verified buyer's visit to an anonymous visitor (nor the other way round)."""
    buyer = make_buyer_member(make_buyer_organisation(status="verified"))
    db.session.commit()
    page = web.sign_in(buyer).get("/products/che-tan-cuong").get_data(as_text=True)
    assert "123.456" in page

    anonymous = client.application.test_client()
    page = anonymous.get("/products/che-tan-cuong").get_data(as_text=True)
    assert "123.456" not in page and "123,456" not in page
    assert "123.456" in web.get("/products/che-tan-cuong").get_data(as_text=True)
