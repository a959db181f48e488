"""Product pictures: what an upload must be, and the pictures' order, cover and alt text.

An upload is opened with Pillow and accepted only if its real format (read from its content, not
its name or Content-Type) is JPEG, PNG or WebP, it holds at most `MAX_PIXELS` pixels (a small file
can expand to gigabytes: a decompression bomb), and it decodes completely. It is then re-encoded
into the site's sizes through `marketplace.storage`, which drops EXIF and anything hidden.
"""

from __future__ import annotations

import io
import secrets
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from marketplace import storage
from marketplace.catalog.models import Product, ProductImage
from marketplace.extensions import db
from marketplace.portal.services import ListingError, image_count, product_images

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any phone camera, far less than a bomb
MAX_PICTURES = 8
ALT_MAX = 200


def _refused(code: str, message: object) -> ListingError:
    return ListingError(code, message, "picture")


def decode_picture(data: bytes):
    """The picture in `data`, decoded and upright, or ListingError saying why it is refused."""
    if len(data) > MAX_FILE_BYTES:
        raise _refused("picture_too_large", _l("The file is larger than 8 MB."))
    if not data:
        raise _refused("picture_empty", _l("Choose a picture file."))
    with warnings.catch_warnings():
        # Pillow warns, then refuses, past its own pixel limit; treat its warning as a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise _refused("picture_format", _l("Upload a JPEG, PNG or WebP picture."))
            if image.width * image.height > MAX_PIXELS:
                raise _refused(
                    "picture_too_many_pixels", _l("The picture has too many pixels (at most 40 megapixels).")
                )
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _refused(
                "picture_too_many_pixels", _l("The picture has too many pixels (at most 40 megapixels).")
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise _refused(
                "picture_unreadable",
                _l("This file is not a picture we can read. Upload a JPEG, PNG or WebP picture."),
            ) from error
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    return image


def add_picture(product: Product, data: bytes, alt: str = "") -> ProductImage:
    """Store a new picture of `product` (the first one becomes the cover). Files are written
    before the row; if the row is not saved, the caller may remove them with `discard_files`."""
    existing = image_count(product.id)
    if existing >= MAX_PICTURES:
        raise _refused("too_many_pictures", _l("A product can have at most 8 pictures. Delete one first."))
    image = decode_picture(data)
    base = f"products/{product.id}/{secrets.token_hex(8)}"
    storage.save_image(base, image)
    position = db.session.scalar(
        select(func.coalesce(func.max(ProductImage.position), -1) + 1).where(
            ProductImage.product_id == product.id
        )
    )
    picture = ProductImage(
        product_id=product.id,
        storage_key=base,
        position=position,
        is_cover=existing == 0,
        alt=" ".join(alt.split())[:ALT_MAX],
        width=image.width,
        height=image.height,
    )
    db.session.add(picture)
    db.session.flush()
    return picture


def discard_files(storage_key: str) -> None:
    storage.delete_image(storage_key)


def set_cover(picture: ProductImage) -> None:
    for other in product_images(picture.product_id):
        other.is_cover = other.id == picture.id


def set_alt(picture: ProductImage, alt: str) -> None:
    alt = " ".join((alt or "").split())
    if len(alt) > ALT_MAX:
        raise ListingError(
            "alt_too_long", _l("The description may have at most %(n)d characters.", n=ALT_MAX), "alt"
        )
    picture.alt = alt


def move(picture: ProductImage, direction: str) -> None:
    """Swap the picture with its neighbour ("up" = earlier, "down" = later); positions are renumbered."""
    pictures = product_images(picture.product_id)
    index = next(i for i, p in enumerate(pictures) if p.id == picture.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(pictures):
        pictures[index], pictures[other] = pictures[other], pictures[index]
    for position, item in enumerate(pictures):
        item.position = position


def remove(picture: ProductImage, product: Product) -> str:
    """Delete the picture's row and return its storage key (the caller deletes the files after
    committing). A published product keeps at least one picture."""
    pictures = product_images(product.id)
    if product.status == "published" and len(pictures) == 1:
        raise _refused(
            "last_picture",
            _l(
                "A published product needs at least one picture. Add another first, or unpublish the product."
            ),
        )
    remaining = [p for p in pictures if p.id != picture.id]
    if picture.is_cover and remaining:
        remaining[0].is_cover = True
    for position, item in enumerate(remaining):
        item.position = position
    db.session.delete(picture)
    db.session.flush()
    return picture.storage_key
