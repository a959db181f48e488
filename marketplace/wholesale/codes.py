"""Product codes a buyer types or sends in a CSV file.

SKUs are unique per producer, not across the catalogue, so a code is one of:
- `producer-slug/SKU` (always unambiguous), e.g. `htx-che-tan-cuong/TC-200`;
- a bare `SKU`, when exactly one product for sale has it (otherwise the code is ambiguous and
  the buyer is asked for the producer-slug/SKU form);
- `#123`, the product's id (shown on the wholesale catalogue).
Codes are compared case-insensitively for the SKU part.
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


def _for_sale():  # noqa: ANN202
    return (
        select(Product.id, Product.sku, Producer.slug)
        .join(Producer, Producer.id == Product.producer_id)
        .where(visible_condition())
    )


def resolve_codes(codes: Iterable[str]) -> dict[str, Resolved]:
    """Each code (as given) → the product it names, in a few queries whatever their number."""
    codes = {code.strip() for code in codes if code and code.strip()}
    result: dict[str, Resolved] = {}
    ids, skus = {}, {}
    for code in codes:
        if code.startswith("#") and code[1:].isdigit() and len(code) < 12:
            ids[int(code[1:])] = code
        elif "/" in code:
            skus.setdefault(code.rsplit("/", 1)[1].casefold(), []).append(code)
        else:
            skus.setdefault(code.casefold(), []).append(code)
    id_list = sorted(ids)
    for i in range(0, len(id_list), _CHUNK):
        for product_id, _sku, _slug in db.session.execute(_for_sale().where(Product.id.in_(id_list[i:i + _CHUNK]))):
            result[ids[product_id]] = Resolved(product_id)
    sku_list = sorted(skus)
    matches: dict[str, list[tuple[int, str]]] = {}
    for i in range(0, len(sku_list), _CHUNK):
        for product_id, sku, slug in db.session.execute(
            _for_sale().where(func.lower(Product.sku).in_(sku_list[i:i + _CHUNK]))
        ):
            matches.setdefault(sku.casefold(), []).append((product_id, slug))
    for folded, asked in skus.items():
        candidates = matches.get(folded, [])
        for code in asked:
            if "/" in code:
                slug = code.rsplit("/", 1)[0].strip().casefold()
                hits = [pid for pid, s in candidates if s.casefold() == slug]
            else:
                hits = [pid for pid, _ in candidates]
            if len(hits) == 1:
                result[code] = Resolved(hits[0])
            else:
                result[code] = Resolved(None, "ambiguous_code" if hits else "unknown_code")
    for code in codes:
        result.setdefault(code, Resolved(None, "unknown_code"))
    return result
