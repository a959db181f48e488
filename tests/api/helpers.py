"""Builders for API tests: a verified chain with an owner and a token, a producer with a token,
wholesale products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from marketplace.api import tokens
from marketplace.extensions import db
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale.pricing import organisation_locations
from tests.factories import make_producer, make_producer_member
from tests.wholesale.helpers import buyer, wholesale_product


@dataclass
class World:
    buyer_token: str
    producer_token: str
    organisation: object
    owner: object
    producer: object
    products: list
    location_id: int


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def token_for(kind: str, organisation_id: int, user_id: int, scopes=None, **fields) -> str:
    created = tokens.create_token(
        kind,
        organisation_id,
        name="ERP",
        scopes=list(scopes or tokens.SCOPES[kind]),
        user_id=user_id,
        **fields,
    )
    db.session.commit()
    return created.secret


def build_world(products: int = 2, **org_fields) -> World:
    owner, organisation = buyer(**org_fields)
    producer = make_producer(slug="htx-che", verification_status="verified")
    producer_owner = make_producer_member(producer, email="owner@htx.vn")
    items = [
        wholesale_product(producer, sku=f"TC-{n}", slug=f"che-{n}", name=f"Chè {n}") for n in range(products)
    ]
    db.session.commit()
    return World(
        buyer_token=token_for("buyer", organisation.id, owner.id),
        producer_token=token_for("producer", producer.id, producer_owner.id),
        organisation=organisation,
        owner=owner,
        producer=producer,
        products=items,
        location_id=organisation_locations(organisation.id)[0].id,
    )


def order_body(world: World, quantity: int = 50, **extra) -> dict:
    body = {
        "lines": [{"code": f"htx-che/{p.sku}", "quantity": quantity} for p in world.products],
        "delivery_location_id": world.location_id,
        "requested_delivery_date": (today_in_vietnam() + timedelta(days=3)).isoformat(),
        "purchase_order_number": "PO-API-1",
    }
    body.update(extra)
    return body
