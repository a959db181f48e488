"""The demo's data files: a product is a line of products.csv, and a wrong line is named."""

from __future__ import annotations

import shutil
from importlib.resources import as_file
from pathlib import Path

import pytest

from marketplace import demo
from marketplace.demo.data import DATA_DIRECTORY, DemoDataError, catalogue, read_catalogue

NEW_PRODUCT = (
    "htx-che-tan-cuong-xanh,Chè búp Tân Cương túi lọc,Tan Cuong tea bags,"
    "food,tea,box,50,60000,30,published,1,1,,1,"
    '"Trà túi lọc từ búp chè Tân Cương.\\n\\n- 25 túi, 2 g mỗi túi"\n'
)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the demo's data files to edit."""
    with as_file(DATA_DIRECTORY) as source:
        shutil.copytree(source, tmp_path / "data")
    return tmp_path / "data"


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(line)


def test_the_data_files_ship_inside_the_package() -> None:
    names = {entry.name for entry in DATA_DIRECTORY.iterdir()}
    assert {
        "producers.csv",
        "products.csv",
        "certificates.csv",
        "rights.csv",
        "protections.csv",
        "vocabulary.json",
        "accounts.csv",
        "buyers.csv",
    } <= names


def test_the_packaged_catalogue_reads_without_problems() -> None:
    data = catalogue()
    assert data.problems == ()
    assert sum(len(p.products) for p in data.producers) >= 62


def test_adding_a_product_is_one_line_of_products_csv(data_copy: Path) -> None:
    _append(data_copy / "products.csv", NEW_PRODUCT)
    data = read_catalogue(data_copy)
    producer = next(p for p in data.producers if p.slug == "htx-che-tan-cuong-xanh")
    added = producer.products[-1]
    assert (added.name, added.price_vnd, added.net_weight_g, added.price_tiers) == (
        "Chè búp Tân Cương túi lọc",
        60_000,
        50,
        (),
    )
    assert added.description == "Trà túi lọc từ búp chè Tân Cương.\n\n- 25 túi, 2 g mỗi túi"
    demo.validate_demo_data(data)


def test_a_certificate_line_attaches_to_the_product_it_names(data_copy: Path) -> None:
    _append(data_copy / "products.csv", NEW_PRODUCT)
    _append(data_copy / "certificates.csv", "Chè búp Tân Cương túi lọc,3,61,2025-08-01,901,verified,,\n")
    producer = next(p for p in read_catalogue(data_copy).producers if p.slug == "htx-che-tan-cuong-xanh")
    [certificate] = producer.products[-1].certificates
    assert (certificate.stars, certificate.score, certificate.decided_on) == (3, 61, None)


def test_a_malformed_line_is_named_by_file_and_line(data_copy: Path) -> None:
    lines = len((data_copy / "products.csv").read_text(encoding="utf-8").splitlines())
    _append(data_copy / "products.csv", NEW_PRODUCT.replace(",60000,", ",60.000,"))
    with pytest.raises(DemoDataError, match=rf"products.csv, line {lines + 1}"):
        read_catalogue(data_copy)


def test_a_line_with_a_cell_too_few_is_refused(data_copy: Path) -> None:
    _append(data_copy / "rights.csv", "Chè nõn tôm Tân Cương,tan-cuong\n")
    with pytest.raises(DemoDataError, match="rights.csv, line .*wrong number of cells"):
        read_catalogue(data_copy)


@pytest.mark.parametrize(
    ("file", "line", "problem"),
    [
        (
            "products.csv",
            NEW_PRODUCT.replace("htx-che-tan-cuong-xanh", "htx-khong-co"),
            "unknown producer htx-khong-co",
        ),
        (
            "certificates.csv",
            "Sản phẩm không có,3,61,2025-08-01,901,verified,,\n",
            "unknown product Sản phẩm không có",
        ),
        (
            "rights.csv",
            "Sản phẩm không có,tan-cuong,Quyết định số 1/QĐ-SKHCN,verified\n",
            "unknown product Sản phẩm không có",
        ),
        (
            "products.csv",
            NEW_PRODUCT.replace("Chè búp Tân Cương túi lọc", "Chè nõn tôm Tân Cương"),
            "duplicate product name Chè nõn tôm Tân Cương",
        ),
    ],
    ids=["unknown-producer", "certificate-of-nothing", "right-of-nothing", "duplicate-name"],
)
def test_a_line_that_points_at_nothing_fails_validation(
    data_copy: Path, file: str, line: str, problem: str
) -> None:
    _append(data_copy / file, line)
    with pytest.raises(ValueError, match=problem):
        demo.validate_demo_data(read_catalogue(data_copy))


def test_a_producer_slug_must_be_a_slug(data_copy: Path) -> None:
    path = data_copy / "producers.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nhtx-che-tan-cuong-xanh,", "\nHTX Chè Tân Cương,", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="is not a slug"):
        demo.validate_demo_data(read_catalogue(data_copy))
