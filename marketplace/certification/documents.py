"""Scans of certificates and decisions: a PDF, or a picture that Pillow opens and re-encodes.

What is stored is never the upload as such unless it is a PDF (checked by its signature); a
picture is decoded and written again, which drops EXIF and anything appended to the file.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace import storage
from marketplace.domain import DomainError

MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_SCAN_PIXELS = 40_000_000  # a 300 dpi A3 page is 17 million; more is a decompression bomb
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


class InvalidScan(DomainError):
    code = "invalid_scan"


@dataclass(frozen=True)
class Scan:
    data: bytes
    media_type: str
    extension: str


def read_limited(stream, limit: int = MAX_SCAN_BYTES) -> bytes:
    """Up to `limit` + 1 bytes of `stream`: enough to tell that a file is too big without reading it all."""
    return stream.read(limit + 1)


def check_scan(data: bytes) -> Scan:
    """The scan to store for an uploaded file, or InvalidScan saying what is wrong with it."""
    if not data:
        raise InvalidScan(_("The file is empty."))
    if len(data) > MAX_SCAN_BYTES:
        raise InvalidScan(_("The scan is larger than 10 MB. Scan at a lower resolution or compress the PDF."))
    if data.startswith(b"%PDF-"):
        return Scan(data=data, media_type="application/pdf", extension="pdf")
    return _reencoded_image(data)


def _reencoded_image(data: bytes) -> Scan:
    not_a_scan = InvalidScan(_("Upload the scan as a PDF, or as a JPEG, PNG or WebP picture."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise not_a_scan
                if image.width * image.height > MAX_SCAN_PIXELS:
                    raise InvalidScan(_("The picture has too many pixels. Scan at a lower resolution."))
                image.load()
                source_format = image.format
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if source_format == "PNG" or (image.mode in ("RGBA", "LA", "P") and source_format != "JPEG"):
                    image.save(out, format="PNG", optimize=True)
                    return Scan(data=out.getvalue(), media_type="image/png", extension="png")
                image.convert("RGB").save(out, format="JPEG", quality=90)
                return Scan(data=out.getvalue(), media_type="image/jpeg", extension="jpg")
    except InvalidScan:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise not_a_scan from error


def store_scan(scan: Scan, folder: str) -> str:
    """Stores `scan` as a private document; returns its key."""
    key = f"{folder}/{uuid.uuid4().hex}.{scan.extension}"
    storage.save_document(key, scan.data)
    return key
