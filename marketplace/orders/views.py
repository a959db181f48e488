"""The buyer's side of orders: the cart, checkout, the card payment page and the order pages.

A signed-out buyer's cart is kept in the session, a signed-in buyer's in the database
(`cart_store`). Guests see their orders through a signed link (sent in the confirmation e-mail and
remembered in their session), never by reference alone.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import login_required
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.formatting import format_vnd
from marketplace.orders import cart as carts
from marketplace.orders import cart_store, services
from marketplace.orders.errors import InvalidAddress, OrderError, OutOfStock, PricesChanged, UnknownProduct
from marketplace.orders.forms import CartLineForm, CheckoutForm
from marketplace.orders.messages import error_message
from marketplace.orders.models import Order
from marketplace.reference import PROVINCES_BY_CODE
from marketplace.site import safe_next

bp = Blueprint("orders", __name__)

GUEST_ORDERS_KEY = "guest_orders"  # references a signed-out buyer placed in this session
ADDRESS_MESSAGES = {
    "recipient_name": _l("Enter the recipient's name (at most 120 characters)."),
    "phone": _l("Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678."),
    "street": _l("Enter the house number and street (at most 200 characters)."),
    "commune": _l("Enter the commune or ward (xã / phường)."),
    "province": _l("Choose one of the 34 provinces and cities."),
}
PRODUCER_STATUS_LABELS = {
    "pending_approval": _l("Waiting for approval"),
    "placed": _l("Placed"),
    "accepted": _l("Accepted"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}
PAYMENT_STATUS_LABELS = {
    "awaiting_payment": _l("Waiting for the card payment"),
    "paid": _l("Paid by card"),
    "partially_refunded": _l("Partly refunded"),
    "refunded": _l("Refunded"),
    "cash_on_delivery": _l("Cash on delivery"),
    "voided": _l("Cancelled before payment"),
    "on_terms": _l("On payment terms"),
}
# The order-level events of a supermarket order's approval (OrderEvent.to_status).
EVENT_STATUS_LABELS = {
    "approval_pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}


# A VietQR order uses the same statuses as a card order; the buyer reads what it means for a transfer.
TRANSFER_PAYMENT_STATUS_LABELS = {
    "awaiting_payment": _l("Waiting for the bank transfer"),
    "paid": _l("Paid by bank transfer"),
}


def payment_label(order: Order) -> str:
    """The payment status of `order` in words, for its payment method."""
    if order.is_transfer and order.payment_status in TRANSFER_PAYMENT_STATUS_LABELS:
        return str(TRANSFER_PAYMENT_STATUS_LABELS[order.payment_status])
    return str(PAYMENT_STATUS_LABELS.get(order.payment_status, order.payment_status))


@bp.app_context_processor
def _order_labels() -> dict:
    return {
        "payment_label": payment_label,
        "cart_count": _cart_count,
        "producer_status_labels": PRODUCER_STATUS_LABELS,
        "payment_status_labels": PAYMENT_STATUS_LABELS,
        "event_status_labels": EVENT_STATUS_LABELS,
    }


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _cart_count() -> int:
    """The header's count: called from base.html outside every cached fragment."""
    return _load_cart().count


def _load_cart() -> carts.Cart:
    return cart_store.load(session, _user_id())


def _save_cart(cart: carts.Cart) -> None:
    cart_store.save(session, _user_id(), cart)
    db.session.commit()


def _back_to(default: str) -> str:
    return safe_next(request.form.get("next"), default)


# ---------------------------------------------------------------------------------------------
# Cart


def _priced(cart: carts.Cart, province: str | None = None):
    """The cart priced from the catalogue, dropping products no longer for sale (with a message)."""
    if not cart.items:
        return cart, None
    try:
        return cart, services.price_cart(cart.lines(), province)
    except UnknownProduct as error:
        for product_id in error.product_ids:
            cart = carts.remove(cart, product_id)
        _save_cart(cart)
        flash(_("Some products in your cart are no longer for sale and were removed."), "warning")
        return _priced(cart, province)


@bp.get("/cart")
def cart():
    cart, priced = _priced(_load_cart())
    return render_template("orders/cart.html", priced=priced, form=CartLineForm(), empty_form=EmptyForm())


def _within_stock(cart: carts.Cart, product_id: object) -> None:
    """Refuse (OutOfStock, naming what is left) a quantity of `product_id` beyond its stock."""
    line = services.cart_line(product_id, 1)
    if line.product_id not in cart.items:
        return
    priced = services.price_cart([services.CartLine(line.product_id, cart.items[line.product_id])])
    if priced.shortages:
        raise OutOfStock("Not enough stock.", list(priced.shortages))


@bp.post("/cart/add")
def add_to_cart():
    form = CartLineForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cart = carts.add(_load_cart(), form.product_id.data, form.quantity.data)
        _within_stock(cart, form.product_id.data)
        if _user_id() is None:
            _save_cart(cart)
        else:
            # One atomic upsert: simultaneous adds from the same account all count.
            line = services.cart_line(form.product_id.data, form.quantity.data)
            if cart_store.add_to_account_cart(_user_id(), line.product_id, line.quantity) is None:
                # Another add took the line to the cap meanwhile: say why, as for a single add.
                _within_stock(carts.add(_load_cart(), line.product_id, line.quantity), line.product_id)
                raise OutOfStock("Not enough stock.", [])
            db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(_back_to(url_for("orders.cart")))
    flash(_("Added to your cart."), "success")
    return redirect(_back_to(url_for("orders.cart")))


@bp.post("/cart/update")
def update_cart():
    form = CartLineForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cart = carts.change(_load_cart(), form.product_id.data, form.quantity.data)
        _within_stock(cart, form.product_id.data)
    except DomainError as error:
        flash(error_message(error), "error")
    else:
        _save_cart(cart)
        flash(_("Your cart is updated."), "success")
    return redirect(url_for("orders.cart"))


@bp.post("/cart/remove")
def remove_from_cart():
    form = CartLineForm()
    if not form.validate_on_submit():
        abort(400)
    _save_cart(carts.remove(_load_cart(), form.product_id.data))
    flash(_("Removed from your cart."), "success")
    return redirect(url_for("orders.cart"))


# ---------------------------------------------------------------------------------------------
# Checkout


def _checkout_lines(cart: carts.Cart) -> list[services.CartLine]:
    """The cart's lines with the prices the checkout page showed (sent back as price_<id>)."""
    return [
        services.cart_line(pid, qty, request.form.get(f"price_{pid}", "missing"))
        for pid, qty in sorted(cart.items.items())
    ]


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    key = request.form.get("idempotency_key") if request.method == "POST" else None
    placed = services.order_by_idempotency_key(key) if key else None
    if placed is not None and placed.customer_id == _user_id():
        # The same form sent again (double click, back button): the order it placed.
        return _after_placing(placed)
    cart = _load_cart()
    if not cart.items:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("orders.cart"))
    form = CheckoutForm()
    if not services.transfer_payments_enabled():  # no receiving account configured
        form.payment_method.choices = [c for c in form.payment_method.choices if c.value != "vietqr"]
    if not form.is_submitted():
        form.idempotency_key.data = services.new_idempotency_key()
        if current_user.is_authenticated:
            form.contact_email.data = current_user.email
            form.recipient_name.data = current_user.display_name or None
    province = form.province.data if form.province.data in PROVINCES_BY_CODE else None
    cart, priced = _priced(cart, province)
    if priced is None:
        return redirect(url_for("orders.cart"))
    problem, price_changes = None, ()
    if form.is_submitted() and request.form.get("action") != "quote" and form.validate_on_submit():
        try:
            address = services.validate_address(
                recipient_name=form.recipient_name.data,
                phone=form.phone.data,
                street=form.street.data,
                commune=form.commune.data,
                province=form.province.data,
            )
            order = services.place_order(
                lines=_checkout_lines(cart),
                address=address,
                contact_email=form.contact_email.data,
                payment_method=form.payment_method.data,
                idempotency_key=form.idempotency_key.data or "",
                customer_id=_user_id(),
                shown_total_vnd=services.shown_total(request.form.get("shown_total_vnd")),
            )
        except InvalidAddress as error:
            for field_name in error.errors:
                field = getattr(form, field_name)
                field.errors = [*field.errors, ADDRESS_MESSAGES[field_name]]
        except PricesChanged as error:
            problem, price_changes = error_message(error), error.changes
        except OrderError as error:
            problem = error_message(error)
        else:
            return _after_placing(order)
    return render_template(
        "orders/checkout.html",
        form=form,
        priced=priced,
        province=province,
        problem=problem,
        price_changes=price_changes,
    )


@bp.get("/checkout/shipping")
def checkout_shipping():
    """JSON for the checkout page's script: each producer's shipping fee and the total for the
    province chosen (none: no fees yet), so the page shows what the order will cost as soon as the
    province changes. The same figures the page itself shows after "Calculate shipping"."""
    province = request.args.get("province", "")
    province = province if province in PROVINCES_BY_CODE else None
    cart, priced = _priced(_load_cart(), province)
    if priced is None:
        return jsonify({"error": "empty_cart"}), 404
    return jsonify(
        {
            "province": province,
            "groups": [
                {
                    "producer_id": group.producer_id,
                    "shipping_fee_vnd": group.shipping_fee_vnd,
                    "shipping_fee": None
                    if group.shipping_fee_vnd is None
                    else format_vnd(group.shipping_fee_vnd),
                }
                for group in priced.groups
            ],
            "total_vnd": priced.total_vnd,
            "total": format_vnd(priced.total_vnd),
        }
    )


def _after_placing(order: Order):
    if current_user.is_authenticated:
        cart_store.clear_account_cart(current_user.id)
        db.session.commit()
    else:
        session.pop(carts.SESSION_KEY, None)
        remembered = [ref for ref in session.get(GUEST_ORDERS_KEY, []) if ref != order.reference]
        session[GUEST_ORDERS_KEY] = (remembered + [order.reference])[-20:]
    if order.is_card and order.payment_status == "awaiting_payment":
        return redirect(order_url("payments.pay", order))
    flash(_("Thank you! Your order %(ref)s is placed.", ref=order.reference), "success")
    # A VietQR order's page shows the code and the transfer details.
    return redirect(order_url("orders.order", order))


# ---------------------------------------------------------------------------------------------
# Who may see an order


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="order-access")


def access_key(order: Order) -> str:
    return _serializer().dumps(order.reference)


def order_url(endpoint: str, order: Order, **kwargs) -> str:
    """A link to one of `order`'s pages; a guest order's link carries its signed access key."""
    if order.customer_id is None:
        kwargs["key"] = access_key(order)
    return url_for(endpoint, reference=order.reference, **kwargs)


def viewable_order(reference: str) -> Order:
    """The order if the visitor may see it: its account, or for a guest order the signed key
    (from the link) or this session having placed it. Anything else: 404."""
    order = services.order_by_reference(reference)
    if order is None:
        abort(404)
    if order.customer_id is not None:
        if _user_id() != order.customer_id:
            abort(404)
        return order
    key = request.args.get("key") or request.form.get("key") or ""
    try:
        if key and _serializer().loads(key) == order.reference:
            return order
    except BadSignature:
        pass
    if order.reference in session.get(GUEST_ORDERS_KEY, []):
        return order
    abort(404)


# ---------------------------------------------------------------------------------------------
# Order pages


def _bulk_order_page(order: Order):
    """A supermarket order has its own page (bulk ordering), with its parts' accepted quantities,
    receipts and invoices; it is not cancelled from the consumer pages."""
    return redirect(url_for("wholesale.order", reference=order.reference))


@bp.get("/orders")
@login_required
def history():
    return render_template("orders/history.html", orders=services.orders_of_customer(current_user.id))


@bp.get("/orders/<reference>")
def order(reference: str):
    order = viewable_order(reference)
    if order.channel == "supermarket":
        return _bulk_order_page(order)
    return render_template(
        "orders/order.html",
        order=order,
        events=services.events_of(order),
        cancellable=any(po.status in ("placed", "accepted") for po in order.producer_orders),
        empty_form=EmptyForm(),
        cancel_url=order_url("orders.cancel", order),
        pay_url=order_url("payments.pay", order),
    )


@bp.route("/orders/<reference>/cancel", methods=["GET", "POST"])
def cancel(reference: str):
    order = viewable_order(reference)
    if order.channel == "supermarket":
        return _bulk_order_page(order)
    form = EmptyForm()
    if form.validate_on_submit():
        actor = f"customer {current_user.id}" if current_user.is_authenticated else "guest"
        try:
            services.cancel_order(order, actor)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error_message(error), "error")
        else:
            flash(_("Your order %(ref)s is cancelled.", ref=order.reference), "success")
        return redirect(order_url("orders.order", order))
    return render_template(
        "orders/cancel.html", order=order, form=form, order_link=order_url("orders.order", order)
    )
