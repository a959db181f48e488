"""Traceability pages: the producer's batches in the portal (record, receive stock, label sheet,
QR files, recall, the batches of a shipment), the buyer's received batches, the public batch
page at its GS1 Digital Link address, and the administrators' recall.

Producers reach only their own batches and order parts (another producer's answers 404), buyers
only their organisation's orders; the public page shows batches of verified producers."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import (
    admin_required,
    buyer_member_required,
    current_buyer_membership,
    current_producer_membership,
    producer_member_required,
)
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.gs1 import display_gtin
from marketplace.orders import services as orders
from marketplace.orders.messages import error_message
from marketplace.traceability import labels, services
from marketplace.traceability.forms import BatchForm, RecallForm, ReceiveForm, ShipmentForm
from marketplace.traceability.messages import error_text, field_text
from marketplace.traceability.models import Batch

bp = Blueprint("traceability", __name__)

LABELS_PER_SHEET = 24


def _producer_id() -> int:
    return current_producer_membership().producer_id


def _own_batch(batch_id: int) -> Batch:
    batch = services.batch_of_producer(_producer_id(), batch_id)
    if batch is None:
        abort(404)
    return batch


def _public_url(batch: Batch) -> str:
    """The batch page's absolute URL on this site's own domain (what the QR code holds)."""
    product = services.batch_product(batch)
    return request.host_url.rstrip("/") + services.trace_path(product, batch.lot_code)


def _message(error: DomainError) -> str:
    return error_text(error) if isinstance(error, services.TraceabilityError) else error_message(error)


# ---------------------------------------------------------------------------------------------
# Producer portal


@bp.get("/portal/batches")
@producer_member_required()
def batches():
    rows = services.producer_batches(_producer_id(), lot_query=request.args.get("q", ""))
    return render_template("traceability/batches.html", rows=rows, query=request.args.get("q", ""))


@bp.route("/portal/batches/new", methods=["GET", "POST"])
@producer_member_required()
def new_batch():
    form = BatchForm()
    products = services.producer_products(_producer_id())
    form.product_id.choices = [("", _("Choose a product"))] + [
        (str(p.id), f"{p.name} ({p.sku})") for p in products
    ]
    if not form.is_submitted() and request.args.get("product", "").isdigit():
        form.product_id.data = request.args["product"]
    status = 200
    if form.is_submitted():
        if form.validate_on_submit():
            upload = request.files.get("picture")
            data = services.BatchInput(
                product_id=int(form.product_id.data) if (form.product_id.data or "").isdigit() else None,
                lot_code=form.lot_code.data or "",
                production_date=form.production_date.data,
                best_before=form.best_before.data,
                quantity=form.quantity.data,
                origin=form.origin.data or "",
                origin_commune=form.origin_commune.data or "",
                notes=form.notes.data or "",
            )
            try:
                batch = services.create_batch(
                    _producer_id(),
                    data,
                    user_id=current_user.id,
                    picture=upload.read() if upload and upload.filename else None,
                    add_to_stock=bool(form.add_to_stock.data),
                )
            except services.InvalidBatch as error:
                db.session.rollback()
                for name, (code, params) in error.errors.items():
                    getattr(form, name).errors = [field_text(code, params)]
            else:
                db.session.commit()
                flash(
                    _("Batch %(lot)s is recorded. Print its labels from this page.", lot=batch.lot_code),
                    "success",
                )
                return redirect(url_for("traceability.batch", batch_id=batch.id))
        status = 422
    return render_template("traceability/batch_form.html", form=form), status


@bp.get("/portal/batches/<int:batch_id>")
@producer_member_required()
def batch(batch_id: int):
    batch = _own_batch(batch_id)
    product = services.batch_product(batch)
    return render_template(
        "traceability/batch.html",
        batch=batch,
        product=product,
        public_url=_public_url(batch),
        recipients=services.batch_recipients(batch),
        received=services.received_units(batch.id),
        receive_form=ReceiveForm(),
        recall_form=RecallForm(),
        can_recall=services.can_recall(current_user, batch),
        display_gtin=display_gtin,
    )


@bp.post("/portal/batches/<int:batch_id>/stock")
@producer_member_required()
def receive(batch_id: int):
    batch = _own_batch(batch_id)
    form = ReceiveForm()
    if form.validate_on_submit():
        try:
            services.receive_stock(batch, form.quantity.data, user_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(_message(error), "error")
        else:
            db.session.commit()
            flash(_("The stock is updated."), "success")
    return redirect(url_for("traceability.batch", batch_id=batch_id))


def _recall(batch: Batch, back: str):
    form = RecallForm()
    if not form.validate_on_submit():
        flash(_("Say why the batch is recalled (at most 1,000 characters)."), "error")
        return redirect(back)
    try:
        told = services.recall_batch(
            batch, reason=form.reason.data or "", user=current_user, page_url=_public_url(batch)
        )
    except DomainError as error:
        db.session.rollback()
        flash(_message(error), "error")
    else:
        db.session.commit()
        flash(
            _("Batch %(lot)s is recalled; %(n)d buyers have been e-mailed.", lot=batch.lot_code, n=len(told)),
            "success",
        )
    return redirect(back)


@bp.post("/portal/batches/<int:batch_id>/recall")
@producer_member_required()
def recall(batch_id: int):
    batch = _own_batch(batch_id)
    return _recall(batch, url_for("traceability.batch", batch_id=batch_id))


@bp.get("/portal/batches/<int:batch_id>/label")
@producer_member_required()
def label(batch_id: int):
    batch = _own_batch(batch_id)
    product = services.batch_product(batch)
    url = _public_url(batch)
    count = request.args.get("count", type=int) or LABELS_PER_SHEET
    return render_template(
        "traceability/label.html",
        batch=batch,
        product=product,
        public_url=url,
        qr=Markup(labels.qr_svg_inline(url)),
        label_count=max(1, min(count, 96)),
        display_gtin=display_gtin,
    )


@bp.get("/portal/batches/<int:batch_id>/qr.<kind>")
@producer_member_required()
def qr(batch_id: int, kind: str):
    batch = _own_batch(batch_id)
    size = request.args.get("size", "m")
    if kind not in ("svg", "png") or size not in labels.PRINT_SIZES_MM:
        abort(404)
    url = _public_url(batch)
    data = labels.qr_svg(url, size) if kind == "svg" else labels.qr_png(url, size)
    response = Response(data, mimetype="image/svg+xml" if kind == "svg" else "image/png")
    response.headers["Content-Disposition"] = f'attachment; filename="qr-{batch.lot_code}-{size}.{kind}"'
    return response


@bp.route("/portal/orders/<int:producer_order_id>/batches", methods=["GET", "POST"])
@producer_member_required()
def shipment(producer_order_id: int):
    part = orders.producer_order_of(_producer_id(), producer_order_id)
    if part is None or part.status == "pending_approval":
        abort(404)
    form = ShipmentForm()
    status = 200
    if form.is_submitted():
        if form.validate_on_submit():
            chosen = {line.id: _batch_field(f"batch-{line.id}") for line in part.lines}
            membership = current_producer_membership()
            try:
                services.record_shipment(
                    part,
                    chosen,
                    actor=f"producer {membership.producer_id} (user {membership.user_id})",
                    user_id=current_user.id,
                    carrier=form.carrier.data or "",
                    tracking_number=form.tracking_number.data or "",
                )
            except DomainError as error:
                db.session.rollback()
                flash(_message(error), "error")
            else:
                db.session.commit()
                flash(_("The order is updated."), "success")
                return redirect(url_for("producer_orders.detail", producer_order_id=part.id))
        status = 422
    return render_template(
        "traceability/shipment.html",
        part=part,
        order=part.order,
        form=form,
        choices=services.shipment_choices(part),
    ), status


def _batch_field(name: str) -> int | None:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() else None


# ---------------------------------------------------------------------------------------------
# Buyers


@bp.get("/buyer/batches")
@buyer_member_required()
def received():
    rows = services.received_batches(current_buyer_membership().organisation_id)
    return render_template("traceability/received.html", rows=rows)


# ---------------------------------------------------------------------------------------------
# The public page: GS1 Digital Link (`/01/<GTIN>/10/<lot>`) or `/t/<product>/<lot>`


def _render_trace(found):
    if found is None:
        abort(404)
    page = services.trace_page(*found)
    return render_template(
        "traceability/trace.html",
        page=page,
        display_gtin=display_gtin,
        qr=Markup(labels.qr_svg_inline(request.host_url.rstrip("/") + page.path)),
    )


@bp.get("/01/<gtin>/10/<lot>")
def trace_gtin(gtin: str, lot: str):
    found = services.find_public_batch(gtin=gtin, lot=lot)
    if found is not None and found[1].gtin != gtin:
        # A GTIN-8/12/13 (or spaces): the canonical address uses the 14-digit form.
        return redirect(services.trace_path(found[1], found[0].lot_code), code=301)
    return _render_trace(found)


@bp.get("/t/<slug>/<lot>")
def trace_product(slug: str, lot: str):
    return _render_trace(services.find_public_batch(slug=slug, lot=lot))


# ---------------------------------------------------------------------------------------------
# Administrators


@bp.get("/admin/batches")
@admin_required
def admin_batches():
    rows = services.producer_batches(None, lot_query=request.args.get("q", ""), limit=200)
    return render_template(
        "traceability/admin_batches.html",
        rows=rows,
        query=request.args.get("q", ""),
        recall_form=RecallForm(),
        empty_form=EmptyForm(),
    )


@bp.post("/admin/batches/<int:batch_id>/recall")
@admin_required
def admin_recall(batch_id: int):
    batch = services.batch_by_id(batch_id)
    if batch is None:
        abort(404)
    return _recall(batch, url_for("traceability.admin_batches", q=batch.lot_code))
