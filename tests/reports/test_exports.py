"""Every CSV and XLSX export: one writer each (`reports/exports.py`), which neutralises every
text cell against formula injection (= + - @ at the start) and types XLSX text as strings."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from marketplace.reports import exports

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+41 22",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
]
MARKETPLACE = Path(__file__).resolve().parents[2] / "marketplace"
# Where a CSV or XLSX file is written: the shared writers, and the producer's listings export
# (columns that round-trip through its import, which removes the quote again; tests/portal).
WRITERS = {"reports/exports.py", "portal/listings_csv.py"}
# Every route that answers with a spreadsheet, and the test that checks its cells.
EXPORT_ROUTES = {
    "/portal/reports/export.<any(csv, xlsx):fmt>": "tests/reports/test_producer_report.py",
    "/admin/programme.<any(csv, xlsx):kind>": "tests/reports/test_programme_views.py",
    "/admin/programme/ledger.csv": "tests/reports/test_programme_views.py (codes and numbers only)",
    "/admin/payouts/withholding.csv": "tests/payouts/test_services.py",
    "/admin/payouts/withholding.xlsx": "tests/payouts/test_services.py",
    "/admin/payouts/runs/<int:run_id>/bank-batch.csv": "tests/payouts/test_services.py",
    "/portal/export.csv": "tests/portal/test_csv.py",
}


def _rows() -> list[list[object]]:
    return [["label", "amount"], *[[text, 150_000] for text in FORMULAS], ["Chè Tân Cương", -5]]


def test_the_csv_writer_neutralises_every_text_cell_and_keeps_numbers() -> None:
    read = list(csv.reader(io.StringIO(exports.csv_bytes(_rows()).decode("utf-8-sig"))))
    assert [row[0] for row in read[1:-1]] == ["'" + text for text in FORMULAS]
    assert read[-1] == ["Chè Tân Cương", "-5"] and read[1][1] == "150000"
    # Neutralising twice changes nothing (callers that already did keep their text).
    assert exports.csv_bytes([["'=1+1"]]) == exports.csv_bytes([["=1+1"]])


def test_the_xlsx_writer_neutralises_text_types_it_as_strings_and_keeps_numbers() -> None:
    sheet = load_workbook(
        io.BytesIO(exports.xlsx_bytes(_rows(), "A title longer than Excel allows here"))
    ).active
    assert sheet.title == "A title longer than Excel allow"
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert [row[0].value for row in cells[:-1]] == ["'" + text for text in FORMULAS]
    assert all(row[0].data_type == "s" for row in cells)
    assert [row[1].value for row in cells] == [150_000] * len(FORMULAS) + [-5]
    assert all(row[1].data_type == "n" for row in cells)


def test_no_module_writes_a_spreadsheet_but_the_shared_writers() -> None:
    writing = re.compile(r"csv\.(writer|DictWriter)\(|Workbook\(")
    found = {
        str(path.relative_to(MARKETPLACE))
        for path in MARKETPLACE.rglob("*.py")
        if writing.search(path.read_text(encoding="utf-8"))
    }
    assert found == WRITERS


def test_every_export_route_is_known_with_the_test_of_its_cells(app) -> None:
    """A new CSV or XLSX route fails here until it is listed (and uses the shared writers)."""
    routes = {
        rule.rule for rule in app.url_map.iter_rules() if re.search(r"(\.csv|\.xlsx|csv, xlsx)", rule.rule)
    }
    assert routes == set(EXPORT_ROUTES)


@pytest.mark.parametrize("text", FORMULAS)
def test_each_formula_prefix_is_neutralised(text) -> None:
    assert exports.csv_bytes([[text]]).decode("utf-8-sig").strip().strip('"').startswith("'")
