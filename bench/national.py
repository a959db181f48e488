"""National scale: a generator of the programme's data and a benchmark of the report pages on it.

    .venv/bin/python bench/national.py [--scale 1.0] [--runs 20] [--keep] [--database-url URL]

At `--scale 1` it builds, on a new PostgreSQL database (BENCH_DATABASE_URL's server, the local one
by default; see bench/common.py), 10,000 producers, 20,000 products and about 2,000,000 order
lines over three years (2024–2026), loaded with COPY (never the ORM row by row), with the
ledger's rows for them: a sale per line, refunds and cancellations of about 3 % of the parts a
few days later, credit notes on about 2 % of the supermarket lines. The mix follows the
programme's published figures for the end of 2024: 32.7 % cooperatives, 24.1 % enterprises,
42.7 % household businesses and cooperative groups (0.5 % unassigned are counted as households);
about 18,000 products at 3★ or more (90 %), about 130 of them at 5★. `--scale 0.05` makes a
quick run (500 producers, ~100,000 lines).

Then it times, through the Flask test client signed in as an administrator, each programme page
(`--runs` requests each, p50 and p95), and the full-period streamed ledger CSV export: its time,
its size and the process's peak resident memory before and after (`resource.getrusage`). Targets
(issue #13, item 7): p95 under 500 ms per page; the export under 200 MB resident.

The generated ledger rows are consistent with their orders for the figures (amounts, units,
dates, channels, provinces, groups, stars), but credit notes have no invoice rows behind them, so
`flask ledger check` is not meant to pass on this data.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import temporary_database  # noqa: E402

TARGET_P95_MS = 500
TARGET_RSS_MB = 200
START = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 3 * 365
ENTITY_MIX = (
    ("cooperative", 0.327),
    ("enterprise", 0.241),
    ("household", 0.30),
    ("cooperative_group", 0.127),
)
GROUPS = (
    ("food", "processed", 0.55),
    ("beverages", "non_alcoholic", 0.15),
    ("herbal", "herbs", 0.12),
    ("handicrafts", "crafts", 0.12),
    ("ornamental", "plants", 0.03),
    ("tourism", "community", 0.03),
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Copy:
    """Rows for one table, written with COPY in text format."""

    def __init__(self, cursor, table: str, columns: tuple[str, ...]) -> None:
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer = io.StringIO()
        self.count = 0

    @staticmethod
    def _text(value: object) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    def add(self, *values: object) -> None:
        self.buffer.write("\t".join(self._text(v) for v in values) + "\n")
        self.count += 1

    def flush(self) -> None:
        data = self.buffer.getvalue()
        if data:
            with self.cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                copy.write(data)
        self.buffer = io.StringIO()


def generate(url: str, scale: float, seed: int = 13) -> dict[str, int]:
    """Load the national data set into the (migrated, empty) database at `url`."""
    import psycopg

    from marketplace.reference import PROVINCES
    from marketplace.text import slugify
    from marketplace.timeutil import add_months

    rng = random.Random(seed)
    producers_n = max(30, int(10_000 * scale))
    products_n = 2 * producers_n
    lines_target = int(2_000_000 * scale)
    five_star_n = max(3, round(130 * scale))
    now = datetime(2026, 12, 4, 12, 0)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    counts: dict[str, int] = {}
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        producers = Copy(
            cur,
            "producers",
            (
                "id",
                "slug",
                "name",
                "entity_type",
                "province_code",
                "former_province_code",
                "commune",
                "craft_village",
                "story",
                "environment_plan",
                "circular_practices",
                "green_verified",
                "verification_status",
                "verified_at",
                "min_order_value_vnd",
                "created_at",
            ),
        )
        facts = []
        kinds = [k for k, _ in ENTITY_MIX]
        weights = [w for _, w in ENTITY_MIX]
        for pid in range(1, producers_n + 1):
            province = rng.choice(PROVINCES)
            former = slugify(rng.choice(province.former))
            kind = rng.choices(kinds, weights)[0]
            village = f"Làng nghề {pid % 400}" if rng.random() < 0.3 else None
            circular = rng.random() < 0.32
            producers.add(
                pid,
                f"p-{pid}",
                f"Chủ thể {pid}",
                kind,
                province.code,
                former,
                "Xã Một",
                village,
                "",
                "Thu gom rác thải.",
                "Tái sử dụng phụ phẩm." if circular else "",
                circular,
                "verified",
                now,
                0,
                now,
            )
            facts.append((province.code, former))
        producers.flush()
        counts["producers"] = producers_n

        products = Copy(
            cur,
            "products",
            (
                "id",
                "producer_id",
                "sku",
                "slug",
                "name",
                "group_code",
                "subgroup_code",
                "description",
                "unit",
                "price_vnd",
                "stock",
                "status",
                "min_order_qty",
                "case_pack",
                "low_stock_threshold",
                "created_at",
                "updated_at",
            ),
        )
        certificates = Copy(
            cur,
            "certifications",
            (
                "id",
                "product_id",
                "star_class",
                "score",
                "certificate_number",
                "issuing_level",
                "issuing_decision",
                "issued_on",
                "expires_on",
                "status",
                "created_at",
            ),
        )
        product_facts = []
        five_star = set(rng.sample(range(1, products_n + 1), five_star_n))
        cert_id = 0
        for product_id in range(1, products_n + 1):
            producer_id = (product_id - 1) % producers_n + 1
            group, subgroup, _ = rng.choices(GROUPS, [g[2] for g in GROUPS])[0]
            price = rng.choice((35_000, 60_000, 85_000, 120_000, 150_000, 240_000, 450_000))
            products.add(
                product_id,
                producer_id,
                f"SKU-{product_id}",
                f"sp-{product_id}",
                f"Sản phẩm {product_id}",
                group,
                subgroup,
                "",
                "box",
                price,
                1000,
                "published",
                1,
                1,
                5,
                now,
                now,
            )
            stars = 5 if product_id in five_star else (4 if rng.random() < 0.25 else 3)
            certified = product_id in five_star or rng.random() < 0.9
            if certified:
                cert_id += 1
                issued = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
                expires = add_months(issued, 36)
                certificates.add(
                    cert_id,
                    product_id,
                    stars,
                    {3: 60, 4: 80, 5: 95}[stars],
                    f"OCOP-{cert_id}",
                    "central" if stars == 5 else "province",
                    "Quyết định 1/QĐ-UBND",
                    issued,
                    expires,
                    "verified",
                    now,
                )
            product_facts.append(
                (producer_id, group, price, stars if certified else None, issued if certified else None)
            )
        products.flush()
        certificates.flush()
        counts["products"], counts["certifications"] = products_n, cert_id

        orders = Copy(
            cur,
            "orders",
            (
                "id",
                "reference",
                "channel",
                "contact_email",
                "recipient_name",
                "phone",
                "street",
                "commune",
                "province_code",
                "payment_method",
                "payment_status",
                "items_total_vnd",
                "shipping_total_vnd",
                "total_vnd",
                "refunded_vnd",
                "idempotency_key",
                "created_at",
            ),
        )
        parts = Copy(
            cur,
            "producer_orders",
            (
                "id",
                "order_id",
                "producer_id",
                "status",
                "subtotal_vnd",
                "shipping_fee_vnd",
                "weight_g",
                "created_at",
                "updated_at",
            ),
        )
        lines = Copy(
            cur,
            "order_lines",
            (
                "id",
                "producer_order_id",
                "product_id",
                "product_name",
                "sku",
                "unit",
                "unit_price_vnd",
                "quantity",
                "line_total_vnd",
            ),
        )
        entries = Copy(
            cur,
            "sales_entries",
            (
                "id",
                "kind",
                "source_kind",
                "source_id",
                "producer_id",
                "order_id",
                "producer_order_id",
                "order_line_id",
                "product_id",
                "channel",
                "province_code",
                "former_province_code",
                "group_code",
                "star_class",
                "amount_vnd",
                "units",
                "occurred_at",
            ),
        )
        order_id = line_id = entry_id = 0
        while line_id < lines_target:
            order_id += 1
            if order_id % 50_000 == 0:  # parents before children: the foreign keys are checked at once
                for table in (orders, parts, lines, entries):
                    table.flush()
            supermarket = rng.random() < 0.15
            channel = "supermarket" if supermarket else "online"
            method = "invoice" if supermarket else rng.choice(("cod", "card"))
            placed = (START + timedelta(seconds=rng.randrange(DAYS * 86400))).replace(tzinfo=None)
            sold_at = placed + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 23))
            first_product = rng.randrange(1, products_n + 1)
            producer_id = product_facts[first_product - 1][0]
            chosen = [first_product] + [
                first_product + producers_n * k
                for k in (1,)
                if first_product + producers_n * k <= products_n and rng.random() < 0.5
            ]
            line_rows, subtotal = [], 0
            for product_id in chosen:
                for _ in range(rng.choice((1, 1, 2))):
                    _pid, group, price, _stars, _issued = product_facts[product_id - 1]
                    quantity = rng.randint(10, 60) if supermarket else rng.randint(1, 4)
                    line_id += 1
                    line_rows.append((line_id, product_id, price, quantity))
                    subtotal += price * quantity
            cancelled = rng.random() < 0.03
            status = "cancelled" if cancelled else "delivered"
            payment_status = {"invoice": "on_terms", "cod": "cash_on_delivery", "card": "paid"}[method]
            if cancelled and method == "card":
                status, payment_status = "refunded", "refunded"
            refunded = subtotal if payment_status == "refunded" else 0
            orders.add(
                order_id,
                f"OCOP-N{order_id:09d}",
                channel,
                "an@example.vn",
                "Nguyễn An",
                "0912345678",
                "1 Lê Lợi",
                "Phường Một",
                rng.choice(PROVINCES).code,
                method,
                payment_status,
                subtotal,
                0,
                subtotal,
                refunded,
                f"n-{order_id}",
                placed,
            )
            parts.add(order_id, order_id, producer_id, status, subtotal, 0, 500, placed, sold_at)
            province, former = facts[producer_id - 1]
            for lid, product_id, price, quantity in line_rows:
                _pid, group, _price, stars, issued = product_facts[product_id - 1]
                star = stars if issued is not None and issued <= sold_at.date() else None
                lines.add(
                    lid,
                    order_id,
                    product_id,
                    f"Sản phẩm {product_id}",
                    f"SKU-{product_id}",
                    "box",
                    price,
                    quantity,
                    price * quantity,
                )
                entry_id += 1
                source = {"invoice": "invoice", "cod": "cash_collection", "card": "card_payment"}[method]
                entries.add(
                    entry_id,
                    "sale",
                    source,
                    order_id,
                    producer_id,
                    order_id,
                    order_id,
                    lid,
                    product_id,
                    channel,
                    province,
                    former,
                    group,
                    star,
                    price * quantity,
                    quantity,
                    sold_at,
                )
                if cancelled:
                    entry_id += 1
                    entries.add(
                        entry_id,
                        "refund" if method == "card" else "cancellation",
                        "part_cancellation",
                        order_id,
                        producer_id,
                        order_id,
                        order_id,
                        lid,
                        product_id,
                        channel,
                        province,
                        former,
                        group,
                        star,
                        -price * quantity,
                        -quantity,
                        sold_at + timedelta(days=rng.randint(1, 10)),
                    )
                elif supermarket and rng.random() < 0.02:
                    entry_id += 1
                    credited = max(1, quantity // 10)
                    entries.add(
                        entry_id,
                        "credit_note",
                        "credit_note",
                        lid,
                        producer_id,
                        order_id,
                        order_id,
                        lid,
                        product_id,
                        channel,
                        province,
                        former,
                        group,
                        star,
                        -price * credited,
                        -credited,
                        sold_at + timedelta(days=rng.randint(1, 20)),
                    )
        for table in (orders, parts, lines, entries):
            table.flush()
        counts.update(orders=order_id, order_lines=line_id, sales_entries=entry_id)
        for table in (
            "producers",
            "products",
            "certifications",
            "orders",
            "producer_orders",
            "order_lines",
            "sales_entries",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        from marketplace.reports.summaries import rebuild_sql

        for statement in rebuild_sql("postgresql"):  # the summaries the ORM would have kept in step
            cur.execute(statement)
        conn.commit()
        conn.autocommit = True
        for table in (
            "producers",
            "products",
            "certifications",
            "sales_entries",
            "sales_producer_months",
            "sales_cell_months",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def benchmark(app, runs: int) -> list[tuple[str, float, float]]:
    from marketplace.extensions import db
    from tests.conftest import sign_in_as
    from tests.factories import make_user

    with app.app_context():
        admin = make_user("bench-admin@example.vn", is_admin=True)
        db.session.commit()
        client = app.test_client()
        sign_in_as(client, admin)
    pages = [
        ("dashboard, 2026, whole country", "/admin/programme?start=2026-01&end=2026-12"),
        ("dashboard, 2024-2026", "/admin/programme?start=2024-01&end=2026-12"),
        ("dashboard, one province", "/admin/programme?start=2026-01&end=2026-12&province=ha-noi"),
        ("dashboard, 63 former provinces", "/admin/programme?start=2026-01&end=2026-12&units=63"),
        (
            "drill-down, modern channels",
            "/admin/programme/producers?metric=modern_channel_share&start=2026-01&end=2026-12",
        ),
        ("XLSX export", "/admin/programme.xlsx?start=2026-01&end=2026-12"),
        ("public figures", "/programme?start=2026-01&end=2026-12"),
    ]
    results = []
    for label, url in pages:
        timings = []
        for _ in range(runs):
            with app.app_context():
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        results.append((label, statistics.median(timings), percentile(timings, 0.95)))
    return results


def export_benchmark(url: str) -> str:
    """The full-period streamed ledger CSV, requested by a fresh process (so that its peak resident
    memory is the export's, not the generator's): its time, size and peak RSS, as one line."""
    import subprocess

    result = subprocess.run(
        [sys.executable, __file__, "--export-only", url], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def export_only(url: str) -> None:
    from marketplace import create_app
    from marketplace.accounts.models import User
    from marketplace.extensions import db
    from tests.conftest import sign_in_as

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "TESTING": True,
                "UPLOAD_DIR": tmp,
                "DOCUMENT_DIR": tmp,
                "SEARCH_INDEX_DIR": tmp,
            }
        )
        with app.app_context():
            admin = db.session.query(User).filter_by(email="bench-admin@example.vn").one()
            client = app.test_client()
            sign_in_as(client, admin)
            before = rss_mb()
            started = time.perf_counter()
            response = client.get("/admin/programme/ledger.csv?start=2024-01&end=2026-12", buffered=False)
            size = rows = 0
            for chunk in response.response:
                size += len(chunk)
                rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
            response.close()
            seconds = time.perf_counter() - started
            db.engine.dispose()
    print(
        f"ledger CSV export 2024-2026: {rows - 1:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s; "
        f"peak RSS {rss_mb():.0f} MB (app loaded: {before:.0f} MB; target < {TARGET_RSS_MB} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--export-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        export_only(args.export_only)
        return

    from flask_migrate import upgrade

    from marketplace import create_app

    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_database("postgresql", Path(tmp), "ocop_national") as url,
    ):
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "UPLOAD_DIR": tmp,
                "DOCUMENT_DIR": tmp,
                "SEARCH_INDEX_DIR": tmp,
            }
        )
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        counts = generate(url, args.scale)
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, scale {args.scale}: loaded in "
            f"{time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{n:,} {table}" for table, n in counts.items())
        )
        results = benchmark(app, args.runs)
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8}")
        for label, p50, p95 in results:
            flag = "" if p95 < TARGET_P95_MS else "  over target"
            print(f"{label:40} {p50:8.0f} {p95:8.0f}{flag}")
        with app.app_context():
            from marketplace.extensions import db

            db.engine.dispose()
        print(export_benchmark(url))


if __name__ == "__main__":
    main()
