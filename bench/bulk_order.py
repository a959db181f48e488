"""Bulk order benchmark: a 500-line CSV order across 20 producers, validated and placed.

    .venv/bin/python bench/bulk_order.py [--backend postgresql|sqlite] [--lines 500] [--producers 20]
        [--runs 5]

Builds a temporary database (PostgreSQL on BENCH_DATABASE_URL, the local server by default; see
bench/common.py) with N producers, their wholesale products (tiers, MOQ, case packs) and a
verified supermarket, then times, for each run, what happens when the buyer uploads the file and
places the order: reading and checking every line (`validate_csv`), turning the file into the
draft, and placing it (`place_bulk_order`: credit check, one ProducerOrder per producer, stock
taken line by line with conditional UPDATEs, events), each step committed.
Target (issue 7): under 2 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace import create_app  # noqa: E402
from marketplace.accounts.models import BuyerMembership, User  # noqa: E402
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation  # noqa: E402
from marketplace.catalog.models import PriceTier, Product  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.orders.services import new_idempotency_key  # noqa: E402
from marketplace.producers.models import Producer  # noqa: E402
from marketplace.timeutil import today_in_vietnam  # noqa: E402
from marketplace.wholesale import services  # noqa: E402

TARGET_SECONDS = 2.0


def prepare(lines: int = 500, producers: int = 20, run: int = 0) -> tuple[User, BuyerOrganisation, bytes]:
    """Producers with `lines` wholesale products between them, a verified buyer, and the CSV file
    ordering each product once (quantities on a tier, a multiple of the case pack)."""
    makers = [
        Producer(
            slug=f"bench-{run}-{i}",
            name=f"HTX Bench {run}-{i}",
            entity_type="cooperative",
            province_code="thai-nguyen",
            commune="Tân Cương",
            verification_status="verified",
            min_order_value_vnd=1_000_000,
        )
        for i in range(producers)
    ]
    db.session.add_all(makers)
    db.session.flush()
    products = [
        Product(
            producer_id=makers[i % producers].id,
            sku=f"SKU-{i:04d}",
            slug=f"bench-{run}-{i}",
            name=f"Sản phẩm thử {i}",
            group_code="food",
            subgroup_code="tea",
            unit="box",
            price_vnd=100_000,
            stock=10_000,
            status="published",
            min_order_qty=12,
            case_pack=6,
        )
        for i in range(lines)
    ]
    db.session.add_all(products)
    db.session.flush()
    db.session.add_all(
        [
            PriceTier(product_id=p.id, min_quantity=q, unit_price_vnd=price)
            for p in products
            for q, price in ((24, 92_000), (120, 85_000))
        ]
    )
    organisation = BuyerOrganisation(
        legal_name=f"Siêu thị Bench {run}",
        tax_code=f"09{run:08d}",
        head_office_address="1 Lê Lợi",
        head_office_province_code="ha-noi",
        contact_email="bench@example.vn",
        verification_status="verified",
        credit_limit_vnd=100_000_000_000,
    )
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        DeliveryLocation(
            buyer_organisation_id=organisation.id,
            kind="distribution_centre",
            name="Kho Đông Anh",
            address="KCN Đông Anh",
            province_code="ha-noi",
        )
    )
    user = User(email=f"bench{run}@example.vn", password_hash="x", display_name="Bench")
    db.session.add(user)
    db.session.flush()
    db.session.add(BuyerMembership(user_id=user.id, buyer_organisation_id=organisation.id, role="purchaser"))
    db.session.commit()
    rows = ["sku;quantity;delivery_location"]
    rows += [
        f"bench-{run}-{i % producers}/SKU-{i:04d};{(24, 48, 120)[i % 3]};Kho Đông Anh" for i in range(lines)
    ]
    return user, organisation, ("\ufeff" + "\n".join(rows) + "\n").encode()


def order_from_csv(
    user: User, organisation: BuyerOrganisation, data: bytes
) -> tuple[object, dict[str, float]]:
    """Upload, validate and place; returns the order and the seconds each step took."""
    timings = {}
    started = time.perf_counter()
    report = services.accept_csv(data, organisation.id, user.id)
    if not report.ok:
        raise AssertionError(
            f"the file was refused: {[(ln.line_no, ln.problems) for ln in report.refused][:5]}"
        )
    db.session.commit()
    timings["validate"] = time.perf_counter() - started
    wanted = today_in_vietnam() + timedelta(days=3)
    location_id = report.quote.parts[0].delivery_location.id
    choices = {part.producer_id: services.PartChoice(location_id, wanted) for part in report.quote.parts}
    placing = time.perf_counter()
    order = services.place_bulk_order(
        organisation_id=organisation.id,
        user=user,
        choices=choices,
        purchase_order_number="PO-BENCH",
        idempotency_key=new_idempotency_key(),
    )
    timings["place"] = time.perf_counter() - placing
    timings["total"] = time.perf_counter() - started
    return order, timings


def main() -> None:
    from common import temporary_database
    from flask_migrate import upgrade

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--producers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_database(args.backend, Path(tmp), "ocop_bulk") as url,
    ):
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "UPLOAD_DIR": f"{tmp}/up",
                "SEARCH_INDEX_DIR": f"{tmp}/search",
            }
        )
        with app.app_context():
            upgrade()
            results = []
            for run in range(args.runs):
                user, organisation, data = prepare(args.lines, args.producers, run)
                order, timings = order_from_csv(user, organisation, data)
                assert len(order.producer_orders) == args.producers
                results.append(timings)
                print(
                    f"run {run + 1}: validate {timings['validate']:.3f} s, place {timings['place']:.3f} s, "
                    f"total {timings['total']:.3f} s ({order.reference}, {order.total_vnd:,} ₫)"
                )
            db.session.remove()
            db.engine.dispose()
    median = statistics.median(t["total"] for t in results)
    print(
        f"{args.backend}: {args.lines} lines, {args.producers} producers: median {median:.3f} s "
        f"(target < {TARGET_SECONDS:.0f} s) {'OK' if median < TARGET_SECONDS else 'TOO SLOW'}"
    )


if __name__ == "__main__":
    main()
