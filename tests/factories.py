"""Small builders for test data: each returns a flushed model with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date

from marketplace.accounts.models import BuyerMembership, ProducerMembership, User
from marketplace.accounts.passwords import hash_password
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.catalog.models import Certification, Product, ProductImage, Protection, ProtectionRight
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.timeutil import add_months, today_in_vietnam

_ids = itertools.count(1)


def make_producer(**fields) -> Producer:
    n = next(_ids)
    values = {
        "slug": f"producer-{n}",
        "name": f"HTX Thử nghiệm {n}",
        "entity_type": "cooperative",
        "province_code": "thai-nguyen",
        "commune": "Tân Cương",
        "story": "",
        "verification_status": "verified",
        "tax_code": f"46{n:08d}",  # invoices need one (a 10-digit enterprise code)
        "code": f"T{n}",
    }
    values.update(fields)
    producer = Producer(**values)
    db.session.add(producer)
    db.session.flush()
    return producer


def make_product(producer: Producer | None = None, **fields) -> Product:
    n = next(_ids)
    producer = producer or make_producer()
    values = {
        "producer_id": producer.id,
        "sku": f"SKU-{n}",
        "slug": f"product-{n}",
        "name": f"Chè thử nghiệm {n}",
        "group_code": "food",
        "subgroup_code": "tea",
        "description": "",
        "unit": "box",
        "price_vnd": 150_000,
        "stock": 10,
        "status": "published",
    }
    values.update(fields)
    product = Product(**values)
    db.session.add(product)
    db.session.flush()
    return product


def make_certificate(
    product: Product,
    stars: int = 3,
    *,
    issued_on: date | None = None,
    status: str = "verified",
    score: int | None = None,
    **fields,
) -> Certification:
    issued_on = issued_on or add_months(today_in_vietnam(), -6)
    default_scores = {3: 60, 4: 80, 5: 95}
    cert = Certification(
        product_id=product.id,
        star_class=stars,
        score=score if score is not None else default_scores[stars],
        certificate_number=fields.pop("certificate_number", f"OCOP-{next(_ids)}"),
        issuing_level=fields.pop("issuing_level", "central" if stars == 5 else "province"),
        issuing_decision=fields.pop("issuing_decision", "Quyết định số 123/QĐ-UBND"),
        issued_on=issued_on,
        expires_on=fields.pop("expires_on", add_months(issued_on, 36)),
        status=status,
        **fields,
    )
    db.session.add(cert)
    db.session.flush()
    return cert


def make_protection(kind: str = "gi", name: str = "Tân Cương", number: str | None = None) -> Protection:
    protection = Protection(
        kind=kind,
        name=name,
        registration_number=number or f"{next(_ids):05d}",
        holder="UBND tỉnh Thái Nguyên",
        province_code="thai-nguyen",
    )
    db.session.add(protection)
    db.session.flush()
    return protection


def grant_right(product: Product, protection: Protection, status: str = "verified") -> ProtectionRight:
    right = ProtectionRight(
        protection_id=protection.id, product_id=product.id, decision_number="QĐ 45/QĐ-UBND", status=status
    )
    db.session.add(right)
    db.session.flush()
    return right


def add_image(product: Product, key: str = "products/test-1", cover: bool = True) -> ProductImage:
    image = ProductImage(product_id=product.id, storage_key=key, is_cover=cover, alt=product.name)
    db.session.add(image)
    db.session.flush()
    return image


PASSWORD = "correct horse battery staple"
_PASSWORD_HASH: list[str] = []


def make_user(email: str | None = None, *, is_admin: bool = False, **fields) -> User:
    """A user whose password is PASSWORD (hashed once per test run: scrypt is slow on purpose)."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    user = User(
        email=email or f"user{next(_ids)}@example.vn",
        password_hash=_PASSWORD_HASH[0],
        display_name=fields.pop("display_name", "Người dùng"),
        is_admin=is_admin,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_producer_member(producer: Producer | None = None, role: str = "owner", **user_fields) -> User:
    producer = producer or make_producer()
    user = make_user(**user_fields)
    db.session.add(ProducerMembership(user_id=user.id, producer_id=producer.id, role=role))
    db.session.flush()
    db.session.refresh(user)
    return user


def make_buyer_organisation(status: str = "verified", **fields) -> BuyerOrganisation:
    n = next(_ids)
    values = {
        "legal_name": f"Siêu thị Thử nghiệm {n}",
        "tax_code": f"{n:010d}",
        "head_office_address": "1 Lê Lợi",
        "head_office_province_code": "ha-noi",
        "contact_email": f"buyer{n}@example.vn",
        "verification_status": status,
    }
    values.update(fields)
    organisation = BuyerOrganisation(**values)
    db.session.add(organisation)
    db.session.flush()
    add_location(organisation)
    return organisation


def add_location(organisation: BuyerOrganisation, **fields) -> DeliveryLocation:
    values = {
        "kind": "store",
        "name": f"Cửa hàng {next(_ids)}",
        "address": "2 Tràng Tiền",
        "province_code": "ha-noi",
    }
    values.update(fields)
    location = DeliveryLocation(buyer_organisation_id=organisation.id, **values)
    db.session.add(location)
    db.session.flush()
    return location


def make_buyer_member(
    organisation: BuyerOrganisation | None = None, role: str = "owner", **user_fields
) -> User:
    organisation = organisation or make_buyer_organisation()
    user = make_user(**user_fields)
    db.session.add(BuyerMembership(user_id=user.id, buyer_organisation_id=organisation.id, role=role))
    db.session.flush()
    db.session.refresh(user)
    return user
