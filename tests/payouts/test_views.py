"""Payout pages: the producer's own statements and withheld tax, the administrator's run, mark
paid, bank batch and exports — each figure as shown, to the đồng."""

from __future__ import annotations

import re
from datetime import date, datetime

from marketplace.extensions import db
from marketplace.payouts import services as payouts
from marketplace.payouts.models import PayoutStatement
from marketplace.timeutil import today_in_vietnam
from tests.factories import make_producer, make_producer_member, make_product, make_user
from tests.orders.helpers import place
from tests.reports.helpers import ship_and_deliver


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _in_english(web) -> None:
    web.post("/language", data={"lang": "en", "next": "/"})


def _household_with_sale() -> tuple:
    household = make_producer(entity_type="household", tax_code="8012345678", name="Hộ Nguyễn")
    owner = make_producer_member(household, email="owner@example.vn")
    ship_and_deliver(
        place([(make_product(household, price_vnd=98_765, stock=5), 2)]).producer_orders[0],
        datetime(2026, 3, 2, 3, 0),
    )
    return household, owner


def test_the_producer_sees_its_own_statement_and_withheld_tax_and_not_anothers(app, rates, web) -> None:
    household, owner = _household_with_sale()
    other = make_producer()
    ship_and_deliver(
        place([(make_product(other, price_vnd=50_000, stock=5), 1)]).producer_orders[0],
        datetime(2026, 3, 2, 3, 0),
    )
    run = payouts.run_payouts(date(2026, 3, 8), actor="admin")
    db.session.commit()
    mine, theirs = sorted(payouts.run_or_none(run.id).statements, key=lambda s: s.producer_id != household.id)
    web.sign_in(owner)
    _in_english(web)
    page = _text(web.get("/portal/payouts"))
    # 197,530 gross, VAT 1,975, PIT 988 (launch period: no commission), owed 194,567.
    assert "197,530 ₫" in page and "194,567 ₫" in page and "2,963 ₫" in page
    assert "No bank account yet" in page
    detail = _text(web.get(f"/portal/payouts/{mine.id}"))
    assert "1,975 ₫" in detail and "988 ₫" in detail and "194,567 ₫" in detail
    pdf = web.get(f"/portal/payouts/{mine.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert web.get(f"/portal/payouts/{theirs.id}").status_code == 404
    assert web.get(f"/portal/payouts/{theirs.id}.pdf").status_code == 404


def test_the_producer_saves_its_bank_account(app, rates, web) -> None:
    household, owner = _household_with_sale()
    db.session.commit()
    web.sign_in(owner)
    refused = web.post(
        "/portal/payouts/account",
        data={"bank_name": "BIDV", "account_number": "12-ab", "account_holder": "Hộ Nguyễn"},
    )
    assert refused.status_code == 400 and payouts.account(household.id) is None
    saved = web.post(
        "/portal/payouts/account",
        data={"bank_name": "BIDV", "account_number": "1234 5678", "account_holder": "Hộ Nguyễn"},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert payouts.account(household.id).account_number == "12345678"


def test_the_administrator_runs_payouts_marks_one_paid_and_exports(app, rates, web) -> None:
    household, _owner = _household_with_sale()
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    web.sign_in(admin)
    _in_english(web)
    response = web.post("/admin/payouts/runs", data={"period_end": "2026-03-08"})
    assert response.status_code == 302
    run_url = response.headers["Location"]
    again = web.post("/admin/payouts/runs", data={"period_end": "2026-03-08"})
    assert again.headers["Location"] == run_url  # the same run: once per period end
    future = web.post("/admin/payouts/runs", data={"period_end": "2099-01-01"})
    assert future.status_code == 302 and future.headers["Location"].endswith("/admin/payouts")
    run_page = _text(web.get(run_url))
    assert "194,567 ₫" in run_page and "no bank account" in run_page
    statement = db.session.query(PayoutStatement).one()
    batch = web.get(run_url + "/bank-batch.csv").get_data(as_text=True)
    assert batch.splitlines()[1:] == []  # no account: pending, not in the batch
    assert (
        web.post(f"/admin/payouts/statements/{statement.id}/paid", data={"paid_on": "2026-03-09"}).status_code
        == 400
    )
    paid = web.post(
        f"/admin/payouts/statements/{statement.id}/paid",
        data={"paid_on": "2026-03-09", "bank_reference": "FT26068"},
    )
    assert paid.status_code == 302
    db.session.expire_all()
    statement = db.session.get(PayoutStatement, statement.id)
    assert (statement.status, statement.paid_on, statement.bank_reference) == (
        "paid",
        date(2026, 3, 9),
        "FT26068",
    )
    index = _text(web.get("/admin/payouts"))
    assert "Hộ Nguyễn" in index and "197,530 ₫" in index  # commission income table: gross of March
    report = _text(web.get("/admin/payouts/withholding?month=2026-03"))
    assert "8012345678" in report and "1,975 ₫" in report and "988 ₫" in report
    csv_text = web.get("/admin/payouts/withholding.csv?month=2026-03").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[1] == "8012345678,Hộ Nguyễn,197530,1975,988"
    xlsx = web.get("/admin/payouts/withholding.xlsx?month=2026-03")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert today_in_vietnam() >= date(2026, 3, 8)


def test_the_payout_pages_take_a_fixed_number_of_queries(app, rates, web, count_queries) -> None:
    admin = make_user("admin@example.vn", is_admin=True)

    def pages() -> list[int]:
        counts = []
        web.sign_in(admin)
        for url in ("/admin/payouts", f"/admin/payouts/runs/{run_id}"):
            with count_queries() as counter:
                assert web.get(url).status_code == 200
            counts.append(counter.count)
        web.sign_in(owner)
        with count_queries() as counter:
            assert web.get("/portal/payouts").status_code == 200
        counts.append(counter.count)
        return counts

    household, owner = _household_with_sale()
    run_id = payouts.run_payouts(date(2026, 3, 8), actor="admin").id
    db.session.commit()
    one = pages()
    for _ in range(3):  # more producers, statements and runs: the same number of queries
        producer = make_producer()
        ship_and_deliver(
            place([(make_product(producer, stock=5), 1)]).producer_orders[0], datetime(2026, 3, 3, 3, 0)
        )
    ship_and_deliver(
        place([(make_product(household, stock=5), 1)]).producer_orders[0], datetime(2026, 3, 9, 3, 0)
    )
    payouts.run_payouts(date(2026, 3, 9), actor="admin")
    db.session.commit()
    run_id = payouts.runs()[0].id
    assert pages() == one
