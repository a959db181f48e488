"""The demo supermarket can order in bulk straight after `flask seed-demo`."""

from __future__ import annotations

from sqlalchemy import select

from marketplace import demo
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.wholesale import services
from marketplace.wholesale.pricing import BulkLine, quote_bulk_order


def test_the_demo_buyer_has_credit_locations_and_wholesale_products_to_order(app) -> None:
    demo.load_demo(with_images=False)
    demo.create_demo_accounts()
    demo.prepare_wholesale_demo()
    demo.prepare_wholesale_demo()
    user = db.session.scalar(select(User).where(User.email == demo.DEMO_ACCOUNTS["buyer"]))
    organisation = user.buyer_membership.organisation
    assert organisation.credit_limit_vnd == demo.DEMO_CREDIT_LIMIT_VND
    from marketplace.wholesale.pricing import organisation_locations

    assert [loc.name for loc in organisation_locations(organisation.id)][-1] == "Cửa hàng Quận 3"
    page = services.wholesale_catalogue()
    assert page.total >= 10
    item = next(i for i in page.items if i.tiers)
    quantity = item.tiers[0][0]
    quantity += -quantity % item.product.case_pack
    quote = quote_bulk_order(
        [BulkLine(item.product.id, max(quantity, item.product.min_order_qty))], organisation.id
    )
    assert quote.lines[0].tier_min_quantity is not None
