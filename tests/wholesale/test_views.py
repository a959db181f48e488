"""The bulk ordering pages, through the browser's eyes (forms with CSRF, as people fill them)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.timeutil import today_in_vietnam
from marketplace.wholesale import services
from marketplace.wholesale.pricing import organisation_locations
from tests.factories import make_buyer_member, make_buyer_organisation, make_producer, make_user
from tests.wholesale.helpers import buyer, fill_draft, place, wholesale_product


def test_a_verified_buyer_sees_tiers_moq_case_pack_stock_and_the_producers_minimum(web) -> None:
    user, _ = buyer("viewer")
    producer = make_producer(
        name="HTX Chè Tân Cương", slug="htx-tc", code="CTC", min_order_value_vnd=3_000_000
    )
    wholesale_product(
        producer, sku="TC-200", name="Chè búp", min_order_qty=24, case_pack=12, stock=480, unit="box"
    )
    wholesale_product(producer, sku="RETAIL", name="Chỉ bán lẻ", tiers=())  # not wholesale-ready
    db.session.commit()
    page = web.sign_in(user).get("/wholesale/products").get_data(as_text=True)
    assert "Chè búp" in page and "Chỉ bán lẻ" not in page
    assert "CTC/TC-200" in page and "82,000 ₫" in page and "3,000,000 ₫" in page
    assert ">480 " in page and ">24 " in page and ">12 " in page
    assert "Add to order" not in page and 'action="/wholesale/order/add"' not in page  # a viewer only looks


@pytest.mark.parametrize("who", ["anonymous", "consumer", "unverified buyer", "producer"])
def test_nobody_but_verified_buyers_gets_the_wholesale_pages(web, who) -> None:
    wholesale_product()
    if who == "consumer":
        web.sign_in(make_user())
    elif who == "unverified buyer":
        web.sign_in(make_buyer_member(make_buyer_organisation(status="pending")))
    elif who == "producer":
        from tests.factories import make_producer_member

        web.sign_in(make_producer_member())
    db.session.commit()
    for url in ("/wholesale/products", "/wholesale/order", "/buyer/orders", "/wholesale/order/check?code=x"):
        response = web.get(url)
        assert response.status_code == (302 if who == "anonymous" else 403), url
        assert "82,000" not in response.get_data(as_text=True)


def test_a_purchaser_adds_from_the_catalogue_reviews_and_places(web) -> None:
    user, organisation = buyer("purchaser")
    product = wholesale_product(stock=500)
    db.session.commit()
    web.sign_in(user)
    assert (
        web.post(
            "/wholesale/order/add", {"product_id": product.id, "quantity": 50, "next": "/wholesale/products"}
        ).status_code
        == 302
    )
    draft = web.get("/wholesale/order").get_data(as_text=True)
    assert "4,100,000 ₫" in draft and "400,000 ₫" in draft  # subtotal, savings against retail
    review = web.get("/wholesale/order/review").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', review).group(1)
    location = organisation_locations(organisation.id)[0]
    when = (today_in_vietnam() + timedelta(days=5)).isoformat()
    form = {
        "idempotency_key": key,
        "purchase_order_number": "PO-77",
        f"date-{product.producer_id}": when,
        f"location-{product.producer_id}": location.id,
    }
    response = web.post("/wholesale/order/place", form)
    assert response.status_code == 302
    assert web.post("/wholesale/order/place", form).status_code == 302  # double submit
    orders = db.session.scalars(select(Order)).all()
    assert len(orders) == 1 and orders[0].purchase_order_number == "PO-77"
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert orders[0].reference in page and "PO-77" in page
    assert orders[0].reference in web.get("/buyer/orders").get_data(as_text=True)


def test_added_to_the_bulk_order_is_said_once(web) -> None:
    user, _ = buyer("purchaser")
    product = wholesale_product(stock=500)
    db.session.commit()
    web.sign_in(user)
    for _ in range(2):
        web.post(
            "/wholesale/order/add", {"product_id": product.id, "quantity": 50, "next": "/wholesale/order"}
        )
    assert web.get("/wholesale/order").get_data(as_text=True).count("Added to your bulk order.") == 1


def test_approving_and_rejecting_name_the_order(web) -> None:
    user, organisation = buyer("owner", approval_threshold_vnd=1_000_000)
    product = wholesale_product(stock=500)
    db.session.commit()
    placed = []
    for _ in range(2):
        fill_draft(organisation, [(product, 50)], user)
        placed.append(place(user, organisation, [product]))
    first, second = placed
    assert first.approval_status == second.approval_status == "pending"
    web.sign_in(user)
    page = web.post(f"/buyer/orders/{first.reference}/approve", follow_redirects=True).get_data(as_text=True)
    assert page.count(f"Approved order {first.reference}: it has gone to the producers.") == 1
    page = web.post(
        f"/buyer/orders/{second.reference}/reject", {"note": "Too much"}, follow_redirects=True
    ).get_data(as_text=True)
    assert page.count(f"Rejected order {second.reference}: it is cancelled and its stock given back.") == 1


def test_the_review_refuses_a_past_date_with_a_message_by_the_field(web) -> None:
    user, organisation = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    web.sign_in(user)
    yesterday = (today_in_vietnam() - timedelta(days=1)).isoformat()
    page = web.post(
        "/wholesale/order/place", {"idempotency_key": "k" * 20, f"date-{product.producer_id}": yesterday}
    )
    assert page.status_code == 200
    assert "The delivery date cannot be in the past." in page.get_data(as_text=True)
    assert db.session.scalar(select(Order.id)) is None


def test_an_order_above_the_credit_limit_is_refused_with_the_figures(web) -> None:
    user, organisation = buyer(credit_limit_vnd=4_000_000)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    web.sign_in(user)
    when = (today_in_vietnam() + timedelta(days=1)).isoformat()
    page = web.post(
        "/wholesale/order/place", {"idempotency_key": "k" * 20, f"date-{product.producer_id}": when}
    )
    text = page.get_data(as_text=True)
    assert "limit 4,000,000 ₫, open 0 ₫, this order 4,100,000 ₫" in text
    assert db.session.scalar(select(Order.id)) is None


def test_a_viewer_cannot_change_the_draft_or_place(web) -> None:
    viewer, organisation = buyer("viewer")
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)])
    web.sign_in(viewer)
    assert web.get("/wholesale/order").status_code == 200
    for url in (
        "/wholesale/order/add",
        "/wholesale/order/place",
        "/wholesale/order/upload",
        "/wholesale/order/pad",
    ):
        assert web.post(url, {"product_id": product.id, "quantity": 5}).status_code == 403, url
    assert web.get("/wholesale/order/review").status_code == 403


def test_a_purchaser_cannot_approve_or_reject_or_set_the_threshold(web) -> None:
    owner, organisation = buyer(approval_threshold_vnd=0)
    purchaser, _ = buyer("purchaser", organisation)
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], purchaser)
    order = place(purchaser, organisation, [product])
    web.sign_in(purchaser)
    page = web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)
    assert "Only an owner" in page and "/approve" not in page
    assert web.post(f"/buyer/orders/{order.reference}/approve").status_code == 403
    assert web.post(f"/buyer/orders/{order.reference}/reject", {"note": "no"}).status_code == 403
    assert web.post("/buyer/settings", {"approval_threshold_vnd": "5"}).status_code == 403


def test_an_owner_sets_the_threshold_and_approves(web) -> None:
    owner, organisation = buyer()
    product = wholesale_product()
    db.session.commit()
    web.sign_in(owner)
    assert web.post("/buyer/settings", {"approval_threshold_vnd": "1000000"}).status_code == 302
    db.session.refresh(organisation)
    assert organisation.approval_threshold_vnd == 1_000_000
    fill_draft(organisation, [(product, 50)], owner)
    order = place(owner, organisation, [product])
    assert order.approval_status == "pending"
    page = web.get(f"/buyer/orders/{order.reference}").get_data(as_text=True)
    assert "/approve" in page and "/reject" in page
    assert web.post(f"/buyer/orders/{order.reference}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).producer_orders[0].status == "placed"


def test_no_buyer_sees_another_chains_orders_drafts_or_lists(web) -> None:
    user_x, x = buyer()
    user_y, y = buyer()
    product = wholesale_product(name="Nước mắm Phú Quốc")
    fill_draft(x, [(product, 50)], user_x)
    saved = services.save_draft_as(x.id, user_x.id, "Danh sách của X")
    db.session.commit()
    order = place(user_x, x, [product])
    fill_draft(x, [(product, 100)], user_x)
    web.sign_in(user_y)
    assert web.get(f"/buyer/orders/{order.reference}").status_code == 404
    assert order.reference not in web.get("/buyer/orders").get_data(as_text=True)
    assert "Nước mắm Phú Quốc" not in web.get("/wholesale/order").get_data(as_text=True)
    assert "Danh sách của X" not in web.get("/wholesale/lists").get_data(as_text=True)
    assert web.post(f"/wholesale/lists/{saved.id}/load").status_code == 404
    assert web.post(f"/wholesale/lists/{saved.id}/delete").status_code == 404
    assert web.post(f"/buyer/orders/{order.reference}/again").status_code == 404
    assert services.draft_of(y.id) is None


def test_a_csv_with_bad_lines_shows_a_report_and_the_fixed_text_is_accepted(web) -> None:
    user, organisation = buyer()
    producer = make_producer(slug="htx-pq")
    wholesale_product(producer, sku="NM-500", name="Nước mắm", case_pack=6, min_order_qty=6)
    db.session.commit()
    web.sign_in(user)
    bad = "\ufeffsku;quantity\nNM-500;60\nNM-999;6\nhtx-pq/NM-500;7\n".encode()
    page = web.post(
        "/wholesale/order/upload",
        {"file": (io.BytesIO(bad), "order.csv")},
        content_type="multipart/form-data",
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Unknown product code “NM-999”." in text and "This product is already on line 2." in text
    assert "82,000 ₫" in text  # the accepted line, with its price
    assert services.draft_of(organisation.id) is None or not services.draft_of(organisation.id).lines
    fixed = web.post("/wholesale/order/upload", {"text": "sku;quantity\nNM-500;60\n"})
    assert fixed.status_code == 302
    assert [(ln.quantity) for ln in services.draft_of(organisation.id).lines] == [60]


def _draft(organisation) -> dict[str, int]:
    db.session.expire_all()
    draft = services.draft_of(organisation.id)
    return {ln.product_id: ln.quantity for ln in draft.lines} if draft else {}


@pytest.fixture
def draft_with_a_line(web):
    """A purchaser whose draft holds 60 of NM-500 (case pack 6); TC-1 is another product."""
    user, organisation = buyer("purchaser")
    producer = make_producer(slug="htx-pq")
    sauce = wholesale_product(producer, sku="NM-500", case_pack=6, min_order_qty=6, stock=500)
    tea = wholesale_product(producer, sku="TC-1", stock=500)
    fill_draft(organisation, [(sauce, 60)], user)
    web.sign_in(user)
    return organisation, sauce, tea


def test_pasting_onto_a_draft_with_lines_without_choosing_changes_nothing_and_keeps_the_lines(
    web, draft_with_a_line
) -> None:
    organisation, sauce, _ = draft_with_a_line
    page = web.post("/wholesale/order/upload", {"text": "sku;quantity\nTC-1;50\n"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and _draft(organisation) == {sauce.id: 60}
    assert text.count("Nothing was changed: choose whether these lines are added to your bulk order") == 1
    assert "TC-1;50" in text  # what was pasted is still there
    assert 'name="mode" value="add" required>' in text and 'value="replace" required>' in text  # no default
    # an uploaded file comes back as text too
    page = web.post(
        "/wholesale/order/upload",
        {"file": (io.BytesIO(b"TC-1;50\n"), "order.csv")},
        content_type="multipart/form-data",
    )
    assert "TC-1;50" in page.get_data(as_text=True) and _draft(organisation) == {sauce.id: 60}


def test_replace_makes_the_lines_the_draft(web, draft_with_a_line) -> None:
    organisation, _, tea = draft_with_a_line
    response = web.post("/wholesale/order/upload", {"text": "TC-1;50\n", "mode": "replace"})
    assert response.status_code == 302 and _draft(organisation) == {tea.id: 50}


def test_add_adds_quantities_of_the_same_product_and_keeps_the_other_lines(web, draft_with_a_line) -> None:
    organisation, sauce, tea = draft_with_a_line
    response = web.post(
        "/wholesale/order/upload", {"text": "NM-500;12\nTC-1;50\n", "mode": "add"}, follow_redirects=True
    )
    assert "accepted and added to your bulk order" in response.get_data(as_text=True)
    assert _draft(organisation) == {sauce.id: 72, tea.id: 50}


def test_add_checks_every_rule_on_the_quantities_added_up(web, draft_with_a_line) -> None:
    organisation, sauce, _ = draft_with_a_line
    # 6 alone is a whole case; 60 + 4 is not: refused, and the draft is as it was
    page = web.post("/wholesale/order/upload", {"text": "NM-500;4\n", "mode": "add"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "cannot be ordered as they are" in text
    assert _draft(organisation) == {sauce.id: 60}
    assert 'value="add" required checked>' in text  # the choice is kept for the corrected lines
    page = web.post("/wholesale/order/upload", {"text": "NM-500;1000\n", "mode": "add"})
    assert _draft(organisation) == {sauce.id: 60}  # 1060 is more than the 500 in stock


def test_an_empty_draft_needs_no_choice(web) -> None:
    user, organisation = buyer("purchaser")
    tea = wholesale_product(make_producer(slug="htx-e"), sku="TC-9")
    db.session.commit()
    web.sign_in(user)
    assert 'name="mode"' not in web.get("/wholesale/order").get_data(as_text=True)
    assert web.post("/wholesale/order/upload", {"text": "TC-9;50\n"}).status_code == 302
    assert _draft(organisation) == {tea.id: 50}


def test_the_quick_order_pad_works_without_javascript_and_checks_as_you_go(web) -> None:
    user, organisation = buyer()
    product = wholesale_product(make_producer(slug="htx-q"), sku="Q-1")
    db.session.commit()
    web.sign_in(user)
    check = web.get("/wholesale/order/check?code=htx-q/Q-1&quantity=50").get_json()
    assert check["ok"] and check["unit_price_vnd"] == 82_000 and check["line_total_vnd"] == 4_100_000
    assert web.get("/wholesale/order/check?code=NOPE&quantity=5").get_json()["ok"] is False
    refused = web.post(
        "/wholesale/order/pad", {"code-0": "Q-1", "quantity-0": "50", "code-1": "NOPE", "quantity-1": "5"}
    )
    assert refused.status_code == 200 and "Unknown product code “NOPE”." in refused.get_data(as_text=True)
    assert services.draft_of(organisation.id) is None  # nothing added
    accepted = web.post("/wholesale/order/pad", {"code-0": f"#{product.id}", "quantity-0": "50"})
    assert accepted.status_code == 302
    assert [ln.quantity for ln in services.draft_of(organisation.id).lines] == [50]


def test_saved_lists_from_the_draft(web) -> None:
    user, organisation = buyer()
    product = wholesale_product()
    fill_draft(organisation, [(product, 50)], user)
    web.sign_in(user)
    assert web.post("/wholesale/lists", {"name": "Nhập hàng tuần, cửa hàng 3"}).status_code == 302
    assert "Nhập hàng tuần, cửa hàng 3" in web.get("/wholesale/lists").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "//evil.example", "/\t/evil.example", "/%2F/evil.example"]
)
def test_adding_to_the_bulk_order_never_returns_to_another_site(web, target) -> None:
    user, _ = buyer("purchaser")
    product = wholesale_product(stock=500)
    db.session.commit()
    web.sign_in(user)
    response = web.post("/wholesale/order/add", {"product_id": product.id, "quantity": 50, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/wholesale/products"
