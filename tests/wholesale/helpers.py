"""Builders for bulk-order tests."""

from __future__ import annotations

from datetime import timedelta

from marketplace.catalog.models import PriceTier
from marketplace.extensions import db
from marketplace.orders.services import new_idempotency_key
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.pricing import organisation_locations
from tests.factories import make_buyer_member, make_buyer_organisation, make_product


def wholesale_product(producer=None, *, tiers=((50, 82_000), (100, 78_000)), **fields):
    """A product sold by the case: retail 90.000 ₫, tiers from 50 and 100 units."""
    values = {"price_vnd": 90_000, "stock": 1_000, "min_order_qty": 1, "case_pack": 1}
    values.update(fields)
    product = make_product(producer, **values)
    for min_quantity, price in tiers:
        db.session.add(PriceTier(product_id=product.id, min_quantity=min_quantity, unit_price_vnd=price))
    db.session.flush()
    return product


def buyer(role: str = "owner", organisation=None, *, email: str | None = None, **org_fields):
    org_fields.setdefault("credit_limit_vnd", 1_000_000_000)
    organisation = organisation or make_buyer_organisation(**org_fields)
    return make_buyer_member(organisation, role=role, email=email), organisation


def fill_draft(organisation, products_and_quantities, user=None) -> None:
    for product, quantity in products_and_quantities:
        services.add_to_draft(organisation.id, user.id if user else None, product.id, quantity)
    db.session.commit()  # placing rolls back on refusal: what the test built must survive it


def choices_for(organisation, products, days: int = 3) -> dict:
    location = organisation_locations(organisation.id)[0]
    wanted = today_in_vietnam() + timedelta(days=days)
    return {p.producer_id: services.PartChoice(location.id, wanted) for p in products}


def place(user, organisation, products, *, key: str | None = None, po: str = "PO-1", days: int = 3):
    return services.place_bulk_order(
        organisation_id=organisation.id,
        user=user,
        choices=choices_for(organisation, products, days),
        purchase_order_number=po,
        idempotency_key=key or new_idempotency_key(),
    )


def matrix_objects(organisation, owner, producer) -> dict:
    """What the authorisation matrix's wholesale rules act on, all belonging to `organisation`:
    a saved list to load and one to delete, a placed order, two orders waiting for approval
    (one to approve, one to reject) and a draft with a line."""
    organisation.credit_limit_vnd = 1_000_000_000
    product = wholesale_product(producer, stock=10_000)
    fill_draft(organisation, [(product, 50)], owner)
    lists = [services.save_draft_as(organisation.id, owner.id, name) for name in ("Tuần", "Dự phòng")]
    db.session.commit()
    placed = place(owner, organisation, [product])
    organisation.approval_threshold_vnd = 0
    pending = []
    for _ in range(2):
        fill_draft(organisation, [(product, 50)], owner)
        pending.append(place(owner, organisation, [product]))
    organisation.approval_threshold_vnd = None
    fill_draft(organisation, [(product, 50)], owner)
    return {
        "buyer_x_list": lists[0].id,
        "buyer_x_spare_list": lists[1].id,
        "buyer_x_order": placed.reference,
        "buyer_x_pending_order": pending[0].reference,
        "buyer_x_pending_order_2": pending[1].reference,
    }
