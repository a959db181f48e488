"""How much a buyer organisation owes: the figure its credit limit is checked against."""

from __future__ import annotations

from sqlalchemy import exists, func, select

from marketplace.extensions import db
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.services import outstanding_invoices_vnd
from marketplace.orders.models import Order, ProducerOrder

NOT_OWED = ("cancelled", "refunded")


def open_balance_vnd(organisation_id: int) -> int:
    """What the organisation owes or will owe on terms, in VND:

    - the totals of its invoice-paid ProducerOrders not invoiced yet and not cancelled or
      refunded — including those waiting for the organisation's own approval (their stock is
      already reserved) and those accepted or shipped but not delivered;
    - plus what is still due on its issued invoices (VAT included, less the bank transfers
      recorded and the credit notes), from the invoicing module.

    The credit limit check (`services.check_credit`) and every page showing the balance call it.
    """
    invoiced = exists().where(Invoice.producer_order_id == ProducerOrder.id)
    not_invoiced = db.session.scalar(
        select(func.coalesce(func.sum(ProducerOrder.subtotal_vnd + ProducerOrder.shipping_fee_vnd), 0))
        .join(Order, Order.id == ProducerOrder.order_id)
        .where(
            Order.buyer_organisation_id == organisation_id,
            Order.payment_method == "invoice",
            ProducerOrder.status.notin_(NOT_OWED),
            ~invoiced,
        )
    )
    return int(not_invoiced or 0) + outstanding_invoices_vnd(organisation_id)
