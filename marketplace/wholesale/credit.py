"""How much a buyer organisation owes: the figure its credit limit is checked against."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order, ProducerOrder

NOT_OWED = ("cancelled", "refunded")


def open_balance_vnd(organisation_id: int) -> int:
    """What the organisation owes or will owe on terms, in VND: the totals of its invoice-paid
    ProducerOrders that are not cancelled or refunded — including those waiting for the
    organisation's own approval (their stock is already reserved) and those not yet delivered
    or invoiced.

    For now nothing is subtracted: there are no payments or credit notes yet. The invoicing
    module (branch `invoicing`) subtracts, at merge, the bank transfers recorded against the
    organisation's invoices and its credit notes — here, in this one function, which the credit
    limit check (`services.check_credit`) and every page showing the balance call.
    """
    total = db.session.scalar(
        select(func.coalesce(func.sum(ProducerOrder.subtotal_vnd + ProducerOrder.shipping_fee_vnd), 0))
        .join(Order, Order.id == ProducerOrder.order_id)
        .where(
            Order.buyer_organisation_id == organisation_id,
            Order.payment_method == "invoice",
            ProducerOrder.status.notin_(NOT_OWED),
        )
    )
    return int(total or 0)
