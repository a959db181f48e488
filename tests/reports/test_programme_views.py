"""The programme pages as people see them: the dashboard's figures and exports, the targets form,
and the public page that shows no private sale."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from marketplace.extensions import db
from marketplace.reports import targets
from tests.factories import make_user
from tests.reports.programme_world import build_programme_world

Q1 = "start=2026-01&end=2026-03"


@pytest.fixture
def admin_web(app, web, refunds):
    build_programme_world()
    admin = make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    return web.sign_in(admin)


def test_the_dashboard_shows_each_figure_against_its_target(admin_web) -> None:
    page = admin_web.get(f"/admin/programme?{Q1}").get_data(as_text=True)
    assert "50.0 % (2 / 4)" in page  # modern channels on the platform: the target met exactly
    assert "1,770,000 ₫" in page or "1.770.000 ₫" in page
    assert "<meter" in page and "data:image/svg+xml;base64," in page
    assert "Quyết định 919/QĐ-TTg" in page


def test_the_dashboard_for_a_province_shows_its_own_target(admin_web) -> None:
    targets.set_province_target("ha-noi", 2026, "products_5star", 1, set_by_id=None)
    db.session.commit()
    page = admin_web.get(f"/admin/programme?{Q1}&province=ha-noi").get_data(as_text=True)
    assert "33.3 % (1 / 3)" in page
    assert "≥ 1 —" in page  # the province's own target for five-star products


def test_the_xlsx_export_holds_the_figures(admin_web) -> None:
    response = admin_web.get(f"/admin/programme.xlsx?{Q1}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["modern_channel_share"][2:5] == (50, 2, 4)
    assert rows["2026-02"][1] == 1_720_000


def test_the_csv_export_and_the_streamed_ledger(admin_web) -> None:
    csv_text = admin_web.get(f"/admin/programme.csv?{Q1}").get_data(as_text=True)
    assert "products_3plus," in csv_text and "2026-03,-150000,0" in csv_text
    ledger = admin_web.get(f"/admin/programme/ledger.csv?{Q1}").get_data(as_text=True).splitlines()
    assert ledger[0].lstrip("\ufeff").startswith("occurred_at_utc,kind")
    assert sum(int(line.rsplit(",", 1)[1]) for line in ledger[1:]) == 1_770_000
    assert ledger[1].startswith("2026-01-31 16:59:00,sale")


def test_the_drill_down_page_lists_the_producers(admin_web) -> None:
    page = admin_web.get(f"/admin/programme/producers?metric=modern_channel_share&{Q1}").get_data(
        as_text=True
    )
    assert "Công ty Rượu Vân" in page and "HTX Chè Hà Giang" in page and "Hộ Thuốc Nam" not in page


def test_the_drill_down_is_paged(admin_web, monkeypatch) -> None:
    from marketplace.reports import programme_views

    monkeypatch.setattr(programme_views, "DRILL_PAGE_SIZE", 1)
    url = f"/admin/programme/producers?metric=modern_channel_share&{Q1}"
    first = admin_web.get(url).get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert first.count("<tr data-producer=") == 1
    last = admin_web.get(url + "&page=9").get_data(as_text=True)  # past the end: the last page
    assert last.count("<tr data-producer=") == 1 and 'rel="prev"' in last and 'rel="next"' not in last
    names = {name for name in ("Công ty Rượu Vân", "HTX Chè Hà Giang") if name in first + last}
    assert len(names) == 2


def test_an_administrator_sets_a_province_target(admin_web) -> None:
    response = admin_web.post(
        "/admin/programme/targets",
        {"province": "ha-noi", "year": "2026", "metric": "new_products_3plus", "value": "60"},
    )
    assert response.status_code == 302
    assert targets.province_targets("ha-noi", 2026) == {"new_products_3plus": targets.Target("at_least", 60)}
    refused = admin_web.post(
        "/admin/programme/targets",
        {"province": "ha-noi", "year": "2026", "metric": "cooperative_share", "value": "140"},
    )
    assert refused.status_code == 422
    assert "cooperative_share" not in targets.province_targets("ha-noi", 2026)


def test_the_public_page_shows_aggregates_and_no_private_sale(app, client, refunds) -> None:
    build_programme_world()
    page = client.get(f"/programme?{Q1}").get_data(as_text=True)
    assert "1.720.000 ₫" in page or "1,720,000 ₫" in page  # February: five producers behind it
    for private in ("200.000", "200,000", "1.440.000", "1,440,000", "HTX Chè Hà Giang", "Công ty Rượu Vân"):
        assert private not in page  # January is one producer's sales; no producer is named
    assert "fewer than 3 producers" in page or "ít hơn 3" in page


@pytest.mark.parametrize("programme", ["99999999999999999999999", "-1", "abc", "0x10"])
def test_a_programme_id_that_names_nothing_shows_the_current_programme(admin_web, programme) -> None:
    """(Found by tests/test_hostile_input.py: a number beyond the id columns was a 500.)"""
    assert admin_web.get(f"/admin/programme?{Q1}&programme={programme}").status_code == 200
