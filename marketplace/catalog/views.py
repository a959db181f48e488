"""The public storefront: home, catalogue, product, producer and province pages, and pictures."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from flask_login import current_user

from marketplace.accounts.permissions import can_see_wholesale
from marketplace.catalog import services
from marketplace.catalog.page_cache import cached_whole, not_cacheable
from marketplace.reference import PROVINCES_BY_CODE, resolve_province

bp = Blueprint("catalog", __name__)


@bp.get("/")
@cached_whole
def home():
    return render_template("catalog/home.html", overview=services.home_overview())


@bp.get("/products")
@cached_whole
def catalog():
    filters = services.parse_filters(request.args)
    if filters.q:
        not_cacheable()  # search results follow the search index, which is not in the page's key
    page = services.catalog_page(filters)
    # page.filters carries the search matches, so cached fragments follow the index too.
    return render_template("catalog/list.html", page=page, filters=page.filters)


@bp.get("/products/<slug>")
@cached_whole
def product(slug: str):
    detail = services.product_detail(slug)
    if detail is None:
        abort(404)
    tiers_hidden = bool(detail.price_tiers) and not can_see_wholesale(current_user)
    if tiers_hidden:
        # Wholesale tiers are for verified buyers only: drop them before the template sees them.
        detail = dataclasses.replace(detail, price_tiers=())
    return render_template("catalog/product.html", product=detail, wholesale_tiers_hidden=tiers_hidden)


@bp.get("/producers/<slug>")
@cached_whole
def producer(slug: str):
    page_number = services.parse_filters(request.args).page
    data = services.producer_page(slug, page_number)
    if data is None:
        abort(404)
    return render_template("catalog/producer.html", data=data)


@bp.get("/provinces/<code>")
@cached_whole
def province(code: str):
    resolved = resolve_province(code)
    if resolved is None:
        abort(404)
    if resolved.code != code:
        # A former province (Hà Giang) or another spelling: the page of the province in force.
        from flask import redirect, url_for

        return redirect(url_for("catalog.province", code=resolved.code), code=301)
    return render_template(
        "catalog/province.html", province=PROVINCES_BY_CODE[code], data=services.province_page(code)
    )


@bp.get("/media/<path:key>")
def media(key: str):
    response = send_from_directory(current_app.config["UPLOAD_DIR"], key, max_age=31536000)
    return response


@bp.get("/about/green")
@cached_whole
def green():
    """What the green mark means and how the marketplace verifies it (the mark links here)."""
    return render_template("catalog/green.html")
