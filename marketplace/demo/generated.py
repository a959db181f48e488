"""Generated demo volume: many plain products spread over all 34 provinces and every product
group, to see how the site behaves with a large catalogue (20,000 products load in seconds).

Names are composed from the word lists of `data/vocabulary.json`; the same seed on the same
database always gives the same products.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from marketplace.catalog.cache import bump_catalog_version
from marketplace.catalog.models import Certification, PriceTier, Product, ProtectionRight
from marketplace.demo.catalogue import ensure_protections
from marketplace.demo.data import ProtectedVocabulary, SubgroupVocabulary, catalogue, word_lists
from marketplace.demo.rules import LEVEL_REFORM_DATE, certificate_number, issuing_decision, issuing_level
from marketplace.extensions import db
from marketplace.producers.models import Producer
from marketplace.reference import (
    CERTIFICATE_VALIDITY_MONTHS,
    PRODUCT_GROUPS,
    PRODUCT_GROUPS_BY_CODE,
    PROVINCES,
    STAR_SCORE_RANGES,
    Province,
)
from marketplace.text import slugify
from marketplace.timeutil import add_months

GENERATED_CHUNK = 2000
PRODUCTS_PER_GENERATED_PRODUCER = 40


@dataclass
class GeneratedProduct:
    """One planned product and its rows, before it has an id."""

    producer_index: int
    row: dict[str, object]
    price_tiers: list[tuple[int, int]] = field(default_factory=list)
    certificate: dict[str, object] | None = None
    right: tuple[str, str] | None = None  # (protection key, status)


@dataclass
class GeneratedCatalogue:
    producers: list[dict[str, object]]
    products: list[GeneratedProduct]


_ENTITY_WEIGHTS = (("cooperative", 45), ("enterprise", 30), ("cooperative_group", 10), ("household", 15))
_STAR_WEIGHTS = ((3, 72), (4, 24), (5, 4))
_GENERATED_ISSUE_START = date(2024, 1, 1)
_GENERATED_ISSUE_DAYS = (date(2026, 10, 31) - _GENERATED_ISSUE_START).days


def generate_products(n: int, seed: int = 2025) -> int:
    """Add `n` generated, published products (and their producers, one per ~40 products) spread over
    all 34 provinces and every product group and sub-group; return how many were added.

    The same seed on the same database gives the same products. Slugs and SKUs start with
    "g{seed}-" and continue the numbering of earlier runs, so runs never collide with each other or
    with the hand-written catalogue; a later run with the same seed draws new names. Rows go in
    with bulk INSERTs in chunks and get no pictures (the storefront shows a placeholder).
    """
    if n <= 0:
        return 0
    session = db.session
    prefix = f"g{seed}-"
    first_product = _next_generated_index(session, Product.slug, prefix)
    first_producer = _next_generated_index(session, Producer.slug, prefix)
    try:
        protection_ids = ensure_protections(session)
        plan = plan_generated_catalogue(n, seed, first_product, first_producer)
        producer_ids = _bulk_insert_returning_ids(session, Producer, plan.producers)
        certificates: list[dict[str, object]] = []
        tiers: list[dict[str, object]] = []
        rights: list[dict[str, object]] = []
        for chunk in _chunks(plan.products, GENERATED_CHUNK):
            rows = [{**item.row, "producer_id": producer_ids[item.producer_index]} for item in chunk]
            product_ids = _bulk_insert_returning_ids(session, Product, rows)
            for item, product_id in zip(chunk, product_ids, strict=True):
                tiers.extend(
                    {"product_id": product_id, "min_quantity": quantity, "unit_price_vnd": price}
                    for quantity, price in item.price_tiers
                )
                if item.certificate:
                    certificates.append({**item.certificate, "product_id": product_id})
                if item.right:
                    key, status = item.right
                    created = item.row["created_at"]
                    assert isinstance(created, datetime)
                    rights.append(_generated_right(product_id, protection_ids[key], status, created))
        for model, rows in ((Certification, certificates), (PriceTier, tiers), (ProtectionRight, rights)):
            for chunk in _chunks(rows, GENERATED_CHUNK):
                session.execute(insert(model), chunk)
        bump_catalog_version(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    _refresh_planner_statistics(session)
    return n


def _refresh_planner_statistics(session: Session) -> None:
    """After a bulk load PostgreSQL has no statistics on the new rows until autovacuum comes by,
    and meanwhile plans the storefront's facet queries for empty tables (minutes, not
    milliseconds). SQLite needs nothing."""
    if session.get_bind().dialect.name != "postgresql":
        return
    tables = ("producers", "products", "certifications", "price_tiers", "protection_rights", "product_images")
    session.execute(text(f"ANALYZE {', '.join(tables)}"))
    session.commit()


def _next_generated_index(session: Session, column: InstrumentedAttribute[str], prefix: str) -> int:
    """One past the highest run index in slugs "<prefix><index>-...", or 0."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    indexes = [
        int(m.group(1))
        for slug in session.scalars(select(column).where(column.like(f"{prefix}%")))
        if (m := pattern.match(slug))
    ]
    return max(indexes) + 1 if indexes else 0


def _bulk_insert_returning_ids(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    ids: list[int] = []
    for chunk in _chunks(rows, GENERATED_CHUNK):
        ids.extend(
            session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), chunk).all()
        )
    return ids


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _generated_right(
    product_id: int, protection_id: int, status: str, created: datetime
) -> dict[str, object]:
    decided = created + timedelta(days=20) if status == "verified" else None
    return {
        "product_id": product_id,
        "protection_id": protection_id,
        "decision_number": f"Quyết định số {product_id % 900 + 100}/QĐ-SKHCN",
        "status": status,
        "status_reason": None,
        "decided_at": decided,
        "created_at": created,
    }


def plan_generated_catalogue(
    n: int, seed: int, first_product: int = 0, first_producer: int = 0
) -> GeneratedCatalogue:
    """The rows `generate_products` inserts, computed without the database: the same arguments
    always give the same catalogue. Producers cycle through the provinces and sub-groups, so that
    34 or more products cover every province and every sub-group."""
    rng = random.Random(seed if first_product == 0 else f"{seed}/{first_product}")
    prefix = f"g{seed}-"
    producer_count = min(n, max(len(PROVINCES), math.ceil(n / PRODUCTS_PER_GENERATED_PRODUCER)))
    provinces = list(PROVINCES)
    rng.shuffle(provinces)
    subgroups = [(g.code, code) for g in PRODUCT_GROUPS for code, _ in g.subgroups]
    rng.shuffle(subgroups)
    protected_by_province: dict[str, list[ProtectedVocabulary]] = {}
    protection_province = {p.key: p.province_code for p in catalogue().protections}
    words = word_lists()
    for vocabulary in words.protected:
        protected_by_province.setdefault(protection_province[vocabulary.protection], []).append(vocabulary)

    producers: list[dict[str, object]] = []
    producer_info: list[tuple[Province, str, str, tuple[str, str], str]] = []
    for k in range(producer_count):
        province = provinces[k % len(provinces)]
        primary = subgroups[k % len(subgroups)]
        row, place, former = _plan_producer(rng, prefix, first_producer + k, province, primary[0])
        producers.append(row)
        producer_info.append((province, place, former, primary, str(row["name"])))

    products: list[GeneratedProduct] = []
    for i in range(n):
        k = i % producer_count
        province, place, former, primary, producer_name = producer_info[k]
        protected = protected_by_province.get(province.code)
        vocabulary: SubgroupVocabulary | ProtectedVocabulary
        if i >= producer_count and protected and rng.random() < 0.15:
            # A speciality of the place that may carry its GI or mark; an administrator has verified
            # most of these rights, a few are still pending (and show no badge).
            special = rng.choice(protected)
            vocabulary, group, subgroup = special, special.group, special.subgroup
            right = (special.protection, "verified" if rng.random() < 0.9 else "pending")
        else:
            if i < producer_count or rng.random() < 0.7:
                group, subgroup = primary
            else:
                group = primary[0]
                subgroup = rng.choice(PRODUCT_GROUPS_BY_CODE[group].subgroups)[0]
            vocabulary, right = words.subgroups[(group, subgroup)], None
        products.append(
            _plan_product(
                rng,
                prefix,
                first_product + i,
                k,
                group,
                subgroup,
                vocabulary,
                right,
                province,
                place,
                former,
                producer_name,
            )
        )
    return GeneratedCatalogue(producers, products)


def _person(rng: random.Random) -> str:
    words = word_lists()
    return f"{rng.choice(words.surnames)} {rng.choice(words.middle_names)} {rng.choice(words.given_names)}"


def _plan_producer(
    rng: random.Random, prefix: str, index: int, province: Province, group: str
) -> tuple[dict[str, object], str, str]:
    """A producer row, and its place and the province name it had before July 2025."""
    entity_type = rng.choices([e for e, _ in _ENTITY_WEIGHTS], [w for _, w in _ENTITY_WEIGHTS])[0]
    words = word_lists()
    place = rng.choice(words.places)
    trade = words.group_trades[group]
    name = {
        "cooperative": f"HTX {trade} {place}",
        "enterprise": f"Công ty TNHH {trade} {place}",
        "cooperative_group": f"Tổ hợp tác {trade} {place}",
        "household": f"Hộ kinh doanh {_person(rng)}",
    }[entity_type]
    former = rng.choice(province.former)
    founded = rng.randint(1995, 2021)
    members = rng.randint(7, 180)
    verified_at = datetime(2024, 1, 8, 9) + timedelta(days=rng.randrange(0, 1000))
    green = rng.random() < 0.08
    story = (
        f"{name} làm {trade.lower()} ở xã {place}, {province.name}, từ năm {founded}. "
        f"Hiện có {members} thành viên và người lao động, phần lớn là người trong xã."
    )
    row = {
        "slug": f"{prefix}{index}-{slugify(name)}"[:160],
        "name": name,
        "entity_type": entity_type,
        "code": f"G{prefix[1:-1]}P{index}",  # unique per run and seed, like the slug
        "tax_code": f"98{int(prefix[1:-1]) % 100:02d}{index % 1_000_000:06d}",  # 98…: no province's
        "province_code": province.code,
        "former_province_code": slugify(former),
        "commune": f"Xã {place}",
        "craft_village": f"Làng nghề {place}" if group == "handicrafts" and rng.random() < 0.5 else None,
        "story": story,
        "environment_plan": "Thu gom, phân loại chất thải rắn; nước thải qua bể lắng trước khi xả.",
        "circular_practices": "Phụ phẩm được ủ làm phân bón cho vùng nguyên liệu." if green else "",
        "green_verified": green,
        "contact_phone": None,
        "contact_email": None,
        "verification_status": "verified",
        "verified_at": verified_at,
        "created_at": verified_at - timedelta(days=5),
    }
    return row, place, former


# Vietnamese words for the unit codes of `reference.UNITS`, for generated descriptions.
_UNIT_WORDS = {
    "kg": "kg",
    "g": "g",
    "bottle": "chai",
    "box": "hộp",
    "bag": "túi",
    "jar": "hũ",
    "pack": "gói",
    "piece": "chiếc",
    "set": "bộ",
    "litre": "lít",
    "tour": "suất",
}


def _round_price(value: float) -> int:
    step = 1000 if value < 100_000 else 5000
    return max(step, int(round(value / step)) * step)


def _plan_product(
    rng: random.Random,
    prefix: str,
    index: int,
    producer_index: int,
    group: str,
    subgroup: str,
    vocabulary: SubgroupVocabulary | ProtectedVocabulary,
    right: tuple[str, str] | None,
    province: Province,
    place: str,
    former_province: str,
    producer_name: str,
) -> GeneratedProduct:
    qualifier = rng.choice(vocabulary.qualifiers)
    locality = "" if right else (place if rng.random() < 0.6 else province.name)
    name = " ".join(part for part in (rng.choice(vocabulary.bases), qualifier, locality) if part)
    weight = rng.choice(vocabulary.weights_g)
    smallest = vocabulary.weights_g[0]
    # Ranges are for the smallest pack; bigger packs cost more, a little less than pro rata.
    size_factor = (weight / smallest) ** 0.75 if weight and smallest else 1.0
    price = _round_price(rng.uniform(*vocabulary.price_range) * size_factor)
    unit = vocabulary.unit
    case_pack = {"bottle": rng.choice((6, 12, 24)), "piece": rng.choice((1, 1, 2)), "tour": 1}.get(
        unit, rng.choice((1, 5, 10, 20))
    )
    min_order_qty = case_pack * rng.choice((1, 1, 2))
    created = datetime(2024, 1, 1, 8) + timedelta(days=rng.randrange(0, 1030), minutes=rng.randrange(0, 600))
    blurb = getattr(vocabulary, "blurb", "Đặc sản của vùng chỉ dẫn địa lý, làm theo quy trình của vùng.")
    packing = "Giá cho một khách" if unit == "tour" else f"Đóng gói: {case_pack} {_UNIT_WORDS[unit]}/thùng"
    description = (
        f"{name} của {producer_name}, {province.name}. {blurb}\n\n"
        f"- {packing}\n- Xuất xứ: xã {place}, {province.name}"
    )
    row = {
        "sku": f"G{prefix[1:]}{index:06d}",
        "slug": f"{prefix}{index}-{slugify(name)}"[:200],
        "name": name[:200],
        "group_code": group,
        "subgroup_code": subgroup,
        "description": description,
        "unit": unit,
        "net_weight_g": weight,
        "price_vnd": price,
        "stock": 0 if rng.random() < 0.04 else rng.randint(5, 800),
        "status": "published",
        "min_order_qty": min_order_qty,
        "case_pack": case_pack,
        "created_at": created,
        "updated_at": created,
    }
    item = GeneratedProduct(producer_index=producer_index, row=row, right=right)
    if rng.random() < 0.35:
        first = max(min_order_qty, case_pack) * rng.choice((2, 3, 5))
        high, low = _round_price(price * 0.93), _round_price(price * 0.86)
        if low < high < price:
            item.price_tiers = [(first, high), (first * rng.choice((4, 5)), low)]
    if rng.random() < 0.8:
        item.certificate = _plan_certificate(rng, index, province, former_province)
    return item


def _plan_certificate(
    rng: random.Random, index: int, province: Province, former_province: str
) -> dict[str, object]:
    stars = rng.choices([s for s, _ in _STAR_WEIGHTS], [w for _, w in _STAR_WEIGHTS])[0]
    low, high = STAR_SCORE_RANGES[stars]
    issued = _GENERATED_ISSUE_START + timedelta(days=rng.randrange(0, _GENERATED_ISSUE_DAYS))
    level = issuing_level(stars, issued)
    province_then = former_province if issued < LEVEL_REFORM_DATE else province.name
    return {
        "star_class": stars,
        "score": rng.randint(low, high),
        "certificate_number": certificate_number(province_then, level, issued.year, index % 10_000),
        "issuing_level": level,
        "issuing_decision": issuing_decision(level, rng.randint(12, 4999), issued),
        "issuing_province": province_then,
        "issued_on": issued,
        "expires_on": add_months(issued, CERTIFICATE_VALIDITY_MONTHS),
        "status": "verified",
        "status_reason": None,
        "decided_at": datetime.combine(issued + timedelta(days=12), time(10)),
        "created_at": datetime.combine(issued + timedelta(days=3), time(9)),
    }
