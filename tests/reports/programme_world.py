"""A known programme for the dashboard and public-page tests, sales built through the real order,
payment and invoice flows (so the ledger writes its own rows). Period: January–March 2026;
certificates read on 31 March 2026.

Producers (verified unless said):
  P1 cooperative, Tuyên Quang (former Hà Giang), village "Làng chè Hà Giang", green + circular:
     tea 100.000 ₫ 4★ (in force), honey (no certificate)
  P2 enterprise, Hà Nội, village "Làng Vân": wine 180.000 ₫ on terms (list 200.000) 5★
  P3 household, Hà Nội, village "làng Vân" (the same village, folded): herb 50.000 ₫ 3★
  P4 cooperative, Hà Nội, village "Bát Tràng": vase 30.000 ₫, no certificate (not an OCOP producer)
  P5 cooperative group, Thái Nguyên: 3★ certificate expired 1 Jan 2025 (not an OCOP producer)
  P6 pending producer with a 5★ product (never counted)
  P7 enterprise, Hà Nội, green verified but no circular practices: rice 70.000 ₫ 3★

Sales (net, VND):
  o1 P1 COD 2 tea, delivered 31 Jan 23:59 VN (16:59 UTC)              Jan +200.000
  o2 P1 COD 1 tea, delivered 1 Feb 00:00 VN (31 Jan 17:00 UTC)        Feb +100.000
  o3 P3 card 3 herb, paid 10 Feb, cancelled 2 Mar (refund)             Feb +150.000, Mar −150.000
  o4 P2 supermarket on terms, 10 wine at 180.000, invoiced 15 Feb,
     2 credited as damaged 20 Feb                                      Feb +1.800.000 −360.000
  o5 P4 COD 1 vase, delivered 20 Feb                                   Feb +30.000
  o6 P7 card 1 rice, paid 11 Feb, cancelled 12 Feb                     Feb 0 (+70.000 −70.000)
  o7 P1 COD 1 tea, delivered 1 Apr 00:00 VN (31 Mar 17:00 UTC)         outside the period

Declarations (off the platform, never in the ledger's figures):
  P3 e-commerce, Feb 2026, 400.000, accepted          -> P3 sold through a modern channel
  P7 traditional market, Feb 2026, 900.000, accepted   (not a modern channel)
  P7 convenience stores, Mar 2026, 100.000, submitted  (not accepted: not counted)
  P5 e-commerce, Feb 2026, 500.000, accepted           (P5 is not an OCOP producer)
  P2 convenience stores, Apr 2026, 100.000, accepted   (outside the period)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from marketplace.extensions import db
from marketplace.invoicing import services as invoicing
from marketplace.orders import services as orders
from marketplace.producers.models import Producer
from marketplace.reports import declarations
from marketplace.reports.targets import seed_national_targets
from tests.factories import make_buyer_organisation, make_certificate, make_producer, make_product, make_user
from tests.invoicing.helpers import deliver, supermarket_order
from tests.orders.helpers import place
from tests.reports.helpers import pay_by_card, ship_and_deliver


@dataclass
class ProgrammeWorld:
    producers: dict[str, Producer]


def build_programme_world() -> ProgrammeWorld:
    """Needs the `refunds` fixture (card refunds without Stripe)."""
    seed_national_targets()
    p1 = make_producer(
        name="HTX Chè Hà Giang",
        province_code="tuyen-quang",
        former_province_code="ha-giang",
        craft_village="Làng chè Hà Giang",
        green_verified=True,
        circular_practices="Bã chè ủ làm phân.",
    )
    p2 = make_producer(
        name="Công ty Rượu Vân", entity_type="enterprise", province_code="ha-noi", craft_village="Làng Vân"
    )
    p3 = make_producer(
        name="Hộ Thuốc Nam", entity_type="household", province_code="ha-noi", craft_village="làng Vân "
    )
    p4 = make_producer(name="HTX Gốm", province_code="ha-noi", craft_village="Bát Tràng")
    p5 = make_producer(name="THT Chè Thái", entity_type="cooperative_group", province_code="thai-nguyen")
    p6 = make_producer(name="Chờ duyệt", verification_status="pending", province_code="ha-noi")
    p7 = make_producer(
        name="Công ty Gạo", entity_type="enterprise", province_code="ha-noi", green_verified=True
    )
    tea = make_product(p1, price_vnd=100_000, stock=100, group_code="food", subgroup_code="tea")
    make_product(p1, price_vnd=50_000, group_code="herbal", subgroup_code="herbs")
    wine = make_product(p2, price_vnd=200_000, stock=100, group_code="beverages", subgroup_code="alcoholic")
    herb = make_product(p3, price_vnd=50_000, stock=100, group_code="herbal", subgroup_code="herbs")
    vase = make_product(p4, price_vnd=30_000, stock=100, group_code="handicrafts", subgroup_code="crafts")
    old = make_product(p5)
    pending = make_product(p6)
    rice = make_product(p7, price_vnd=70_000, stock=100, group_code="food", subgroup_code="processed")
    make_certificate(tea, 4, issued_on=date(2025, 6, 1))
    make_certificate(wine, 5, issued_on=date(2025, 1, 1))
    make_certificate(herb, 3, issued_on=date(2026, 2, 1))
    make_certificate(old, 3, issued_on=date(2022, 1, 1))
    make_certificate(pending, 5, issued_on=date(2025, 1, 1))
    make_certificate(rice, 3, issued_on=date(2024, 5, 1))
    chain = make_buyer_organisation(legal_name="Siêu thị Xanh", payment_terms_days=30)
    db.session.commit()

    o1 = place([(tea, 2)])
    ship_and_deliver(o1.producer_orders[0], datetime(2026, 1, 31, 16, 59))
    o2 = place([(tea, 1)])
    ship_and_deliver(o2.producer_orders[0], datetime(2026, 1, 31, 17, 0))
    o3 = place([(herb, 3)], method="card")
    pay_by_card(o3, datetime(2026, 2, 10, 3, 0))
    orders.cancel_order(o3, "customer", "changed my mind", now=datetime(2026, 3, 2, 3, 0))
    db.session.commit()
    o4 = supermarket_order(
        chain, [[(wine, 10)]], unit_prices={wine.id: 180_000}, now=datetime(2026, 2, 14, 3, 0)
    )
    part = o4.producer_orders[0]
    deliver(part, datetime(2026, 2, 15, 3, 0))
    line = part.lines[0]
    invoicing.confirm_receipt(
        part,
        actor="buyer",
        user_id=None,
        problems={line.id: invoicing.ReceiptProblem(line.id, "damaged", 2, "Vỡ chai")},
        now=datetime(2026, 2, 20, 3, 0),
    )
    db.session.commit()
    o5 = place([(vase, 1)])
    ship_and_deliver(o5.producer_orders[0], datetime(2026, 2, 20, 3, 0))
    o6 = place([(rice, 1)], method="card")
    pay_by_card(o6, datetime(2026, 2, 11, 3, 0))
    orders.cancel_order(o6, "customer", "", now=datetime(2026, 2, 12, 3, 0))
    db.session.commit()
    o7 = place([(tea, 1)])
    ship_and_deliver(o7.producer_orders[0], datetime(2026, 3, 31, 17, 0))
    reviewer = make_user("reviewer@example.vn", is_admin=True)
    for producer, month, channel, amount, accept in (
        (p3, "2026-02", "ecommerce", "400000", True),
        (p7, "2026-02", "traditional_market", "900000", True),
        (p7, "2026-03", "convenience_store", "100000", False),
        (p5, "2026-02", "ecommerce", "500000", True),
        (p2, "2026-04", "convenience_store", "100000", True),
    ):
        declaration = declarations.declare(
            producer.id, None, declarations.DeclaredFigures(month, channel, amount), today=date(2026, 5, 10)
        )
        if accept:
            declarations.decide(declaration, reviewer, "accept")
    db.session.commit()
    return ProgrammeWorld({"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7})
