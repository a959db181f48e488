"""The producer's side of orders (in the producer portal): its ProducerOrders, and accepting,
rejecting, shipping and delivering them. Every load is scoped to the member's producer: another
producer's part answers 404. Supermarket orders waiting for the buyer's approval are not shown."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.permissions import current_producer_membership, producer_member_required
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.orders import producer_notices, services
from marketplace.orders.forms import RejectForm, ShipForm
from marketplace.orders.messages import error_message, move_message
from marketplace.orders.models import PRODUCER_ORDER_STATUSES, ProducerOrder

bp = Blueprint("producer_orders", __name__, url_prefix="/portal/orders")

LISTED_STATUSES = tuple(s for s in PRODUCER_ORDER_STATUSES if s != "pending_approval")


@bp.app_context_processor
def _waiting_orders() -> dict:
    """`waiting_orders_count()` for the portal's navigation: called only by the pages that show it."""
    return {"waiting_orders_count": _waiting_orders_count}


def _waiting_orders_count() -> int:
    membership = current_producer_membership()
    return producer_notices.waiting_count(membership.producer_id) if membership is not None else 0


def _producer_id() -> int:
    return current_producer_membership().producer_id


def _actor() -> str:
    membership = current_producer_membership()
    return f"producer {membership.producer_id} (user {membership.user_id})"


def _own_part(producer_order_id: int) -> ProducerOrder:
    part = services.producer_order_of(_producer_id(), producer_order_id)
    if part is None or part.status == "pending_approval":
        abort(404)
    return part


@bp.get("")
@producer_member_required()
def index():
    status = request.args.get("status") or None
    if status not in LISTED_STATUSES:
        status = None
    parts = [p for p in services.producer_orders_of(_producer_id(), status) if p.status != "pending_approval"]
    return render_template("portal/orders.html", parts=parts, status=status, statuses=LISTED_STATUSES)


@bp.get("/<int:producer_order_id>")
@producer_member_required()
def detail(producer_order_id: int):
    part = _own_part(producer_order_id)
    events = [e for e in services.events_of(part.order) if e.producer_order_id in (None, part.id)]
    return render_template(
        "portal/order.html",
        part=part,
        order=part.order,
        events=events,
        empty_form=EmptyForm(),
        reject_form=RejectForm(),
        ship_form=ShipForm(),
    )


def _act(producer_order_id: int, move: str, action, form=None):
    """Run `action` on the member's part; the flash names the order and the `move` made."""
    part = _own_part(producer_order_id)
    form = form or EmptyForm()
    if not form.validate_on_submit():
        flash(_("Please fill in the form completely."), "error")
        return redirect(url_for("producer_orders.detail", producer_order_id=part.id))
    try:
        action(part, form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    else:
        flash(move_message(move, part.order, part), "success")
    return redirect(url_for("producer_orders.detail", producer_order_id=producer_order_id))


@bp.post("/<int:producer_order_id>/accept")
@producer_member_required()
def accept(producer_order_id: int):
    return _act(
        producer_order_id, "accepted", lambda part, form: services.accept_producer_order(part, _actor())
    )


@bp.post("/<int:producer_order_id>/reject")
@producer_member_required()
def reject(producer_order_id: int):
    return _act(
        producer_order_id,
        "rejected",
        lambda part, form: services.reject_producer_order(part, _actor(), form.reason.data or ""),
        RejectForm(),
    )


@bp.post("/<int:producer_order_id>/ship")
@producer_member_required()
def ship(producer_order_id: int):
    return _act(
        producer_order_id,
        "shipped",
        lambda part, form: services.ship_producer_order(
            part, _actor(), carrier=form.carrier.data, tracking_number=form.tracking_number.data
        ),
        ShipForm(),
    )


@bp.post("/<int:producer_order_id>/deliver")
@producer_member_required()
def deliver(producer_order_id: int):
    return _act(producer_order_id, "delivered", lambda part, form: services.mark_delivered(part, _actor()))
