"""/buyer/api-tokens and /portal/api-tokens: owners create a token (shown once) and revoke it."""

from __future__ import annotations

from marketplace.extensions import db
from tests.api.helpers import bearer, build_world
from tests.conftest import FormClient
from tests.factories import make_buyer_member


def test_an_owner_creates_a_token_shown_once_and_revokes_it(app) -> None:
    world = build_world()
    web = FormClient(app.test_client()).sign_in(world.owner)
    page = web.post("/buyer/api-tokens", {"name": "SAP", "scopes": ["orders:read", "catalog:read"]})
    assert page.status_code == 200
    secret = "ocop_" + page.data.decode().split("ocop_", 1)[1].split("<", 1)[0]
    assert app.test_client().get("/api/v1/orders", headers=bearer(secret)).status_code == 200
    listing = web.get("/buyer/api-tokens").data.decode()
    assert "SAP" in listing and secret not in listing
    from marketplace.api import tokens

    token = next(t for t in tokens.tokens_of("buyer", world.organisation.id) if t.name == "SAP")
    assert token.scope_list == ["catalog:read", "orders:read"]
    assert web.post(f"/buyer/api-tokens/{token.id}/revoke").status_code == 302
    db.session.expire_all()  # the test shares its session with the next request
    assert app.test_client().get("/api/v1/orders", headers=bearer(secret)).status_code == 401


def test_a_token_needs_a_scope_and_only_owners_see_the_page(app) -> None:
    world = build_world()
    web = FormClient(app.test_client()).sign_in(world.owner)
    assert web.post("/buyer/api-tokens", {"name": "SAP"}).status_code == 422
    purchaser = make_buyer_member(world.organisation, role="purchaser")
    db.session.commit()
    other = FormClient(app.test_client()).sign_in(purchaser)
    assert other.get("/buyer/api-tokens").status_code == 403
    assert other.get("/portal/api-tokens").status_code == 403


def test_a_producer_owner_gets_the_producer_scopes(app) -> None:
    world = build_world()
    from marketplace.accounts.models import ProducerMembership

    owner = db.session.query(ProducerMembership).filter_by(producer_id=world.producer.id).one().user
    web = FormClient(app.test_client()).sign_in(owner)
    page = web.get("/portal/api-tokens").data.decode()
    assert "listings:write" in page and "orders:fulfil" in page and "catalog:read" not in page
