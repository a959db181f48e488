"""Reading a bulk order from a CSV file, as Excel and other spreadsheets write it.

Format: `code,quantity[,delivery_location]`, one product per line.
- UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one).
- Comma or semicolon between cells (Excel uses a semicolon where the decimal mark is a comma):
  the first non-blank line decides.
- A header line is optional: the first line is a header when its quantity cell holds no digit
  and one of its cells is a column name ("sku", "code", "quantity", "mã", "số lượng", ...).
- Blank lines are ignored; line numbers in the report are the file's own.
- At most 5,000 product lines.

The product code is read by `marketplace.wholesale.codes` (SKU, producer-slug/SKU, or #id); the
delivery location is the name of one of the organisation's locations (case-insensitive).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from marketplace.text import fold

MAX_LINES = 5_000
MAX_BYTES = 2 * 1024 * 1024
_INTEGER = re.compile(r"[+]?\d{1,9}")


@dataclass(frozen=True)
class CsvRow:
    line_no: int
    code: str
    quantity_text: str
    location_name: str = ""

    @property
    def quantity(self) -> int | None:
        """The quantity, accepting Excel's thousands separators ("1.000", "1,000", "1 000")."""
        text = (
            re.sub(r"[\s.,\u00a0]", "", self.quantity_text)
            if re.fullmatch(r"\d{1,3}([.,\s\u00a0]\d{3})+", self.quantity_text)
            else self.quantity_text
        )
        return int(text) if _INTEGER.fullmatch(text) else None


@dataclass
class ParsedCsv:
    rows: list[CsvRow] = field(default_factory=list)
    error: str | None = None  # a problem with the whole file (code of messages.FILE_ERRORS)
    error_params: dict = field(default_factory=dict)
    had_header: bool = False


def normalise_name(text: str) -> str:
    """Names compared as people mean them: Unicode NFC (Excel may write decomposed accents),
    case-insensitive, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_HEADER_WORDS = {
    "sku",
    "code",
    "product",
    "product code",
    "quantity",
    "qty",
    "delivery location",
    "location",
    "ma",
    "ma sku",
    "ma san pham",
    "so luong",
    "sl",
    "dia diem giao hang",
    "noi giao",
}


def _is_header(cells: list[str]) -> bool:
    return not re.search(r"\d", cells[1]) and any(fold(cell) in _HEADER_WORDS for cell in cells[:3])


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def parse_order_csv(data: bytes) -> ParsedCsv:
    if len(data) > MAX_BYTES:
        return ParsedCsv(error="file_too_large", error_params={"max_mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedCsv(error="not_utf8")
    text = unicodedata.normalize("NFC", text)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip(" \t,;")), None)
    if first is None:
        return ParsedCsv(error="empty_file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    parsed = ParsedCsv()
    seen_data = False
    for cells in reader:
        line_no = reader.line_num
        cells = [cell.strip() for cell in cells]
        if not any(cell.strip(" ,;\t") for cell in cells):  # Excel writes empty rows as ";;"
            continue
        cells += [""] * (3 - len(cells))
        row = CsvRow(line_no, cells[0], cells[1], cells[2])
        if not seen_data:
            seen_data = True
            if _is_header(cells):
                parsed.had_header = True
                continue
        parsed.rows.append(row)
        if len(parsed.rows) > MAX_LINES:
            return ParsedCsv(error="too_many_lines", error_params={"max": MAX_LINES})
    if not parsed.rows:
        parsed.error = "empty_file"
    return parsed
