"""GET /api/v1/products (search, filters, facets) and GET /api/v1/products/<id>.

Parameters are checked strictly: a value that makes no sense answers 400 with
{"error": {"code", "message"}} (the HTML catalogue, by contrast, ignores such values).
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import select

from marketplace.catalog import services
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.reference import PRODUCT_GROUPS_BY_CODE, STAR_CLASSES, province_name, resolve_province

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100
_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no", ""}


class BadParameter(Exception):
    code = "bad_parameter"

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@bp.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return jsonify(error={"code": exc.code, "message": str(exc), "parameter": exc.name}), 400


def _int(name: str, low: int, high: int) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(name, "must be a whole number") from None
    if not low <= number <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return number


def _filters() -> tuple[services.CatalogFilters, int]:
    args = request.args
    q = args.get("q", "").strip()
    if len(q) > services.MAX_QUERY_LENGTH:
        raise BadParameter("q", f"at most {services.MAX_QUERY_LENGTH} characters")
    stars = _int("stars", min(STAR_CLASSES), max(STAR_CLASSES))
    group = args.get("group") or None
    if group is not None and group not in PRODUCT_GROUPS_BY_CODE:
        raise BadParameter("group", f"must be one of {', '.join(PRODUCT_GROUPS_BY_CODE)}")
    province = None
    if args.get("province"):
        resolved = resolve_province(args["province"])
        if resolved is None:
            raise BadParameter("province", "unknown province")
        province = resolved.code
    gi = args.get("gi", "").lower()
    if gi not in _TRUE | _FALSE:
        raise BadParameter("gi", "must be 1 or 0")
    min_price = _int("min_price", 0, services.MAX_PRICE_VND)
    max_price = _int("max_price", 0, services.MAX_PRICE_VND)
    if min_price is not None and max_price is not None and min_price > max_price:
        raise BadParameter("min_price", "must not exceed max_price")
    sort = args.get("sort") or "featured"
    if sort not in services.SORTS:
        raise BadParameter("sort", f"must be one of {', '.join(services.SORTS)}")
    page = _int("page", 1, services.MAX_PAGE) or 1
    per_page = _int("per_page", 1, MAX_PER_PAGE) or services.PAGE_SIZE
    filters = services.CatalogFilters(
        q=q, stars=stars, group=group, province=province, protected_only=gi in _TRUE,
        min_price=min_price, max_price=max_price, sort=sort, page=page,
    )
    return filters, per_page


def _item(card: services.ProductCard, valid_until) -> dict:  # noqa: ANN001
    return {
        "id": card.id,
        "slug": card.slug,
        "name": card.name,
        "producer": {"name": card.producer_name, "province": province_name(card.province_code)},
        "group": card.group_code,
        "stars": card.stars,
        "certificate_valid_until": valid_until.isoformat() if valid_until else None,
        "protection": {"kind": card.protection.kind, "name": card.protection.name} if card.protection else None,
        "price_vnd": card.price_vnd,
        "unit": card.unit,
        "in_stock": card.in_stock,
        "url": url_for("catalog.product", slug=card.slug, _external=True),
    }


def _facets(facets: services.Facets) -> dict:
    return {
        "stars": {str(f.value): f.count for f in facets.stars},
        "group": {f.value: f.count for f in facets.groups},
        "province": {f.value: f.count for f in facets.provinces if f.count},
        "gi": facets.protected,
        "price": {f.value: f.count for f in facets.prices},
    }


@bp.get("/products")
def products():
    filters, per_page = _filters()
    page = services.catalog_page(filters, page_size=per_page)
    valid_until = services.certificates_valid_until([c.id for c in page.items])
    body = {
        "items": [_item(c, valid_until.get(c.id)) for c in page.items],
        "total": page.total,
        "page": filters.page,
        "per_page": per_page,
        "facets": _facets(page.facets),
    }
    if page.did_you_mean:
        body["did_you_mean"] = page.did_you_mean
    return jsonify(body)


@bp.get("/products/<int:product_id>")
def product(product_id: int):
    slug = db.session.scalar(select(Product.slug).where(Product.id == product_id))
    detail = services.product_detail(slug) if slug else None
    if detail is None:
        return jsonify(error={"code": "not_found", "message": "No such product"}), 404
    valid_until = detail.certificate.valid_until if detail.certificate else None
    body = _item(detail.card, valid_until)
    body.update(
        subgroup=detail.subgroup_code,
        description_html=str(detail.description_html),
        protections=[{"kind": p.kind, "name": p.name, "registration_number": p.registration_number}
                     for p in detail.protections],
    )
    return jsonify(body)
