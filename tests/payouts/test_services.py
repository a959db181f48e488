"""Payout rules to the đồng: lines from the ledger, commission and Decree 117 withholding at the
rates of each row's day in Vietnam, runs once per period end, refunds after a payout carried into
the next statement, marking paid, the bank batch and the withholding report."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.payouts import services as payouts
from marketplace.payouts.models import CommissionRate, PayoutLine, WithholdingRate
from marketplace.payouts.rates import MissingCommissionRate, share
from tests.factories import make_producer, make_product
from tests.orders.helpers import place
from tests.reports.helpers import pay_by_card, ship_and_deliver

TODAY = date(2026, 12, 4)


def _commission(channel: str, rate_bp: int, valid_from: date, valid_to: date | None = None) -> None:
    db.session.add(CommissionRate(channel=channel, rate_bp=rate_bp, valid_from=valid_from, valid_to=valid_to))


def _only_commission(rate_bp: int) -> None:
    db.session.execute(delete(CommissionRate))
    _commission("online", rate_bp, date(2025, 1, 1))
    _commission("supermarket", rate_bp, date(2025, 1, 1))
    db.session.flush()


def _figures(statement) -> tuple[int, int, int, int, int, int]:
    return (
        statement.gross_vnd,
        statement.commission_vnd,
        statement.vat_vnd,
        statement.pit_vnd,
        statement.brought_forward_vnd,
        statement.net_vnd,
    )


def _by_producer(run) -> dict:
    return {s.producer_id: s for s in payouts.run_or_none(run.id).statements}


def test_rounding_is_per_row_half_away_from_zero() -> None:
    assert (share(50, 100), share(49, 100), share(-50, 100), share(-49, 100)) == (1, 0, -1, 0)
    assert share(123_457, 250) == 3086 and share(98_765, 50) == 494 and share(0, 100) == 0


def test_a_run_to_the_dong_for_an_enterprise_and_a_household_with_a_refund_after_payout(
    app, rates, refunds
) -> None:
    _only_commission(250)  # 2.5 %
    enterprise = make_producer(entity_type="enterprise", tax_code="0101234567")
    household = make_producer(entity_type="household", tax_code="8012345678")
    soap = make_product(enterprise, price_vnd=123_457, stock=10)
    honey = make_product(household, price_vnd=98_765, stock=10)
    order = place([(soap, 1), (honey, 2)], method="card")
    pay_by_card(order, datetime(2026, 3, 2, 3, 0))

    first = payouts.run_payouts(date(2026, 3, 8), actor="admin 1", today=TODAY)
    db.session.commit()
    statements = _by_producer(first)
    # Enterprise: 123,457 − 2.5 % (3,086.425 → 3,086); no tax withheld.
    assert _figures(statements[enterprise.id]) == (123_457, 3_086, 0, 0, 0, 120_371)
    # Household: 197,530 − 4,938 (4,938.25) − VAT 1 % 1,975 (1,975.3) − PIT 0.5 % 988 (987.65).
    assert _figures(statements[household.id]) == (197_530, 4_938, 1_975, 988, 0, 189_629)
    assert {s.status for s in statements.values()} == {"due"}
    # The same period end again is the same run: nothing is paid out twice.
    assert payouts.run_payouts(date(2026, 3, 8), actor="admin 2", today=TODAY).id == first.id
    assert len(db.session.scalars(select(PayoutLine)).all()) == 2
    payouts.mark_paid(statements[household.id], paid_on=date(2026, 3, 9), bank_reference="FT2606812345")
    db.session.commit()

    # The household's part is refunded after it was paid out: a negative line in the next run.
    orders.reject_producer_order(
        order.producer_orders[1], f"producer {household.id}", "spoilt", now=datetime(2026, 3, 10, 2, 0)
    )
    db.session.commit()
    second = payouts.run_payouts(date(2026, 3, 15), actor="cron", today=TODAY)
    db.session.commit()
    statements = _by_producer(second)
    assert list(statements) == [household.id]  # the enterprise has nothing new
    refund_statement = statements[household.id]
    assert _figures(refund_statement) == (-197_530, -4_938, -1_975, -988, 0, -189_629)
    assert refund_statement.status == "carried_forward"
    with pytest.raises(payouts.StatementNotDue):
        payouts.mark_paid(refund_statement, paid_on=date(2026, 3, 16), bank_reference="X")

    # The next sale's statement starts from the negative balance.
    later = place([(honey, 3)], method="cod")
    ship_and_deliver(later.producer_orders[0], datetime(2026, 3, 20, 4, 0))
    third = payouts.run_payouts(date(2026, 3, 22), actor="cron", today=TODAY)
    db.session.commit()
    statement = _by_producer(third)[household.id]
    # 296,295 − 7,407 (7,407.375) − 2,963 (2,962.95) − 1,481 (1,481.475) − 189,629 brought forward.
    assert _figures(statement) == (296_295, 7_407, 2_963, 1_481, -189_629, 94_815)
    assert statement.status == "due" and refund_statement.carried_into_id == statement.id
    # Over the three runs the household is owed its 3 units kept, less commission and taxes.
    assert 189_629 + statement.net_vnd == 296_295 - 7_407 - 2_963 - 1_481

    assert payouts.withholding_report("2026-03") == [
        payouts.WithholdingRow(household.id, household.name, "8012345678", 296_295, 2_963, 1_481)
    ]
    assert [
        (w.month, w.revenue_vnd, w.vat_vnd, w.pit_vnd) for w in payouts.withheld_by_month(household.id)
    ] == [("2026-03", 296_295, 2_963, 1_481)]
    assert payouts.withheld_by_month(enterprise.id) == []
    assert [(c.month, c.channel, c.gross_vnd, c.commission_vnd) for c in payouts.commission_income()] == [
        ("2026-03", "online", 123_457 + 296_295, 3_086 + 7_407)
    ]


def test_rates_change_on_a_vietnam_date_with_rows_on_both_sides(app, rates) -> None:
    household = make_producer(entity_type="household")
    tea = make_product(household, price_vnd=100_000, stock=10)
    # From 1 July 2026 (hypothetical): commission 0 → 3 %, VAT withheld 1 % → 2 %.
    db.session.execute(delete(CommissionRate))
    _commission("online", 0, date(2025, 1, 1), date(2026, 6, 30))
    _commission("online", 300, date(2026, 7, 1))
    vat = db.session.scalars(select(WithholdingRate).where(WithholdingRate.tax_kind == "vat")).one()
    vat.valid_to = date(2026, 6, 30)
    db.session.add(
        WithholdingRate(
            entity_type="household",
            tax_kind="vat",
            rate_bp=200,
            valid_from=date(2026, 7, 1),
            legal_source="test",
        )
    )
    db.session.flush()
    before_decree, last_minute, first_minute = place([(tea, 1)]), place([(tea, 1)]), place([(tea, 1)])
    ship_and_deliver(before_decree.producer_orders[0], datetime(2025, 6, 30, 16, 59))  # 30 June 2025 23:59
    ship_and_deliver(last_minute.producer_orders[0], datetime(2026, 6, 30, 16, 59))  # 30 June 2026 23:59
    ship_and_deliver(first_minute.producer_orders[0], datetime(2026, 6, 30, 17, 0))  # 1 July 2026 00:00
    payouts.run_payouts(date(2026, 7, 1), actor="admin", today=TODAY)
    db.session.commit()
    lines = db.session.scalars(select(PayoutLine).order_by(PayoutLine.business_date)).all()
    assert [(str(x.business_date), x.commission_vnd, x.vat_vnd, x.pit_vnd, x.net_vnd) for x in lines] == [
        ("2025-06-30", 0, 0, 0, 100_000),  # before Decree 117: nothing withheld
        ("2026-06-30", 0, 1_000, 500, 98_500),
        ("2026-07-01", 3_000, 2_000, 500, 94_500),
    ]


def test_a_run_takes_rows_up_to_the_end_of_the_period_day_in_vietnam(app, rates) -> None:
    tea = make_product(price_vnd=100_000, stock=10)
    inside, outside = place([(tea, 1)]), place([(tea, 2)])
    ship_and_deliver(inside.producer_orders[0], datetime(2026, 3, 8, 16, 59))  # 8 March 23:59 in Vietnam
    ship_and_deliver(outside.producer_orders[0], datetime(2026, 3, 8, 17, 0))  # 9 March 00:00
    run = payouts.run_payouts(date(2026, 3, 8), actor="admin", today=TODAY)
    assert [s.gross_vnd for s in payouts.run_or_none(run.id).statements] == [100_000]
    with pytest.raises(payouts.PeriodInFuture):
        payouts.run_payouts(date(2026, 12, 5), actor="admin", today=TODAY)


def test_a_channel_without_a_commission_rate_stops_the_run(app) -> None:
    ship_and_deliver(place([(make_product(stock=5), 1)]).producer_orders[0], datetime(2026, 3, 1, 3, 0))
    with pytest.raises(MissingCommissionRate):
        payouts.run_payouts(date(2026, 3, 8), actor="admin", today=TODAY)


def test_bank_batch_lists_due_statements_with_an_account_and_the_rest_as_pending(app, rates) -> None:
    paid_to, no_account = make_producer(), make_producer()
    payouts.save_account(
        paid_to.id, bank_name="=Vietcombank", account_number="0011 0022 33", account_holder="HTX Tân Cương"
    )
    for producer, price in ((paid_to, 150_000), (no_account, 90_000)):
        ship_and_deliver(
            place([(make_product(producer, price_vnd=price, stock=5), 1)]).producer_orders[0],
            datetime(2026, 3, 1, 3, 0),
        )
    run = payouts.run_or_none(payouts.run_payouts(date(2026, 3, 8), actor="admin", today=TODAY).id)
    batch = payouts.bank_batch(run)
    assert [(b.producer.id, b.pending_reason) for b in batch] == [
        (paid_to.id, None),
        (no_account.id, "no bank account"),
    ]
    rows = list(csv.reader(io.StringIO(payouts.bank_batch_csv(run).decode("utf-8-sig"))))
    statement = batch[0].statement
    assert rows == [
        ["bank_name", "account_number", "account_holder", "amount_vnd", "transfer_note"],
        ["'=Vietcombank", "0011002233", "HTX Tân Cương", "150000", f"OCOP PAYOUT {statement.id}"],
    ]
    with pytest.raises(payouts.AccountIncomplete):
        payouts.save_account(no_account.id, bank_name="BIDV", account_number="12ab", account_holder="X")
    with pytest.raises(payouts.BankReferenceMissing):
        payouts.mark_paid(statement, paid_on=date(2026, 3, 9), bank_reference="  ")
    payouts.mark_paid(statement, paid_on=date(2026, 3, 9), bank_reference="FT1")
    assert (statement.status, statement.paid_on, statement.bank_reference) == (
        "paid",
        date(2026, 3, 9),
        "FT1",
    )
    assert [b.producer.id for b in payouts.bank_batch(run)] == [no_account.id]


def test_the_withholding_report_in_csv_and_xlsx_has_its_cells_neutralised(app, rates) -> None:
    household = make_producer(entity_type="household", name='=HYPERLINK("x")', tax_code="8000000001")
    make_producer(entity_type="enterprise")
    ship_and_deliver(
        place([(make_product(household, price_vnd=200_001, stock=5), 1)]).producer_orders[0],
        datetime(2026, 4, 30, 16, 59),
    )  # 30 April in Vietnam
    ship_and_deliver(
        place([(make_product(household, price_vnd=100_000, stock=5), 1)]).producer_orders[0],
        datetime(2026, 4, 30, 17, 0),
    )  # 1 May in Vietnam
    payouts.run_payouts(date(2026, 5, 31), actor="admin", today=TODAY)
    db.session.commit()
    # April: 200,001 → VAT 2,000 (2,000.01), PIT 1,000 (1,000.005).
    rows = list(csv.reader(io.StringIO(payouts.withholding_csv("2026-04").decode("utf-8-sig"))))
    assert rows == [
        list(payouts.WITHHOLDING_HEADER),
        ["8000000001", '\'=HYPERLINK("x")', "200001", "2000", "1000"],
    ]
    sheet = load_workbook(io.BytesIO(payouts.withholding_xlsx("2026-05"))).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        list(payouts.WITHHOLDING_HEADER),
        ["8000000001", '\'=HYPERLINK("x")', 100_000, 1_000, 500],
    ]


def test_the_cron_command_runs_a_period_end_once(app, rates) -> None:
    ship_and_deliver(
        place([(make_product(price_vnd=120_000, stock=5), 1)]).producer_orders[0], datetime(2026, 3, 1, 3, 0)
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["payouts", "run", "--period-end", "2026-03-08"])
    assert first.exit_code == 0 and "1 statement(s), 120000 VND due" in first.output
    again = runner.invoke(args=["payouts", "run", "--period-end", "2026-03-08"])
    assert again.exit_code == 0 and again.output.split(":")[0] == first.output.split(":")[0]
    assert len(db.session.scalars(select(PayoutLine)).all()) == 1
    future = runner.invoke(args=["payouts", "run", "--period-end", "2999-01-01"])
    assert future.exit_code == 1 and "cannot end after today" in future.output
