"""Portal fixtures: a signed-in producer owner, picture bytes, a snapshot of the catalogue tables."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from marketplace.extensions import db
from tests.conftest import FormClient
from tests.factories import make_producer, make_producer_member


def picture_bytes(fmt: str = "JPEG", size: tuple[int, int] = (800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, fmt)
    return buffer.getvalue()


def decompression_bomb(side: int = 30_000) -> bytes:
    """A tiny PNG that claims side × side pixels (900 megapixels by default), mostly never stored."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * side
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def catalogue_snapshot() -> dict[str, list]:
    """Every row of the tables a listing change touches."""
    db.session.expire_all()
    names = ("products", "price_tiers", "product_images", "stock_adjustments")
    return {
        table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
        for table in db.metadata.sorted_tables
        if table.name in names
    }


@pytest.fixture
def producer(app):
    return make_producer(slug="htx-che", verification_status="verified")


@pytest.fixture
def owner(app, producer):
    user = make_producer_member(producer, email="owner@example.vn")
    db.session.commit()
    return user


@pytest.fixture
def portal(client, owner) -> FormClient:
    """The owner, signed in, reading the site in English (the messages tests look for)."""
    client.set_cookie("lang", "en")
    return FormClient(client).sign_in(owner)


def listing_form(**changes: str) -> dict[str, str]:
    """A valid new-product form, with `changes` applied."""
    data = {
        "sku": "CHE-100",
        "name": "Chè Tân Cương đặc biệt",
        "group": "food",
        "subgroup": "tea",
        "description": "Chè **thơm**.",
        "unit": "box",
        "net_weight": "200",
        "price": "150.000",
        "stock": "20",
        "min_order_qty": "10",
        "case_pack": "5",
        "low_stock_threshold": "5",
        "tiers-0-min_quantity": "50",
        "tiers-0-unit_price": "130000",
        "tiers-1-min_quantity": "100",
        "tiers-1-unit_price": "120000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_file(web: FormClient, url: str, field: str, data: bytes, filename: str, **fields: str):
    """POST a multipart form with one file. The body is encoded here, in memory: Werkzeug's test
    client would spool a large one to a temporary file that it never closes."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from tests.conftest import csrf_token

    boundary, body = encode_multipart(
        {
            "csrf_token": csrf_token(web.client),
            **fields,
            field: FileStorage(io.BytesIO(data), filename=filename),
        }
    )
    return web._request("POST", url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
