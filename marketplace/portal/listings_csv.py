"""CSV export and import of a producer's listings.

The file (UTF-8; exported with a byte-order mark so that Excel shows Vietnamese correctly) has
one product per row and these columns:

  sku            the producer's product code; an import updates the product with this code
  name           3–200 characters
  group          OCOP group code (food, beverages, herbal, handicrafts, ornamental, tourism)
  subgroup       a sub-group code of that group (e.g. tea, condiments)
  unit           kg, g, bottle, box, bag, jar, pack, piece, set, litre, tour
  net_weight_g   net weight in grams (may be empty)
  price_vnd      retail price in đồng, a whole number (150000 or 150.000)
  stock          units in stock
  min_order_qty  wholesale minimum order, in units (≥ 1)
  case_pack      wholesale quantities are multiples of it (≥ 1)
  status         draft, published or archived (exported for reference; ignored on import)
  tiers          wholesale tiers as quantity:price, separated by "|": 50:82000|100:78000
  description    Markdown

An import accepts UTF-8 with or without the byte-order mark and commas or semicolons (Excel in a
Vietnamese locale saves with semicolons). Every row is checked and every error reported with its
row number (the header is row 1) and column; a file with any error changes nothing. New products
arrive as drafts; publishing stays a step of its own (it needs pictures and a verified producer).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import PriceTier, Product
from marketplace.extensions import db
from marketplace.portal import services
from marketplace.portal.validation import (
    FieldError,
    GroupError,
    ListingData,
    clean_count,
    clean_description,
    clean_group,
    clean_name,
    clean_optional_net_weight,
    clean_price,
    clean_sku,
    clean_tiers,
    clean_unit,
    format_tiers,
    parse_tiers_text,
)
from marketplace.text import spreadsheet_safe

COLUMNS = (
    "sku",
    "name",
    "group",
    "subgroup",
    "unit",
    "net_weight_g",
    "price_vnd",
    "stock",
    "min_order_qty",
    "case_pack",
    "status",
    "tiers",
    "description",
)
REQUIRED_COLUMNS = ("sku", "name", "group", "subgroup", "unit", "price_vnd", "stock")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 500


def export_csv(producer_id: int) -> bytes:
    """Every product of the producer, in the import's format."""
    products = db.session.scalars(
        select(Product).where(Product.producer_id == producer_id).order_by(Product.sku)
    ).all()
    tiers: dict[int, list[tuple[int, int]]] = {}
    if products:
        for product_id, quantity, price in db.session.execute(
            select(PriceTier.product_id, PriceTier.min_quantity, PriceTier.unit_price_vnd)
            .join(Product, Product.id == PriceTier.product_id)
            .where(Product.producer_id == producer_id)
            .order_by(PriceTier.product_id, PriceTier.min_quantity)
        ):
            tiers.setdefault(product_id, []).append((quantity, price))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in products:
        writer.writerow(
            [
                p.sku,
                _spreadsheet_safe(p.name),
                p.group_code,
                p.subgroup_code,
                p.unit,
                p.net_weight_g if p.net_weight_g is not None else "",
                p.price_vnd,
                p.stock,
                p.min_order_qty,
                p.case_pack,
                p.status,
                format_tiers(tiers.get(p.id, [])),
                _spreadsheet_safe(p.description),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_spreadsheet_safe = spreadsheet_safe  # the shared rule, in marketplace.text


def _unquote(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: object


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


@dataclass(frozen=True)
class _ParsedRow:
    number: int
    data: ListingData
    stock: int


def _parse_row(number: int, row: dict[str, str], report: ImportReport) -> _ParsedRow | None:
    errors_before = len(report.errors)

    def check(column: str, clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except FieldError as error:
            report.errors.append(RowError(number, column, error.message))
            return None

    value = {name: _unquote((row.get(name) or "").strip()) for name in COLUMNS}
    sku = check("sku", clean_sku, value["sku"])
    name = check("name", clean_name, value["name"])
    try:
        group_code, subgroup_code = clean_group(value["group"], value["subgroup"])
    except GroupError as error:
        report.errors.append(RowError(number, error.field, error.message))
        group_code = subgroup_code = None
    unit = check("unit", clean_unit, value["unit"])
    net_weight = check("net_weight_g", clean_optional_net_weight, value["net_weight_g"])
    price = check("price_vnd", clean_price, value["price_vnd"])
    stock = check("stock", clean_count, value["stock"], minimum=0)
    min_order_qty = check("min_order_qty", clean_count, value["min_order_qty"] or "1", minimum=1)
    case_pack = check("case_pack", clean_count, value["case_pack"] or "1", minimum=1)
    description = check("description", clean_description, value["description"])
    pairs = check("tiers", parse_tiers_text, value["tiers"])
    tiers = check("tiers", clean_tiers, pairs, price) if pairs is not None else None
    if len(report.errors) > errors_before:
        return None
    return _ParsedRow(
        number,
        ListingData(
            sku=sku,
            name=name,
            group_code=group_code,
            subgroup_code=subgroup_code,
            description=description,
            unit=unit,
            net_weight_g=net_weight,
            price_vnd=price,
            min_order_qty=min_order_qty,
            case_pack=case_pack,
            low_stock_threshold=5,
            tiers=tuple(tiers),
        ),
        stock,
    )


def import_csv(producer_id: int, data: bytes, *, user_id: int | None) -> ImportReport:
    """Check every row; if none has an error, create or update (by SKU) every product. Flushes
    only when the whole file is valid; the caller commits if `report.ok`, else rolls back."""
    report = ImportReport()
    if len(data) > MAX_FILE_BYTES:
        report.errors.append(
            RowError(0, "", _l("The file is larger than 2 MB. Split it into several files."))
        )
        return report
    text = _decode(data)
    if text is None:
        report.errors.append(RowError(0, "", _l("The file is not UTF-8 text. Save it as “CSV UTF-8”.")))
        return report
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), _l("These columns are missing from the first row."))
        )
        return report
    parsed: list[_ParsedRow] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            number = reader.line_num  # the header is row 1
            if not any((v or "").strip() for k, v in row.items() if k is not None):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.errors.append(
                    RowError(number, "", _l("A file may hold at most %(n)d products.", n=MAX_ROWS))
                )
                break
            if None in row:
                report.errors.append(RowError(number, "", _l("This row has more cells than the header.")))
                continue
            result = _parse_row(number, row, report)
            if result is None:
                continue
            if result.data.sku in seen:
                report.errors.append(
                    RowError(
                        number,
                        "sku",
                        _l(
                            "This code (SKU) is already used in row %(row)d of the file.",
                            row=seen[result.data.sku],
                        ),
                    )
                )
                continue
            seen[result.data.sku] = number
            parsed.append(result)
    except csv.Error as error:
        report.errors.append(
            RowError(reader.line_num, "", _l("The file is not valid CSV: %(error)s", error=str(error)))
        )
    if not report.errors and not parsed:
        report.errors.append(RowError(0, "", _l("The file holds no products.")))
    if report.errors:
        return report

    existing = (
        {
            p.sku: p
            for p in db.session.scalars(
                select(Product).where(Product.producer_id == producer_id, Product.sku.in_(list(seen)))
            )
        }
        if seen
        else {}
    )
    for row in parsed:
        product = existing.get(row.data.sku)
        if product is None:
            services.create_product(
                producer_id, row.data, stock=row.stock, user_id=user_id, stock_note="CSV import"
            )
            report.created += 1
            continue
        data = _keep_threshold(row.data, product)
        changed = _differs(product, data) or services.product_tiers(product.id) != list(data.tiers)
        services.update_product(product, data)
        if product.stock != row.stock:
            services.adjust_stock(product, "counted", row.stock, note="CSV import", user_id=user_id)
            changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _keep_threshold(data: ListingData, product: Product) -> ListingData:
    from dataclasses import replace

    # The file has no English name or description columns: an update keeps the product's own.
    return replace(
        data,
        low_stock_threshold=product.low_stock_threshold,
        name_en=product.name_en,
        description_en=product.description_en,
    )


def _differs(product: Product, data: ListingData) -> bool:
    return any(
        getattr(product, name) != getattr(data, name)
        for name in (
            "name",
            "group_code",
            "subgroup_code",
            "description",
            "unit",
            "net_weight_g",
            "price_vnd",
            "min_order_qty",
            "case_pack",
        )
    )
