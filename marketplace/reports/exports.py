"""The one CSV writer and the one XLSX writer of every export (the producer report, the programme
dashboard, the payouts' withholding report and bank batch).

Both neutralise every text cell against formula injection with `text.spreadsheet_safe` (a
leading = + - @ gets a quote), so a name typed as `=HYPERLINK(...)` reaches a spreadsheet as
text; the XLSX writer also types every text cell as a string, never a formula. Numbers stay
numbers (VND with a thousands separator in XLSX). Neutralising twice changes nothing."""

from __future__ import annotations

import csv
import io

from marketplace.text import spreadsheet_safe


def _safe(value: object) -> object:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_bytes(rows: list[list[object]] | list[tuple[object, ...]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read Vietnamese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_safe(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[object]] | list[tuple[object, ...]], title: str) -> bytes:
    """One sheet named `title` (at most 31 characters, as Excel allows)."""
    from openpyxl import Workbook  # only the exports need it
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_safe(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text begins with
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "#,##0"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
