"""Demo data for the storefront: a hand-written catalogue and generated volume.

`load_demo()` loads the hand-written catalogue of `marketplace.demo_data` — real OCOP specialities
from invented producers, with certificates, geographical indications and marks, wholesale tiers and
pictures drawn locally — so that every page of the site has something true-to-life to show.
`generate_products(n)` adds many plain products spread over all 34 provinces and every product
group, to see how the site behaves with a large catalogue (20,000 products load in seconds).

Both write in one transaction and commit at the end: a failure leaves the database as it was.
"""
from __future__ import annotations

import functools
import itertools
import math
import os
import random
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import click
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import insert, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from marketplace import storage
from marketplace.catalog.cache import bump_catalog_version
from marketplace.catalog.models import (
    CERTIFICATE_STATUSES,
    PRODUCT_STATUSES,
    PROTECTION_KINDS,
    RIGHT_STATUSES,
    Certification,
    PriceTier,
    Product,
    ProductImage,
    Protection,
    ProtectionRight,
)
from marketplace.demo_data import (
    GIVEN_NAMES,
    GROUP_TRADES,
    MIDDLE_NAMES,
    PLACES,
    PRODUCERS,
    PROTECTED_VOCABULARY,
    PROTECTIONS,
    SURNAMES,
    VOCABULARY,
    CertificateSpec,
    ProducerSpec,
    ProductSpec,
    ProtectedVocabulary,
    SubgroupVocabulary,
)
from marketplace.extensions import db
from marketplace.producers.models import VERIFICATION_STATUSES, Producer
from marketplace.reference import (
    CERTIFICATE_VALIDITY_MONTHS,
    PRODUCT_GROUPS,
    PRODUCT_GROUPS_BY_CODE,
    PROVINCES,
    PROVINCES_BY_CODE,
    STAR_SCORE_RANGES,
    UNITS,
    EntityType,
    Province,
    resolve_province,
)
from marketplace.text import fold, slugify
from marketplace.timeutil import add_months

# Decision 1489/QĐ-TTg: from 1 July 2025 the province recognises 3★ and 4★ (districts were abolished).
LEVEL_REFORM_DATE = date(2025, 7, 1)
# The Ministry of Agriculture and Rural Development became the Ministry of Agriculture and
# Environment on 1 March 2025; 5★ decisions carry the new ministry's sign from then on.
MINISTRY_MERGER_DATE = date(2025, 3, 1)
CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})

GENERATED_CHUNK = 2000
PRODUCTS_PER_GENERATED_PRODUCER = 40


class DemoAlreadyLoaded(click.ClickException):
    """The hand-written demo catalogue is (partly) in the database already."""

    code = "demo_already_loaded"


# ---------------------------------------------------------------------------------------------
# OCOP rules the demo data follows


def issuing_level(stars: int, issued_on: date) -> str:
    """The level that recognises a `stars` product on `issued_on` (before July 2025: district 3★,
    province 4★, centre 5★; since: province 3★ and 4★, centre 5★)."""
    if stars == 5:
        return "central"
    if stars == 4 or issued_on >= LEVEL_REFORM_DATE:
        return "province"
    return "district"


def issuing_decision(level: str, number: int, issued_on: date, issuer: str | None = None) -> str:
    """The text of a recognition decision, e.g. "Quyết định số 1187/QĐ-UBND của UBND tỉnh Hà Giang"."""
    if level == "central":
        sign, ministry = (
            ("QĐ-BNN-VPĐP", "Bộ Nông nghiệp và PTNT")
            if issued_on < MINISTRY_MERGER_DATE
            else ("QĐ-BNNMT", "Bộ Nông nghiệp và Môi trường")
        )
        return f"Quyết định số {number}/{sign} của {ministry}"
    text = f"Quyết định số {number}/QĐ-UBND"
    return f"{text} của UBND {issuer}" if issuer else text


def _province_authority(province_name: str) -> str:
    return f"{'thành phố' if province_name in CITIES else 'tỉnh'} {province_name}"


def _initials(text: str, limit: int = 3) -> str:
    """ASCII initials of `text`'s first words: "Hà Giang" -> "HG"."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]
    return "".join(w[0] for w in words[:limit]).upper()


def _certificate_number(province_then: str | None, level: str, year: int, sequence: int) -> str:
    region = "TW" if level == "central" else _initials(province_then or "", limit=4)
    return f"{region}.OCOP.{year}.{sequence:04d}"


_LEGAL_FORMS = ("Công ty TNHH ", "Công ty CP ", "HTX ", "Hộ kinh doanh ", "Tổ hợp tác ")


def _without_legal_form(name: str) -> str:
    """The name without its legal form, for SKU prefixes: "HTX Chè Tân Cương Xanh" -> "Chè Tân Cương Xanh"."""
    for form in _LEGAL_FORMS:
        if name.startswith(form):
            return name[len(form):]
    return name


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


# ---------------------------------------------------------------------------------------------
# Validation of the hand-written data


def validate_demo_data(producers: Sequence[ProducerSpec] = PRODUCERS) -> None:
    """Raise ValueError listing every way the hand-written data breaks the catalogue's rules, so
    that a typo in `demo_data` fails loudly rather than loading a wrong demo."""
    problems: list[str] = []
    protection_keys = {p.key for p in PROTECTIONS}
    if len(protection_keys) != len(PROTECTIONS):
        problems.append("duplicate protection keys")
    for protection in PROTECTIONS:
        if protection.kind not in PROTECTION_KINDS or protection.province_code not in PROVINCES_BY_CODE:
            problems.append(f"protection {protection.key}: bad kind or province")
    producer_slugs: set[str] = set()
    for producer in producers:
        where = producer.name
        slug = slugify(producer.name)
        if slug in producer_slugs:
            problems.append(f"{where}: duplicate producer slug {slug}")
        producer_slugs.add(slug)
        if producer.province_code not in PROVINCES_BY_CODE:
            problems.append(f"{where}: unknown province {producer.province_code}")
        if producer.former_province:
            former = resolve_province(producer.former_province)
            if former is None or former.code != producer.province_code:
                problems.append(f"{where}: {producer.former_province} is not in {producer.province_code}")
        if producer.entity_type not in {e.value for e in EntityType}:
            problems.append(f"{where}: unknown entity type {producer.entity_type}")
        if producer.verification_status not in VERIFICATION_STATUSES:
            problems.append(f"{where}: unknown verification status")
        for product in producer.products:
            problems.extend(f"{where} / {product.name}: {p}" for p in _product_problems(producer, product))
    if problems:
        raise ValueError("demo data is inconsistent:\n" + "\n".join(problems))


def _product_problems(producer: ProducerSpec, product: ProductSpec) -> Iterator[str]:
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
        if right.protection not in {p.key for p in PROTECTIONS} or right.status not in RIGHT_STATUSES:
            yield f"bad protection right {right.protection}/{right.status}"


# ---------------------------------------------------------------------------------------------
# The hand-written catalogue


def load_demo(with_images: bool = True) -> str:
    """Load the hand-written demo catalogue in one transaction and return a one-line summary.

    Raises `DemoAlreadyLoaded` (a click error) when any of its producers exists already, rather
    than loading a second copy. `with_images=False` skips drawing pictures (tests use it).
    """
    validate_demo_data()
    session = db.session
    slugs = [slugify(p.name) for p in PRODUCERS]
    existing = session.scalars(select(Producer.slug).where(Producer.slug.in_(slugs))).all()
    if existing:
        raise DemoAlreadyLoaded(
            f"The demo catalogue is already loaded ({len(existing)} of its {len(slugs)} producers exist, "
            f"e.g. '{existing[0]}'). Use `seed-demo --if-empty`, or start from an empty database."
        )
    try:
        protection_ids = _ensure_protections(session)
        product_slugs: set[str] = set(session.scalars(select(Product.slug)))
        pictures: list[_PictureJob] = []
        product_count = 0
        certificate_sequence = itertools.count(1)
        for index, spec in enumerate(PRODUCERS):
            producer = _build_producer(spec, index)
            session.add(producer)
            for product_spec in spec.products:
                product = _build_product(
                    spec, product_spec, producer, product_count, protection_ids, product_slugs,
                    certificate_sequence,
                )
                session.add(product)
                pictures.extend(_picture_jobs(product, product_spec))
                product_count += 1
        session.flush()
        if with_images:
            _store_pictures(pictures)
        bump_catalog_version(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    provinces = {p.province_code for p in PRODUCERS}
    return f"{product_count} products from {len(PRODUCERS)} producers in {len(provinces)} provinces"


def _ensure_protections(session: Session) -> dict[str, int]:
    """Ids of the demo's protections by key, creating those not yet registered (matched on kind and
    registration number, which are unique)."""
    rows = session.execute(select(Protection.id, Protection.kind, Protection.registration_number)).all()
    known = {(kind, number): pid for pid, kind, number in rows}
    ids: dict[str, int] = {}
    for spec in PROTECTIONS:
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


def _build_producer(spec: ProducerSpec, index: int) -> Producer:
    verified = spec.verification_status == "verified"
    verified_on = spec.verified_on or date(2024, 2, 1) + timedelta(days=13 * index)
    slug = slugify(spec.name)
    return Producer(
        slug=slug,
        name=spec.name,
        entity_type=spec.entity_type,
        tax_code=None,  # invented producers get no tax code that could belong to a real firm
        province_code=spec.province_code,
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
    sku_prefix = _initials(_without_legal_form(producer_spec.name), limit=4)
    return Product(
        producer=producer,
        sku=f"{sku_prefix}-{index + 1:03d}",
        slug=_unique_slug(slugify(spec.name), taken_slugs),
        name=spec.name,
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
        images=[],  # filled by _picture_jobs
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
        "district": f"{producer.former_district}, {_province_authority(province_then)}",
        "province": _province_authority(province_then),
        "central": None,
    }[level]
    decided_on = spec.decided_on or spec.issued_on + timedelta(days=12)
    return Certification(
        star_class=spec.stars,
        score=spec.score,
        certificate_number=_certificate_number(province_then, level, spec.issued_on.year, sequence),
        issuing_level=level,
        issuing_decision=issuing_decision(level, spec.decision_no, spec.issued_on, issuer),
        issuing_province=province_then,
        issued_on=spec.issued_on,
        expires_on=add_months(spec.issued_on, CERTIFICATE_VALIDITY_MONTHS),
        status=spec.status,
        status_reason=spec.status_reason,
        decided_at=None if spec.status == "pending" else datetime.combine(decided_on, time(10, 0)),
    )


# ---------------------------------------------------------------------------------------------
# Pictures: drawn with Pillow, no downloads and no fonts beyond Pillow's own


@dataclass(frozen=True)
class _PictureJob:
    key_base: str  # storage key base, e.g. "products/gao-st25-soc-trang-1"
    name: str
    group: str
    subgroup: str
    variant: int


def _picture_jobs(product: Product, spec: ProductSpec) -> list[_PictureJob]:
    """One `ProductImage` per picture on `product` (cover first) and the job that draws it."""
    jobs = []
    full = storage.IMAGE_SIZES["full"]
    for variant in range(1, spec.images + 1):
        base = f"products/{product.slug}-{variant}"
        alt = spec.name if variant == 1 else f"{spec.name} – cận cảnh"
        product.images.append(
            ProductImage(storage_key=base, position=variant - 1, is_cover=variant == 1, alt=alt[:200],
                         width=full, height=full)
        )
        jobs.append(_PictureJob(base, spec.name, spec.group, spec.subgroup, variant))
    return jobs


def _store_pictures(jobs: Sequence[_PictureJob]) -> None:
    """Draw and encode in threads (Pillow releases the GIL), store from this thread: `storage`
    needs the application context, which worker threads do not have."""
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for job, renditions in zip(jobs, pool.map(_render_job, jobs), strict=True):
            for size, data in renditions.items():
                storage.save(storage.image_key(job.key_base, size), data)


def _render_job(job: _PictureJob) -> dict[str, bytes]:
    image = render_product_image(job.name, job.group, job.subgroup, job.key_base, job.variant)
    return encode_renditions(image)


def encode_renditions(image: Image.Image) -> dict[str, bytes]:
    """WebP bytes for every size in `storage.IMAGE_SIZES` (the portal's uploads use the same)."""
    return storage.encode_renditions(image)


# (light, deep) colours per sub-group: warm for food, green for tea and herbs, clay for crafts...
_PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "fresh": ((255, 214, 120), (214, 84, 48)),
    "raw": ((244, 226, 170), (170, 122, 58)),
    "processed": ((255, 200, 150), (178, 74, 60)),
    "condiments": ((240, 190, 120), (122, 62, 30)),
    "tea": ((196, 228, 160), (46, 112, 62)),
    "coffee_cocoa": ((222, 186, 150), (88, 52, 36)),
    "alcoholic": ((232, 170, 180), (110, 30, 60)),
    "non_alcoholic": ((190, 232, 236), (40, 130, 150)),
    "herbs": ((206, 232, 170), (62, 120, 50)),
    "herbal_food": ((230, 240, 180), (120, 140, 40)),
    "cosmetics": ((226, 210, 240), (110, 80, 150)),
    "crafts": ((200, 220, 244), (36, 72, 140)),
    "household": ((236, 222, 200), (130, 96, 70)),
    "textiles": ((246, 200, 214), (150, 40, 90)),
    "flowers": ((252, 212, 232), (190, 70, 130)),
    "plants": ((200, 236, 200), (40, 110, 80)),
    "animals": ((190, 220, 250), (30, 90, 160)),
    "community": ((250, 224, 180), (150, 90, 50)),
    "eco": ((190, 236, 220), (30, 110, 100)),
}


def render_product_image(name: str, group: str, subgroup: str, key: str, variant: int = 1) -> Image.Image:
    """A square picture for a product: a colour field of its sub-group, a simple drawn motif and
    the product's initials. `key` and `variant` make it distinct and reproducible."""
    size = storage.IMAGE_SIZES["full"]
    rng = random.Random(zlib.crc32(f"{key}/{variant}".encode()))
    light, deep = _palette(subgroup, rng)
    if variant > 1:
        light, deep = _mix(light, deep, 0.25), _mix(deep, (20, 20, 30), 0.2)
    image = _gradient(size, light, deep, flip=variant % 2 == 0)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(14):  # soft bokeh dots
        r = rng.randint(20, 90)
        x, y = rng.randint(0, size), rng.randint(0, size)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, rng.randint(18, 40)))
    scale = size * (0.30 if variant == 1 else 0.36)
    cx = size * 0.5 + rng.uniform(-0.03, 0.03) * size
    cy = size * 0.44 + rng.uniform(-0.03, 0.03) * size
    halo = scale * 1.25
    draw.ellipse((cx - halo, cy - halo, cx + halo, cy + halo), fill=(*_mix(light, (255, 255, 255), 0.5), 120))
    ink = (255, 255, 255, 240)
    accent = (*deep, 235)
    _MOTIFS.get(subgroup, _motif_jar)(draw, rng, cx, cy, scale, ink, accent)
    _draw_initials(draw, _initials(name), size, deep)
    image.paste(overlay, mask=overlay)  # alpha-blend the drawing onto the colour field
    return image


def _palette(subgroup: str, rng: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    light, deep = _PALETTES.get(subgroup, ((230, 230, 230), (80, 80, 80)))
    shift = rng.randint(-18, 18)

    def nudge(colour: tuple[int, int, int]) -> tuple[int, int, int]:
        return tuple(max(0, min(255, c + shift * (i - 1))) for i, c in enumerate(colour))  # type: ignore[return-value]

    return nudge(light), nudge(deep)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


@functools.lru_cache(maxsize=4)
def _diagonal_mask(size: int, flip: bool) -> Image.Image:
    """A greyscale ramp from one corner to the opposite one (the same for every picture)."""
    vertical = Image.linear_gradient("L").resize((size, size))
    diagonal = Image.blend(vertical, vertical.transpose(Image.Transpose.ROTATE_90), 0.5)
    return diagonal.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if flip else diagonal


def _gradient(size: int, light: tuple[int, int, int], deep: tuple[int, int, int], flip: bool) -> Image.Image:
    mask = _diagonal_mask(size, flip)
    return Image.composite(Image.new("RGB", (size, size), deep), Image.new("RGB", (size, size), light), mask)


def _draw_initials(draw: ImageDraw.ImageDraw, initials: str, size: int, deep: tuple[int, int, int]) -> None:
    font = ImageFont.load_default(size=round(size * 0.085))
    width = max(len(initials), 2) * size * 0.075 + size * 0.08
    x0, y0 = (size - width) / 2, size * 0.81
    draw.rounded_rectangle((x0, y0, x0 + width, y0 + size * 0.12), radius=size * 0.04, fill=(*deep, 200))
    draw.text((size / 2, y0 + size * 0.06), initials, font=font, fill=(255, 255, 255, 255), anchor="mm")


Colour = tuple[int, int, int, int]
Draw = ImageDraw.ImageDraw


def _rotated_ellipse(
    cx: float, cy: float, a: float, b: float, angle: float, n: int = 40
) -> list[tuple[float, float]]:
    ca, sa = math.cos(angle), math.sin(angle)
    return [
        (cx + a * math.cos(t) * ca - b * math.sin(t) * sa, cy + a * math.cos(t) * sa + b * math.sin(t) * ca)
        for t in (2 * math.pi * i / n for i in range(n))
    ]


def _leaf(x0: float, y0: float, length: float, width: float, angle: float) -> list[tuple[float, float]]:
    """A leaf growing from (x0, y0) in direction `angle`."""
    ca, sa = math.cos(angle), math.sin(angle)
    outline = [(length * t, width / 2 * math.sin(math.pi * t) ** 0.8) for t in (i / 20 for i in range(21))]
    outline += [(x, -y) for x, y in reversed(outline)]
    return [(x0 + x * ca - y * sa, y0 + x * sa + y * ca) for x, y in outline]


def _leaves(draw: Draw, x: float, y: float, s: float, angles: Iterable[float], ink: Colour,
            accent: Colour) -> None:
    for angle in angles:
        draw.polygon(_leaf(x, y, s, s * 0.42, angle), fill=ink)
        tip = (x + s * 0.85 * math.cos(angle), y + s * 0.85 * math.sin(angle))
        draw.line([(x, y), tip], fill=accent, width=6)


def _motif_tea(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    base_y = cy + s * 0.7
    spread = rng.uniform(0.45, 0.6)
    _leaves(draw, cx, base_y, s * 1.05, (-math.pi / 2 - spread, -math.pi / 2 + spread), ink, accent)
    draw.polygon(_leaf(cx, base_y, s * 1.35, s * 0.3, -math.pi / 2), fill=ink)  # the bud
    draw.line([(cx, base_y), (cx, base_y + s * 0.35)], fill=ink, width=14)


def _motif_coffee(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for dx, dy, angle in ((-0.55, 0.2, -0.5), (0.55, 0.25, 0.6), (0.0, -0.45, rng.uniform(-0.3, 0.3))):
        x, y, a = cx + dx * s, cy + dy * s, angle
        draw.polygon(_rotated_ellipse(x, y, s * 0.48, s * 0.34, a), fill=ink)
        crease = [
            (x + t * s * 0.4 * math.cos(a) - math.sin(t * math.pi) * 0.08 * s * math.sin(a),
             y + t * s * 0.4 * math.sin(a) + math.sin(t * math.pi) * 0.08 * s * math.cos(a))
            for t in (i / 10 - 1 for i in range(21))
        ]
        draw.line(crease, fill=accent, width=12)


def _motif_fruit(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for dx, dy, r in ((-0.45, 0.25, 0.5), (0.45, 0.3, 0.45), (0.0, -0.25, 0.55)):
        x, y, radius = cx + dx * s, cy + dy * s, r * s * rng.uniform(0.9, 1.05)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=ink, outline=accent, width=8)
        draw.ellipse((x - radius * 0.5, y - radius * 0.6, x - radius * 0.2, y - radius * 0.3), fill=accent)
    draw.polygon(_leaf(cx, cy - s * 0.75, s * 0.55, s * 0.25, -math.pi / 4), fill=accent)


def _motif_grain(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for offset in (-0.45, 0.0, 0.45):
        stem = [(cx + offset * s + math.sin(t * 1.2) * 0.25 * s, cy + s * 0.9 - t * s * 1.7)
                for t in (i / 12 for i in range(13))]
        draw.line(stem, fill=ink, width=10)
        for i, (x, y) in enumerate(stem[3::1]):
            side = 1 if i % 2 else -1
            draw.polygon(_rotated_ellipse(x + side * s * 0.09, y, s * 0.1, s * 0.05, side * 0.7), fill=ink)
    draw.line([(cx - s * 0.6, cy + s * 0.9), (cx + s * 0.6, cy + s * 0.9)], fill=accent, width=16)


def _bottle(draw: Draw, cx: float, cy: float, s: float, ink: Colour, accent: Colour, slim: float,
            neck: float) -> None:
    w, h = s * slim, s * 1.2
    top = cy - h * 0.35
    draw.rounded_rectangle((cx - w / 2, top, cx + w / 2, cy + h * 0.75), radius=w * 0.25, fill=ink)
    draw.rectangle((cx - w * 0.18, top - s * neck, cx + w * 0.18, top + 10), fill=ink)
    draw.rounded_rectangle((cx - w * 0.22, top - s * neck - s * 0.14, cx + w * 0.22, top - s * neck + 6),
                           radius=8, fill=accent)
    draw.rectangle((cx - w / 2, cy + h * 0.05, cx + w / 2, cy + h * 0.4), fill=accent)


def _motif_bottle(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _bottle(draw, cx, cy, s, ink, accent, slim=0.75, neck=0.3)


def _motif_wine(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _bottle(draw, cx - s * 0.3, cy, s, ink, accent, slim=0.55, neck=0.55)
    x = cx + s * 0.55
    draw.polygon([(x - s * 0.28, cy + s * 0.05), (x + s * 0.28, cy + s * 0.05), (x, cy + s * 0.45)], fill=ink)
    draw.line([(x, cy + s * 0.45), (x, cy + s * 0.85)], fill=ink, width=12)
    draw.line([(x - s * 0.18, cy + s * 0.85), (x + s * 0.18, cy + s * 0.85)], fill=ink, width=12)


def _motif_glass(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top, bottom = cy - s * 0.7, cy + s * 0.85
    draw.polygon([(cx - s * 0.55, top), (cx + s * 0.55, top), (cx + s * 0.4, bottom), (cx - s * 0.4, bottom)],
                 fill=ink)
    level = top + s * 0.45
    draw.polygon([(cx - s * 0.5, level), (cx + s * 0.5, level), (cx + s * 0.4, bottom - 8),
                  (cx - s * 0.4, bottom - 8)], fill=accent)
    draw.line([(cx + s * 0.15, top - s * 0.45), (cx + s * 0.05, bottom - s * 0.4)], fill=ink, width=18)
    for _ in range(5):
        x, y, r = cx + rng.uniform(-0.3, 0.3) * s, rng.uniform(level + s * 0.2, bottom - s * 0.2), s * 0.05
        draw.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=5)


def _motif_jar(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    w, h = s * 1.2, s * 1.1
    draw.rounded_rectangle((cx - w / 2, cy - h * 0.35, cx + w / 2, cy + h * 0.75), radius=w * 0.18, fill=ink)
    draw.rounded_rectangle((cx - w * 0.45, cy - h * 0.6, cx + w * 0.45, cy - h * 0.3), radius=18, fill=accent)
    draw.rounded_rectangle((cx - w * 0.35, cy, cx + w * 0.35, cy + h * 0.42), radius=14, fill=accent)
    draw.polygon(_leaf(cx - w * 0.2, cy + h * 0.3, w * 0.4, w * 0.16, -0.5), fill=ink)


def _motif_herbs(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top = cy - s * 0.2
    draw.line([(cx, cy + s * 0.95), (cx, top)], fill=ink, width=14)
    angles = [-math.pi / 2 + k * 0.62 for k in (-2, -1, 0, 1, 2)]
    _leaves(draw, cx, top, s * 0.8, angles, ink, accent)
    for _ in range(7):  # the red berries of ginseng
        x, y, r = cx + rng.uniform(-0.12, 0.12) * s, top - s * rng.uniform(0.0, 0.15), s * 0.06
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(200, 40, 40, 255))


def _motif_dropper(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    r = s * 0.6
    draw.ellipse((cx - r, cy + s * 0.35 - r, cx + r, cy + s * 0.35 + r), fill=ink)
    draw.rectangle((cx - s * 0.18, cy - s * 0.55, cx + s * 0.18, cy - s * 0.15), fill=accent)
    draw.ellipse((cx - s * 0.16, cy - s * 0.95, cx + s * 0.16, cy - s * 0.5), fill=accent)
    draw.polygon(_leaf(cx - s * 0.25, cy + s * 0.45, s * 0.5, s * 0.22, -0.4), fill=accent)


def _motif_vase(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    bulge = rng.uniform(0.5, 0.62)
    profile = [(0.18 + bulge * math.sin(math.pi * t) ** 1.4 + 0.08 * t, cy - s * 0.95 + t * s * 1.9)
               for t in (i / 30 for i in range(31))]
    outline = [(cx + w * s, y) for w, y in profile] + [(cx - w * s, y) for w, y in reversed(profile)]
    draw.polygon(outline, fill=ink)
    for t in (0.3, 0.62):
        w, y = profile[round(t * 30)]
        draw.line([(cx - w * s + 6, y), (cx + w * s - 6, y)], fill=accent, width=14)
    w, y = profile[15]
    draw.ellipse((cx - s * 0.2, y - s * 0.1, cx + s * 0.2, y + s * 0.3), outline=accent, width=10)


def _motif_bowl(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    draw.pieslice((cx - s, cy - s * 0.8, cx + s, cy + s * 1.0), 0, 180, fill=ink)
    draw.ellipse((cx - s, cy - s * 0.05, cx + s, cy + s * 0.15), fill=accent)
    draw.rectangle((cx - s * 0.3, cy + s * 0.95, cx + s * 0.3, cy + s * 1.05), fill=ink)
    for dx in (0.15, 0.3):
        draw.line([(cx + dx * s, cy - s * 0.9), (cx + (dx + 0.35) * s, cy + s * 0.05)], fill=ink, width=12)


def _motif_textile(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    phase = rng.uniform(0, math.pi)
    for k in range(5):
        y0 = cy - s * 0.8 + k * s * 0.4
        wave = [(cx - s * 1.1 + i * s * 0.11, y0 + math.sin(i * 0.6 + phase) * s * 0.12) for i in range(21)]
        draw.line(wave, fill=ink if k % 2 == 0 else accent, width=round(s * 0.16))


def _motif_flower(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    draw.line([(cx, cy), (cx + s * 0.1, cy + s * 1.05)], fill=accent, width=14)
    draw.polygon(_leaf(cx + s * 0.05, cy + s * 0.7, s * 0.5, s * 0.22, -0.6), fill=accent)
    petals = rng.choice((5, 6))
    turn = rng.uniform(0, math.pi)
    for k in range(petals):
        a = turn + 2 * math.pi * k / petals
        x, y = cx + math.cos(a) * s * 0.42, cy + math.sin(a) * s * 0.42
        draw.polygon(_rotated_ellipse(x, y, s * 0.42, s * 0.22, a), fill=ink)
    draw.ellipse((cx - s * 0.2, cy - s * 0.2, cx + s * 0.2, cy + s * 0.2), fill=accent)


def _motif_plant(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top = cy + s * 0.35
    bottom = cy + s * 1.0
    draw.polygon([(cx - s * 0.55, top), (cx + s * 0.55, top), (cx + s * 0.4, bottom), (cx - s * 0.4, bottom)],
                 fill=accent)
    _leaves(draw, cx, top, s * 0.95, [-math.pi / 2 + k * 0.45 for k in (-2, -1, 0, 1, 2)], ink, accent)


def _motif_fish(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    tail = [(cx + s * 0.55, cy), (cx + s * 1.05, cy - s * 0.45), (cx + s * 1.0, cy + s * 0.45)]
    draw.polygon(tail, fill=ink)
    draw.polygon(_rotated_ellipse(cx - s * 0.1, cy, s * 0.75, s * 0.42, 0), fill=ink)
    for _ in range(3):
        x, y, r = cx + rng.uniform(-0.5, 0.3) * s, cy + rng.uniform(-0.2, 0.2) * s, s * rng.uniform(0.1, 0.18)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(225, 60, 40, 230))
    draw.ellipse((cx - s * 0.62, cy - s * 0.14, cx - s * 0.5, cy - s * 0.02), fill=accent)


def _mountains(draw: Draw, cx: float, cy: float, s: float, fill: Colour) -> None:
    foot = cy + s * 0.6
    draw.polygon([(cx - s * 1.3, foot), (cx - s * 0.5, cy - s * 0.55), (cx + s * 0.3, foot)], fill=fill)
    draw.polygon([(cx - s * 0.3, foot), (cx + s * 0.55, cy - s * 0.3), (cx + s * 1.3, foot)], fill=fill)


def _motif_house(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _mountains(draw, cx, cy - s * 0.3, s, (255, 255, 255, 110))
    floor = cy + s * 0.35
    draw.rectangle((cx - s * 0.6, floor - s * 0.45, cx + s * 0.6, floor), fill=ink)
    eaves = floor - s * 0.4
    draw.polygon([(cx - s * 0.85, eaves), (cx, floor - s * 1.05), (cx + s * 0.85, eaves)], fill=accent)
    for dx in (-0.5, -0.17, 0.17, 0.5):
        draw.line([(cx + dx * s, floor), (cx + dx * s, floor + s * 0.5)], fill=ink, width=14)
    draw.rectangle((cx - s * 0.12, floor - s * 0.35, cx + s * 0.12, floor), fill=accent)


def _motif_landscape(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    r = s * 0.28
    sx, sy = cx + s * 0.6, cy - s * 0.6
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, 236, 150, 240))
    _mountains(draw, cx, cy, s, ink)
    wave = [(cx - s * 1.2 + i * s * 0.12, cy + s * 0.85 + math.sin(i * 0.8) * s * 0.06) for i in range(21)]
    draw.line(wave, fill=accent, width=round(s * 0.12))


_MOTIFS: dict[str, Callable[..., None]] = {
    "fresh": _motif_fruit,
    "raw": _motif_grain,
    "processed": _motif_jar,
    "condiments": _motif_bottle,
    "tea": _motif_tea,
    "coffee_cocoa": _motif_coffee,
    "alcoholic": _motif_wine,
    "non_alcoholic": _motif_glass,
    "herbs": _motif_herbs,
    "herbal_food": _motif_jar,
    "cosmetics": _motif_dropper,
    "crafts": _motif_vase,
    "household": _motif_bowl,
    "textiles": _motif_textile,
    "flowers": _motif_flower,
    "plants": _motif_plant,
    "animals": _motif_fish,
    "community": _motif_house,
    "eco": _motif_landscape,
}


# ---------------------------------------------------------------------------------------------
# Generated products


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
        protection_ids = _ensure_protections(session)
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
        yield items[start:start + size]


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
    protection_province = {p.key: p.province_code for p in PROTECTIONS}
    for vocabulary in PROTECTED_VOCABULARY:
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
            vocabulary, right = VOCABULARY[(group, subgroup)], None
        products.append(
            _plan_product(
                rng, prefix, first_product + i, k, group, subgroup, vocabulary, right, province, place,
                former, producer_name,
            )
        )
    return GeneratedCatalogue(producers, products)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _plan_producer(
    rng: random.Random, prefix: str, index: int, province: Province, group: str
) -> tuple[dict[str, object], str, str]:
    """A producer row, and its place and the province name it had before July 2025."""
    entity_type = rng.choices([e for e, _ in _ENTITY_WEIGHTS], [w for _, w in _ENTITY_WEIGHTS])[0]
    place = rng.choice(PLACES)
    trade = GROUP_TRADES[group]
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
        "tax_code": None,
        "province_code": province.code,
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
    "kg": "kg", "g": "g", "bottle": "chai", "box": "hộp", "bag": "túi", "jar": "hũ", "pack": "gói",
    "piece": "chiếc", "set": "bộ", "litre": "lít", "tour": "suất",
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
        "certificate_number": _certificate_number(province_then, level, issued.year, index % 10_000),
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
