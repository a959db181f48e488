"""Demo data for bulk ordering: the demo supermarket's credit limit, a store with a Vietnamese
name (for CSV files naming it), and minimum order values for a few producers. Demo data only."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.demo.accounts import demo_buyers
from marketplace.extensions import db
from marketplace.producers.models import Producer

DEMO_CREDIT_LIMIT_VND = 500_000_000
DEMO_STORE = ("Cửa hàng Quận 3", "212 Nguyễn Thị Minh Khai, Phường Xuân Hòa")
DEMO_PRODUCER_MINIMUM_VND = 2_000_000


def prepare_wholesale_demo() -> None:
    """Once: set the demo buyer's credit limit, add a second location, give the first three
    verified producers a minimum order value. The caller commits."""
    tax_code = demo_buyers()["buyer"].tax_code  # Công ty CP Siêu thị Xanh (demo)
    organisation = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.tax_code == tax_code))
    if organisation is not None:
        if organisation.credit_limit_vnd == 0:
            organisation.credit_limit_vnd = DEMO_CREDIT_LIMIT_VND
        has_store = db.session.scalar(
            select(DeliveryLocation.id).where(
                DeliveryLocation.buyer_organisation_id == organisation.id,
                DeliveryLocation.name == DEMO_STORE[0],
            )
        )
        if has_store is None:
            db.session.add(
                DeliveryLocation(
                    buyer_organisation_id=organisation.id,
                    kind="store",
                    name=DEMO_STORE[0],
                    address=DEMO_STORE[1],
                    province_code="ho-chi-minh",
                )
            )
    for producer in db.session.scalars(
        select(Producer).where(Producer.verification_status == "verified").order_by(Producer.id).limit(3)
    ):
        if producer.min_order_value_vnd == 0:
            producer.min_order_value_vnd = DEMO_PRODUCER_MINIMUM_VND
    db.session.flush()
