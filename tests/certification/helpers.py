"""Files and form data for the certification tests."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from marketplace.timeutil import add_months, today_in_vietnam

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 90)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), (10, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def certificate_form(**changes) -> dict:
    """A valid 4-star certificate, issued six months ago at provincial level, with a PDF scan."""
    issued: date = changes.pop("issued_on", add_months(today_in_vietnam(), -6))
    data = {
        "star_class": "4",
        "score": "78",
        "certificate_number": "OCOP-TN-2026-0042",
        "issuing_level": "province",
        "issuing_decision": "Quyết định số 1187/QĐ-UBND của UBND tỉnh Thái Nguyên",
        "issued_on": issued.isoformat() if isinstance(issued, date) else issued,
        "scan": (io.BytesIO(changes.pop("scan_data", PDF)), changes.pop("scan_name", "chung-nhan.pdf")),
    }
    data.update(changes)
    return data
