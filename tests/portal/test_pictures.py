"""Pictures: only real JPEG, PNG or WebP files of sensible size, re-encoded; order, cover, alt, delete."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace import storage
from marketplace.catalog.models import Product, ProductImage
from marketplace.extensions import db
from tests.factories import make_product
from tests.portal.conftest import catalogue_snapshot, decompression_bomb, picture_bytes, post_file


@pytest.fixture
def product(producer):
    product = make_product(producer, status="draft")
    db.session.commit()
    return product


def upload(portal, product, data: bytes, filename: str = "photo.jpg", alt: str = ""):
    return post_file(portal, f"/portal/products/{product.id}/pictures", "picture", data, filename, alt=alt)


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"]) / "products"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_picture_is_stored_in_every_size_as_webp_and_becomes_the_cover(portal, product, app, fmt) -> None:
    response = upload(portal, product, picture_bytes(fmt, (2400, 1600)), alt="Hộp chè")
    assert response.status_code == 302
    picture = db.session.scalar(select(ProductImage))
    assert picture.is_cover and picture.alt == "Hộp chè" and (picture.width, picture.height) == (2400, 1600)
    for size, longest in storage.IMAGE_SIZES.items():
        with Image.open(storage.path_for(storage.image_key(picture.storage_key, size))) as image:
            assert image.format == "WEBP"
            assert max(image.size) == longest


def test_exif_is_dropped(portal, product) -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 1.0, 0.0)}  # a GPS position
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (300, 200), "red").save(buffer, "JPEG", exif=exif)
    upload(portal, product, buffer.getvalue())
    picture = db.session.scalar(select(ProductImage))
    data = storage.path_for(storage.image_key(picture.storage_key, "full")).read_bytes()
    assert b"PhoneMaker" not in data and b"Exif" not in data


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"I am not a picture, just text pretending.\n" * 50, "photo.jpg", "not a picture we can read"),
        (b"GIF89a" + b"\x00" * 100, "photo.png", "not a picture we can read"),
        (picture_bytes("GIF"), "photo.gif", "Upload a JPEG, PNG or WebP"),
        (picture_bytes("BMP"), "photo.jpg", "Upload a JPEG, PNG or WebP"),
        (picture_bytes("JPEG")[:400], "broken.jpg", "not a picture we can read"),
        (decompression_bomb(), "bomb.png", "too many pixels"),
        (b"", "empty.jpg", "Choose a picture file"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    portal, product, app, data, filename, message
) -> None:
    before, files = catalogue_snapshot(), stored_files(app)
    response = upload(portal, product, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert catalogue_snapshot() == before
    assert stored_files(app) == files


@pytest.mark.parametrize("side", [7_000, 12_000, 30_000])
def test_bombs_are_refused_before_they_are_decoded(side) -> None:
    """49 MP: over the site's limit; 144 MP: Pillow warns; 900 MP: Pillow refuses to open it."""
    from marketplace.portal import pictures
    from marketplace.portal.services import ListingError

    bomb = decompression_bomb(side)
    assert len(bomb) < 200_000
    with pytest.raises(ListingError) as caught:
        pictures.decode_picture(bomb)
    assert caught.value.code == "picture_too_many_pixels"


def test_a_file_over_8_mb_is_refused_with_a_message(portal, product, app) -> None:
    big = picture_bytes("PNG", (20, 20)) + b"\x00" * (8 * 1024 * 1024)
    before = catalogue_snapshot()
    response = upload(portal, product, big, "big.png")
    assert response.status_code == 400
    assert "larger than 8 MB" in response.get_data(as_text=True)
    assert catalogue_snapshot() == before


def test_a_request_over_the_size_limit_gets_a_friendly_413_page(portal, product) -> None:
    response = upload(portal, product, b"\x00" * (17 * 1024 * 1024), "huge.jpg")
    assert response.status_code == 413
    assert "at most 8 MB" in response.get_data(as_text=True) or "tối đa 8 MB" in response.get_data(
        as_text=True
    )


def test_a_ninth_picture_is_refused(portal, product, app) -> None:
    for _ in range(8):
        assert upload(portal, product, picture_bytes("PNG", (40, 40)), "p.png").status_code == 302
    before = catalogue_snapshot()
    files = stored_files(app)
    response = upload(portal, product, picture_bytes("PNG", (40, 40)), "p.png")
    assert response.status_code == 400
    assert "at most 8 pictures" in response.get_data(as_text=True)
    assert catalogue_snapshot() == before
    assert stored_files(app) == files


def test_pictures_are_reordered_given_a_cover_described_and_deleted(portal, product, app) -> None:
    for _ in range(3):
        upload(portal, product, picture_bytes("PNG", (40, 40)), "p.png")
    first, second, third = db.session.scalars(select(ProductImage).order_by(ProductImage.position)).all()
    base = f"/portal/products/{product.id}/pictures"
    portal.post(f"{base}/{third.id}/move", {"direction": "up"})
    portal.post(f"{base}/{third.id}/cover")
    portal.post(f"{base}/{first.id}/alt", {"alt": "  Hộp   quà  "})
    db.session.expire_all()
    order = db.session.scalars(select(ProductImage.id).order_by(ProductImage.position)).all()
    assert order == [first.id, third.id, second.id]
    assert db.session.get(ProductImage, third.id).is_cover
    assert not db.session.get(ProductImage, first.id).is_cover
    assert db.session.get(ProductImage, first.id).alt == "Hộp quà"
    third_id, third_key = third.id, third.storage_key
    portal.post(f"{base}/{third_id}/delete")
    db.session.expire_all()
    assert db.session.get(ProductImage, third_id) is None
    assert db.session.get(ProductImage, first.id).is_cover  # the first remaining one takes over
    assert not storage.path_for(storage.image_key(third_key, "card")).exists()


def test_a_published_product_keeps_its_last_picture(portal, product) -> None:
    upload(portal, product, picture_bytes("PNG", (40, 40)), "p.png")
    portal.post(f"/portal/products/{product.id}/publish")
    picture = db.session.scalar(select(ProductImage))
    response = portal.post(
        f"/portal/products/{product.id}/pictures/{picture.id}/delete", follow_redirects=True
    )
    assert "needs at least one picture" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProductImage, picture.id) is not None
    assert db.session.get(Product, product.id).status == "published"
