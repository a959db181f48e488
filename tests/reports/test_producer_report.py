"""The producer's report: every figure to the đồng over the known sales of `tests/reports/world.py`
plus declarations in each state, on the page, in the CSV and in the XLSX; a producer sees only
its own figures."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from marketplace.extensions import db
from marketplace.reports import declarations, producer_report
from marketplace.reports.declarations import DeclaredFigures
from marketplace.reports.producer_report import Cell, InvalidPeriod, period_from_args
from marketplace.reports.queries import Figures, Period
from tests.factories import make_producer_member, make_user
from tests.orders.helpers import place
from tests.reports.helpers import ship_and_deliver
from tests.reports.world import build_sales_world

Q1 = Period.quarter(2026, 1)


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (the site's default is Vietnamese); pages ask for English by cookie."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def web(client):
    from tests.conftest import FormClient

    client.set_cookie("lang", "en")
    return FormClient(client)


def _declare(producer_id: int, month: str, channel: str, amount: int, decision: str | None, admin) -> None:
    declaration = declarations.declare(
        producer_id, None, DeclaredFigures(month, channel, str(amount)), today=date(2026, 12, 1)
    )
    if decision:
        declarations.decide(declaration, admin, decision, "" if decision == "accept" else "Thiếu chứng từ")


@pytest.fixture
def world(app, refunds):
    world = build_sales_world()
    admin = make_user("admin@example.vn", is_admin=True)
    a = world.a.id
    _declare(a, "2026-02", "ecommerce", 500_000, "accept", admin)
    _declare(a, "2026-02", "traditional_market", 300_000, "accept", admin)
    _declare(a, "2026-01", "export", 1_000_000, "reject", admin)  # not counted
    _declare(a, "2026-03", "direct", 200_000, None, admin)  # waiting: not counted
    _declare(a, "2025-03", "ecommerce", 50_000, "accept", admin)
    _declare(world.b.id, "2026-02", "ecommerce", 7_000_000, "accept", admin)  # another producer's
    last_year = place([(world.tea, 1)])
    ship_and_deliver(last_year.producer_orders[0], datetime(2025, 2, 10, 3, 0))
    db.session.commit()
    return world


def test_every_figure_of_the_report_to_the_dong(world) -> None:
    report = producer_report.producer_report(world.a.id, Q1)
    assert report.platform == Figures(1_020_000, 11, 3, 3)
    assert (report.declared_vnd, report.declared_modern_vnd) == (800_000, 500_000)
    assert report.platform_share == Fraction(1_020_000, 1_820_000)
    assert report.modern_share == Fraction(1_520_000, 1_820_000)
    assert (producer_report.percent(report.platform_share), producer_report.percent(report.modern_share)) == (
        "56.0 %",
        "83.5 %",
    )
    assert report.platform_channels == ["supermarket", "online"]
    assert report.declared_channels == ["ecommerce", "traditional_market"]
    assert [(m.month, m.platform, m.platform_total, m.declared, m.declared_total) for m in report.months] == [
        ("2026-01", {"online": Cell(200_000, 2)}, Cell(200_000, 2), {}, Cell()),
        (
            "2026-02",
            {"supermarket": Cell(720_000, 8), "online": Cell(250_000, 4)},
            Cell(970_000, 12),
            {"ecommerce": Cell(500_000, 0), "traditional_market": Cell(300_000, 0)},
            Cell(800_000, 0),
        ),
        ("2026-03", {"online": Cell(-150_000, -3)}, Cell(-150_000, -3), {}, Cell()),
    ]
    assert report.platform_by_channel == {
        "online": Figures(300_000, 3, 2, 2),
        "supermarket": Figures(720_000, 8, 1, 1),
    }
    assert report.declared_by_channel == {
        "ecommerce": Cell(500_000, 0),
        "traditional_market": Cell(300_000, 0),
    }
    assert [(p.label, p.figures) for p in report.top_products] == [
        ("Chè Shan Tuyết", Figures(1_020_000, 11, 3, 3)),
        ("Mật ong bạc hà", Figures(0, 0, 0, 0)),
    ]
    assert [(b.label, b.organisation, b.figures) for b in report.top_buyers] == [
        ("Siêu thị Xanh", True, Figures(720_000, 8, 1, 1)),
        ("Consumers (all together)", False, Figures(300_000, 3, 2, 2)),
    ]
    assert (report.last_year.platform, report.last_year.declared_vnd) == (Figures(100_000, 1, 1, 1), 50_000)


def test_a_month_end_at_2359_and_0000_vietnam_time(world) -> None:
    january = producer_report.producer_report(world.a.id, Period.month(2026, 1))
    february = producer_report.producer_report(world.a.id, Period.month(2026, 2))
    assert january.platform == Figures(200_000, 2, 1, 1)  # delivered 23:59 on 31 January
    assert [(m.month, m.platform_total) for m in february.months] == [("2026-02", Cell(970_000, 12))]
    assert february.platform.revenue_vnd == 970_000  # includes the part delivered at 00:00 on 1 February


def test_another_producer_reads_only_its_own_figures(world) -> None:
    report = producer_report.producer_report(world.b.id, Q1)
    assert report.platform == Figures(200_000, 1, 1, 1) and report.declared_vnd == 7_000_000
    assert [p.label for p in report.top_products] == ["Rượu làng Vân"]
    assert [b.label for b in report.top_buyers] == ["Consumers (all together)"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((None, None), Period.year(2026)),
        (("month", "2026-02"), Period.month(2026, 2)),
        (("quarter", "2026-q1"), Period.quarter(2026, 1)),
        (("year", "2025"), Period.year(2025)),
        (("custom", "", "2026-01-15", "2026-02-10"), Period.custom(date(2026, 1, 15), date(2026, 2, 10))),
    ],
)
def test_the_period_selector(args, expected) -> None:
    assert period_from_args(*args, today=date(2026, 12, 4)) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("month", "2026-13"),
        ("quarter", "2026-Q5"),
        ("year", "xx"),
        ("custom", "", "2026-02-10", "2026-01-15"),
        ("custom", "", "2020-01-01", "2026-01-01"),
        ("week", "1"),
    ],
)
def test_a_bad_period_is_refused(args) -> None:
    with pytest.raises(InvalidPeriod):
        period_from_args(*args)


# ---------------------------------------------------------------------------------------------
# The page and the exports


def _member(producer):
    user = make_producer_member(producer)
    db.session.commit()
    return user


def test_the_page_shows_the_figures_with_a_chart_and_its_table(world, web) -> None:
    web.client.set_cookie("lang", "vi")
    html = (
        web.sign_in(_member(world.a))
        .get("/portal/reports/?kind=quarter&value=2026-Q1")
        .get_data(as_text=True)
    )
    assert '<svg role="img"' in html and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    for figure in (
        "1.020.000 ₫",
        "970.000 ₫",
        "-150.000 ₫",
        "720.000 ₫",
        "800.000 ₫",
        "56,0 %",
        "83,5 %",
        "100.000 ₫",
        "50.000 ₫",
        "Siêu thị Xanh",
        "Chè Shan Tuyết",
    ):
        assert figure in html, figure
    assert "x@example.vn" not in html and "an@example.vn" not in html  # consumers are never named
    assert "7.000.000" not in html and "Rượu làng Vân" not in html  # producer B's figures


def test_csv_and_xlsx_exports_hold_the_same_figures(world, web) -> None:
    web.sign_in(_member(world.a))
    response = web.get("/portal/reports/export.csv?kind=quarter&value=2026-Q1")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["2026-02", "Platform", "Supermarket chains", "720000", "8"] in rows
    assert ["2026-02", "Declared", "Other e-commerce platforms", "500000", "0"] in rows
    assert ["2026-03", "Platform", "Online (consumers)", "-150000", "-3"] in rows
    assert ["Platform sales", "", "", "1020000", "11"] in rows
    response = web.get("/portal/reports/export.xlsx?kind=quarter&value=2026-Q1")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["2026-02", "Platform", "Supermarket chains", 720_000, 8] in values
    assert ["Declared sales (accepted)", None, None, 800_000, None] in values


def test_text_cells_of_the_exports_cannot_run_as_formulas(world, web) -> None:
    world.tea.name = '=HYPERLINK("http://evil.example")'
    db.session.commit()
    web.sign_in(_member(world.a))
    text = web.get("/portal/reports/export.csv?kind=quarter&value=2026-Q1").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    sheet = load_workbook(
        io.BytesIO(web.get("/portal/reports/export.xlsx?kind=year&value=2026").get_data())
    ).active
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_a_bad_period_falls_back_to_this_year_with_a_message(world, web) -> None:
    web.sign_in(_member(world.a))
    response = web.get("/portal/reports/?kind=month&value=2026-13")
    assert response.status_code == 200 and "Choose a valid period." in response.get_data(as_text=True)
    assert web.get("/portal/reports/export.csv?kind=month&value=2026-13").status_code == 400


def test_the_report_runs_a_fixed_number_of_statements_however_much_was_sold(world, count_queries) -> None:
    def statements() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            producer_report.producer_report(world.a.id, Q1)
        return counter.count

    before = statements()
    for day in range(1, 20):
        ship_and_deliver(place([(world.honey, 1)]).producer_orders[0], datetime(2026, 3, day, 3, 0))
    assert statements() == before <= 11
