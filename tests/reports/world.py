"""A known set of sales for the report tests, built through the real order, payment and invoice
flows (so the ledger writes its own rows), with every expected figure worked out by hand below.

Producer A, "HTX Chè Hà Giang", province Tuyên Quang (formed from Tuyên Quang and Hà Giang in
2025), former province recorded as Hà Giang. Tea 100.000 ₫ (food, 4★ in force), honey 50.000 ₫
(herbal, no certificate). Producer B in Hà Nội: wine 200.000 ₫.

  o1  COD, guest an@example.vn, 2 tea, delivered 31 Jan 23:59 VN (16:59 UTC)  Jan +200.000 / 2
  o2  COD, consumer X, 1 tea, delivered 1 Feb 00:00 VN (31 Jan 17:00 UTC)      Feb +100.000 / 1
  o3  card, consumer X, 3 honey, paid 10 Feb, cancelled 2 Mar (refund)         Feb +150.000 / 3
                                                                               Mar -150.000 / -3
  o4  card, guest an@example.vn, 1 tea, paid 11 Feb, cancelled 12 Feb          Feb 0 (+1 -1)
  o5  supermarket "Siêu thị Xanh" on terms, 10 tea at 90.000, invoiced 15 Feb,
      2 credited as damaged 20 Feb                                             Feb +720.000 / 8
  o6  (producer B) COD, guest an@example.vn, 1 wine, delivered 5 Feb           Feb +200.000 / 1
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from marketplace.buyers.models import BuyerOrganisation
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.producers.models import Producer
from tests.factories import make_buyer_organisation, make_certificate, make_producer, make_product, make_user
from tests.invoicing.helpers import deliver, supermarket_order
from tests.orders.helpers import place
from tests.reports.helpers import pay_by_card, ship_and_deliver


@dataclass
class SalesWorld:
    a: Producer
    b: Producer
    tea: Product
    honey: Product
    wine: Product
    consumer: object
    chain: BuyerOrganisation
    orders: dict[str, Order]


def build_sales_world() -> SalesWorld:
    """Needs the `refunds` fixture (card refunds without Stripe)."""
    a = make_producer(name="HTX Chè Hà Giang", province_code="tuyen-quang", former_province_code="ha-giang")
    b = make_producer(name="HTX Rượu Hà Nội", province_code="ha-noi")
    tea = make_product(
        a, name="Chè Shan Tuyết", price_vnd=100_000, stock=100, group_code="food", subgroup_code="tea"
    )
    honey = make_product(
        a, name="Mật ong bạc hà", price_vnd=50_000, stock=100, group_code="herbal", subgroup_code="herbs"
    )
    wine = make_product(b, name="Rượu làng Vân", price_vnd=200_000, stock=100)
    make_certificate(tea, 4, issued_on=date(2025, 6, 1))
    consumer = make_user("x@example.vn")
    chain = make_buyer_organisation(legal_name="Siêu thị Xanh", payment_terms_days=30)
    db.session.commit()

    o1 = place([(tea, 2)])
    ship_and_deliver(o1.producer_orders[0], datetime(2026, 1, 31, 16, 59))
    o2 = place([(tea, 1)], customer_id=consumer.id)
    ship_and_deliver(o2.producer_orders[0], datetime(2026, 1, 31, 17, 0))
    o3 = place([(honey, 3)], method="card", customer_id=consumer.id)
    pay_by_card(o3, datetime(2026, 2, 10, 3, 0))
    orders.cancel_order(o3, "customer", "changed my mind", now=datetime(2026, 3, 2, 3, 0))
    db.session.commit()
    o4 = place([(tea, 1)], method="card")
    pay_by_card(o4, datetime(2026, 2, 11, 3, 0))
    orders.cancel_order(o4, "customer", "", now=datetime(2026, 2, 12, 3, 0))
    db.session.commit()
    o5 = supermarket_order(
        chain, [[(tea, 10)]], unit_prices={tea.id: 90_000}, now=datetime(2026, 2, 14, 3, 0)
    )
    part = o5.producer_orders[0]
    deliver(part, datetime(2026, 2, 15, 3, 0))
    line = part.lines[0]
    invoicing.confirm_receipt(
        part,
        actor="buyer",
        user_id=None,
        problems={line.id: invoicing.ReceiptProblem(line.id, "damaged", 2, "Móp hộp")},
        now=datetime(2026, 2, 20, 3, 0),
    )
    db.session.commit()
    o6 = place([(wine, 1)])
    ship_and_deliver(o6.producer_orders[0], datetime(2026, 2, 5, 3, 0))
    return SalesWorld(
        a, b, tea, honey, wine, consumer, chain, {"o1": o1, "o2": o2, "o3": o3, "o4": o4, "o5": o5, "o6": o6}
    )
