"""The programme dashboard's and public page's figures, to the đồng, on the known programme of
`programme_world.py` (January–March 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.extensions import db
from marketplace.reports import programme, targets
from marketplace.reports.check import check_ledger
from tests.reports.programme_world import build_programme_world

Q1 = programme.Period(date(2026, 1, 1), date(2026, 3, 1))


@pytest.fixture
def world(app, refunds):
    return build_programme_world()


def values(board: programme.Dashboard) -> dict[str, tuple[int, int | None]]:
    return {f.metric: (f.numerator, f.denominator) for f in board.figures}


def test_the_period_runs_from_midnight_in_vietnam(app) -> None:
    start, end = programme.Period.parse("2026-02", "2026-02").utc_bounds()
    assert (start.isoformat(), end.isoformat()) == ("2026-01-31T17:00:00", "2026-02-28T17:00:00")
    assert programme.Period.parse("2026-03", "2026-01") == Q1  # reversed months are swapped
    assert programme.Period.parse("junk", None, today=date(2026, 5, 9)) == programme.Period(
        date(2026, 1, 1), date(2026, 5, 1)
    )


def test_every_figure_of_the_national_dashboard(world) -> None:
    assert check_ledger().ok
    board = programme.dashboard(Q1)
    assert values(board) == {
        "products_3plus": (4, None),  # tea 4★, wine 5★, herb 3★, rice 3★
        "products_5star": (1, None),
        "new_products_3plus": (1, None),  # the herb, first certified 1 Feb 2026
        "modern_channel_share": (2, 4),  # P1 and P2 of P1, P2, P3, P7 (P3 refunded, P7 cancelled)
        "modern_channel_share_declared": (3, 4),  # and P3, by its accepted e-commerce declaration
        "cooperative_share": (1, 4),
        "enterprise_share": (2, 4),
        "circular_share": (1, 4),  # P7 is green verified but declared no circular practice
        "craft_village_share": (2, 3),  # Làng chè Hà Giang, Làng Vân (two producers); not Bát Tràng
    }
    assert board.programme.decision.startswith("Quyết định 919/QĐ-TTg")
    share = board.figure("modern_channel_share")
    assert (
        share.national == targets.Target("at_least", 50) and share.met(share.national) is True
    )  # exactly 50 %
    assert board.figure("cooperative_share").met(board.figure("cooperative_share").national) is False
    five = board.figure("products_5star")
    assert five.national.describe(False) == "400–500" and five.met(five.national) is False
    assert [(p.month, p.net_sales_vnd, p.producers, p.contributors) for p in board.trend] == [
        ("2026-01", 200_000, 1, 1),  # o1, delivered at 23:59 on 31 January
        ("2026-02", 1_720_000, 4, 5),  # 100.000 + 150.000 + 1.440.000 + 30.000 + (70.000 − 70.000)
        ("2026-03", -150_000, 0, 1),  # o3's refund; o7 (00:00 on 1 April) is outside
    ]
    assert board.net_sales_vnd == 1_770_000
    assert {
        r.key: (r.products_3plus, r.products_5star, r.ocop_producers, r.modern_producers, r.net_sales_vnd)
        for r in board.by_province
    } == {
        "tuyen-quang": (1, 0, 1, 1, 300_000),
        "ha-noi": (3, 1, 3, 1, 1_470_000),
    }
    assert {r.key: (r.products_3plus, r.net_sales_vnd) for r in board.by_group} == {
        "food": (2, 300_000),
        "beverages": (1, 1_440_000),
        "herbal": (1, 0),
        "handicrafts": (0, 30_000),
        "ornamental": (0, 0),
        "tourism": (0, 0),
    }
    assert {r.key: (r.products_3plus, r.net_sales_vnd) for r in board.by_star} == {
        "3": (2, 0),
        "4": (1, 300_000),
        "5": (1, 1_440_000),
        "—": (0, 30_000),
    }


def test_a_month_end_is_read_in_vietnam_time(world) -> None:
    january = programme.dashboard(programme.Period(date(2026, 1, 1), date(2026, 1, 1)))
    february = programme.dashboard(programme.Period(date(2026, 2, 1), date(2026, 2, 1)))
    assert january.net_sales_vnd == 200_000  # 23:59 on 31 January
    assert february.net_sales_vnd == 1_720_000  # 00:00 on 1 February counts in February
    assert values(february)["modern_channel_share"] == (3, 4)  # P1, P2 and P3 (its refund is in March)
    assert values(january)["products_3plus"] == (3, None)  # the herb is certified from 1 February
    assert values(january)["modern_channel_share"] == (1, 3)


def test_a_province_against_its_own_targets_and_the_national_ones(world, app) -> None:
    targets.set_province_target("ha-noi", 2026, "products_5star", 1, set_by_id=None)
    targets.set_province_target("ha-noi", 2026, "modern_channel_share", 40, set_by_id=None)
    db.session.commit()
    board = programme.dashboard(Q1, province="ha-noi")
    assert values(board)["products_3plus"] == (3, None)
    assert values(board)["modern_channel_share"] == (1, 3)
    five = board.figure("products_5star")
    assert (
        five.provincial == targets.Target("at_least", 1) and five.met(five.provincial) is True
    )  # met exactly
    share = board.figure("modern_channel_share")
    assert share.met(share.provincial) is False and share.met(share.national) is False
    assert board.net_sales_vnd == 1_470_000
    assert [p.net_sales_vnd for p in board.trend] == [0, 1_620_000, -150_000]


def test_a_producer_is_read_under_its_former_province(world) -> None:
    board = programme.dashboard(Q1, units="63")
    rows = {r.key: (r.label, r.products_3plus, r.net_sales_vnd) for r in board.by_province}
    assert rows["ha-giang"] == ("Hà Giang", 1, 300_000)
    assert "tuyen-quang" not in rows
    only = programme.dashboard(Q1, province="ha-giang", units="63")
    assert values(only)["modern_channel_share"] == (1, 1)
    assert only.net_sales_vnd == 300_000


def test_the_drill_down_lists_the_producers_behind_a_figure(world) -> None:
    rows = programme.drill_down(Q1, "modern_channel_share")
    assert [(r.name, r.net_sales_vnd) for r in rows] == [
        ("Công ty Rượu Vân", 1_440_000),
        ("HTX Chè Hà Giang", 300_000),
    ]
    assert {r.name for r in programme.drill_down(Q1, "craft_village_share")} == {
        "HTX Chè Hà Giang",
        "Công ty Rượu Vân",
        "Hộ Thuốc Nam",
    }
    assert {r.name for r in programme.drill_down(Q1, "modern_channel_share_declared")} == {
        "HTX Chè Hà Giang",
        "Công ty Rượu Vân",
        "Hộ Thuốc Nam",
    }  # P3 by its accepted declaration
    march = programme.Period(date(2026, 3, 1), date(2026, 3, 1))
    assert values(programme.dashboard(march))["modern_channel_share_declared"] == (0, 4)  # submitted only
    with pytest.raises(KeyError):
        programme.drill_down(Q1, "nonsense")


def test_the_public_figures_suppress_cells_under_three_producers(world) -> None:
    figures = programme.public_figures(Q1)
    by_province = {
        name: ({s: c.value for s, c in cells.items()}, total.value)
        for name, cells, total in figures.stars_by_province
    }
    assert by_province == {
        "Hà Nội": ({3: None, 4: None, 5: None}, 3),  # 3 products of 3 producers: shown; each class hidden
        "Tuyên Quang": ({3: None, 4: None, 5: None}, None),
    }
    assert all(c.suppressed for c in figures.stars_total.values())
    assert all(c.suppressed for _, c in figures.producers_by_type)
    assert figures.modern_percent is None  # 2 producers sold
    assert [(m, s.value, n.value) for m, s, n in figures.trend] == [
        ("2026-01", None, None),
        ("2026-02", 1_720_000, 4),
        ("2026-03", None, None),
    ]


def test_shares_meet_a_target_in_integers() -> None:
    at_least = targets.Target("at_least", 50)
    assert at_least.met_by(1, 2, is_share=True) and not at_least.met_by(49, 99, is_share=True)
    assert not at_least.met_by(0, 0, is_share=True)
    between = targets.Target("between", 400, 500)
    assert between.met_by(400) and between.met_by(500) and not between.met_by(501) and not between.met_by(399)


def test_seeding_the_national_targets_is_idempotent(app) -> None:
    assert targets.seed_national_targets() == 8
    assert targets.seed_national_targets() == 0
    (period,) = targets.periods()
    assert (period.start_year, period.end_year) == (2021, 2025)
    assert targets.national_targets(period)["products_3plus"] == targets.Target("at_least", 10_000)


@pytest.mark.parametrize(
    ("province", "year", "metric", "value"),
    [
        ("atlantis", 2026, "products_5star", 1),
        ("ha-noi", 2026, "nonsense", 1),
        ("ha-noi", 1999, "products_5star", 1),
        ("ha-noi", 2026, "cooperative_share", 101),
        ("ha-noi", 2026, "products_5star", -1),
    ],
)
def test_a_province_target_is_validated(app, province, year, metric, value) -> None:
    with pytest.raises(targets.TargetError):
        targets.set_province_target(province, year, metric, value, set_by_id=None)


def test_setting_a_province_target_again_replaces_it(app) -> None:
    targets.set_province_target("ha-noi", 2026, "new_products_3plus", 60, set_by_id=None)
    targets.set_province_target("ha-noi", 2026, "new_products_3plus", 65, set_by_id=None)
    assert targets.province_targets("ha-noi", 2026) == {"new_products_3plus": targets.Target("at_least", 65)}


def test_the_monthly_summaries_equal_the_ledger_after_every_rule(world) -> None:
    from marketplace.reports import summaries

    assert summaries.differences() == []
    summaries.rebuild()  # what the migration and the national generator do
    assert summaries.differences() == []
    board = programme.dashboard(Q1)
    assert board.net_sales_vnd == 1_770_000


def test_a_summary_that_drifts_from_the_ledger_is_reported(world) -> None:
    from sqlalchemy import update

    from marketplace.reports import summaries

    db.session.execute(
        update(summaries.SalesProducerMonth)
        .where(summaries.SalesProducerMonth.month == "2026-01")
        .values(amount_vnd=1)
    )
    assert summaries.differences() == [
        "producer month ('2026-01', 1, 'online'): ledger (200000, 2), summary (1, 2)"
    ]


def test_ledger_check_reports_summary_drift(world, app) -> None:
    from sqlalchemy import update

    from marketplace.reports import summaries

    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0
    db.session.execute(update(summaries.SalesCellMonth).values(amount_vnd=0))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and "cell month" in result.output


def test_the_kept_catalogue_follows_a_new_certificate_and_a_producer_change(world) -> None:
    """The catalogue's side of the dashboard is kept per catalogue version and date: a certificate
    added, a producer no longer verified, are in the next figures at once."""
    from tests.factories import make_certificate, make_product

    assert values(programme.dashboard(Q1))["products_3plus"] == (4, None)
    vase = make_product(world.producers["p4"], group_code="handicrafts", subgroup_code="crafts")
    make_certificate(vase, 5, issued_on=date(2026, 3, 1))
    db.session.commit()
    board = values(programme.dashboard(Q1))
    assert board["products_3plus"] == (5, None) and board["products_5star"] == (2, None)
    assert board["new_products_3plus"] == (2, None)
    assert board["cooperative_share"] == (2, 5)  # P4, a cooperative, is now an OCOP producer
    world.producers["p7"].verification_status = "pending"
    db.session.commit()
    board = values(programme.dashboard(Q1))
    assert board["products_3plus"] == (4, None) and board["enterprise_share"] == (1, 4)
    assert [r.name for r in programme.drill_down(Q1, "enterprise_share")] == ["Công ty Rượu Vân"]


def test_the_dashboard_follows_new_ledger_rows_and_declarations(world) -> None:
    """Sales are summed at each request from the summaries kept in the ledger's transaction: a
    new sale, a cancellation and a newly accepted declaration show at once."""
    from datetime import datetime

    from marketplace.catalog.models import Product
    from marketplace.orders import services as orders
    from marketplace.reports import declarations
    from tests.orders.helpers import place
    from tests.reports.helpers import pay_by_card

    before = programme.dashboard(Q1)
    assert values(before)["modern_channel_share"] == (2, 4)
    rice = db.session.query(Product).filter_by(producer_id=world.producers["p7"].id).one()
    order = place([(rice, 2)], method="card")
    pay_by_card(order, datetime(2026, 3, 5, 3, 0))
    after = programme.dashboard(Q1)
    assert values(after)["modern_channel_share"] == (3, 4)  # P7 now sold 140.000 net
    assert after.net_sales_vnd == before.net_sales_vnd + 140_000
    assert after.trend[2].net_sales_vnd == before.trend[2].net_sales_vnd + 140_000
    orders.cancel_order(order, "customer", "", now=datetime(2026, 3, 6, 3, 0))
    db.session.commit()
    again = programme.dashboard(Q1)
    assert values(again)["modern_channel_share"] == (2, 4)
    assert again.net_sales_vnd == before.net_sales_vnd
    declaration = declarations.declare(
        world.producers["p7"].id,
        None,
        declarations.DeclaredFigures("2026-03", "ecommerce", "10000"),
        today=date(2026, 5, 10),
    )
    db.session.commit()
    assert values(programme.dashboard(Q1))["modern_channel_share_declared"] == (3, 4)  # not accepted yet
    from marketplace.accounts.models import User

    reviewer = db.session.query(User).filter_by(email="reviewer@example.vn").one()
    declarations.decide(declaration, reviewer, "accept")
    db.session.commit()
    assert values(programme.dashboard(Q1))["modern_channel_share_declared"] == (4, 4)
    drill = {r.name for r in programme.drill_down(Q1, "modern_channel_share_declared")}
    assert "Công ty Gạo" in drill


def test_the_ledger_version_rises_with_every_flush_that_adds_ledger_rows(world) -> None:
    from datetime import datetime

    from marketplace.catalog.models import Product
    from tests.orders.helpers import place
    from tests.reports.helpers import pay_by_card

    before = programme.ledger_version()
    assert before > 0  # the world's sales raised it
    rice = db.session.query(Product).filter_by(producer_id=world.producers["p7"].id).one()
    order = place([(rice, 1)], method="card")
    assert programme.ledger_version() == before  # placing an order writes no ledger row
    pay_by_card(order, datetime(2026, 3, 5, 3, 0))
    assert programme.ledger_version() == before + 1
    kept = programme.dashboard(Q1)
    assert programme.dashboard(Q1).figures == kept.figures  # read again from the kept sums
