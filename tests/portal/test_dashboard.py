"""The dashboard: what needs the producer's attention, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from marketplace.extensions import db
from marketplace.portal import services
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import add_image, grant_right, make_certificate, make_product, make_protection


def test_the_dashboard_lists_what_needs_attention(portal, producer) -> None:
    today = today_in_vietnam()
    draft = make_product(producer, name="Bản nháp chè", status="draft")
    add_image(draft)
    make_product(producer, name="Chè không ảnh", status="published", stock=50)
    low = make_product(producer, name="Chè sắp hết", stock=2, low_stock_threshold=5)
    add_image(low)
    empty = make_product(producer, name="Chè hết hàng", stock=0)
    add_image(empty)
    expiring = make_product(producer, name="Chè sắp hết hạn", stock=50)
    add_image(expiring)
    make_certificate(expiring, 4, issued_on=add_months(today, -36) + timedelta(days=20))
    expired = make_product(producer, name="Chè đã hết hạn", stock=50)
    add_image(expired)
    make_certificate(expired, 3, issued_on=add_months(today, -37))
    fine = make_product(producer, name="Chè ổn định", stock=50)
    add_image(fine)
    make_certificate(fine, 5, issued_on=add_months(today, -6))
    archived = make_product(producer, name="Chè lưu trữ", status="archived", stock=0)
    grant_right(fine, make_protection(name="Tân Cương"), status="pending")
    db.session.commit()

    data = services.dashboard(producer.id, today)
    assert [r.name for r in data.drafts] == ["Bản nháp chè"]
    assert [r.name for r in data.without_picture] == ["Chè không ảnh"]
    assert [r.name for r in data.low_stock] == ["Chè sắp hết"]
    assert [r.name for r in data.out_of_stock] == ["Chè hết hàng"]
    assert [(a.product_name, a.expired) for a in data.certificates] == [
        ("Chè đã hết hạn", True),
        ("Chè sắp hết hạn", False),
    ]
    assert [(c.product_name, c.protection_name) for c in data.pending_claims] == [
        ("Chè ổn định", "Tân Cương")
    ]
    assert data.counts == {"draft": 1, "published": 6, "archived": 1, "all": 8}
    assert archived.id not in {r.id for r in data.out_of_stock}

    page = portal.get("/portal/").get_data(as_text=True)
    for text in (
        "Bản nháp chè",
        "Chè không ảnh",
        "Chè sắp hết",
        "Chè hết hàng",
        "Chè đã hết hạn",
        "Tân Cương",
    ):
        assert text in page
    assert "Chè ổn định</a> · " in page  # only for its pending claim


def test_the_dashboard_needs_the_same_number_of_queries_for_many_products(
    app, producer, count_queries
) -> None:
    def queries() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            services.dashboard(producer.id)
        return counter.count

    for n in range(3):
        product = make_product(producer, stock=n)
        add_image(product)
        make_certificate(product, 3)
    db.session.commit()
    few = queries()
    for n in range(30):
        product = make_product(producer, stock=n)
        add_image(product)
        make_certificate(product, 4)
    db.session.commit()
    assert queries() == few <= 6


def test_a_renewal_waiting_for_verification_silences_the_expiry_alert(app, producer) -> None:
    today = today_in_vietnam()
    product = make_product(producer)
    make_certificate(product, 3, issued_on=add_months(today, -36) + timedelta(days=10))
    db.session.commit()
    assert len(services.dashboard(producer.id).certificates) == 1
    make_certificate(product, 3, issued_on=today - timedelta(days=1), status="pending")
    db.session.commit()
    assert services.dashboard(producer.id).certificates == []


def test_a_certificate_waiting_for_verification_needs_attention(portal, producer) -> None:
    product = make_product(producer, name="Chè chờ duyệt", stock=50)
    add_image(product)
    make_certificate(product, 4, status="pending")
    db.session.commit()
    assert services.dashboard(producer.id).needs_attention
    page = portal.get("/portal/").get_data(as_text=True)
    assert "Nothing needs your attention" not in page
    assert "1 OCOP certificate waiting for an administrator" in page
    assert "certificate(s)" not in page
