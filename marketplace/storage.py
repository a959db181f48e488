"""Stored files (product pictures, later certificate scans) behind one small interface.

Files live under `UPLOAD_DIR` (instance/uploads by default) and are served by the app at
`/media/<key>`. A cloud bucket can replace this module without touching its callers.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app, url_for

# The renditions the site shows, by longest side in pixels.
IMAGE_SIZES = {"thumb": 160, "card": 480, "full": 1200}


def _root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_for(key: str) -> Path:
    """The local path of `key`; refuses keys that would leave the upload directory."""
    root = _root().resolve()
    target = (root / key).resolve()
    if root not in target.parents:
        raise ValueError(f"bad storage key: {key!r}")
    return target


def save(key: str, data: bytes) -> None:
    """Store `data` under `key`, atomically (a reader never sees half a file)."""
    target = path_for(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)


def delete(key: str) -> None:
    path_for(key).unlink(missing_ok=True)


def image_key(base: str, size: str) -> str:
    return f"{base}-{size}.webp"


def image_url(base: str, size: str = "card") -> str:
    return url_for("catalog.media", key=image_key(base, size))


# ---------------------------------------------------------------------------------------------
# Private documents (certificate scans): stored apart from UPLOAD_DIR, which /media/ serves to
# anyone, and served only through views that check who asks.


def _documents_root() -> Path:
    configured = current_app.config.get("DOCUMENT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


def document_path(key: str) -> Path:
    """The local path of private document `key`; refuses keys that would leave its directory."""
    root = _documents_root().resolve()
    target = (root / key).resolve()
    if root not in target.parents:
        raise ValueError(f"bad document key: {key!r}")
    return target


def save_document(key: str, data: bytes) -> None:
    """Store a private document under `key`, atomically."""
    target = document_path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)


def read_document(key: str) -> bytes:
    return document_path(key).read_bytes()


def encode_renditions(image) -> dict[str, bytes]:
    """WebP bytes for every size in `IMAGE_SIZES`, scaled by the longest side (never enlarged).

    Encoding anew keeps only the pixels: EXIF (camera, GPS position) and anything appended to the
    original file are dropped."""
    import io

    from PIL import Image

    renditions = {}
    # Largest first, each scaled from the previous one: much faster than from the full picture.
    for size, longest in sorted(IMAGE_SIZES.items(), key=lambda item: -item[1]):
        if max(image.size) > longest:
            factor = max(image.size) // longest
            if factor >= 2:  # a cheap box reduction first, then a fine resample
                image = image.reduce(factor)
            scale = longest / max(image.size)
            if scale != 1:
                target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
                image = image.resize(target, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=80, method=0)
        renditions[size] = buffer.getvalue()
    return renditions


def save_image(base: str, image) -> None:
    """Store every rendition of `image` under `base` (see `image_key`)."""
    for size, data in encode_renditions(image).items():
        save(image_key(base, size), data)


def delete_image(base: str) -> None:
    for size in IMAGE_SIZES:
        delete(image_key(base, size))
