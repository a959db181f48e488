"""The producer portal at /portal: dashboard, listings, pictures, stock, CSV import and export.

Every route is for members of a producer (verified or not) and loads products only through
`services.owned_product`, so another producer's ids answer 404."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import (
    current_producer_membership,
    producer_can_publish,
    producer_member_required,
)
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.portal import listings_csv, pictures, services
from marketplace.portal.forms import (
    STOCK_REASON_LABELS,
    AltForm,
    FormerProvinceForm,
    ImportForm,
    ListingForm,
    MoveForm,
    PictureForm,
    StockForm,
    TaxCodeForm,
)
from marketplace.portal.services import ListingError
from marketplace.producers.tax_codes import InvalidTaxCode
from marketplace.reference import former_provinces_of
from marketplace.site import safe_next
from marketplace.timeutil import today_in_vietnam

bp = Blueprint("portal", __name__, url_prefix="/portal")


def _producer():
    return current_producer_membership().producer


def _product_or_404(product_id: int) -> Product:
    product = services.owned_product(_producer().id, product_id)
    if product is None:
        abort(404)
    return product


@bp.context_processor
def _portal_globals() -> dict:
    return {"stock_reason_labels": STOCK_REASON_LABELS}


@bp.get("/")
@producer_member_required()
def dashboard():
    producer = _producer()
    return render_template(
        "portal/dashboard.html",
        producer=producer,
        data=services.dashboard(producer.id),
        can_publish=producer_can_publish(producer),
        today=today_in_vietnam(),
    )


@bp.route("/tax-code", methods=["GET", "POST"])
@producer_member_required()
def tax_code():
    """The producer's tax code, asked for before a supermarket order on terms can be invoiced."""
    producer = _producer()
    form = TaxCodeForm()
    if not form.is_submitted():
        form.tax_code.data = producer.tax_code or ""
    if form.validate_on_submit():
        try:
            services.set_tax_code(producer, form.tax_code.data)
        except InvalidTaxCode:
            db.session.rollback()
            form.tax_code.errors.append(
                _(
                    "A tax code has 10 digits (an enterprise or cooperative), 10 digits and a 3-digit branch "
                    "suffix such as 0101234567-001, or 12 digits (a household business: the owner's "
                    "ID number)."
                )
            )
        else:
            db.session.commit()
            flash(_("Tax code saved: %(code)s. Your invoices carry it.", code=producer.tax_code), "success")
            return redirect(safe_next(request.args.get("next"), url_for("portal.dashboard")))
    return render_template("portal/tax_code.html", producer=producer, form=form)


@bp.get("/products")
@producer_member_required()
def products():
    status = request.args.get("status")
    status = status if status in ("draft", "published", "archived") else None
    return render_template(
        "portal/products.html",
        rows=services.listing_rows(_producer().id, status),
        status=status,
        empty_form=EmptyForm(),
    )


@bp.route("/products/new", methods=["GET", "POST"])
@producer_member_required()
def new_product():
    form = ListingForm()
    if not form.is_submitted():
        form.min_order_qty.data, form.case_pack.data, form.low_stock_threshold.data = "1", "1", "5"
        form.stock.data = "0"
        form.fill_new()
    if form.validate_on_submit():
        try:
            product = services.create_product(
                _producer().id, form.listing_data(), stock=form.stock.clean, user_id=current_user.id
            )
        except ListingError as error:
            db.session.rollback()
            getattr(form, error.field or "sku").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The product is saved as a draft. Add pictures, then publish it."), "success")
            return redirect(url_for("portal.product_pictures", product_id=product.id))
    return render_template("portal/product_form.html", form=form, product=None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@producer_member_required()
def edit_product(product_id: int):
    product = _product_or_404(product_id)
    form = ListingForm(with_stock=False)
    if not form.is_submitted():
        form.fill_from(product, services.product_tiers(product.id))
    if form.validate_on_submit():
        try:
            services.update_product(product, form.listing_data())
        except ListingError as error:
            db.session.rollback()
            product = _product_or_404(product_id)
            getattr(form, error.field or "sku").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The product has been saved."), "success")
            return redirect(url_for("portal.edit_product", product_id=product.id))
    return render_template(
        "portal/product_form.html",
        form=form,
        product=product,
        empty_form=EmptyForm(),
        pictures=services.image_count(product.id),
    )


def _status_change(product_id: int, change, message: str):
    product = _product_or_404(product_id)
    if EmptyForm().validate_on_submit():
        try:
            change(product)
        except ListingError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(_back_to(product))


def _back_to(product: Product) -> str:
    """The portal page the button was on, else the product's edit page."""
    default = url_for("portal.edit_product", product_id=product.id)
    target = safe_next(request.form.get("next"), default)
    return target if target.startswith("/portal/") else default


@bp.post("/products/<int:product_id>/publish")
@producer_member_required()
def publish_product(product_id: int):
    return _status_change(
        product_id,
        lambda p: services.publish(p, _producer()),
        _("The product is published: buyers can see it now."),
    )


@bp.post("/products/<int:product_id>/unpublish")
@producer_member_required()
def unpublish_product(product_id: int):
    return _status_change(
        product_id, services.unpublish, _("The product is a draft again: it is hidden from buyers.")
    )


@bp.post("/products/<int:product_id>/archive")
@producer_member_required()
def archive_product(product_id: int):
    return _status_change(product_id, services.archive, _("The product is archived."))


# --- Pictures ----------------------------------------------------------------------------------


def _render_pictures(product: Product, form: PictureForm | None = None, status: int = 200):
    return render_template(
        "portal/pictures.html",
        product=product,
        pictures=services.product_images(product.id),
        form=form or PictureForm(),
        alt_form=AltForm(),
        move_form=MoveForm(),
        empty_form=EmptyForm(),
        max_pictures=pictures.MAX_PICTURES,
        can_publish=producer_can_publish(_producer()),
    ), status


@bp.get("/products/<int:product_id>/pictures")
@producer_member_required()
def product_pictures(product_id: int):
    return _render_pictures(_product_or_404(product_id))


@bp.post("/products/<int:product_id>/pictures")
@producer_member_required()
def upload_picture(product_id: int):
    product = _product_or_404(product_id)
    form = PictureForm()
    if not form.validate_on_submit():
        return _render_pictures(product, form, 400)
    upload = form.picture.data
    if upload is None or not getattr(upload, "filename", ""):
        form.picture.errors.append(_("Choose a picture file."))
        return _render_pictures(product, form, 400)
    with upload.stream:
        data = upload.stream.read(pictures.MAX_FILE_BYTES + 1)
    try:
        picture = pictures.add_picture(product, data, form.alt.data or "")
    except ListingError as error:
        db.session.rollback()
        form.picture.errors.append(str(error.message))
        return _render_pictures(_product_or_404(product_id), form, 400)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        pictures.discard_files(picture.storage_key)
        raise
    flash(_("The picture has been added."), "success")
    return redirect(url_for("portal.product_pictures", product_id=product_id))


def _picture_or_404(product_id: int, picture_id: int):
    picture = services.owned_image(_producer().id, product_id, picture_id)
    if picture is None:
        abort(404)
    return picture


@bp.post("/products/<int:product_id>/pictures/<int:picture_id>/cover")
@producer_member_required()
def picture_cover(product_id: int, picture_id: int):
    picture = _picture_or_404(product_id, picture_id)
    if EmptyForm().validate_on_submit():
        pictures.set_cover(picture)
        db.session.commit()
        flash(_("The cover picture has been changed."), "success")
    return redirect(url_for("portal.product_pictures", product_id=product_id))


@bp.post("/products/<int:product_id>/pictures/<int:picture_id>/move")
@producer_member_required()
def picture_move(product_id: int, picture_id: int):
    picture = _picture_or_404(product_id, picture_id)
    form = MoveForm()
    if form.validate_on_submit():
        pictures.move(picture, form.direction.data)
        db.session.commit()
    return redirect(
        url_for("portal.product_pictures", product_id=product_id, _anchor=f"picture-{picture_id}")
    )


@bp.post("/products/<int:product_id>/pictures/<int:picture_id>/alt")
@producer_member_required()
def picture_alt(product_id: int, picture_id: int):
    picture = _picture_or_404(product_id, picture_id)
    form = AltForm()
    if form.validate_on_submit():
        pictures.set_alt(picture, form.alt.data or "")
        db.session.commit()
        flash(_("The picture description has been saved."), "success")
    else:
        flash(_("The picture description may have at most 200 characters."), "error")
    return redirect(url_for("portal.product_pictures", product_id=product_id))


@bp.post("/products/<int:product_id>/pictures/<int:picture_id>/delete")
@producer_member_required()
def picture_delete(product_id: int, picture_id: int):
    picture = _picture_or_404(product_id, picture_id)
    if EmptyForm().validate_on_submit():
        try:
            key = pictures.remove(picture, _product_or_404(product_id))
        except ListingError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            pictures.discard_files(key)
            flash(_("The picture has been deleted."), "success")
    return redirect(url_for("portal.product_pictures", product_id=product_id))


# --- Stock -------------------------------------------------------------------------------------


@bp.get("/stock")
@producer_member_required()
def stock():
    rows = [r for r in services.listing_rows(_producer().id) if r.status != "archived"]
    return render_template("portal/stock.html", rows=rows)


@bp.route("/products/<int:product_id>/stock", methods=["GET", "POST"])
@producer_member_required()
def product_stock(product_id: int):
    product = _product_or_404(product_id)
    form = StockForm()
    if form.validate_on_submit():
        try:
            change = services.adjust_stock(
                product,
                form.reason.data,
                form.quantity.clean,
                note=form.note.data or "",
                user_id=current_user.id,
            )
        except ListingError as error:
            db.session.rollback()
            product = _product_or_404(product_id)
            getattr(form, error.field or "quantity").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Stock saved: %(n)s in stock now.", n=change.stock_after), "success")
            return redirect(url_for("portal.product_stock", product_id=product_id))
    return render_template(
        "portal/product_stock.html",
        product=product,
        form=form,
        history=services.stock_history(product.id),
        low=services.is_low_stock(product),
    )


# --- CSV ---------------------------------------------------------------------------------------


@bp.get("/import-export")
@producer_member_required()
def import_export():
    return render_template(
        "portal/import_export.html",
        form=ImportForm(),
        columns=listings_csv.COLUMNS,
        max_rows=listings_csv.MAX_ROWS,
    )


@bp.get("/export.csv")
@producer_member_required()
def export_csv():
    producer = _producer()
    filename = f"ocop-products-{producer.slug}-{today_in_vietnam().isoformat()}.csv"
    return Response(
        listings_csv.export_csv(producer.id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/import")
@producer_member_required()
def import_csv():
    form = ImportForm()
    upload = form.file.data if form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors.append(_("Choose a CSV file."))
        return render_template(
            "portal/import_export.html",
            form=form,
            columns=listings_csv.COLUMNS,
            max_rows=listings_csv.MAX_ROWS,
        ), 400
    with upload.stream:
        data = upload.stream.read(listings_csv.MAX_FILE_BYTES + 1)
    try:
        report = listings_csv.import_csv(_producer().id, data, user_id=current_user.id)
    except ListingError as error:  # a race on a SKU: nothing is saved
        db.session.rollback()
        report = listings_csv.ImportReport(errors=[listings_csv.RowError(0, "sku", error.message)])
    if report.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return render_template(
        "portal/import_report.html", report=report, shown=report.errors[: listings_csv.MAX_ERRORS_SHOWN]
    ), 200 if report.ok else 400


def _former_province_form(producer) -> FormerProvinceForm:
    form = FormerProvinceForm()
    form.former_province.choices = [
        SelectChoice(code, name) for code, name in former_provinces_of(producer.province_code)
    ]
    return form


@bp.get("/former-province")
@producer_member_required()
def former_province():
    producer = _producer()
    form = _former_province_form(producer)
    form.former_province.data = producer.former_province_code
    return render_template("portal/former_province.html", producer=producer, form=form)


@bp.post("/former-province")
@producer_member_required("owner")
def set_former_province():
    producer = _producer()
    form = _former_province_form(producer)
    if not form.validate_on_submit():
        return render_template("portal/former_province.html", producer=producer, form=form), 400
    try:
        services.set_former_province(producer, form.former_province.data)
    except services.FormerProvinceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.former_province"))
    db.session.commit()
    flash(_("Saved. Sales from now on are recorded under this former province as well."), "success")
    return redirect(url_for("portal.former_province"))
