"""An administrator reads the programme dashboard: changes the period and the province, drills
down to the producers behind a figure, and downloads the XLSX, whose figure is checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.payments import stripe_gateway
from tests.factories import PASSWORD, make_user
from tests.reports.programme_world import build_programme_world

pytestmark = pytest.mark.e2e


def test_an_administrator_reads_the_programme_dashboard(
    page: Page, live_server: str, app, monkeypatch
) -> None:
    monkeypatch.setattr(stripe_gateway, "refund", lambda **kwargs: "re_1")
    monkeypatch.setattr(stripe_gateway, "cancel_payment_intent", lambda payment_intent_id: None)
    build_programme_world()
    make_user("admin@example.vn", is_admin=True)
    db.session.commit()
    page.goto(live_server + "/account/login")
    page.locator("input[name=email]").fill("admin@example.vn")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(live_server + "/admin/programme")
    page.locator("input[name=start]").fill("2026-01")
    page.locator("input[name=end]").fill("2026-03")
    page.locator("select[name=province]").select_option("ha-noi")
    page.locator(".programme-filters button[type=submit]").click()
    share = page.locator("tr[data-metric=modern_channel_share] .figure-value")
    expect(share).to_have_text("33.3 % (1 / 3)")

    page.locator("select[name=province]").select_option("")
    page.locator(".programme-filters button[type=submit]").click()
    expect(share).to_have_text("50.0 % (2 / 4)")

    page.locator("tr[data-metric=modern_channel_share] a.drill").click()
    expect(page.locator("table.programme-drill tbody tr")).to_have_count(2)
    expect(page.locator("table.programme-drill")).to_contain_text("Công ty Rượu Vân")
    page.go_back()

    with page.expect_download() as download_info:
        page.locator("#export-xlsx").click()
    data = Path(download_info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["modern_channel_share"][3:5] == (2, 4)
