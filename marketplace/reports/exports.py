"""The one CSV writer of the reports' exports."""

from __future__ import annotations

import csv
import io


def csv_bytes(rows: list[list[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read Vietnamese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
