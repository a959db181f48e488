"""A producer records its province before July 2025, among those that merged into its own; its
next sales carry it, so a series reads the same under the 34 provinces or the 63 former ones."""

from __future__ import annotations

from datetime import datetime

import pytest

from marketplace.extensions import db
from marketplace.portal import services
from marketplace.reports.queries import SalesFilter, totals
from tests.factories import make_producer, make_producer_member, make_product
from tests.orders.helpers import place
from tests.reports.helpers import ship_and_deliver


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (the site's default is Vietnamese); pages ask for English by cookie."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def web(client):
    from tests.conftest import FormClient

    client.set_cookie("lang", "en")
    return FormClient(client)


def test_the_choice_is_one_of_the_provinces_that_merged_into_the_current_one(app, web) -> None:
    producer = make_producer(province_code="tuyen-quang")
    owner = make_producer_member(producer)
    db.session.commit()
    web.sign_in(owner)
    page = web.get("/portal/former-province").get_data(as_text=True)
    assert "Hà Giang" in page and "Tuyên Quang" in page and "Bắc Kạn" not in page
    assert web.post("/portal/former-province", data={"former_province": "bac-kan"}).status_code == 400
    assert web.post("/portal/former-province", data={"former_province": "ha-giang"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(producer), producer.id).former_province_code == "ha-giang"


def test_the_service_refuses_a_province_that_did_not_merge_into_it(app) -> None:
    producer = make_producer(province_code="tuyen-quang")
    with pytest.raises(services.FormerProvinceError):
        services.set_former_province(producer, "bac-kan")


def test_sales_after_the_choice_are_read_under_the_former_province(app, web) -> None:
    producer = make_producer(province_code="tuyen-quang")
    owner = make_producer_member(producer)
    tea = make_product(producer, price_vnd=100_000, stock=5)
    db.session.commit()
    web.sign_in(owner).post("/portal/former-province", data={"former_province": "ha-giang"})
    db.session.expire_all()
    ship_and_deliver(place([(tea, 2)]).producer_orders[0], datetime(2026, 3, 1, 3, 0))
    assert totals(SalesFilter(former_province_code="ha-giang")).revenue_vnd == 200_000
    assert totals(SalesFilter(province_code="tuyen-quang")).revenue_vnd == 200_000


def test_staff_may_read_but_only_owners_choose(app, web) -> None:
    producer = make_producer(province_code="tuyen-quang")
    staff = make_producer_member(producer, role="staff")
    db.session.commit()
    web.sign_in(staff)
    assert web.get("/portal/former-province").status_code == 200
    assert web.post("/portal/former-province", data={"former_province": "ha-giang"}).status_code == 403
