"""Shipping fees: one fee per producer's parcel, by how far it travels (the producer's province zone
against the delivery province) and its weight.

The table lives in code (`DEFAULT_SHIPPING_TABLE`); the `SHIPPING_FEE_TABLE` setting replaces it
with a mapping of the same shape, so rates change without editing code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from marketplace.reference import PROVINCES_BY_CODE

# The three regions (miền) of the 34 provinces in force since 1 July 2025.
ZONES: dict[str, tuple[str, ...]] = {
    "north": (
        "ha-noi",
        "lai-chau",
        "dien-bien",
        "son-la",
        "lang-son",
        "quang-ninh",
        "cao-bang",
        "tuyen-quang",
        "lao-cai",
        "thai-nguyen",
        "phu-tho",
        "bac-ninh",
        "hung-yen",
        "hai-phong",
        "ninh-binh",
    ),
    "central": (
        "thanh-hoa",
        "nghe-an",
        "ha-tinh",
        "quang-tri",
        "hue",
        "da-nang",
        "quang-ngai",
        "gia-lai",
        "khanh-hoa",
        "lam-dong",
        "dak-lak",
    ),
    "south": (
        "ho-chi-minh",
        "dong-nai",
        "tay-ninh",
        "can-tho",
        "vinh-long",
        "dong-thap",
        "ca-mau",
        "an-giang",
    ),
}
ZONE_ORDER = ("north", "central", "south")
DISTANCES = ("same_province", "same_zone", "neighbour_zone", "far_zone")

# Fees in VND. "bands": the fee for a parcel up to max_weight_g; "extra_per_kg": added for each
# started kilogram above the last band.
DEFAULT_SHIPPING_TABLE: dict = {
    "bands": [
        {
            "max_weight_g": 500,
            "fees": {
                "same_province": 16_000,
                "same_zone": 22_000,
                "neighbour_zone": 30_000,
                "far_zone": 35_000,
            },
        },
        {
            "max_weight_g": 1_000,
            "fees": {
                "same_province": 18_000,
                "same_zone": 26_000,
                "neighbour_zone": 36_000,
                "far_zone": 42_000,
            },
        },
        {
            "max_weight_g": 2_000,
            "fees": {
                "same_province": 22_000,
                "same_zone": 32_000,
                "neighbour_zone": 45_000,
                "far_zone": 55_000,
            },
        },
    ],
    "extra_per_kg": {"same_province": 3_000, "same_zone": 5_000, "neighbour_zone": 8_000, "far_zone": 10_000},
}
# A product without a declared net weight is shipped as if it weighed this much.
DEFAULT_ITEM_WEIGHT_G = 500

ZONE_OF_PROVINCE: dict[str, str] = {code: zone for zone, codes in ZONES.items() for code in codes}
assert set(ZONE_OF_PROVINCE) == set(PROVINCES_BY_CODE), "every province belongs to exactly one zone"


def distance_class(from_province: str, to_province: str) -> str:
    if from_province == to_province:
        return "same_province"
    a, b = ZONE_ORDER.index(ZONE_OF_PROVINCE[from_province]), ZONE_ORDER.index(ZONE_OF_PROVINCE[to_province])
    return DISTANCES[1 + min(abs(a - b), 2)]


@dataclass(frozen=True)
class ShippingTable:
    bands: tuple[tuple[int, Mapping[str, int]], ...]
    extra_per_kg: Mapping[str, int]

    @classmethod
    def from_mapping(cls, table: Mapping) -> ShippingTable:
        bands = tuple(sorted((int(b["max_weight_g"]), dict(b["fees"])) for b in table["bands"]))
        if not bands:
            raise ValueError("a shipping table needs at least one weight band")
        for _, fees in (*bands, (0, table["extra_per_kg"])):
            missing = set(DISTANCES) - set(fees)
            if missing:
                raise ValueError(f"shipping table lacks fees for {sorted(missing)}")
        return cls(bands=bands, extra_per_kg=dict(table["extra_per_kg"]))

    def fee(self, *, from_province: str, to_province: str, weight_g: int) -> int:
        """The fee in VND for one parcel of `weight_g` grams."""
        distance = distance_class(from_province, to_province)
        for max_weight, fees in self.bands:
            if weight_g <= max_weight:
                return fees[distance]
        last_max, last_fees = self.bands[-1]
        extra_kg = -(-(weight_g - last_max) // 1000)  # each started kilogram
        return last_fees[distance] + extra_kg * self.extra_per_kg[distance]


def shipping_table(config: Mapping) -> ShippingTable:
    """The table in force: the SHIPPING_FEE_TABLE setting, or the default."""
    return ShippingTable.from_mapping(config.get("SHIPPING_FEE_TABLE") or DEFAULT_SHIPPING_TABLE)
