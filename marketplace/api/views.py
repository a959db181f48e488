"""JSON API v1 under /api/v1: the public product read API, the buyer's catalogue, orders and
invoices, and the producer's listings and order moves. Each view parses (spectree has validated
the request against `schemas`), calls one service and shapes the answer; the rules live in the
services the site uses (wholesale, orders, invoicing, portal)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from marketplace.api import idempotency, queries
from marketplace.api.errors import ApiError
from marketplace.api.schemas import (
    AcceptPartIn,
    CataloguePage,
    CatalogueQuery,
    ErrorBody,
    IdempotencyHeaders,
    InvoiceOut,
    InvoicesPage,
    InvoicesQuery,
    ListingsIn,
    ListingsOut,
    OrderIn,
    OrderOut,
    OrdersPage,
    OrdersQuery,
    ProducerOrdersPage,
    ProducerOrdersQuery,
    ProducerPartOut,
    ProductDetailOut,
    ProductsPage,
    ProductsQuery,
    ShipIn,
)
from marketplace.api.spec import operation, responses, spec
from marketplace.catalog import services as catalog
from marketplace.domain import DomainError
from marketplace.extensions import csrf, db
from marketplace.invoicing import fulfilment
from marketplace.invoicing.errors import InvalidAdjustment
from marketplace.invoicing.forms import STATUS_LABELS
from marketplace.invoicing.pdf import invoice_pdf
from marketplace.orders import services as orders
from marketplace.orders.errors import OutOfStock
from marketplace.portal import services as portal
from marketplace.reference import province_name
from marketplace.security import CONTENT_SECURITY_POLICY
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import feed, messages
from marketplace.wholesale import services as wholesale
from marketplace.wholesale.errors import InvalidOrderDetails, LinesRefused

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, never cookies: no cross-site request can carry one

# ---------------------------------------------------------------------------------------------
# Errors: always {"error": {"code", "message", "details"}}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    db.session.rollback()
    return jsonify(error.body()), error.status, error.headers


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    code = _HTTP_CODES.get(error.code, "validation_error" if error.code == 400 else "internal_error")
    response = _api_error(ApiError(code, error.description or "", status=error.code))
    return response


def _domain_error(error: DomainError) -> ApiError:
    """A service's refusal as the API's error."""
    if isinstance(error, LinesRefused):
        return ApiError("lines_refused", error.message, _refused_lines(error.report))
    if isinstance(error, InvalidOrderDetails):
        fields = {
            name: {"code": code, "message": messages.code_text(code, **params), "params": params}
            for name, (code, params) in error.errors.items()
        }
        return ApiError("invalid_order_details", error.message, {"fields": fields})
    if isinstance(error, OutOfStock):
        return ApiError(
            "out_of_stock",
            error.message,
            {
                "products": [
                    {"product_id": s.product_id, "requested": s.requested, "available": s.available}
                    for s in error.shortages
                ]
            },
        )
    if isinstance(error, portal.ListingsRefused):
        return ApiError(
            "listings_refused",
            error.message,
            {
                "rows": [
                    {"row": e.row, "sku": e.sku, "field": e.field, "code": e.code, "message": e.message}
                    for e in error.errors
                ]
            },
        )
    if isinstance(error, InvalidAdjustment):
        return ApiError(
            "invalid_adjustment",
            str(error.message),
            {"fields": {k: str(v) for k, v in (getattr(error, "errors", None) or {}).items()}},
        )
    known = {
        "credit_limit_exceeded",
        "empty_order",
        "buyer_not_verified",
        "transition_not_allowed",
        "awaiting_payment",
        "invalid_shipment",
    }
    code = error.code if error.code in known else "transition_not_allowed"
    if error.code == "not_an_invoice_order":
        code = "transition_not_allowed"
    return ApiError(code, str(error.message))


def _problem(problem) -> dict:
    return {
        "code": problem.code,
        "message": messages.problem_text(problem),
        "params": {k: v for k, v in problem.params.items() if isinstance(v, (int, str))},
    }


def _refused_lines(report) -> dict:
    return {
        "lines": [
            {
                "line": line.line_no,
                "code": line.code,
                "quantity": line.quantity_text,
                "problems": [_problem(p) for p in line.problems],
            }
            for line in report.refused
        ],
        "parts": [_problem(p) for p in report.part_problems],
    }


def _token():
    return g.api_token


def _cursor(value: str | None) -> int | None:
    return int(value) if value else None


# ---------------------------------------------------------------------------------------------
# The document and its reference page


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec.spec)


@bp.get("/docs")
def reference():
    """A readable reference of the document (Redoc, vendored under static/vendor/redoc)."""
    page = render_template("api/reference.html", spec_url=url_for("api.openapi"))
    # Redoc styles its page with inline <style> elements and searches in a blob: worker.
    policy = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return Response(
        page, mimetype="text/html", headers={"Content-Security-Policy": policy + "; worker-src blob:"}
    )


# ---------------------------------------------------------------------------------------------
# Public products (the storefront's read API)


def _item(card: catalog.ProductCard, valid_until) -> dict:
    return {
        "id": card.id,
        "slug": card.slug,
        "name": card.name,
        "producer": {"name": card.producer_name, "province": province_name(card.province_code)},
        "group": card.group_code,
        "stars": card.stars,
        "certificate_valid_until": valid_until.isoformat() if valid_until else None,
        "protection": {"kind": card.protection.kind, "name": card.protection.name}
        if card.protection
        else None,
        "price_vnd": card.price_vnd,
        "unit": card.unit,
        "in_stock": card.in_stock,
        "url": url_for("catalog.product", slug=card.slug, _external=True),
    }


@bp.get("/products")
@operation(
    kind=None, scope=None, tags=("products",), query=ProductsQuery, resp=responses(HTTP_200=ProductsPage)
)
def products():
    """Search the public catalogue (retail prices)

    Filters as on the storefront; no token needed."""
    args: ProductsQuery = request.context.query
    filters = catalog.CatalogFilters(
        q=args.q.strip(),
        stars=args.stars,
        group=args.group,
        province=args.province,
        protected_only=args.gi,
        min_price=args.min_price,
        max_price=args.max_price,
        sort=args.sort,
        page=args.page,
    )
    page = catalog.catalog_page(filters, page_size=args.per_page)
    valid_until = catalog.certificates_valid_until([c.id for c in page.items])
    facets = page.facets
    body = {
        "items": [_item(c, valid_until.get(c.id)) for c in page.items],
        "total": page.total,
        "page": args.page,
        "per_page": args.per_page,
        "facets": {
            "stars": {str(f.value): f.count for f in facets.stars},
            "group": {f.value: f.count for f in facets.groups},
            "province": {f.value: f.count for f in facets.provinces if f.count},
            "gi": facets.protected,
            "price": {f.value: f.count for f in facets.prices},
        },
    }
    if page.did_you_mean:
        body["did_you_mean"] = page.did_you_mean
    return body


@bp.get("/products/<int:product_id>")
@operation(kind=None, scope=None, tags=("products",), resp=responses(HTTP_200=ProductDetailOut))
def product(product_id: int):
    """One public product"""
    slug = queries.product_slug(product_id)
    detail = catalog.product_detail(slug) if slug else None
    if detail is None:
        raise ApiError("not_found", "No such product.")
    valid_until = detail.certificate.valid_until if detail.certificate else None
    body = _item(detail.card, valid_until)
    body.update(
        subgroup=detail.subgroup_code,
        description_html=str(detail.description_html),
        protections=[
            {"kind": p.kind, "name": p.name, "registration_number": p.registration_number}
            for p in detail.protections
        ],
    )
    return body


# ---------------------------------------------------------------------------------------------
# Buyers: the wholesale catalogue


def _require_verified_buyer() -> None:
    organisation = queries.organisation(_token().buyer_organisation_id)
    if organisation is None or not organisation.is_verified:
        raise ApiError("buyer_not_verified")


def _catalogue_item(item: feed.FeedItem) -> dict:
    product, producer = item.product, item.producer
    cert = item.certificate
    return {
        "id": product.id,
        "code": item.code,
        "sku": product.sku,
        "name": product.name,
        "unit": product.unit,
        "group": product.group_code,
        "producer": {
            "slug": producer.slug,
            "name": producer.name,
            "province": province_name(producer.province_code),
            "min_order_value_vnd": producer.min_order_value_vnd,
        },
        "retail_price_vnd": product.price_vnd,
        "tiers": [{"min_quantity": q, "unit_price_vnd": p} for q, p in item.tiers],
        "min_order_qty": product.min_order_qty,
        "case_pack": product.case_pack,
        "stock": product.stock,
        "certificate": None
        if cert is None
        else {
            "stars": cert.stars,
            "number": cert.number,
            "issuing_level": cert.issuing_level,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
        },
        "protections": [
            {"kind": p.kind, "name": p.name, "registration_number": p.registration_number}
            for p in item.protections
        ],
        "supply": [
            {
                "year": m.year,
                "month": m.month,
                "in_season": m.in_season,
                "capacity": m.capacity,
                "committed": m.committed,
                "remaining": m.remaining,
            }
            for m in item.supply
        ],
        "updated_at": product.updated_at.replace(tzinfo=UTC),
    }


@bp.get("/catalog")
@operation(
    kind="buyer",
    scope="catalog:read",
    tags=("buyers",),
    query=CatalogueQuery,
    resp=responses(HTTP_200=CataloguePage),
)
def catalogue():
    """The wholesale catalogue for the token's organisation

    Wholesale prices and tiers, MOQ, case pack, stock, the producer's minimum order value,
    certificate and GI facts; in id order, `next_cursor` for the next page, `updated_since` for
    what changed (and, in `removed`, what is no longer for sale)."""
    _require_verified_buyer()
    args: CatalogueQuery = request.context.query
    since = args.updated_since
    if since is not None and since.tzinfo is not None:  # stored as naive UTC
        since = since.astimezone(UTC).replace(tzinfo=None)
    filters = feed.FeedFilters(
        q=args.q,
        group=args.group,
        province=args.province,
        stars=args.stars,
        gi=args.gi,
        min_price=args.min_price,
        max_price=args.max_price,
        updated_since=since,
    )
    page = feed.catalogue_feed(filters, after_id=_cursor(args.cursor) or 0, limit=args.limit)
    # Plain dicts validated once, in one call, into a model instance: spectree then serialises it
    # without validating it again (building each item's model from Python took most of a page).
    return CataloguePage.model_validate(
        {
            "items": [_catalogue_item(item) for item in page.items],
            "next_cursor": str(page.next_cursor) if page.next_cursor else None,
            "removed": [{"id": product_id, "code": code} for product_id, code in page.removed],
        }
    )


# ---------------------------------------------------------------------------------------------
# Buyers: orders


def _line(line) -> dict:
    return {
        "id": line.id,
        "product_id": line.product_id,
        "sku": line.sku,
        "name": line.product_name,
        "unit": line.unit,
        "unit_price_vnd": line.unit_price_vnd,
        "quantity": line.quantity,
        "ordered_quantity": line.ordered_quantity or line.quantity,
        "line_total_vnd": line.line_total_vnd,
        "adjustment_reason": line.adjustment_reason,
    }


def _event(event) -> dict:
    return {
        "at": _iso(event.at),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note or "",
    }


def _iso(moment) -> str | None:
    """Dates as they are; times (stored as naive UTC) in RFC 3339 with their Z."""
    if moment is None:
        return None
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.isoformat() + "Z"
    return moment.isoformat()


def order_body(order) -> dict:
    events = queries.events_by_part(order)
    producers = queries.producers_by_id({part.producer_id for part in order.producer_orders})
    return {
        "reference": order.reference,
        "created_at": _iso(order.created_at),
        "purchase_order_number": order.purchase_order_number,
        "payment_method": order.payment_method,
        "payment_status": order.payment_status,
        "approval_status": order.approval_status,
        "items_total_vnd": order.items_total_vnd,
        "total_vnd": order.total_vnd,
        "parts": [
            {
                "id": part.id,
                "producer": {
                    "slug": producers[part.producer_id].slug,
                    "name": producers[part.producer_id].name,
                },
                "status": part.status,
                "subtotal_vnd": part.subtotal_vnd,
                "delivery_location_id": part.delivery_location_id,
                "requested_delivery_date": _iso(part.requested_delivery_date),
                "confirmed_delivery_date": _iso(part.confirmed_delivery_date),
                "carrier": part.carrier,
                "tracking_number": part.tracking_number,
                "shipped_at": _iso(part.shipped_at),
                "delivered_at": _iso(part.delivered_at),
                "lines": [_line(line) for line in part.lines],
                "events": [_event(e) for e in events.get(part.id, [])],
            }
            for part in order.producer_orders
        ],
    }


@bp.post("/orders")
@operation(
    kind="buyer",
    scope="orders:write",
    tags=("buyers",),
    json=OrderIn,
    headers=IdempotencyHeaders,
    resp=responses(HTTP_201=OrderOut, HTTP_400=ErrorBody, HTTP_409=ErrorBody),
)
def place_order():
    """Place a bulk order

    Lines by code and quantity; a delivery location and date for every producer part (defaults,
    or per producer in `deliveries`); a PO number. Every refused line comes back at once (422
    `lines_refused`, one entry per line, the codes of the CSV upload). The `Idempotency-Key`
    header is required: the same key and body answers the stored response, the same key with
    another body answers 422 `idempotency_key_reused`, a retry while the first request is still
    running answers 409. Keys are kept at least 24 hours. Approval rules and the credit limit apply
    as on the site."""
    token = _token()
    body: OrderIn = request.context.json
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    fingerprint = idempotency.request_hash("POST", request.path, request.get_json(silent=True))
    claimed = idempotency.begin("buyer", token.buyer_organisation_id, key, fingerprint)
    if isinstance(claimed, idempotency.Replay):
        return _answer(claimed.status, claimed.body), claimed.status, {"Idempotent-Replayed": "true"}
    try:
        status, answer = _place(token, body, key)
    except BaseException:
        idempotency.abandon(claimed)
        raise
    idempotency.finish(claimed, status, answer)
    return _answer(status, answer), status


def _answer(status: int, body: dict) -> OrderOut | dict:
    # A model instance, not a dict, for the (large) order: spectree then serialises it without
    # walking it again, which a 500-line order notices.
    return OrderOut.model_validate(body) if status == 201 else body


def _place(token, body: OrderIn, key: str) -> tuple[int, dict]:
    from marketplace.accounts.models import User

    organisation = queries.organisation(token.buyer_organisation_id)
    if organisation is None or not organisation.is_verified:
        return 403, ApiError("buyer_not_verified").body()
    user = db.session.get(User, token.created_by_id) if token.created_by_id else None
    if user is None:
        return 403, ApiError(
            "insufficient_scope",
            "The token's creator no longer exists: create a new token.",
            {"required": "orders:write"},
        ).body()
    order_key = (
        "api-" + idempotency.request_hash("key", f"{token.organisation_kind}:{organisation.id}", key)[:40]
    )
    try:
        order = wholesale.place_order_lines(
            organisation_id=organisation.id,
            user=user,
            lines=[wholesale.LineRequest(line.code, line.quantity) for line in body.lines],
            deliveries={
                d.producer: wholesale.PartChoice(d.delivery_location_id, d.requested_delivery_date)
                for d in body.deliveries
            },
            default=wholesale.PartChoice(body.delivery_location_id, body.requested_delivery_date),
            purchase_order_number=body.purchase_order_number,
            idempotency_key=order_key,
            payment_method=body.payment_method,
            actor=f"api token {token.id} (user {user.id})",
        )
    except DomainError as error:
        db.session.rollback()
        failure = _domain_error(error)
        return failure.status, failure.body()
    return 201, order_body(order)


@bp.get("/orders")
@operation(
    kind="buyer",
    scope="orders:read",
    tags=("buyers",),
    query=OrdersQuery,
    resp=responses(HTTP_200=OrdersPage),
)
def list_orders():
    """The organisation's orders, newest first"""
    args: OrdersQuery = request.context.query
    rows, cursor = queries.orders_page(
        _token().buyer_organisation_id,
        status=args.status,
        purchase_order_number=args.purchase_order_number,
        created_since=args.created_since,
        before_id=_cursor(args.cursor),
        limit=args.limit,
    )
    return {
        "items": [
            {
                "reference": o.reference,
                "created_at": _iso(o.created_at),
                "purchase_order_number": o.purchase_order_number,
                "payment_status": o.payment_status,
                "approval_status": o.approval_status,
                "total_vnd": o.total_vnd,
                "part_statuses": [p.status for p in o.producer_orders],
            }
            for o in rows
        ],
        "next_cursor": cursor,
    }


def _own_order(reference: str):
    order = queries.order_of(_token().buyer_organisation_id, reference)
    if order is None:
        raise ApiError("not_found", "No such order.")
    return order


@bp.get("/orders/<reference>")
@operation(kind="buyer", scope="orders:read", tags=("buyers",), resp=responses(HTTP_200=OrderOut))
def get_order(reference: str):
    """One order: each producer part's status, accepted quantities, delivery dates and events"""
    return order_body(_own_order(reference))


@bp.post("/orders/<reference>/cancel")
@operation(
    kind="buyer",
    scope="orders:write",
    tags=("buyers",),
    resp=responses(HTTP_200=OrderOut, HTTP_409=ErrorBody),
)
def cancel_order(reference: str):
    """Cancel an order before any producer has accepted its part

    Refused (409 `transition_not_allowed`) once a part is accepted, shipped or cancelled."""
    order = _own_order(reference)
    token = _token()
    try:
        wholesale.cancel_before_acceptance(order, f"api token {token.id}")
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_error(error) from None
    return order_body(order)


# ---------------------------------------------------------------------------------------------
# Buyers: invoices


def invoice_body(invoice) -> dict:
    return {
        "number": invoice.number,
        "order_reference": invoice.order_reference,
        "purchase_order_number": invoice.purchase_order_number,
        "seller_name": invoice.seller_name,
        "seller_tax_code": invoice.seller_tax_code,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "status": invoice.status_on(today_in_vietnam()),
        "subtotal_vnd": invoice.subtotal_vnd,
        "vat_vnd": invoice.vat_vnd,
        "total_vnd": invoice.total_vnd,
        "paid_vnd": invoice.paid_vnd,
        "credited_vnd": invoice.credited_vnd,
        "amount_due_vnd": invoice.amount_due_vnd,
        "payment_reference": invoice.payment_reference,
        "lines": [
            {
                "sku": ln.sku,
                "product_name": ln.product_name,
                "unit": ln.unit,
                "quantity": ln.quantity,
                "unit_price_vnd": ln.unit_price_vnd,
                "amount_vnd": ln.amount_vnd,
                "vat_rate_percent": ln.vat_rate_percent,
                "vat_vnd": ln.vat_vnd,
            }
            for ln in invoice.lines
        ],
        "credit_notes": [
            {
                "number": cn.number,
                "kind": cn.kind,
                "quantity": cn.quantity,
                "total_vnd": cn.total_vnd,
                "created_at": _iso(cn.created_at),
            }
            for cn in invoice.credit_notes
        ],
    }


@bp.get("/invoices")
@operation(
    kind="buyer",
    scope="invoices:read",
    tags=("buyers",),
    query=InvoicesQuery,
    resp=responses(HTTP_200=InvoicesPage),
)
def list_invoices():
    """The organisation's invoices, newest first"""
    args: InvoicesQuery = request.context.query
    rows, cursor = queries.invoices_page(
        _token().buyer_organisation_id, status=args.status, before_id=_cursor(args.cursor), limit=args.limit
    )
    return {"items": [invoice_body(i) for i in rows], "next_cursor": cursor}


def _own_invoice(number: str):
    invoice = queries.invoice_by_number(_token().buyer_organisation_id, number)
    if invoice is None:
        raise ApiError("not_found", "No such invoice.")
    return invoice


@bp.get("/invoices/<number>")
@operation(kind="buyer", scope="invoices:read", tags=("buyers",), resp=responses(HTTP_200=InvoiceOut))
def get_invoice(number: str):
    """One invoice with its VAT lines and credit notes"""
    return invoice_body(_own_invoice(number))


@bp.get("/invoices/<number>.pdf")
@operation(kind="buyer", scope="invoices:read", tags=("buyers",), resp=responses(HTTP_200=None))
def get_invoice_pdf(number: str):
    """The invoice as PDF (application/pdf)"""
    invoice = _own_invoice(number)
    status = invoice.status_on(today_in_vietnam())
    data = invoice_pdf(invoice, status_label=str(STATUS_LABELS[status]), today=today_in_vietnam())
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


# ---------------------------------------------------------------------------------------------
# Producers


@bp.patch("/listings")
@operation(
    kind="producer",
    scope="listings:write",
    tags=("producers",),
    json=ListingsIn,
    resp=responses(HTTP_200=ListingsOut),
)
def update_listings():
    """Stock and prices by SKU, in bulk

    All or nothing: every bad row is reported (422 `listings_refused`, `details.rows`) and nothing
    changes. A stock value is a stock count; tiers replace the product's tiers."""
    token = _token()
    body: ListingsIn = request.context.json
    changes = [
        portal.ListingChange(
            item.sku,
            item.stock,
            item.price_vnd,
            None if item.tiers is None else tuple((t.min_quantity, t.unit_price_vnd) for t in item.tiers),
        )
        for item in body.items
    ]
    try:
        products = portal.update_listings(
            token.producer_id, changes, user_id=token.created_by_id, note=f"API token {token.id}"
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_error(error) from None
    return {
        "updated": [
            {
                "sku": p.sku,
                "stock": p.stock,
                "price_vnd": p.price_vnd,
                "tiers": [{"min_quantity": q, "unit_price_vnd": v} for q, v in portal.product_tiers(p.id)],
            }
            for p in products
        ]
    }


def part_body(part) -> dict:
    order = part.order
    buyer = queries.buyer_names({order.buyer_organisation_id} - {None})
    addresses = queries.location_addresses({part.delivery_location_id} - {None})
    return {
        "id": part.id,
        "order_reference": order.reference,
        "channel": order.channel,
        "status": part.status,
        "buyer_name": buyer.get(order.buyer_organisation_id, order.recipient_name),
        "purchase_order_number": order.purchase_order_number,
        "subtotal_vnd": part.subtotal_vnd,
        "delivery_address": addresses.get(
            part.delivery_location_id,
            f"{order.street}, {order.commune}, {province_name(order.province_code)}",
        ),
        "requested_delivery_date": _iso(part.requested_delivery_date),
        "confirmed_delivery_date": _iso(part.confirmed_delivery_date),
        "carrier": part.carrier,
        "tracking_number": part.tracking_number,
        "created_at": _iso(part.created_at),
        "lines": [_line(line) for line in part.lines],
        "events": [_event(e) for e in queries.part_events(part)],
    }


@bp.get("/producer-orders")
@operation(
    kind="producer",
    scope="orders:read",
    tags=("producers",),
    query=ProducerOrdersQuery,
    resp=responses(HTTP_200=ProducerOrdersPage),
)
def producer_orders():
    """The producer's parts of orders, newest first (orders waiting for a buyer's approval are not listed)"""
    args: ProducerOrdersQuery = request.context.query
    rows, cursor = queries.producer_parts_page(
        _token().producer_id, status=args.status, before_id=_cursor(args.cursor), limit=args.limit
    )
    return {"items": [part_body(p) for p in rows], "next_cursor": cursor}


def _own_part(part_id: int):
    part = queries.producer_part(_token().producer_id, part_id)
    if part is None:
        raise ApiError("not_found", "No such order part.")
    return part


@bp.get("/producer-orders/<int:part_id>")
@operation(
    kind="producer", scope="orders:read", tags=("producers",), resp=responses(HTTP_200=ProducerPartOut)
)
def producer_order(part_id: int):
    """One part of an order, with its lines and events"""
    return part_body(_own_part(part_id))


def _move(part_id: int, action) -> dict:
    part = _own_part(part_id)
    actor = f"producer {part.producer_id} (api token {_token().id})"
    try:
        action(part, actor)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_error(error) from None
    return part_body(part)


@bp.post("/producer-orders/<int:part_id>/accept")
@operation(
    kind="producer",
    scope="orders:fulfil",
    tags=("producers",),
    resp=responses(HTTP_200=ProducerPartOut, HTTP_409=ErrorBody),
)
def accept(part_id: int):
    """Accept the whole part"""
    return _move(part_id, orders.accept_producer_order)


@bp.post("/producer-orders/<int:part_id>/accept-part")
@operation(
    kind="producer",
    scope="orders:fulfil",
    tags=("producers",),
    json=AcceptPartIn,
    resp=responses(HTTP_200=ProducerPartOut, HTTP_409=ErrorBody),
)
def accept_part(part_id: int):
    """Accept with some quantities lowered (never raised), each with a reason the buyer sees"""
    body: AcceptPartIn = request.context.json
    changes = {line.line_id: (line.quantity, line.reason) for line in body.lines}
    return _move(part_id, lambda part, actor: fulfilment.accept_part(part, actor, changes))


@bp.post("/producer-orders/<int:part_id>/ship")
@operation(
    kind="producer",
    scope="orders:fulfil",
    tags=("producers",),
    json=ShipIn,
    resp=responses(HTTP_200=ProducerPartOut, HTTP_409=ErrorBody),
)
def ship(part_id: int):
    """Ship the part, with the carrier and tracking number"""
    body: ShipIn = request.context.json
    return _move(
        part_id,
        lambda part, actor: orders.ship_producer_order(
            part, actor, carrier=body.carrier, tracking_number=body.tracking_number
        ),
    )


@bp.post("/producer-orders/<int:part_id>/deliver")
@operation(
    kind="producer",
    scope="orders:fulfil",
    tags=("producers",),
    resp=responses(HTTP_200=ProducerPartOut, HTTP_409=ErrorBody),
)
def deliver(part_id: int):
    """Mark the part delivered (an invoice is issued for parts paid on terms)"""
    return _move(part_id, orders.mark_delivered)
