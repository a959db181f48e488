"""Demo accounts, one of each kind, so that a newcomer can try every role. Demo data only: the
password is public (see the README) and must never exist on a real site."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import BuyerMembership, ProducerMembership, User
from marketplace.accounts.passwords import hash_password
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import utcnow

DEMO_PASSWORD = "ocop-demo-2025"
DEMO_ACCOUNTS = {
    "admin": "admin@demo.ocop.vn",
    "consumer": "consumer@demo.ocop.vn",
    "producer": "producer@demo.ocop.vn",
    "buyer": "buyer@demo.ocop.vn",
    "pending_buyer": "pending-buyer@demo.ocop.vn",
}


def _user(email: str, name: str, *, is_admin: bool = False) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash=hash_password(DEMO_PASSWORD), display_name=name,
                    is_admin=is_admin, email_confirmed_at=utcnow())
        db.session.add(user)
        db.session.flush()
    return user


def _buyer(tax_code: str, legal_name: str, status: str) -> BuyerOrganisation:
    organisation = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.tax_code == tax_code))
    if organisation is None:
        organisation = BuyerOrganisation(
            legal_name=legal_name, tax_code=tax_code, head_office_address="163 Phan Đăng Lưu, Phường Đức Nhuận",
            head_office_province_code="ho-chi-minh", contact_email="purchasing@demo.ocop.vn",
            contact_phone="028 3000 0000", verification_status=status,
            verified_at=utcnow() if status == "verified" else None,
        )
        db.session.add(organisation)
        db.session.flush()
        db.session.add(DeliveryLocation(
            buyer_organisation_id=organisation.id, kind="distribution_centre",
            name="Trung tâm phân phối Bình Dương", address="KCN Sóng Thần", province_code="ho-chi-minh",
        ))
    return organisation


def create_demo_accounts() -> dict[str, str]:
    """Creates (once) an administrator, a consumer, a producer owner linked to the first verified
    producer, a verified supermarket buyer and a buyer still waiting for verification. Returns
    role -> e-mail. The caller commits."""
    _user(DEMO_ACCOUNTS["admin"], "Quản trị viên OCOP", is_admin=True)
    _user(DEMO_ACCOUNTS["consumer"], "Nguyễn Thị Lan")

    producer_user = _user(DEMO_ACCOUNTS["producer"], "Trần Văn Minh")
    producer = db.session.scalar(
        select(Producer).where(Producer.verification_status == "verified").order_by(Producer.id).limit(1)
    )
    if producer is not None and producer_user.producer_membership is None:
        db.session.add(ProducerMembership(user_id=producer_user.id, producer_id=producer.id, role="owner"))

    for key, tax_code, legal_name, status in (
        ("buyer", "0301234567", "Công ty CP Siêu thị Xanh (demo)", "verified"),
        ("pending_buyer", "0307654321", "Công ty TNHH Chuỗi Cửa hàng Sen (demo)", "pending"),
    ):
        user = _user(DEMO_ACCOUNTS[key], legal_name)
        organisation = _buyer(tax_code, legal_name, status)
        if user.buyer_membership is None:
            db.session.add(BuyerMembership(user_id=user.id, buyer_organisation_id=organisation.id, role="owner"))
    db.session.flush()
    return dict(DEMO_ACCOUNTS)
