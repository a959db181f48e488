"""Bulk ordering pages for members of verified buyer organisations: the wholesale catalogue
(/wholesale/products), the draft order with its quick-order pad and CSV upload (/wholesale/order),
saved lists, review and placing, and the organisation's orders (/buyer/orders) and settings.

Everyone in a verified organisation may look; owners and purchasers change the draft and place
orders; owners approve or reject orders and set the approval threshold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import (
    buyer_member_required,
    current_buyer_membership,
    get_scoped_or_404,
)
from marketplace.buyers.models import DeliveryLocation
from marketplace.extensions import db
from marketplace.formatting import format_vnd
from marketplace.ids import parse_id
from marketplace.orders.errors import OutOfStock
from marketplace.orders.messages import move_message
from marketplace.orders.models import MAX_CARD_CHARGE_VND
from marketplace.orders.services import events_of, new_idempotency_key
from marketplace.producers.models import Producer
from marketplace.site import safe_next
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.credit import open_balance_vnd
from marketplace.wholesale.errors import (
    CreditLimitExceeded,
    InvalidOrderDetails,
    OrderNotValid,
    WholesaleError,
)
from marketplace.wholesale.forms import (
    PAD_ROWS,
    AddToOrderForm,
    PlaceOrderForm,
    RejectForm,
    SaveListForm,
    ThresholdForm,
    UploadForm,
)
from marketplace.wholesale.messages import CAPACITY_CODES, code_text, error_text, problem_text
from marketplace.wholesale.models import OrderList
from marketplace.wholesale.pricing import organisation_locations, quote_bulk_order

bp = Blueprint("wholesale", __name__)

EDITORS = ("owner", "purchaser")
APPROVERS = ("owner",)


@bp.app_template_filter("problem_text")
def _problem_text(problem) -> str:
    return problem_text(problem)


def verified_buyer_required(*roles: str) -> Callable:
    """Members (with one of `roles`, if given) of a verified buyer organisation; 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @buyer_member_required(*roles)
        def wrapped(*args, **kwargs):
            if not current_buyer_membership().organisation.is_verified:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _org_id() -> int:
    return current_buyer_membership().organisation_id


def _can_edit() -> bool:
    return current_buyer_membership().role in EDITORS


# ---------------------------------------------------------------------------------------------
# Catalogue


@bp.get("/wholesale/products")
@verified_buyer_required()
def catalogue():
    page = services.wholesale_catalogue(request.args)
    return render_template(
        "wholesale/catalogue.html", page=page, add_form=AddToOrderForm(), can_edit=_can_edit()
    )


@bp.post("/wholesale/order/add")
@verified_buyer_required(*EDITORS)
def add():
    form = AddToOrderForm()
    if form.validate_on_submit():
        try:
            product_id = parse_id(form.product_id.data)
            if product_id is None:
                raise WholesaleError("No such product.")
            services.add_to_draft(_org_id(), current_user.id, product_id, form.quantity.data)
        except WholesaleError:
            db.session.rollback()
            flash(
                _("This product could not be added: it is not for sale, or the quantity is too large."),
                "error",
            )
        else:
            db.session.commit()
            flash(_("Added to your bulk order."), "success")
    else:
        flash(_("Enter a quantity from 1 to 1,000,000."), "error")
    return redirect(safe_next(request.form.get("next"), url_for("wholesale.catalogue")))


# ---------------------------------------------------------------------------------------------
# The draft order


def _draft_page(status: int = 200, **extra):
    draft = services.draft_of(_org_id())
    quote = quote_bulk_order(services.bulk_lines(draft), _org_id()) if draft and draft.lines else None
    context = {
        "quote": quote,
        "lines_form": EmptyForm(),
        "upload_form": UploadForm(),
        "save_form": SaveListForm(),
        "pad_rows": [{"code": "", "quantity": "", "problems": []} for _ in range(PAD_ROWS)],
        "can_edit": _can_edit(),
        "draft_lines": len(draft.lines) if draft else 0,
        **extra,
    }
    return render_template("wholesale/draft.html", **context), status


@bp.get("/wholesale/order")
@verified_buyer_required()
def draft():
    return _draft_page()


@bp.post("/wholesale/order")
@verified_buyer_required(*EDITORS)
def update_draft():
    if not EmptyForm().validate_on_submit():
        abort(400)
    quantities = {}
    for name, value in request.form.items():
        if name.startswith("qty-") and (product_id := parse_id(name[4:])) is not None:
            quantities[product_id] = value.strip()
    for name in request.form.getlist("remove"):
        if (product_id := parse_id(name)) is not None:
            quantities[product_id] = 0
    try:
        services.update_draft(_org_id(), quantities)
    except WholesaleError:
        db.session.rollback()
        flash(_("Quantities must be whole numbers from 1 to 1,000,000 (0 removes a line)."), "error")
    else:
        db.session.commit()
        flash(_("Your bulk order has been updated."), "success")
    return redirect(url_for("wholesale.draft"))


@bp.post("/wholesale/order/clear")
@verified_buyer_required(*EDITORS)
def clear():
    if EmptyForm().validate_on_submit():
        services.clear_draft(_org_id())
        db.session.commit()
        flash(_("Your bulk order is empty."), "success")
    return redirect(url_for("wholesale.draft"))


@bp.post("/wholesale/order/pad")
@verified_buyer_required(*EDITORS)
def pad():
    """The quick-order pad without JavaScript: every filled row is checked; all are added, or
    none and the pad comes back with a message per row."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    rows, to_add = [], []
    for i in range(PAD_ROWS):
        code = request.form.get(f"code-{i}", "").strip()[:200]
        quantity = request.form.get(f"quantity-{i}", "").strip()[:12]
        row = {"code": code, "quantity": quantity, "problems": []}
        rows.append(row)
        if not code and not quantity:
            continue
        checked = services.check_code(code, quantity, _org_id())
        # Stock and minimums are checked again on review: here only what stops adding the row.
        blocking = [
            p
            for p in checked["problems"]
            if p.code in ("missing_code", "unknown_code", "ambiguous_code", "invalid_quantity")
        ]
        row["problems"] = [problem_text(p) for p in blocking]
        if not blocking:
            to_add.append((checked["line"].product_id, checked["quantity"]))
    if any(row["problems"] for row in rows):
        return _draft_page(200, pad_rows=rows, pad_error=True)
    if not to_add:
        flash(_("Enter a product code and a quantity on at least one row."), "error")
        return redirect(url_for("wholesale.draft"))
    for product_id, quantity in to_add:
        services.add_to_draft(_org_id(), current_user.id, product_id, quantity)
    db.session.commit()
    flash(_("%(n)d lines added to your bulk order.", n=len(to_add)), "success")
    return redirect(url_for("wholesale.draft"))


@bp.get("/wholesale/order/check")
@verified_buyer_required()
def check():
    """JSON for the quick-order pad: the product a code names and its price for the quantity."""
    result = services.check_code(
        request.args.get("code", "")[:200], request.args.get("quantity", "")[:12], _org_id()
    )
    body: dict = {"ok": result["ok"], "problems": [problem_text(p) for p in result["problems"]]}
    line = result.get("line")
    if line is not None:
        body["product"] = {
            "id": line.product_id,
            "name": line.name,
            "sku": line.sku,
            "min_order_qty": line.min_order_qty,
            "case_pack": line.case_pack,
            "stock": line.stock,
        }
        if result.get("quantity"):
            body.update(
                unit_price_vnd=line.unit_price_vnd,
                line_total_vnd=line.line_total_vnd,
                tier_min_quantity=line.tier_min_quantity,
                summary=_(
                    "%(price)s each, %(total)s in all",
                    price=format_vnd(line.unit_price_vnd),
                    total=format_vnd(line.line_total_vnd),
                ),
            )
    return jsonify(body)


@bp.post("/wholesale/order/upload")
@verified_buyer_required(*EDITORS)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    data = b""
    if form.file.data:
        data = form.file.data.read(2 * 1024 * 1024 + 1)
    elif form.text.data and form.text.data.strip():
        data = form.text.data.encode("utf-8")
    if not data:
        flash(code_text("no_file"), "error")
        return redirect(url_for("wholesale.draft"))
    draft_lines = services.draft_line_count(_org_id())
    mode = request.form.get("mode", "") if draft_lines else "replace"
    if mode not in services.UPLOAD_MODES:
        # Never the silent default: the lines come back (a file's as text) with the question.
        form.text.data = data.decode("utf-8-sig", errors="replace") if len(data) <= 2 * 1024 * 1024 else ""
        return _draft_page(200, upload_form=form, mode_missing=True)
    report = services.accept_csv(data, _org_id(), current_user.id, mode)
    if report.ok:
        db.session.commit()
        if mode == "add":
            flash(
                _("All %(n)d lines were accepted and added to your bulk order.", n=len(report.lines)),
                "success",
            )
        else:
            flash(
                _("All %(n)d lines were accepted: they are now your bulk order.", n=len(report.lines)),
                "success",
            )
        return redirect(url_for("wholesale.draft"))
    db.session.rollback()
    form.text.data = (
        data.decode("utf-8-sig", errors="replace") if report.file_error != "file_too_large" else ""
    )
    file_error_text = code_text(report.file_error, **report.file_error_params) if report.file_error else ""
    return render_template(
        "wholesale/upload_report.html",
        report=report,
        upload_form=form,
        file_error_text=file_error_text,
        draft_lines=draft_lines,
        mode=mode,
    )


# ---------------------------------------------------------------------------------------------
# Saved lists


@bp.get("/wholesale/lists")
@verified_buyer_required()
def lists():
    saved = services.saved_lists(_org_id())
    product_ids = {line.product_id for lst in saved for line in lst.lines}
    names = _product_names(product_ids)
    return render_template(
        "wholesale/lists.html",
        lists=saved,
        names=names,
        save_form=SaveListForm(),
        empty_form=EmptyForm(),
        can_edit=_can_edit(),
    )


def _product_names(product_ids: set[int]) -> dict[int, tuple[str, str]]:
    from marketplace.catalog.models import Product

    if not product_ids:
        return {}
    return {
        pid: (name, sku)
        for pid, name, sku in db.session.execute(
            select(Product.id, Product.name, Product.sku).where(Product.id.in_(sorted(product_ids)))
        )
    }


@bp.post("/wholesale/lists")
@verified_buyer_required(*EDITORS)
def save_list():
    form = SaveListForm()
    if form.validate_on_submit():
        try:
            saved = services.save_draft_as(_org_id(), current_user.id, form.name.data)
        except WholesaleError:
            db.session.rollback()
            flash(_("The list was not saved: your bulk order is empty."), "error")
        else:
            db.session.commit()
            flash(_("Saved as “%(name)s”.", name=saved.name), "success")
            return redirect(url_for("wholesale.lists"))
    else:
        flash(_("Give the list a name of at most 120 characters."), "error")
    return redirect(url_for("wholesale.draft"))


def _saved_list_or_404(list_id: int) -> OrderList:
    order_list = get_scoped_or_404(OrderList, list_id)
    if order_list.kind != "saved":
        abort(404)
    return order_list


@bp.post("/wholesale/lists/<int:list_id>/load")
@verified_buyer_required(*EDITORS)
def load_list(list_id: int):
    order_list = _saved_list_or_404(list_id)
    if EmptyForm().validate_on_submit():
        services.load_list(order_list, current_user.id)
        db.session.commit()
        flash(_("“%(name)s” is now your bulk order.", name=order_list.name), "success")
    return redirect(url_for("wholesale.draft"))


@bp.post("/wholesale/lists/<int:list_id>/delete")
@verified_buyer_required(*EDITORS)
def delete_list(list_id: int):
    order_list = _saved_list_or_404(list_id)
    if EmptyForm().validate_on_submit():
        services.delete_list(order_list)
        db.session.commit()
        flash(_("The list has been deleted."), "success")
    return redirect(url_for("wholesale.lists"))


# ---------------------------------------------------------------------------------------------
# Review and place


def _credit_figures(total_vnd: int) -> dict:
    organisation = current_buyer_membership().organisation
    open_vnd = open_balance_vnd(organisation.id)
    return {
        "limit": organisation.credit_limit_vnd,
        "open": open_vnd,
        "order": total_vnd,
        "after": open_vnd + total_vnd,
        "exceeded": open_vnd + total_vnd > organisation.credit_limit_vnd,
        "needs_approval": services.needs_approval(organisation, total_vnd),
        "threshold": organisation.approval_threshold_vnd,
        "terms_days": organisation.payment_terms_days,
        "card_allowed": total_vnd <= MAX_CARD_CHARGE_VND
        and not services.needs_approval(organisation, total_vnd),
        "card_max": MAX_CARD_CHARGE_VND,
    }


def _review_page(form: PlaceOrderForm, choices: dict, errors: dict | None = None, status: int = 200):
    draft = services.draft_of(_org_id())
    lines = services.bulk_lines(draft)
    if not lines:
        flash(_("Your bulk order is empty."), "error")
        return redirect(url_for("wholesale.draft"))
    part_locations = {pid: c.delivery_location_id for pid, c in choices.items() if c.delivery_location_id}
    part_dates = {pid: c.requested_delivery_date for pid, c in choices.items() if c.requested_delivery_date}
    quote = quote_bulk_order(lines, _org_id(), part_locations, part_dates)
    beyond = [(line.name, p) for line in quote.lines for p in line.problems if p.code in CAPACITY_CODES]
    other_problems = (
        bool(quote.unknown)
        or any(part.problems for part in quote.parts)
        or any(p.code not in CAPACITY_CODES for line in quote.lines for p in line.problems)
    )
    if not quote.parts or other_problems:
        flash(_("Some lines cannot be ordered as they are: please correct them first."), "error")
        return redirect(url_for("wholesale.draft"))
    # Supply capacity depends on the delivery month chosen here: say which lines, with the figures.
    for name, problem in beyond:
        flash(f"{name}: {problem_text(problem)}", "error")
    return render_template(
        "wholesale/review.html",
        quote=quote,
        form=form,
        choices=choices,
        errors=errors or {},
        locations=organisation_locations(_org_id()),
        today=today_in_vietnam(),
        credit=_credit_figures(quote.total_vnd),
    ), status


@bp.get("/wholesale/order/review")
@verified_buyer_required(*EDITORS)
def review():
    form = PlaceOrderForm()
    form.idempotency_key.data = new_idempotency_key()
    return _review_page(form, {})


def _parse_choices() -> dict[int, services.PartChoice]:
    choices = {}
    producer_ids = {
        parse_id(name.split("-", 1)[1]) for name in request.form if name.startswith(("date-", "location-"))
    } - {None}
    for pid in producer_ids:
        try:
            wanted = date.fromisoformat(request.form.get(f"date-{pid}", "").strip())
        except ValueError:
            wanted = None
        location = request.form.get(f"location-{pid}", "")
        choices[pid] = services.PartChoice(parse_id(location), wanted)
    return choices


@bp.post("/wholesale/order/place")
@verified_buyer_required(*EDITORS)
def place():
    form = PlaceOrderForm()
    choices = _parse_choices()
    if not form.validate_on_submit():
        return _review_page(form, choices)
    try:
        order = services.place_bulk_order(
            organisation_id=_org_id(),
            user=current_user,
            choices=choices,
            purchase_order_number=form.purchase_order_number.data or "",
            idempotency_key=form.idempotency_key.data or "",
            payment_method=form.payment_method.data or "",
        )
    except InvalidOrderDetails as error:
        errors = {name: code_text(code, **params) for name, (code, params) in error.errors.items()}
        for name in ("purchase_order_number", "payment_method"):
            if name in errors:
                getattr(form, name).errors = [errors[name]]
        return _review_page(form, choices, errors)
    except CreditLimitExceeded as error:
        flash(
            _(
                "This order would exceed your organisation's credit limit: limit %(limit)s, open %(open)s, "
                "this order %(order)s.",
                limit=format_vnd(error.limit_vnd),
                open=format_vnd(error.open_vnd),
                order=format_vnd(error.order_vnd),
            ),
            "error",
        )
        return _review_page(form, choices)
    except OrderNotValid as error:
        if any(p.code in CAPACITY_CODES for line in error.quote.lines for p in line.problems):
            return _review_page(form, choices, status=422)  # it names the lines beyond capacity
        flash(_("Some lines cannot be ordered as they are: please correct them first."), "error")
        return redirect(url_for("wholesale.draft"))
    except OutOfStock:  # taken by another order since the check
        flash(_("Not enough stock for some lines any more; please check the quantities."), "error")
        return redirect(url_for("wholesale.draft"))
    except WholesaleError as error:
        flash(error_text(error), "error")
        return redirect(url_for("wholesale.draft"))
    if order.is_card and order.payment_status == "awaiting_payment":
        return redirect(url_for("payments.pay", reference=order.reference))
    if order.approval_status == "pending":
        flash(
            _(
                "Order %(ref)s is placed and waits for an owner's approval before it goes to the producers.",
                ref=order.reference,
            ),
            "success",
        )
    else:
        flash(_("Order %(ref)s is placed: it has gone to the producers.", ref=order.reference), "success")
    return redirect(url_for("wholesale.order", reference=order.reference))


# ---------------------------------------------------------------------------------------------
# The organisation's orders


@bp.get("/buyer/orders")
@verified_buyer_required()
def orders():
    return render_template("wholesale/orders.html", orders=services.orders_of_organisation(_org_id()))


def _order_or_404(reference: str):
    order = services.order_of_organisation(reference, _org_id())
    if order is None:
        abort(404)
    return order


@bp.get("/buyer/orders/<reference>")
@verified_buyer_required()
def order(reference: str):
    order = _order_or_404(reference)
    producer_ids = sorted({part.producer_id for part in order.producer_orders})
    producers = {p.id: p for p in db.session.scalars(select(Producer).where(Producer.id.in_(producer_ids)))}
    location_ids = sorted(
        {part.delivery_location_id for part in order.producer_orders if part.delivery_location_id}
    )
    locations = (
        {
            loc.id: loc
            for loc in db.session.scalars(
                select(DeliveryLocation).where(DeliveryLocation.id.in_(location_ids))
            )
        }
        if location_ids
        else {}
    )
    events = events_of(order)
    return render_template(
        "wholesale/order.html",
        order=order,
        producers=producers,
        locations=locations,
        order_events=[e for e in events if e.producer_order_id is None],
        part_events={
            part.id: [e for e in events if e.producer_order_id == part.id] for part in order.producer_orders
        },
        empty_form=EmptyForm(),
        reject_form=RejectForm(),
        can_edit=_can_edit(),
        can_approve=current_buyer_membership().role in APPROVERS,
    )


@bp.post("/buyer/orders/<reference>/again")
@verified_buyer_required(*EDITORS)
def order_again(reference: str):
    order = _order_or_404(reference)
    if EmptyForm().validate_on_submit():
        services.order_again(order, current_user.id)
        db.session.commit()
        flash(
            _("The lines of %(ref)s are now your bulk order: check them and place it.", ref=order.reference),
            "success",
        )
    return redirect(url_for("wholesale.draft"))


@bp.post("/buyer/orders/<reference>/approve")
@verified_buyer_required(*APPROVERS)
def approve(reference: str):
    order = _order_or_404(reference)
    if EmptyForm().validate_on_submit():
        try:
            services.approve_order(order, current_user)
        except WholesaleError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(move_message("approved", order), "success")
    return redirect(url_for("wholesale.order", reference=reference))


@bp.post("/buyer/orders/<reference>/reject")
@verified_buyer_required(*APPROVERS)
def reject(reference: str):
    order = _order_or_404(reference)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject_order(order, current_user, form.note.data)
        except WholesaleError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(move_message("rejected_by_buyer", order), "success")
    else:
        flash(_("Say why the order is rejected."), "error")
    return redirect(url_for("wholesale.order", reference=reference))


# ---------------------------------------------------------------------------------------------
# Organisation settings: terms, credit, approval threshold


@bp.route("/buyer/settings", methods=["GET", "POST"])
@verified_buyer_required()
def settings():
    organisation = current_buyer_membership().organisation
    is_owner = current_buyer_membership().role == "owner"
    form = ThresholdForm()
    if request.method == "POST":
        if not is_owner:
            abort(403)
        if form.validate_on_submit():
            services.set_approval_threshold(organisation, form.approval_threshold_vnd.data)
            db.session.commit()
            flash(_("The approval threshold has been saved."), "success")
            return redirect(url_for("wholesale.settings"))
    else:
        form.approval_threshold_vnd.data = organisation.approval_threshold_vnd
    return render_template(
        "wholesale/settings.html",
        organisation=organisation,
        form=form,
        is_owner=is_owner,
        open_vnd=open_balance_vnd(organisation.id),
    )
