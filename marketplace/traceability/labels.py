"""QR codes of a batch's public page (segno): inline SVG for the label sheet, SVG and PNG files in
print sizes. The QR code holds only the page's absolute URL on the site's own domain."""

from __future__ import annotations

import io

import segno

# Print sizes: the QR code's side at 300 dpi (20 mm, 30 mm, 50 mm).
PRINT_SIZES_MM = {"s": 20, "m": 30, "l": 50}
DPI = 300
ERROR_LEVEL = "m"  # recovers ~15 % damage: labels get scuffed


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg_inline(url: str, scale: int = 4) -> str:
    """An <svg> element for a page, with a title for screen readers."""
    return qr_code(url).svg_inline(scale=scale, title=url, omitsize=True)


def qr_svg(url: str, size: str = "m") -> bytes:
    """An SVG file whose width and height are the print size in millimetres."""
    buffer = io.BytesIO()
    code = qr_code(url)
    modules = code.symbol_size(scale=1)[0]
    code.save(buffer, kind="svg", scale=PRINT_SIZES_MM[size] / modules, unit="mm", title=url)
    return buffer.getvalue()


def qr_png(url: str, size: str = "m") -> bytes:
    """A PNG with at least the print size's pixels at 300 dpi (whole pixels per module)."""
    code = qr_code(url)
    modules = code.symbol_size(scale=1)[0]
    pixels = round(PRINT_SIZES_MM[size] / 25.4 * DPI)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, -(-pixels // modules)), dpi=DPI)
    return buffer.getvalue()
