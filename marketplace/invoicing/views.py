"""Pages of invoicing: the producer's partial acceptance and delivery date, the buyer's receipt,
invoices (HTML and PDF) for the buyer, the producer and administrators, payments and terms.

Every load by id is scoped: a producer reaches only its own parts and invoices, a buyer only its
organisation's, and anything else answers 404 like an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import (
    admin_required,
    buyer_member_required,
    current_buyer_membership,
    current_producer_membership,
    producer_member_required,
)
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation
from marketplace.extensions import db
from marketplace.invoicing import fulfilment, services
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.forms import (
    CREDIT_KIND_LABELS,
    PART_STATUS_LABELS,
    STATUS_LABELS,
    DeliveryDateForm,
    InvoiceFilterForm,
    PaymentForm,
    TermsForm,
)
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.pdf import invoice_pdf
from marketplace.orders import services as order_services
from marketplace.orders.errors import OrderError
from marketplace.orders.messages import move_message
from marketplace.orders.models import ProducerOrder
from marketplace.producers.models import Producer
from marketplace.timeutil import today_in_vietnam

bp = Blueprint("invoicing", __name__)

RECEIVERS = ("owner", "purchaser")  # buyer roles that may confirm receipt


# ---------------------------------------------------------------------------------------------
# What the panels (included in the order pages of other modules) need


@dataclass(frozen=True)
class PartFacts:
    producer_order: ProducerOrder
    producer: Producer | None
    organisation: BuyerOrganisation | None
    location: DeliveryLocation | None
    invoice: Invoice | None
    can_accept_part: bool
    can_confirm_date: bool
    can_confirm_receipt: bool


def parts_facts(producer_orders: list[ProducerOrder]) -> list[PartFacts]:
    """What the panels show about each part, loaded in a fixed number of queries."""
    if not producer_orders:
        return []

    def by_id(model, ids):
        ids = {i for i in ids if i is not None}
        return (
            {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
        )

    producers = by_id(Producer, [po.producer_id for po in producer_orders])
    organisations = by_id(BuyerOrganisation, [po.order.buyer_organisation_id for po in producer_orders])
    locations = by_id(DeliveryLocation, [po.delivery_location_id for po in producer_orders])
    invoices = services.invoices_by_producer_order([po.id for po in producer_orders])
    facts = []
    for producer_order in producer_orders:
        order = producer_order.order
        facts.append(
            PartFacts(
                producer_order=producer_order,
                producer=producers.get(producer_order.producer_id),
                organisation=organisations.get(order.buyer_organisation_id),
                location=locations.get(producer_order.delivery_location_id),
                invoice=invoices.get(producer_order.id),
                can_accept_part=producer_order.status == "placed"
                and order.channel == "supermarket"
                and order.payment_method != "card"
                and len(producer_order.lines) > 0,
                can_confirm_date=producer_order.status in ("placed", "accepted"),
                can_confirm_receipt=producer_order.status == "delivered"
                and producer_order.received_at is None,
            )
        )
    return facts


def part_facts(producer_order: ProducerOrder) -> PartFacts:
    return parts_facts([producer_order])[0]


def order_facts(order) -> list[PartFacts]:
    return parts_facts(list(order.producer_orders))


def invoice_status(invoice: Invoice) -> str:
    return invoice.status_on(today_in_vietnam())


@bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        supermarket_part_facts=part_facts,
        supermarket_order_facts=order_facts,
        invoice_status=invoice_status,
        invoice_status_labels=STATUS_LABELS,
        credit_kind_labels=CREDIT_KIND_LABELS,
        part_status_labels=PART_STATUS_LABELS,
    )


# ---------------------------------------------------------------------------------------------
# Producers: accept part, confirm the delivery date


def _producer_part_or_404(producer_order_id: int) -> ProducerOrder:
    producer_order = order_services.producer_order_of(
        current_producer_membership().producer_id, producer_order_id
    )
    if producer_order is None or producer_order.status == "pending_approval":
        abort(404)
    return producer_order


def _actor() -> str:
    return f"user {current_user.id}"


def _render_part(producer_order: ProducerOrder, *, date_form=None, line_errors=None, status=200):
    return (
        render_template(
            "invoicing/producer_part.html",
            producer_order=producer_order,
            facts=part_facts(producer_order),
            date_form=date_form or DeliveryDateForm(),
            line_errors=line_errors or {},
            values=request.form if request.method == "POST" else {},
        ),
        status,
    )


@bp.route("/portal/orders/<int:producer_order_id>/accept-part", methods=["GET", "POST"])
@producer_member_required()
def accept_part(producer_order_id: int):
    producer_order = _producer_part_or_404(producer_order_id)
    if request.method == "GET":
        return _render_part(producer_order)
    if not EmptyForm().validate_on_submit():
        abort(400)
    changes: dict[int, tuple[int, str]] = {}
    errors: dict[str, str] = {}
    for line in producer_order.lines:
        raw = (request.form.get(f"quantity-{line.id}") or "").strip()
        if raw == "":
            continue
        try:
            quantity = int(raw)
        except ValueError:
            errors[f"quantity-{line.id}"] = _("Enter a whole number.")
            continue
        changes[line.id] = (quantity, request.form.get(f"reason-{line.id}", ""))
    try:
        if errors:
            raise InvoicingError(_("Some lines need correcting."), errors)
        fulfilment.accept_part(producer_order, _actor(), changes)
    except (InvoicingError, OrderError) as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_part(producer_order, line_errors=getattr(error, "errors", {}), status=422)
    db.session.commit()
    flash(move_message("accepted_in_part", producer_order.order, producer_order), "success")
    return redirect(url_for("producer_orders.detail", producer_order_id=producer_order.id))


@bp.route("/portal/orders/<int:producer_order_id>/delivery-date", methods=["GET", "POST"])
@producer_member_required()
def delivery_date(producer_order_id: int):
    producer_order = _producer_part_or_404(producer_order_id)
    form = DeliveryDateForm()
    if request.method == "GET":
        form.delivery_date.data = (
            producer_order.confirmed_delivery_date or producer_order.requested_delivery_date
        )
        return _render_part(producer_order, date_form=form)
    if form.validate_on_submit():
        try:
            fulfilment.confirm_delivery_date(producer_order, _actor(), form.delivery_date.data)
        except InvoicingError as error:
            db.session.rollback()
            form.delivery_date.errors = [error.errors.get("delivery_date", error.message)]
        else:
            db.session.commit()
            flash(move_message("delivery_date", producer_order.order, producer_order), "success")
            return redirect(url_for("producer_orders.detail", producer_order_id=producer_order.id))
    return _render_part(producer_order, date_form=form, status=422)


# ---------------------------------------------------------------------------------------------
# Buyers: confirm receipt, report shortfall or damage


@bp.route("/buyer/orders/<reference>/parts/<int:producer_order_id>/receipt", methods=["GET", "POST"])
@buyer_member_required()
def receipt(reference: str, producer_order_id: int):
    membership = current_buyer_membership()
    producer_order = services.producer_order_for_buyer(
        membership.organisation_id, reference, producer_order_id
    )
    if producer_order is None:
        abort(404)
    line_errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if membership.role not in RECEIVERS:
            abort(403)
        if not EmptyForm().validate_on_submit():
            abort(400)
        problems, line_errors = _read_problems(producer_order)
        try:
            if line_errors:
                raise InvoicingError(_("Some lines need correcting."), line_errors)
            notes = services.confirm_receipt(
                producer_order, actor=_actor(), user_id=current_user.id, problems=problems
            )
        except InvoicingError as error:
            db.session.rollback()
            flash(error.message, "error")
            line_errors, status = error.errors, 422
        else:
            db.session.commit()
            move = "received_with_problems" if notes else "received"
            flash(move_message(move, producer_order.order, producer_order), "success")
            return redirect(
                url_for("invoicing.receipt", reference=reference, producer_order_id=producer_order.id)
            )
    return (
        render_template(
            "invoicing/receipt.html",
            order=producer_order.order,
            producer_order=producer_order,
            facts=part_facts(producer_order),
            can_receive=membership.role in RECEIVERS,
            line_errors=line_errors,
            values=request.form if request.method == "POST" else {},
            empty_form=EmptyForm(),
        ),
        status,
    )


def _read_problems(
    producer_order: ProducerOrder,
) -> tuple[dict[int, services.ReceiptProblem], dict[str, str]]:
    problems: dict[int, services.ReceiptProblem] = {}
    errors: dict[str, str] = {}
    for line in producer_order.lines:
        kind = request.form.get(f"kind-{line.id}", "")
        if not kind:
            continue
        raw = (request.form.get(f"quantity-{line.id}") or "").strip()
        try:
            quantity = int(raw)
        except ValueError:
            errors[f"quantity-{line.id}"] = _("Enter how many units.")
            continue
        problems[line.id] = services.ReceiptProblem(
            line.id, kind, quantity, request.form.get(f"note-{line.id}", "")
        )
    return problems, errors


# ---------------------------------------------------------------------------------------------
# Invoices


def _filters() -> InvoiceFilterForm:
    form = InvoiceFilterForm(request.args)
    if not form.validate():
        form.status.data, form.q.data = "", ""
    return form


def _invoice_page(invoice: Invoice, scope: str, payment_form: PaymentForm | None = None, status: int = 200):
    return (
        render_template(
            "invoicing/invoice.html",
            invoice=invoice,
            scope=scope,
            status=invoice_status(invoice),
            payment_form=payment_form,
        ),
        status,
    )


def _pdf_response(invoice: Invoice) -> Response:
    status = invoice_status(invoice)
    data = invoice_pdf(invoice, status_label=str(STATUS_LABELS[status]), today=today_in_vietnam())
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


@bp.get("/buyer/invoices")
@buyer_member_required()
def buyer_invoices():
    form = _filters()
    invoices = services.list_invoices(
        buyer_organisation_id=current_buyer_membership().organisation_id, status=form.status.data or None
    )
    return render_template("invoicing/invoices.html", invoices=invoices, form=form, scope="buyer")


def _buyer_invoice_or_404(invoice_id: int) -> Invoice:
    invoice = services.invoice_for_buyer(current_buyer_membership().organisation_id, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/buyer/invoices/<int:invoice_id>")
@buyer_member_required()
def buyer_invoice(invoice_id: int):
    return _invoice_page(_buyer_invoice_or_404(invoice_id), "buyer")


@bp.get("/buyer/invoices/<int:invoice_id>.pdf")
@buyer_member_required()
def buyer_invoice_pdf(invoice_id: int):
    return _pdf_response(_buyer_invoice_or_404(invoice_id))


@bp.get("/portal/invoices")
@producer_member_required()
def producer_invoices():
    form = _filters()
    invoices = services.list_invoices(
        producer_id=current_producer_membership().producer_id, status=form.status.data or None
    )
    return render_template("invoicing/invoices.html", invoices=invoices, form=form, scope="producer")


def _producer_invoice_or_404(invoice_id: int) -> Invoice:
    invoice = services.invoice_for_producer(current_producer_membership().producer_id, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/portal/invoices/<int:invoice_id>")
@producer_member_required()
def producer_invoice(invoice_id: int):
    return _invoice_page(_producer_invoice_or_404(invoice_id), "producer")


@bp.get("/portal/invoices/<int:invoice_id>.pdf")
@producer_member_required()
def producer_invoice_pdf(invoice_id: int):
    return _pdf_response(_producer_invoice_or_404(invoice_id))


@bp.get("/admin/invoices")
@admin_required
def admin_invoices():
    form = _filters()
    invoices = services.list_invoices(status=form.status.data or None, search=form.q.data or None)
    return render_template("invoicing/invoices.html", invoices=invoices, form=form, scope="admin")


def _any_invoice_or_404(invoice_id: int) -> Invoice:
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/admin/invoices/<int:invoice_id>")
@admin_required
def admin_invoice(invoice_id: int):
    invoice = _any_invoice_or_404(invoice_id)
    form = PaymentForm()
    form.received_on.data = today_in_vietnam()
    return _invoice_page(invoice, "admin", form)


@bp.get("/admin/invoices/<int:invoice_id>.pdf")
@admin_required
def admin_invoice_pdf(invoice_id: int):
    return _pdf_response(_any_invoice_or_404(invoice_id))


@bp.post("/admin/invoices/<int:invoice_id>/payments")
@admin_required
def record_payment(invoice_id: int):
    invoice = _any_invoice_or_404(invoice_id)
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            services.record_payment(
                invoice,
                amount_vnd=form.amount_vnd.data,
                received_on=form.received_on.data,
                bank_reference=form.bank_reference.data,
                recorded_by_id=current_user.id,
            )
        except InvoicingError as error:
            db.session.rollback()
            invoice = _any_invoice_or_404(invoice_id)
            for name, message in error.errors.items():
                getattr(form, name).errors = [message]
        else:
            db.session.commit()
            flash(_("The payment is recorded."), "success")
            return redirect(url_for("invoicing.admin_invoice", invoice_id=invoice.id))
    return _invoice_page(invoice, "admin", form, status=422)


# ---------------------------------------------------------------------------------------------
# Administrators: payment terms and credit limits


@bp.get("/admin/buyers")
@admin_required
def admin_buyers():
    organisations = list(db.session.scalars(select(BuyerOrganisation).order_by(BuyerOrganisation.legal_name)))
    outstanding = {o.id: services.outstanding_invoices_vnd(o.id) for o in organisations}
    return render_template(
        "invoicing/admin_buyers.html", organisations=organisations, outstanding=outstanding
    )


@bp.route("/admin/buyers/<int:organisation_id>/terms", methods=["GET", "POST"])
@admin_required
def admin_terms(organisation_id: int):
    organisation = db.session.get(BuyerOrganisation, organisation_id)
    if organisation is None:
        abort(404)
    form = TermsForm(obj=organisation)
    status = 200
    if form.validate_on_submit():
        try:
            services.set_terms(
                organisation,
                payment_terms_days=form.payment_terms_days.data,
                credit_limit_vnd=form.credit_limit_vnd.data,
            )
        except InvoicingError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                getattr(form, name).errors = [message]
        else:
            db.session.commit()
            flash(_("The payment terms are saved. Orders placed from now on use them."), "success")
            return redirect(url_for("invoicing.admin_buyers"))
    if form.is_submitted():
        status = 422
    return (
        render_template(
            "invoicing/admin_terms.html",
            organisation=organisation,
            form=form,
            outstanding=services.outstanding_invoices_vnd(organisation.id),
            invoices=services.list_invoices(buyer_organisation_id=organisation.id, status="unpaid", limit=50),
        ),
        status,
    )
