"""Demo accounts: one of each kind, created once."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.demo import DEMO_PASSWORD, create_demo_accounts
from marketplace.extensions import db
from tests.factories import make_producer


def test_demo_accounts_cover_every_role_and_are_created_once(app) -> None:
    make_producer(verification_status="pending")
    verified = make_producer(verification_status="verified")
    accounts = create_demo_accounts()
    create_demo_accounts()
    assert db.session.scalar(select(func.count(User.id))) == len(accounts)
    admin = services.authenticate(accounts["admin"], DEMO_PASSWORD)
    assert admin.is_admin
    producer = services.authenticate(accounts["producer"], DEMO_PASSWORD)
    assert producer.producer_membership.producer_id == verified.id
    assert services.authenticate(accounts["buyer"], DEMO_PASSWORD).buyer_membership.organisation.is_verified
    pending = services.authenticate(accounts["pending_buyer"], DEMO_PASSWORD)
    assert pending.buyer_membership.organisation.verification_status == "pending"
    consumer = services.authenticate(accounts["consumer"], DEMO_PASSWORD)
    assert consumer.producer_membership is None and consumer.buyer_membership is None
