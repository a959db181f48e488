"""The open balance once parts are invoiced: the invoice's amount due replaces the part's order
total, and bank transfers and credit notes bring it down."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.wholesale.credit import open_balance_vnd
from tests.factories import make_buyer_organisation, make_product
from tests.invoicing.helpers import deliver, supermarket_order


def test_open_balance_counts_invoices_due_instead_of_delivered_parts(app) -> None:
    organisation = make_buyer_organisation()
    tea = make_product(price_vnd=100_000, stock=50)
    db.session.commit()
    order = supermarket_order(organisation, [[(tea, 10)]])
    part = order.producer_orders[0]
    before = open_balance_vnd(organisation.id)
    assert before == part.subtotal_vnd + part.shipping_fee_vnd

    deliver(part)
    invoice = invoicing.invoice_of_producer_order(part.id)
    assert invoice is not None and invoice.total_vnd > part.subtotal_vnd  # VAT on top
    assert open_balance_vnd(organisation.id) == invoice.total_vnd

    invoicing.record_payment(
        invoice,
        amount_vnd=invoice.total_vnd // 2,
        received_on=invoice.issue_date,
        bank_reference="VCB-1",
        recorded_by_id=None,
    )
    db.session.commit()
    assert open_balance_vnd(organisation.id) == invoice.total_vnd - invoice.total_vnd // 2
