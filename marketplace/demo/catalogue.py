"""The hand-written demo catalogue: real OCOP specialities from invented producers, with
certificates, geographical indications and marks, wholesale tiers and pictures drawn locally, so
that every page of the site has something true-to-life to show.

`load_demo()` reads the files of `data/` (see `marketplace.demo.data`), checks them against the
catalogue's rules and writes them in one transaction that commits at the end: a failure leaves the
database as it was.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.cache import bump_catalog_version
from marketplace.catalog.models import (
    CERTIFICATE_STATUSES,
    PRODUCT_STATUSES,
    PROTECTION_KINDS,
    RIGHT_STATUSES,
    Certification,
    PriceTier,
    Product,
    Protection,
    ProtectionRight,
)
from marketplace.demo.data import Catalogue, CertificateSpec, ProducerSpec, ProductSpec, catalogue
from marketplace.demo.pictures import PictureJob, picture_jobs, store_pictures
from marketplace.demo.rules import (
    LEVEL_REFORM_DATE,
    certificate_number,
    initials,
    issuing_decision,
    issuing_level,
    province_authority,
)
from marketplace.extensions import db
from marketplace.producers.models import VERIFICATION_STATUSES, Producer
from marketplace.reference import (
    CERTIFICATE_VALIDITY_MONTHS,
    PRODUCT_GROUPS_BY_CODE,
    PROVINCES_BY_CODE,
    STAR_SCORE_RANGES,
    UNITS,
    EntityType,
    default_former_province_code,
    resolve_province,
)
from marketplace.text import slugify
from marketplace.timeutil import add_months


class DemoAlreadyLoaded(click.ClickException):
    """The hand-written demo catalogue is (partly) in the database already."""

    code = "demo_already_loaded"


_LEGAL_FORMS = ("Công ty TNHH ", "Công ty CP ", "HTX ", "Hộ kinh doanh ", "Tổ hợp tác ")


def _without_legal_form(name: str) -> str:
    """The name without its legal form, for SKU prefixes: "HTX Chè Tân Cương Xanh" -> "Chè Tân Cương Xanh"."""
    for form in _LEGAL_FORMS:
        if name.startswith(form):
            return name[len(form) :]
    return name


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


# ---------------------------------------------------------------------------------------------
# Validation of the hand-written data


def validate_demo_data(data: Catalogue | None = None) -> None:
    """Raise ValueError listing every way the hand-written data breaks the catalogue's rules, so
    that a typo in a data file fails loudly rather than loading a wrong demo."""
    data = data or catalogue()
    problems: list[str] = list(data.problems)
    protection_keys = {p.key for p in data.protections}
    if len(protection_keys) != len(data.protections):
        problems.append("duplicate protection keys")
    for protection in data.protections:
        if protection.kind not in PROTECTION_KINDS or protection.province_code not in PROVINCES_BY_CODE:
            problems.append(f"protection {protection.key}: bad kind or province")
    producer_slugs: set[str] = set()
    for producer in data.producers:
        where = producer.name
        slug = producer.slug
        if slug != slugify(slug):
            problems.append(f"{where}: {slug!r} is not a slug (lower-case ASCII words joined by -)")
        if slug in producer_slugs:
            problems.append(f"{where}: duplicate producer slug {slug}")
        producer_slugs.add(slug)
        if producer.province_code not in PROVINCES_BY_CODE:
            problems.append(f"{where}: unknown province {producer.province_code}")
        if producer.former_province:
            former = resolve_province(producer.former_province)
            if former is None or former.code != producer.province_code:
                problems.append(f"{where}: {producer.former_province} is not in {producer.province_code}")
        elif default_former_province_code(producer.province_code) is None:
            problems.append(f"{where}: name the former province of {producer.province_code}")
        if producer.entity_type not in {e.value for e in EntityType}:
            problems.append(f"{where}: unknown entity type {producer.entity_type}")
        if producer.verification_status not in VERIFICATION_STATUSES:
            problems.append(f"{where}: unknown verification status")
        for product in producer.products:
            problems.extend(
                f"{where} / {product.name}: {problem}"
                for problem in _product_problems(producer, product, protection_keys)
            )
    if problems:
        raise ValueError("demo data is inconsistent:\n" + "\n".join(problems))


def _product_problems(
    producer: ProducerSpec, product: ProductSpec, protection_keys: set[str]
) -> Iterator[str]:
    group = PRODUCT_GROUPS_BY_CODE.get(product.group)
    if group is None or product.subgroup not in dict(group.subgroups):
        yield f"unknown group/subgroup {product.group}/{product.subgroup}"
    if product.unit not in UNITS:
        yield f"unknown unit {product.unit}"
    if product.status not in PRODUCT_STATUSES:
        yield f"unknown status {product.status}"
    if producer.verification_status != "verified" and product.status == "published":
        yield "an unverified producer's product must not be published"
    if not isinstance(product.price_vnd, int) or not 0 < product.price_vnd <= 1_000_000_000:
        yield "price must be a positive integer number of dong"
    if product.min_order_qty < 1 or product.case_pack < 1 or product.min_order_qty % product.case_pack:
        yield "minimum order must be a whole number of case packs"
    previous_quantity, previous_price = 0, product.price_vnd
    for quantity, price in product.price_tiers:
        if quantity <= previous_quantity or price >= previous_price or quantity < product.min_order_qty:
            yield "price tiers must rise in quantity and fall in price"
        previous_quantity, previous_price = quantity, price
    for cert in product.certificates:
        low, high = STAR_SCORE_RANGES.get(cert.stars, (1, 0))
        if not low <= cert.score <= high:
            yield f"score {cert.score} does not give {cert.stars} stars"
        if cert.status not in CERTIFICATE_STATUSES:
            yield f"unknown certificate status {cert.status}"
        if issuing_level(cert.stars, cert.issued_on) == "district" and not producer.former_district:
            yield "a district-level certificate needs the producer's former district"
    for right in product.rights:
        if right.protection not in protection_keys or right.status not in RIGHT_STATUSES:
            yield f"bad protection right {right.protection}/{right.status}"


# ---------------------------------------------------------------------------------------------
# The hand-written catalogue


def load_demo(with_images: bool = True) -> str:
    """Load the hand-written demo catalogue in one transaction and return a one-line summary.

    Raises `DemoAlreadyLoaded` (a click error) when any of its producers exists already, rather
    than loading a second copy. `with_images=False` skips drawing pictures (tests use it).
    """
    data = catalogue()
    validate_demo_data(data)
    session = db.session
    slugs = [p.slug for p in data.producers]
    existing = session.scalars(select(Producer.slug).where(Producer.slug.in_(slugs))).all()
    if existing:
        raise DemoAlreadyLoaded(
            f"The demo catalogue is already loaded ({len(existing)} of its {len(slugs)} producers exist, "
            f"e.g. '{existing[0]}'). Use `seed-demo --if-empty`, or start from an empty database."
        )
    try:
        protection_ids = ensure_protections(session)
        product_slugs: set[str] = set(session.scalars(select(Product.slug)))
        pictures: list[PictureJob] = []
        product_count = 0
        certificate_sequence = itertools.count(1)
        for index, spec in enumerate(data.producers):
            producer = _build_producer(spec, index)
            session.add(producer)
            for product_spec in spec.products:
                product = _build_product(
                    spec,
                    product_spec,
                    producer,
                    product_count,
                    protection_ids,
                    product_slugs,
                    certificate_sequence,
                )
                session.add(product)
                pictures.extend(picture_jobs(product, product_spec))
                product_count += 1
        session.flush()
        if with_images:
            store_pictures(pictures)
        bump_catalog_version(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    provinces = {p.province_code for p in data.producers}
    return f"{product_count} products from {len(data.producers)} producers in {len(provinces)} provinces"


def ensure_protections(session: Session) -> dict[str, int]:
    """Ids of the demo's protections by key, creating those not yet registered (matched on kind and
    registration number, which are unique)."""
    rows = session.execute(select(Protection.id, Protection.kind, Protection.registration_number)).all()
    known = {(kind, number): pid for pid, kind, number in rows}
    ids: dict[str, int] = {}
    for spec in catalogue().protections:
        pid = known.get((spec.kind, spec.registration_number))
        if pid is None:
            protection = Protection(
                kind=spec.kind,
                name=spec.name,
                registration_number=spec.registration_number,
                holder=spec.holder,
                province_code=spec.province_code,
                registered_on=spec.registered_on,
                description=spec.description,
            )
            session.add(protection)
            session.flush()
            pid = protection.id
        ids[spec.key] = pid
    return ids


def _former_province_code(spec: ProducerSpec) -> str | None:
    """The unit before July 2025: the one the data names, else the one of the same name."""
    if spec.former_province:
        return slugify(spec.former_province)
    return default_former_province_code(spec.province_code)


def _build_producer(spec: ProducerSpec, index: int) -> Producer:
    verified = spec.verification_status == "verified"
    verified_on = spec.verified_on or date(2024, 2, 1) + timedelta(days=13 * index)
    slug = spec.slug
    return Producer(
        slug=slug,
        name=spec.name,
        entity_type=spec.entity_type,
        code=spec.code,
        tax_code=spec.tax_code,  # invented: 99… is no province's prefix, so never a real firm's
        province_code=spec.province_code,
        former_province_code=_former_province_code(spec),
        commune=spec.commune,
        craft_village=spec.craft_village,
        story=spec.story,
        environment_plan=spec.environment_plan,
        circular_practices=spec.circular_practices,
        green_verified=spec.green_verified,
        contact_email=f"lienhe@{slug}.example",  # reserved domain: mail never reaches anyone
        verification_status=spec.verification_status,
        verified_at=datetime.combine(verified_on, time(9, 30)) if verified else None,
        created_at=datetime.combine(verified_on - timedelta(days=6), time(8, 0)),
    )


def _build_product(
    producer_spec: ProducerSpec,
    spec: ProductSpec,
    producer: Producer,
    index: int,
    protection_ids: dict[str, int],
    taken_slugs: set[str],
    certificate_sequence: Iterator[int],
) -> Product:
    created = datetime(2024, 3, 4, 9, 0) + timedelta(days=9 * index, hours=index % 7)
    sku_prefix = initials(_without_legal_form(producer_spec.name), limit=4)
    return Product(
        producer=producer,
        sku=f"{sku_prefix}-{index + 1:03d}",
        slug=_unique_slug(slugify(spec.name), taken_slugs),
        name=spec.name,
        name_en=spec.name_en,
        group_code=spec.group,
        subgroup_code=spec.subgroup,
        description=spec.description,
        unit=spec.unit,
        net_weight_g=spec.net_weight_g,
        price_vnd=spec.price_vnd,
        stock=spec.stock,
        status=spec.status,
        min_order_qty=spec.min_order_qty,
        case_pack=spec.case_pack,
        created_at=created,
        updated_at=created,
        images=[],  # filled by picture_jobs
        price_tiers=[PriceTier(min_quantity=q, unit_price_vnd=p) for q, p in spec.price_tiers],
        certifications=[
            _build_certificate(producer_spec, cert, next(certificate_sequence)) for cert in spec.certificates
        ],
        protection_rights=[
            ProtectionRight(
                protection_id=protection_ids[right.protection],
                decision_number=right.decision_number,
                status=right.status,
                decided_at=created + timedelta(days=10) if right.status != "pending" else None,
            )
            for right in spec.rights
        ],
    )


def _build_certificate(producer: ProducerSpec, spec: CertificateSpec, sequence: int) -> Certification:
    """A certificate as it was issued: by the level and under the province name in force then."""
    level = issuing_level(spec.stars, spec.issued_on)
    current_name = PROVINCES_BY_CODE[producer.province_code].name
    before_reform = spec.issued_on < LEVEL_REFORM_DATE
    province_then = (producer.former_province or current_name) if before_reform else current_name
    issuer = {
        "district": f"{producer.former_district}, {province_authority(province_then)}",
        "province": province_authority(province_then),
        "central": None,
    }[level]
    decided_on = spec.decided_on or spec.issued_on + timedelta(days=12)
    return Certification(
        star_class=spec.stars,
        score=spec.score,
        certificate_number=certificate_number(province_then, level, spec.issued_on.year, sequence),
        issuing_level=level,
        issuing_decision=issuing_decision(level, spec.decision_no, spec.issued_on, issuer),
        issuing_province=province_then,
        issued_on=spec.issued_on,
        expires_on=add_months(spec.issued_on, CERTIFICATE_VALIDITY_MONTHS),
        status=spec.status,
        status_reason=spec.status_reason,
        decided_at=None if spec.status == "pending" else datetime.combine(decided_on, time(10, 0)),
    )
