"""Order files as spreadsheets write them: BOM, semicolons, Vietnamese names, blank lines, 5,000
lines, and a report with every refused line and why."""

from __future__ import annotations

import time

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.wholesale import services
from marketplace.wholesale.csvfile import parse_order_csv
from marketplace.wholesale.models import OrderListLine
from tests.factories import add_location, make_producer
from tests.wholesale.helpers import buyer, wholesale_product


def test_a_bom_and_a_header_are_skipped() -> None:
    parsed = parse_order_csv("\ufeffsku,quantity\nTC-1,50\n".encode())
    assert parsed.had_header and [(r.line_no, r.code, r.quantity) for r in parsed.rows] == [(2, "TC-1", 50)]


def test_the_header_is_optional() -> None:
    parsed = parse_order_csv(b"TC-1,50\nTC-2,60\n")
    assert not parsed.had_header and [r.code for r in parsed.rows] == ["TC-1", "TC-2"]


def test_semicolons_as_excel_writes_them_with_vietnamese_location_names() -> None:
    data = "mã;số lượng;địa điểm giao hàng\r\nTC-1;1.000;Cửa hàng Quận 3\r\n".encode("utf-8-sig")
    row = parse_order_csv(data).rows[0]
    assert (row.line_no, row.code, row.quantity, row.location_name) == (2, "TC-1", 1000, "Cửa hàng Quận 3")


def test_blank_lines_are_ignored_and_line_numbers_are_the_files() -> None:
    parsed = parse_order_csv(b"sku,quantity\n\nTC-1,5\n  \n;;\n,,\nTC-2,6\n")
    assert [(r.line_no, r.code) for r in parsed.rows] == [(3, "TC-1"), (7, "TC-2")]


def test_a_file_that_is_not_utf8_is_refused() -> None:
    assert (
        parse_order_csv("TC-1,5,Hà Nội".encode("latin-1", errors="replace").replace(b"?", b"\xe0")).error
        == "not_utf8"
    )


def test_more_than_5000_lines_is_refused_but_5000_are_read() -> None:
    assert len(parse_order_csv("".join(f"S{i},1\n" for i in range(5000)).encode()).rows) == 5000
    assert parse_order_csv("".join(f"S{i},1\n" for i in range(5001)).encode()).error == "too_many_lines"


def test_every_refused_line_is_reported_with_its_line_number_and_nothing_is_added(app) -> None:
    user, organisation = buyer()
    add_location(organisation, name="Cửa hàng Quận 3")
    producer = make_producer(slug="htx-a")
    ok = wholesale_product(producer, sku="OK-1")
    moq = wholesale_product(producer, sku="MOQ-1", min_order_qty=24, case_pack=12)
    case = wholesale_product(producer, sku="CASE-1", case_pack=12, min_order_qty=12)
    short = wholesale_product(producer, sku="SHORT-1", stock=10)
    other = wholesale_product(producer, sku="OTHER-1")
    data = (
        "sku;quantity;delivery_location\n"
        "OK-1;50;cửa hàng quận 3\n"  # 2: accepted (location matched ignoring case)
        "NOPE;5\n"  # 3: unknown code
        "MOQ-1;12\n"  # 4: below minimum
        "CASE-1;30\n"  # 5: not a multiple of the case pack
        "SHORT-1;11\n"  # 6: not enough stock
        "htx-a/OK-1;5\n"  # 7: duplicate of line 2
        "OK-2;abc\n"  # 8: unknown code and bad quantity
        f"#{other.id};24;Kho không có\n"  # 9: unknown location name
    ).encode("utf-8-sig")
    report = services.accept_csv(data, organisation.id, user.id)
    db.session.flush()
    assert not report.ok
    result = {line.line_no: [p.code for p in line.problems] for line in report.lines}
    assert result == {
        2: [],
        3: ["unknown_code"],
        4: ["below_minimum"],
        5: ["not_case_multiple"],
        6: ["out_of_stock"],
        7: ["duplicate_line"],
        8: ["unknown_code", "invalid_quantity"],
        9: ["unknown_location_name"],
    }
    accepted = report.accepted[0]
    assert (accepted.line_no, accepted.quoted.unit_price_vnd, accepted.quoted.line_total_vnd) == (
        2,
        82_000,
        4_100_000,
    )
    assert db.session.scalar(select(OrderListLine.id)) is None
    assert moq and ok and short and case


def test_a_correct_file_becomes_the_draft(app) -> None:
    user, organisation = buyer()
    producer = make_producer(slug="htx-b")
    a, b = wholesale_product(producer, sku="A"), wholesale_product(producer, sku="B")
    report = services.accept_csv(b"A,50\nhtx-b/B,100\n", organisation.id, user.id)
    assert report.ok
    draft = services.draft_of(organisation.id)
    assert sorted((ln.product_id, ln.quantity) for ln in draft.lines) == [(a.id, 50), (b.id, 100)]


def test_a_sku_used_by_two_producers_needs_the_producer(app) -> None:
    user, organisation = buyer()
    wholesale_product(make_producer(slug="htx-x"), sku="TEA")
    wholesale_product(make_producer(slug="htx-y"), sku="TEA")
    report = services.validate_csv(b"TEA,5\nhtx-y/tea,5\n", organisation.id)
    assert [[p.code for p in line.problems] for line in report.lines] == [["ambiguous_code"], []]


def test_a_5000_line_file_is_validated_in_a_few_queries(app, count_queries) -> None:
    user, organisation = buyer()
    producers = [make_producer(slug=f"p{i}") for i in range(20)]
    from sqlalchemy import insert

    from marketplace.catalog.models import Product

    db.session.execute(
        insert(Product),
        [
            dict(
                producer_id=producers[i % 20].id,
                sku=f"S{i}",
                slug=f"s-{i}",
                name=f"Sản phẩm {i}",
                group_code="food",
                subgroup_code="tea",
                unit="box",
                price_vnd=100_000,
                stock=100,
                status="published",
                min_order_qty=1,
                case_pack=1,
            )
            for i in range(5000)
        ],
    )
    db.session.flush()
    data = "".join(f"p{i % 20}/S{i};10\n" for i in range(5000)).encode()
    started = time.perf_counter()
    with count_queries() as counter:
        report = services.validate_csv(data, organisation.id)
    assert report.ok and len(report.lines) == 5000
    assert counter.count < 60
    assert time.perf_counter() - started < 30  # correctness here; the benchmark measures speed
