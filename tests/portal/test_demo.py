"""The demo producer account has a working portal over the demo catalogue."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.demo import DEMO_ACCOUNTS, create_demo_accounts, load_demo
from marketplace.extensions import db
from tests.conftest import FormClient


def test_the_demo_producer_can_use_every_portal_page(client, app) -> None:
    load_demo(with_images=False)
    create_demo_accounts()
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["producer"]))
    web = FormClient(client).sign_in(user)
    dashboard = web.get("/portal/")
    assert dashboard.status_code == 200
    assert user.producer_membership.producer.name in dashboard.get_data(as_text=True)
    products = web.get("/portal/products").get_data(as_text=True)
    assert "/portal/products/" in products
    for path in ("/portal/stock", "/portal/import-export", "/portal/export.csv", "/portal/products/new"):
        assert web.get(path).status_code == 200, path
    home = web.get("/").get_data(as_text=True)
    assert 'href="/portal/"' in home
