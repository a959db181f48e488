"""CSV export and import: Excel-friendly export, every error reported, all-or-nothing, update by SKU."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from marketplace.catalog.models import PriceTier, Product
from marketplace.extensions import db
from marketplace.portal import listings_csv
from marketplace.portal.models import StockAdjustment
from tests.factories import make_producer, make_product
from tests.portal.conftest import catalogue_snapshot, post_file

HEADER = (
    "sku,name,group,subgroup,unit,net_weight_g,price_vnd,stock,min_order_qty,case_pack,status,tiers,"
    "description"
)
GOOD_ROWS = [
    'CHE-1,Chè Tân Cương,food,tea,box,200,150000,20,10,5,draft,50:130000|100:120000,"Chè **ngon**, thơm"',
    "MAM-1,Nước mắm Phú Quốc,food,condiments,bottle,,85.000,40,,,,,",
]


def csv_file(*rows: str, header: str = HEADER, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\r\n".join([header.replace(",", delimiter), *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def post_import(portal, data: bytes):
    return post_file(portal, "/portal/import", "file", data, "products.csv")


def test_a_valid_file_creates_drafts_with_tiers(portal, producer) -> None:
    response = post_import(portal, csv_file(*GOOD_ROWS))
    assert response.status_code == 200
    assert "2 added, 0 updated, 0 unchanged" in response.get_data(as_text=True)
    products = {p.sku: p for p in db.session.scalars(select(Product))}
    assert set(products) == {"CHE-1", "MAM-1"}
    assert products["CHE-1"].description == "Chè **ngon**, thơm"
    assert products["MAM-1"].price_vnd == 85_000 and products["MAM-1"].net_weight_g is None
    assert all(p.status == "draft" and p.producer_id == producer.id for p in products.values())
    assert [
        tuple(t)
        for t in db.session.execute(
            select(PriceTier.min_quantity, PriceTier.unit_price_vnd).order_by(PriceTier.min_quantity)
        )
    ] == [(50, 130_000), (100, 120_000)]


@pytest.mark.parametrize(("delimiter", "bom"), [(";", False), (";", True), (",", True)])
def test_semicolons_and_a_byte_order_mark_are_accepted(portal, delimiter, bom) -> None:
    rows = ["CHE-1;Chè Tân Cương;food;tea;box;200;150.000;20;1;1;;;" if delimiter == ";" else GOOD_ROWS[0]]
    response = post_import(portal, csv_file(*rows, delimiter=delimiter, bom=bom))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.scalar(select(Product.price_vnd)) == 150_000


def test_reimporting_updates_by_sku_instead_of_duplicating(portal, producer) -> None:
    post_import(portal, csv_file(*GOOD_ROWS))
    changed = GOOD_ROWS[0].replace("150000,20", "160000,25")
    response = post_import(portal, csv_file(changed, GOOD_ROWS[1]))
    assert "0 added, 1 updated, 1 unchanged" in response.get_data(as_text=True)
    products = db.session.scalars(select(Product).order_by(Product.sku)).all()
    assert [(p.sku, p.price_vnd, p.stock) for p in products] == [
        ("CHE-1", 160_000, 25),
        ("MAM-1", 85_000, 40),
    ]
    counted = db.session.scalars(select(StockAdjustment).where(StockAdjustment.delta == 5)).one()
    assert (counted.reason, counted.stock_after, counted.note) == ("counted", 25, "CSV import")


def test_a_file_with_errors_reports_each_with_row_and_column_and_changes_nothing(portal, producer) -> None:
    make_product(producer, sku="CHE-1", price_vnd=99_000)
    db.session.commit()
    before = catalogue_snapshot()
    rows = [
        GOOD_ROWS[0],  # row 2: fine
        "BAD-1,ab,food,tea,box,,abc,-5,0,1,,,",  # row 3: name, price, stock, moq
        "BAD-2,Rượu cần,beverages,tea,barrel,,12.5,ten,,,,50:90000|20:80000,",  # row 4
        "BAD-3,Mật ong,food,fresh,jar,,100000,3,,,,50:120000,",  # row 5: tier above retail
        "CHE-1,Chè trùng mã,food,tea,box,,150000,1,,,,,",  # row 6: SKU twice in file
        "BAD-4,Gạo,grain,rice,kg,,1e9,1,,,,,",  # row 7
    ]
    response = post_import(portal, csv_file(*rows))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    for expected in (
        "Row 3, name:",
        "Row 3, price_vnd: Must be a whole number of đồng",
        "Row 3, stock: Must not be negative",
        "Row 3, min_order_qty: Must be at least 1",
        "Row 4, subgroup:",
        "Row 4, unit:",
        "Row 4, price_vnd:",
        "Row 4, stock:",
        "Row 5, tiers: Each wholesale price must be lower than the retail price",
        "Row 6, sku: This code (SKU) is already used in row 2",
        "Row 7, group:",
        "Row 7, price_vnd:",
    ):
        assert expected in page, expected
    assert "Row 2" not in page
    assert catalogue_snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00not utf8 \xe9", "not UTF-8"),
        (csv_file(header="sku,name,price_vnd"), "columns are missing"),
        (csv_file(), "holds no products"),
        (b"x" * (listings_csv.MAX_FILE_BYTES + 1), "larger than 2 MB"),
    ],
)
def test_an_unusable_file_is_refused_with_a_message(portal, data, message) -> None:
    before = catalogue_snapshot()
    response = post_import(portal, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert catalogue_snapshot() == before


def test_a_file_with_too_many_rows_is_refused(portal, monkeypatch) -> None:
    monkeypatch.setattr(listings_csv, "MAX_ROWS", 3)
    rows = [f"SKU-{n},Sản phẩm {n},food,tea,box,,100000,1,,,,," for n in range(5)]
    response = post_import(portal, csv_file(*rows))
    assert response.status_code == 400
    assert "at most 3 products" in response.get_data(as_text=True)
    assert db.session.scalar(select(Product.id)) is None


def test_the_export_opens_in_excel_and_imports_back_unchanged(portal, producer) -> None:
    assert (
        post_import(portal, csv_file(*GOOD_ROWS, "F-1,=cmd|calc,food,tea,box,,1000,1,,,,,-2+3")).status_code
        == 200
    )
    other = make_producer()
    make_product(other, sku="OTHER-1", name="Không phải của tôi")
    db.session.commit()
    response = portal.get("/portal/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["sku"] for r in rows] == ["CHE-1", "F-1", "MAM-1"]
    che = next(r for r in rows if r["sku"] == "CHE-1")
    assert (
        che["tiers"] == "50:130000|100:120000" and che["status"] == "draft" and che["price_vnd"] == "150000"
    )
    assert "OTHER-1" not in data.decode("utf-8-sig")
    formula = next(r for r in rows if r["sku"] == "F-1")
    assert formula["name"] == "'=cmd|calc" and formula["description"] == "'-2+3"
    before = catalogue_snapshot()
    response = post_import(portal, data)
    assert "0 added, 0 updated, 3 unchanged" in response.get_data(as_text=True)
    assert catalogue_snapshot() == before
