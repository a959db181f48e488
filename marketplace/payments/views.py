"""Card payments on the site: an order's payment page (`/orders/<reference>/pay`, which polls
`/orders/<reference>/payment`), and the Stripe webhook endpoint (signature first, then each event
applied once)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.permissions import admin_required
from marketplace.domain import DomainError
from marketplace.extensions import csrf
from marketplace.orders.messages import error_message
from marketplace.orders.views import order_url, viewable_order
from marketplace.payments import services, statements, stripe_gateway, vietqr
from marketplace.payments.forms import ResolveForm, StatementUploadForm
from marketplace.security import content_security_policy

bp = Blueprint("payments", __name__)


def stripe_js_url() -> str:
    """STRIPE_JS_URL, else Stripe's own, else (localstripe) the stand-in served under its address."""
    api_base = (current_app.config.get("STRIPE_API_BASE") or "").rstrip("/")
    configured = current_app.config.get("STRIPE_JS_URL") or ""
    return configured or (f"{api_base}/js.stripe.com/v3/" if api_base else "https://js.stripe.com/v3/")


@bp.app_context_processor
def _payment_settings() -> dict:
    """For payment pages: the key stripe.js needs, and whether to say that payments are tests."""
    return {
        "stripe_publishable_key": current_app.config.get("STRIPE_PUBLISHABLE_KEY") or "",
        # localstripe serves a stand-in for stripe.js under its own address
        "stripe_js_url": stripe_js_url(),
        "payments_are_test_payments": stripe_gateway.is_test_mode(),
    }


@bp.app_template_global("vietqr_transfer")
def vietqr_transfer(amount_vnd: int, reference: str | None) -> vietqr.TransferDetails | None:
    """For any page that asks for a transfer (an order waiting for one, an invoice still due):
    the VietQR code and details, or None when no receiving account is configured. A template
    global, so that invoicing's pages use it without importing payments."""
    if not reference:
        return None
    return vietqr.transfer_details(amount_vnd=amount_vnd, reference=reference)


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # Stripe cannot send a CSRF token; the signature proves where the request came from
def stripe_webhook():
    try:
        event = stripe_gateway.verify_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except stripe_gateway.InvalidWebhook as exc:
        current_app.logger.warning("Stripe webhook refused: %s", exc)
        return jsonify(error={"code": exc.code, "message": "Invalid signature"}), 400
    outcome = services.apply_stripe_event(event)
    current_app.logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome)


# ---------------------------------------------------------------------------------------------
# The card payment page of an order (consumer or supermarket): the order's own access rules


def _stripe_origins() -> str:
    """The origins the payment page's CSP lets stripe.js load from, talk to and frame."""

    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    api_base = current_app.config.get("STRIPE_API_BASE") or ""
    origins = {origin(stripe_js_url()), origin(api_base) if api_base else "https://api.stripe.com"}
    if not api_base:
        origins.add("https://js.stripe.com")
    return " ".join(sorted(origins))


@bp.get("/orders/<reference>/pay")
def pay(reference: str):
    order = viewable_order(reference)
    if not order.is_card:
        return redirect(order_url("orders.order", order))
    intent, problem = None, None
    if order.payment_status == "awaiting_payment":
        try:
            intent = services.start_card_payment(order)
        except DomainError as error:
            problem = error_message(error)
    response = make_response(
        render_template(
            "orders/pay.html",
            order=order,
            intent=intent,
            problem=problem,
            status_url=order_url("payments.payment_status", order),
            confirm_url=order_url("payments.confirm_card", order),
            order_link=order_url("orders.order", order),
            server_confirms=bool(current_app.config.get("STRIPE_API_BASE")),
        )
    )
    origins = _stripe_origins()
    # Stripe's 3-D Secure pages open in frames from hooks.stripe.com.
    frames = origins if current_app.config.get("STRIPE_API_BASE") else origins + " https://hooks.stripe.com"
    response.headers["Content-Security-Policy"] = content_security_policy(
        script_src=origins, connect_src=origins, frame_src=frames
    )
    return response


@bp.get("/orders/<reference>/payment")
def payment_status(reference: str):
    order = viewable_order(reference)
    return jsonify(
        reference=order.reference,
        payment_status=order.payment_status,
        paid=order.payment_status in ("paid", "partially_refunded", "refunded"),
        error=order.payment_error,
    )


@bp.post("/orders/<reference>/pay/confirm")
def confirm_card(reference: str):
    """Local Stripe stand-in only (its stripe.js cannot confirm a PaymentIntent in the browser):
    the card tokenised by stripe.js is attached and the PaymentIntent confirmed here. The order
    still becomes paid only when the webhook arrives. With real Stripe this answers 404."""
    if not current_app.config.get("STRIPE_API_BASE"):
        abort(404)
    order = viewable_order(reference)
    sent = request.get_json(silent=True) or {}
    card = sent.get("payment_method") or request.form.get("payment_method", "")
    try:
        outcome = services.confirm_card_payment(order, str(card))
    except DomainError as error:
        message = error_message(error)
        if error.code == "card_declined" and error.message:
            message = f"{message} ({error.message})"
        return jsonify(error={"code": error.code, "message": message}), 402
    return jsonify(status=outcome)


# ---------------------------------------------------------------------------------------------
# Bank statements (administrators): upload, and the queue of lines to resolve by hand


QUEUE_REASON_LABELS = {
    "underpaid": _l("Less than is due"),
    "overpaid": _l("More than is due"),
    "unknown_reference": _l("No known payment reference"),
    "already_paid": _l("Already paid"),
    "order_cancelled": _l("The order was cancelled"),
    "not_applicable": _l("Cannot be applied"),
}


def _upload_form() -> StatementUploadForm:
    form = StatementUploadForm()
    form.layout.choices = statements.layout_choices()
    return form


@bp.route("/admin/payments/statements", methods=["GET", "POST"])
@admin_required
def admin_statements():
    form = _upload_form()
    problems, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = statements.import_statement(
                upload.read(current_app.config["STATEMENT_MAX_BYTES"] + 1),
                layout=form.layout.data,
                filename=upload.filename or "",
                uploaded_by_id=current_user.id,
            )
        except statements.StatementRefused as refused:
            problems, status = refused.problems, 422
        except DomainError as error:
            flash(error.message, "error")
            status = 409
        else:
            flash(
                _(
                    "Statement read: %(applied)s applied, %(queued)s to resolve by hand, %(seen)s seen "
                    "before, %(outgoing)s outgoing lines ignored.",
                    applied=len(result.applied),
                    queued=len(result.queued),
                    seen=result.already_seen,
                    outgoing=result.outgoing,
                ),
                "success",
            )
            return redirect(url_for("payments.admin_statements"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "payments/admin_statements.html",
        form=form,
        problems=problems,
        statements=statements.recent_statements(),
        queue_size=statements.queue_size(),
        layouts=statements.LAYOUTS,
    ), status


@bp.get("/admin/payments/queue")
@admin_required
def admin_queue():
    return render_template(
        "payments/admin_queue.html",
        queued=statements.queued_transactions(),
        settled=statements.recent_transactions(),
        form=ResolveForm(),
        reasons=QUEUE_REASON_LABELS,
    )


@bp.post("/admin/payments/queue/<int:transaction_id>")
@admin_required
def admin_resolve(transaction_id: int):
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_("Choose to apply or to dismiss the line."), "error")
        return redirect(url_for("payments.admin_queue"), 303)
    try:
        statements.resolve(
            transaction_id,
            action=form.action.data,
            reference=form.reference.data or "",
            note=form.note.data or "",
            resolved_by_id=current_user.id,
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The line is resolved."), "success")
    return redirect(url_for("payments.admin_queue"), 303)
