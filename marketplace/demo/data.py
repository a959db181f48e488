"""The demo's data files, read into plain frozen records (no database needed).

The files sit in `data/` next to this module and are read with the standard library:

- `protections.csv`: geographical indications (chỉ dẫn địa lý), certification and collective marks;
- `producers.csv`: one invented producer a line, keyed by its `slug`;
- `products.csv`: one product a line; `producer` is the producer's slug, `price_tiers` reads
  "20:300000 100:285000" (from 20 units 300,000 ₫ each, from 100 units 285,000 ₫);
- `certificates.csv`: one OCOP certificate a line, `product` is the product's name (unique in the demo);
- `rights.csv`: a producer's right to use a protection on one product;
- `vocabulary.json`: the word lists the product generator composes names from (nested, so JSON);
- `accounts.csv` and `buyers.csv`: the demo accounts (see `marketplace.demo.accounts`).

In CSV cells an empty value means "none", `yes`/`no` are booleans, dates are ISO (2024-05-20) and
`\\n` is a line break (Markdown descriptions keep their paragraphs on one line of the file).
The producers are invented (no telephone number; e-mail on the reserved ".example" domain; tax
codes start with 99, which no province's tax office issues), as are certificate and decision
numbers; the specialities, places and protections are
real. Dates are fixed (never "today"), so that the demo is the same on every machine.

Certificate issuing levels are not written in the files: `marketplace.demo.rules` derives them from
the star class and the issue date, and the issuing province from the producer's former province.
A file that cannot be read raises `DemoDataError` naming the file and line; the catalogue's rules
are checked by `marketplace.demo.catalogue.validate_demo_data`.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

T = TypeVar("T")


class DemoDataError(ValueError):
    """A demo data file is malformed (a missing column, a number that is not one, ...)."""

    code = "demo_data_invalid"


@dataclass(frozen=True)
class ProtectionSpec:
    """A registered name: GI (chỉ dẫn địa lý), certification mark or collective mark."""

    key: str
    kind: str  # gi, certification_mark, collective_mark
    name: str
    registration_number: str
    holder: str
    province_code: str
    registered_on: date | None
    description: str


@dataclass(frozen=True)
class CertificateSpec:
    """One OCOP certificate of a product; level and issuing province are derived when loading."""

    stars: int
    score: int
    issued_on: date
    decision_no: int  # number of the decision recognising the product
    status: str = "verified"
    status_reason: str | None = None
    decided_on: date | None = None  # when the platform's administrator decided (default: +12 days)


@dataclass(frozen=True)
class RightSpec:
    """A producer's right to use a protection on one product."""

    protection: str  # ProtectionSpec.key
    decision_number: str
    status: str = "verified"


@dataclass(frozen=True)
class ProductSpec:
    name: str
    group: str
    subgroup: str
    description: str  # Markdown, Vietnamese
    unit: str
    price_vnd: int
    stock: int
    net_weight_g: int | None = None
    name_en: str | None = None  # shown in the English interface
    status: str = "published"
    min_order_qty: int = 1
    case_pack: int = 1
    price_tiers: tuple[tuple[int, int], ...] = ()  # (from quantity, unit price), prices falling
    certificates: tuple[CertificateSpec, ...] = ()
    rights: tuple[RightSpec, ...] = ()
    images: int = 1


@dataclass(frozen=True)
class ProducerSpec:
    slug: str
    name: str
    entity_type: str
    code: str  # the short code wholesale product codes start with ("CCNM")
    tax_code: str  # invented, never a real firm's: 99… (10 digits), 999… for households (12)
    province_code: str  # a current (2025) province code
    commune: str  # a post-2025 commune, ward or special zone
    story: str
    products: tuple[ProductSpec, ...]
    former_province: str | None = None  # the pre-July-2025 province, where it had another name
    former_district: str | None = None  # the district-level unit that issued 3★ before July 2025
    craft_village: str | None = None
    environment_plan: str = ""
    circular_practices: str = ""
    green_verified: bool = False
    verification_status: str = "verified"
    verified_on: date | None = None  # default: spread over 2024–2025 by position


@dataclass(frozen=True)
class Catalogue:
    """The hand-written demo catalogue."""

    protections: tuple[ProtectionSpec, ...]
    producers: tuple[ProducerSpec, ...]
    problems: tuple[str, ...]  # rows that point at nothing (a product of an unknown producer, ...)


@dataclass(frozen=True)
class SubgroupVocabulary:
    """What a generated product of one sub-group is called, sold in, and costs."""

    bases: tuple[str, ...]
    qualifiers: tuple[str, ...]
    unit: str
    weights_g: tuple[int | None, ...]
    price_range: tuple[int, int]  # VND for the smallest pack; bigger packs cost more
    blurb: str  # one Vietnamese sentence for the description


@dataclass(frozen=True)
class ProtectedVocabulary:
    """A generated product that may carry a protection: it is made where the protection applies."""

    protection: str  # ProtectionSpec.key
    group: str
    subgroup: str
    bases: tuple[str, ...]
    unit: str
    weights_g: tuple[int | None, ...]
    price_range: tuple[int, int]
    qualifiers: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of `vocabulary.json`."""

    subgroups: dict[tuple[str, str], SubgroupVocabulary]  # (group, sub-group) -> words
    protected: tuple[ProtectedVocabulary, ...]
    places: tuple[str, ...]  # common place names (xã, thôn) for generated producers and products
    surnames: tuple[str, ...]
    middle_names: tuple[str, ...]
    given_names: tuple[str, ...]
    group_trades: dict[str, str]  # the word a generated producer's name uses for its trade, by group


# ---------------------------------------------------------------------------------------------
# Reading CSV cells


def _text(value: str) -> str:
    return value.replace("\\n", "\n")


def _optional(value: str) -> str | None:
    return _text(value) if value else None


def _int(value: str) -> int:
    return int(value)


def _optional_int(value: str) -> int | None:
    return int(value) if value else None


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_flag(value: str) -> bool:
    """A yes/no cell."""
    if value not in ("yes", "no"):
        raise ValueError(f"{value!r} is neither yes nor no")
    return value == "yes"


def _tiers(value: str) -> tuple[tuple[int, int], ...]:
    """ "20:300000 100:285000" -> ((20, 300000), (100, 285000))."""
    tiers = []
    for tier in value.split():
        quantity, price = tier.split(":")
        tiers.append((int(quantity), int(price)))
    return tuple(tiers)


DATA_DIRECTORY: Traversable = resources.files(__package__).joinpath("data")


def read_rows(name: str, directory: Traversable = DATA_DIRECTORY) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every row of the CSV file `data/<name>`."""
    with directory.joinpath(name).open("r", encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        for row in reader:
            if None in row or None in row.values():
                raise DemoDataError(f"{name}, line {reader.line_num}: wrong number of cells")
            yield reader.line_num, row


def parse_rows(
    name: str, build: Callable[[dict[str, str]], T], directory: Traversable = DATA_DIRECTORY
) -> list[tuple[dict[str, str], T]]:
    """Every row of `data/<name>` with what `build` makes of it; a failure names file and line."""
    parsed = []
    for line, row in read_rows(name, directory):
        try:
            parsed.append((row, build(row)))
        except (KeyError, ValueError) as exc:
            raise DemoDataError(f"{name}, line {line}: {exc!r}") from exc
    return parsed


# ---------------------------------------------------------------------------------------------
# The catalogue


def _protection(row: dict[str, str]) -> ProtectionSpec:
    return ProtectionSpec(
        key=row["key"],
        kind=row["kind"],
        name=row["name"],
        registration_number=row["registration_number"],
        holder=row["holder"],
        province_code=row["province_code"],
        registered_on=_optional_date(row["registered_on"]),
        description=_text(row["description"]),
    )


def _certificate(row: dict[str, str]) -> CertificateSpec:
    return CertificateSpec(
        stars=_int(row["stars"]),
        score=_int(row["score"]),
        issued_on=date.fromisoformat(row["issued_on"]),
        decision_no=_int(row["decision_no"]),
        status=row["status"],
        status_reason=_optional(row["status_reason"]),
        decided_on=_optional_date(row["decided_on"]),
    )


def _right(row: dict[str, str]) -> RightSpec:
    return RightSpec(
        protection=row["protection"], decision_number=row["decision_number"], status=row["status"]
    )


def _product(row: dict[str, str]) -> ProductSpec:
    return ProductSpec(
        name=row["name"],
        name_en=_optional(row.get("name_en", "")),
        group=row["group"],
        subgroup=row["subgroup"],
        description=_text(row["description"]),
        unit=row["unit"],
        price_vnd=_int(row["price_vnd"]),
        stock=_int(row["stock"]),
        net_weight_g=_optional_int(row["net_weight_g"]),
        status=row["status"],
        min_order_qty=_int(row["min_order_qty"]),
        case_pack=_int(row["case_pack"]),
        price_tiers=_tiers(row["price_tiers"]),
        images=_int(row["images"]),
    )


def _producer(row: dict[str, str]) -> ProducerSpec:
    return ProducerSpec(
        slug=row["slug"],
        name=row["name"],
        entity_type=row["entity_type"],
        code=row["code"],
        tax_code=row["tax_code"],
        province_code=row["province_code"],
        commune=row["commune"],
        story=_text(row["story"]),
        products=(),
        former_province=_optional(row["former_province"]),
        former_district=_optional(row["former_district"]),
        craft_village=_optional(row["craft_village"]),
        environment_plan=_text(row["environment_plan"]),
        circular_practices=_text(row["circular_practices"]),
        green_verified=parse_flag(row["green_verified"]),
        verification_status=row["verification_status"],
        verified_on=_optional_date(row["verified_on"]),
    )


@functools.cache
def catalogue() -> Catalogue:
    """The hand-written catalogue of the package's data files (read once)."""
    return read_catalogue(DATA_DIRECTORY)


def read_catalogue(directory: Traversable) -> Catalogue:
    """The catalogue of the files in `directory`: producers in file order, each with its products
    in file order, each product with its certificates and rights in file order (the order fixes
    SKUs and dates)."""
    problems: list[str] = []
    certificates: dict[str, list[CertificateSpec]] = {}
    for row, cert in parse_rows("certificates.csv", _certificate, directory):
        certificates.setdefault(row["product"], []).append(cert)
    rights: dict[str, list[RightSpec]] = {}
    for row, right in parse_rows("rights.csv", _right, directory):
        rights.setdefault(row["product"], []).append(right)
    products: dict[str, list[ProductSpec]] = {}
    for row, product in parse_rows("products.csv", _product, directory):
        product = ProductSpec(
            **{
                **product.__dict__,
                "certificates": tuple(certificates.pop(product.name, ())),
                "rights": tuple(rights.pop(product.name, ())),
            }
        )
        products.setdefault(row["producer"], []).append(product)
    producers = []
    for _, producer in parse_rows("producers.csv", _producer, directory):
        own = tuple(products.pop(producer.slug, ()))
        producers.append(ProducerSpec(**{**producer.__dict__, "products": own}))
    names = [p.name for producer in producers for p in producer.products]
    duplicates = sorted(name for name in set(names) if names.count(name) > 1)
    problems.extend(f"products.csv: duplicate product name {name}" for name in duplicates)
    problems.extend(f"products.csv: unknown producer {slug}" for slug in products)
    problems.extend(f"certificates.csv: unknown product {name}" for name in certificates)
    problems.extend(f"rights.csv: unknown product {name}" for name in rights)
    protections = tuple(p for _, p in parse_rows("protections.csv", _protection, directory))
    return Catalogue(protections, tuple(producers), tuple(problems))


# ---------------------------------------------------------------------------------------------
# Word lists for generated products


def _weights(values: list[Any]) -> tuple[int | None, ...]:
    return tuple(None if v is None else int(v) for v in values)


def _price_range(values: list[Any]) -> tuple[int, int]:
    low, high = values
    return int(low), int(high)


@functools.cache
def word_lists() -> Vocabulary:
    """The word lists of `vocabulary.json` (see `marketplace.demo.generated`)."""
    with DATA_DIRECTORY.joinpath("vocabulary.json").open("r", encoding="utf-8") as file:
        words = json.load(file)
    try:
        subgroups = {
            (entry["group"], entry["subgroup"]): SubgroupVocabulary(
                bases=tuple(entry["bases"]),
                qualifiers=tuple(entry["qualifiers"]),
                unit=entry["unit"],
                weights_g=_weights(entry["weights_g"]),
                price_range=_price_range(entry["price_range"]),
                blurb=entry["blurb"],
            )
            for entry in words["subgroups"]
        }
        protected = tuple(
            ProtectedVocabulary(
                protection=entry["protection"],
                group=entry["group"],
                subgroup=entry["subgroup"],
                bases=tuple(entry["bases"]),
                unit=entry["unit"],
                weights_g=_weights(entry["weights_g"]),
                price_range=_price_range(entry["price_range"]),
                qualifiers=tuple(entry["qualifiers"]),
            )
            for entry in words["protected"]
        )
        return Vocabulary(
            subgroups=subgroups,
            protected=protected,
            places=tuple(words["places"]),
            surnames=tuple(words["surnames"]),
            middle_names=tuple(words["middle_names"]),
            given_names=tuple(words["given_names"]),
            group_trades=dict(words["group_trades"]),
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise DemoDataError(f"vocabulary.json: {exc!r}") from exc
