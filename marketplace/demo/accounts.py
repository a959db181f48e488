"""Demo accounts, one of each kind, so that a newcomer can try every role. Demo data only: the
password is public (see the README) and must never exist on a real site.

The accounts are the lines of `data/accounts.csv` (role, e-mail, name), the supermarket buyers
those of `data/buyers.csv` (the account that owns it, tax code, legal name, verification status).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import select

from marketplace.accounts.models import BuyerMembership, ProducerMembership, User
from marketplace.accounts.passwords import hash_password
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.demo.data import parse_flag, parse_rows
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import utcnow

DEMO_PASSWORD = "ocop-demo-2025"


@dataclass(frozen=True)
class DemoAccount:
    role: str  # admin, consumer, producer (owner of the first verified producer), or a buyer's key
    email: str
    display_name: str
    is_admin: bool


@dataclass(frozen=True)
class DemoBuyer:
    account: str  # DemoAccount.role of its owner
    tax_code: str
    legal_name: str
    verification_status: str


def _account(row: dict[str, str]) -> DemoAccount:
    return DemoAccount(
        role=row["role"],
        email=row["email"],
        display_name=row["display_name"],
        is_admin=parse_flag(row["is_admin"]),
    )


def _demo_buyer(row: dict[str, str]) -> DemoBuyer:
    return DemoBuyer(
        account=row["account"],
        tax_code=row["tax_code"],
        legal_name=row["legal_name"],
        verification_status=row["verification_status"],
    )


@functools.cache
def demo_accounts() -> tuple[DemoAccount, ...]:
    """The demo accounts in the order they are created."""
    return tuple(account for _, account in parse_rows("accounts.csv", _account))


@functools.cache
def demo_buyers() -> dict[str, DemoBuyer]:
    """The demo buyer organisations by the role of the account that owns each."""
    return {buyer.account: buyer for _, buyer in parse_rows("buyers.csv", _demo_buyer)}


DEMO_ACCOUNTS: dict[str, str] = {account.role: account.email for account in demo_accounts()}


def _user(email: str, name: str, *, is_admin: bool = False) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            password_hash=hash_password(DEMO_PASSWORD),
            display_name=name,
            is_admin=is_admin,
            email_confirmed_at=utcnow(),
        )
        db.session.add(user)
        db.session.flush()
    return user


def _buyer(tax_code: str, legal_name: str, status: str) -> BuyerOrganisation:
    organisation = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.tax_code == tax_code))
    if organisation is None:
        organisation = BuyerOrganisation(
            legal_name=legal_name,
            tax_code=tax_code,
            head_office_address="163 Phan Đăng Lưu, Phường Đức Nhuận",
            head_office_province_code="ho-chi-minh",
            contact_email="purchasing@demo.ocop.vn",
            contact_phone="028 3000 0000",
            verification_status=status,
            verified_at=utcnow() if status == "verified" else None,
        )
        db.session.add(organisation)
        db.session.flush()
        db.session.add(
            DeliveryLocation(
                buyer_organisation_id=organisation.id,
                kind="distribution_centre",
                name="Trung tâm phân phối Bình Dương",
                address="KCN Sóng Thần",
                province_code="ho-chi-minh",
            )
        )
    return organisation


def create_demo_accounts() -> dict[str, str]:
    """Creates (once) an administrator, a consumer, a producer owner linked to the first verified
    producer, a verified supermarket buyer and a buyer still waiting for verification. Returns
    role -> e-mail. The caller commits."""
    buyers = demo_buyers()
    for account in demo_accounts():
        user = _user(account.email, account.display_name, is_admin=account.is_admin)
        if account.role == "producer":
            producer = db.session.scalar(
                select(Producer)
                .where(Producer.verification_status == "verified")
                .order_by(Producer.id)
                .limit(1)
            )
            if producer is not None and user.producer_membership is None:
                db.session.add(ProducerMembership(user_id=user.id, producer_id=producer.id, role="owner"))
        buyer = buyers.get(account.role)
        if buyer is not None:
            organisation = _buyer(buyer.tax_code, buyer.legal_name, buyer.verification_status)
            if user.buyer_membership is None:
                db.session.add(
                    BuyerMembership(user_id=user.id, buyer_organisation_id=organisation.id, role="owner")
                )
    db.session.flush()
    return dict(DEMO_ACCOUNTS)
