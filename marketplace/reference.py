"""Fixed reference data of the OCOP programme: provinces, product groups, entity types, channels.

Provinces: Vietnam has 34 provincial units since 1 July 2025 (Resolution 202/2025/QH15); the 63
earlier units resolve to the unit that absorbed them, so old names in addresses, certificates and
searches keep working. The mapping ships with the package (`reference_data/provinces-2025.csv`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from flask_babel import lazy_gettext as _l

from marketplace.text import fold, slugify

_DATA = Path(__file__).parent / "reference_data"


@dataclass(frozen=True)
class Province:
    """A provincial unit in force since 1 July 2025 (tỉnh or thành phố trực thuộc trung ương)."""

    code: str
    name: str
    kind: str  # "province" or "city"
    former: tuple[str, ...] = field(default=())  # names of the pre-2025 units it absorbed

    @property
    def absorbed(self) -> tuple[str, ...]:
        """Former units other than the one of the same name."""
        return tuple(n for n in self.former if n != self.name)


def _load_provinces() -> tuple[Province, ...]:
    with open(_DATA / "provinces-2025.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Province(
            code=slugify(row["province"]),
            name=row["province"],
            kind=row["kind"],
            former=tuple(row["formed_from"].split("|")),
        )
        for row in rows
    )


PROVINCES: tuple[Province, ...] = _load_provinces()
PROVINCES_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
FORMER_PROVINCES: tuple[str, ...] = tuple(sorted({n for p in PROVINCES for n in p.former}))
_FORMER_NAMES: dict[str, str] = {slugify(n): n for n in FORMER_PROVINCES}

# Every way to name a province, folded: current and former names, with or without diacritics,
# slugs, and the common "TP. Hồ Chí Minh" / "Thừa Thiên Huế" spellings.
_ALIASES: dict[str, str] = {}
for _p in PROVINCES:
    for _name in (_p.name, *_p.former):
        _ALIASES[fold(_name)] = _p.code
        _ALIASES[slugify(_name)] = _p.code
_ALIASES.update(
    {
        "tp ho chi minh": "ho-chi-minh",
        "thanh pho ho chi minh": "ho-chi-minh",
        "sai gon": "ho-chi-minh",
        "tp hcm": "ho-chi-minh",
        "ba ria vung tau": "ho-chi-minh",
    }
)


def resolve_province(name: str | None) -> Province | None:
    """The province in force for `name`, which may be a current or former name or a slug.

    >>> resolve_province("Hà Giang").name
    'Tuyên Quang'
    """
    if not name:
        return None
    key = fold(name).strip()
    code = _ALIASES.get(key) or _ALIASES.get(slugify(key)) or _ALIASES.get(" ".join(slugify(key).split("-")))
    return PROVINCES_BY_CODE.get(code) if code else None


def sole_former_province_code(code: str) -> str | None:
    """The code (slug) of the one pre-July-2025 unit that province `code` continues, or None when
    it was formed from several (Tuyên Quang from Tuyên Quang and Hà Giang: the former unit of an
    address there cannot be told from today's code alone).

    >>> sole_former_province_code("hue")
    'thua-thien-hue'
    """
    province = PROVINCES_BY_CODE.get(code)
    if province is None or len(province.former) != 1:
        return None
    return slugify(province.former[0])


def former_provinces_of(code: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the pre-July-2025 units that merged into province `code`: the choices for
    a producer's former province.

    >>> former_provinces_of("tuyen-quang")
    (('tuyen-quang', 'Tuyên Quang'), ('ha-giang', 'Hà Giang'))
    """
    province = PROVINCES_BY_CODE.get(code)
    return tuple((slugify(name), name) for name in province.former) if province else ()


def former_province_name(code: str) -> str:
    """The name of a pre-July-2025 unit from its code (slug), or the code when unknown."""
    return _FORMER_NAMES.get(code, code)


def default_former_province_code(code: str) -> str | None:
    """The former unit a producer in province `code` is taken to be in when nothing else is
    known: the one it continues alone, else the one of the same name (Thái Nguyên for Thái
    Nguyên, not Bắc Kạn), else None."""
    sole = sole_former_province_code(code)
    if sole is not None:
        return sole
    province = PROVINCES_BY_CODE.get(code)
    if province is not None and province.name in province.former:
        return slugify(province.name)
    return None


def province_name(code: str) -> str:
    province = PROVINCES_BY_CODE.get(code)
    return province.name if province else code


@dataclass(frozen=True)
class ProductGroup:
    """One of the six OCOP product groups of Decision 148/QĐ-TTg (2023) and its sub-groups."""

    code: str
    label: object
    subgroups: tuple[tuple[str, object], ...]

    def subgroup_label(self, code: str) -> object:
        return dict(self.subgroups).get(code, code)


PRODUCT_GROUPS: tuple[ProductGroup, ...] = (
    ProductGroup(
        "food",
        _l("Food"),
        (
            ("fresh", _l("Fresh produce")),
            ("raw", _l("Raw and semi-processed produce")),
            ("processed", _l("Processed food")),
            ("condiments", _l("Condiments and sauces")),
            ("tea", _l("Tea and tea products")),
            ("coffee_cocoa", _l("Coffee and cocoa")),
        ),
    ),
    ProductGroup(
        "beverages",
        _l("Beverages"),
        (
            ("alcoholic", _l("Alcoholic drinks")),
            ("non_alcoholic", _l("Non-alcoholic drinks")),
        ),
    ),
    ProductGroup(
        "herbal",
        _l("Medicinal herbs and herbal products"),
        (
            ("herbs", _l("Medicinal herbs")),
            ("herbal_food", _l("Herbal food and supplements")),
            ("cosmetics", _l("Herbal cosmetics and essential oils")),
        ),
    ),
    ProductGroup(
        "handicrafts",
        _l("Handicrafts"),
        (
            ("crafts", _l("Fine art and decorative crafts")),
            ("household", _l("Household goods")),
            ("textiles", _l("Textiles and garments")),
        ),
    ),
    ProductGroup(
        "ornamental",
        _l("Ornamental plants and animals"),
        (
            ("flowers", _l("Flowers")),
            ("plants", _l("Ornamental plants")),
            ("animals", _l("Ornamental animals")),
        ),
    ),
    ProductGroup(
        "tourism",
        _l("Community and eco-tourism services"),
        (
            ("community", _l("Community tourism")),
            ("eco", _l("Eco-tourism and tourist sites")),
        ),
    ),
)
PRODUCT_GROUPS_BY_CODE: dict[str, ProductGroup] = {g.code: g for g in PRODUCT_GROUPS}


class EntityType(str, Enum):  # noqa: UP042 (StrEnum would change str() in templates and forms)
    """Kinds of OCOP producer (chủ thể OCOP)."""

    COOPERATIVE = "cooperative"  # hợp tác xã
    ENTERPRISE = "enterprise"  # doanh nghiệp
    COOPERATIVE_GROUP = "cooperative_group"  # tổ hợp tác
    HOUSEHOLD = "household"  # hộ kinh doanh

    @property
    def label(self) -> object:
        return ENTITY_TYPE_LABELS[self]


ENTITY_TYPE_LABELS = {
    EntityType.COOPERATIVE: _l("Cooperative"),
    EntityType.ENTERPRISE: _l("Enterprise"),
    EntityType.COOPERATIVE_GROUP: _l("Cooperative group"),
    EntityType.HOUSEHOLD: _l("Household business"),
}


@dataclass(frozen=True)
class Channel:
    """A sales channel. `on_platform` channels are recorded by the order module itself; the others
    are declared by producers and always reported as declared."""

    code: str
    label: object
    modern: bool
    on_platform: bool


CHANNELS: tuple[Channel, ...] = (
    Channel("supermarket", _l("Supermarket chains"), modern=True, on_platform=True),
    Channel("online", _l("Online (consumers)"), modern=True, on_platform=True),
    Channel("ecommerce", _l("Other e-commerce platforms"), modern=True, on_platform=False),
    Channel("convenience_store", _l("Convenience-store chains"), modern=True, on_platform=False),
    Channel(
        "supermarket_offline", _l("Supermarket chains (off the platform)"), modern=True, on_platform=False
    ),
    Channel("traditional_market", _l("Traditional markets"), modern=False, on_platform=False),
    # Export and direct sales (the producer's own shop, fairs, visitors) are neither on the
    # platform nor modern retail channels in the sense of Decision 919/QĐ-TTg.
    Channel("export", _l("Export"), modern=False, on_platform=False),
    Channel("direct", _l("Direct sales (own shop, fairs, visitors)"), modern=False, on_platform=False),
)
CHANNELS_BY_CODE: dict[str, Channel] = {c.code: c for c in CHANNELS}
# What producers declare: the sales the platform cannot see.
DECLARABLE_CHANNELS: tuple[Channel, ...] = tuple(c for c in CHANNELS if not c.on_platform)

# OCOP classes: only 3★ and above are OCOP products (Decision 148/QĐ-TTg).
STAR_CLASSES = (3, 4, 5)
STAR_SCORE_RANGES = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
ISSUING_LEVELS = ("district", "province", "central")
CERTIFICATE_VALIDITY_MONTHS = 36
UNITS = ("kg", "g", "bottle", "box", "bag", "jar", "pack", "piece", "set", "litre", "tour")
