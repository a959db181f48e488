"""Product codes a buyer types or sends in a CSV file.

SKUs are unique per producer, not across the catalogue, so a code is one of:
- `CODE/SKU`, the producer's short code and the SKU (always unambiguous; shown in the wholesale
  catalogue), e.g. `CCNM/014` for the SKU `CCNM-014` of the producer coded `CCNM`: a SKU that
  starts with the producer's code and a dash is written without that repetition, and either
  spelling (`CCNM/014`, `CCNM/CCNM-014`) is accepted;
- `producer-slug/SKU`, the long form shown before producers had short codes, still accepted so
  that buyers' files and systems keep working, e.g. `htx-che-tan-cuong/TC-200`;
- a bare `SKU`, when exactly one product for sale has it (otherwise the code is ambiguous and
  the buyer is asked for the CODE/SKU form);
- `#123`, the product's id.
Codes are compared case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.catalog.services import visible_condition
from marketplace.extensions import db
from marketplace.producers.models import Producer

_CHUNK = 500


@dataclass(frozen=True)
class Resolved:
    product_id: int | None
    problem: str | None = None  # "unknown_code" or "ambiguous_code"


def product_code(producer_code: str | None, producer_slug: str, sku: str) -> str:
    """The code the catalogue shows: `CCNM/014`, or `producer-slug/SKU` for a producer without a
    short code."""
    if not producer_code:
        return f"{producer_slug}/{sku}"
    prefix = f"{producer_code}-"
    repeated = sku.casefold().startswith(prefix.casefold()) and len(sku) > len(prefix)
    rest = sku[len(prefix) :] if repeated else sku
    return f"{producer_code}/{rest}"


def _for_sale():
    return (
        select(Product.id, Product.sku, Producer.slug, Producer.code)
        .join(Producer, Producer.id == Product.producer_id)
        .where(visible_condition())
    )


def _wanted_skus(code: str) -> tuple[str, ...]:
    """The folded SKUs `code` may name."""
    if "/" not in code:
        return (code.casefold(),)
    owner, sku = (part.strip().casefold() for part in code.rsplit("/", 1))
    return (sku, f"{owner}-{sku}")


def _hits(code: str, matches: dict[str, list[tuple[int, str, str | None]]]) -> list[int]:
    if "/" not in code:
        return [pid for pid, _, _ in matches.get(code.casefold(), [])]
    owner, sku = (part.strip().casefold() for part in code.rsplit("/", 1))
    exact = [
        pid
        for pid, slug, pcode in matches.get(sku, [])
        if owner in (slug.casefold(), (pcode or "").casefold())
    ]
    if exact:
        return exact
    return [pid for pid, _, pcode in matches.get(f"{owner}-{sku}", []) if (pcode or "").casefold() == owner]


def resolve_codes(codes: Iterable[str]) -> dict[str, Resolved]:
    """Each code (as given) → the product it names, in a few queries whatever their number."""
    codes = {code.strip() for code in codes if code and code.strip()}
    result: dict[str, Resolved] = {}
    ids: dict[int, str] = {}
    by_sku: list[str] = []
    wanted: set[str] = set()
    for code in codes:
        if code.startswith("#") and code[1:].isdigit() and len(code) < 12:
            ids[int(code[1:])] = code
        else:
            by_sku.append(code)
            wanted.update(_wanted_skus(code))
    id_list = sorted(ids)
    for i in range(0, len(id_list), _CHUNK):
        for row in db.session.execute(_for_sale().where(Product.id.in_(id_list[i : i + _CHUNK]))):
            result[ids[row.id]] = Resolved(row.id)
    sku_list = sorted(wanted)
    matches: dict[str, list[tuple[int, str, str | None]]] = {}
    for i in range(0, len(sku_list), _CHUNK):
        for product_id, sku, slug, producer_code in db.session.execute(
            _for_sale().where(func.lower(Product.sku).in_(sku_list[i : i + _CHUNK]))
        ):
            matches.setdefault(sku.casefold(), []).append((product_id, slug, producer_code))
    for code in by_sku:
        hits = list(dict.fromkeys(_hits(code, matches)))
        if len(hits) == 1:
            result[code] = Resolved(hits[0])
        else:
            result[code] = Resolved(None, "ambiguous_code" if hits else "unknown_code")
    for code in codes:
        result.setdefault(code, Resolved(None, "unknown_code"))
    return result
