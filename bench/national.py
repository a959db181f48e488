"""National scale: a generator of the programme's data and a benchmark of the report pages on it.

    .venv/bin/python bench/national.py [--scale 1.0] [--runs 20] [--keep NAME | --database NAME]
                                       [--build-only] [--no-check] [--pages TEXT] [--no-export]

At `--scale 1` it builds, on a new PostgreSQL database (BENCH_DATABASE_URL's server, the local one
by default; see bench/common.py), 10,000 producers, 20,000 products and about 2,000,000 order
lines over three years (2024–2026), loaded with COPY (never the ORM row by row), with the
ledger's rows for them and what stands behind each as the order core would have written it: a
card part paid, a cash-on-delivery part collected, a terms part (60 supermarket chains) invoiced
at delivery with its invoice lines; refunds and cancellations of about 3 % of the parts a few
days later; credit notes (with their invoice's lines) on about 2 % of the invoiced lines; sales
declared off the platform by about 40 % of the producers. The mix follows the programme's
published figures for the end of 2024: 32.7 % cooperatives, 24.1 % enterprises, 42.7 % household
businesses and cooperative groups (0.5 % unassigned are counted as households); about 18,000
products at 3★ or more (90 %), about 130 of them at 5★. `--scale 0.05` makes a quick run (500
producers, ~100,000 lines).

`--keep NAME` builds into a new database NAME and leaves it in place; `--database NAME` reuses
it (no build; the migrations added since are applied). Then `flask ledger check` runs on it in
its own process (every part's figure recomputed from its order and compared with the ledger, and
the summaries with the ledger; `--no-check` skips it), and, unless `--build-only`, it times
through the Flask test client each report page (`--runs` requests each, p50 and p95) and the
full-period streamed ledger CSV export in a fresh process: its time, size and peak resident
memory (`resource.getrusage`). `--pages TEXT` times only the pages whose label holds TEXT (e.g.
`--pages "producer report"`), `--no-export` skips the export. Targets (issue #13, item 7): p95
under 500 ms per page; the export under 200 MB resident.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.common import DEFAULT_PG, temporary_database  # noqa: E402

TARGET_P95_MS = 500
TARGET_RSS_MB = 200
BIG_PRODUCER_SHARE = 0.05
VAT_PERCENT = 8  # on the generated terms invoices' goods lines
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


def rss_mb(field: str = "VmHWM") -> float:
    """This process's peak (VmHWM) or current (VmRSS) resident memory, in MB. Not
    `getrusage().ru_maxrss`: Linux carries that across exec, so a process started by a big parent
    would report the parent's size at fork."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
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

    from marketplace.reference import DECLARABLE_CHANNELS, PROVINCES
    from marketplace.text import slugify
    from marketplace.timeutil import VIETNAM, add_months

    declared_channels = [c.code for c in DECLARABLE_CHANNELS]

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

        # The supermarket chains that buy on terms: each terms order is one chain's.
        chains = Copy(
            cur,
            "buyer_organisations",
            (
                "id",
                "legal_name",
                "tax_code",
                "head_office_address",
                "head_office_province_code",
                "contact_email",
                "verification_status",
                "verified_at",
                "payment_terms_days",
                "credit_limit_vnd",
                "created_at",
            ),
        )
        chains_n = max(3, int(60 * scale))
        for chain in range(1, chains_n + 1):
            chains.add(
                chain,
                f"Chuỗi siêu thị {chain}",
                f"{chain:010d}",
                "1 Lê Lợi",
                rng.choice(PROVINCES).code,
                f"chain{chain}@example.vn",
                "verified",
                now,
                30,
                10_000_000_000,
                now,
            )
        chains.flush()
        counts["buyer_organisations"] = chains_n

        orders = Copy(
            cur,
            "orders",
            (
                "id",
                "reference",
                "channel",
                "buyer_organisation_id",
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
                "cod_collected_at",
                "created_at",
                "updated_at",
            ),
        )
        invoices = Copy(
            cur,
            "invoices",
            (
                "id",
                "number",
                "year",
                "sequence",
                "payment_reference",
                "producer_order_id",
                "order_id",
                "producer_id",
                "buyer_organisation_id",
                "order_reference",
                "seller_name",
                "seller_address",
                "buyer_name",
                "buyer_tax_code",
                "buyer_address",
                "issue_date",
                "due_date",
                "payment_terms_days",
                "subtotal_vnd",
                "vat_vnd",
                "total_vnd",
                "paid_vnd",
                "credited_vnd",
                "created_at",
            ),
        )
        invoice_lines = Copy(
            cur,
            "invoice_lines",
            (
                "id",
                "invoice_id",
                "order_line_id",
                "product_name",
                "sku",
                "unit",
                "quantity",
                "unit_price_vnd",
                "amount_vnd",
                "vat_rate_percent",
                "vat_vnd",
            ),
        )
        credit_notes = Copy(
            cur,
            "credit_notes",
            (
                "id",
                "number",
                "invoice_id",
                "invoice_line_id",
                "kind",
                "quantity",
                "note",
                "amount_vnd",
                "vat_vnd",
                "total_vnd",
                "created_at",
            ),
        )
        declarations = Copy(
            cur,
            "sales_declarations",
            (
                "id",
                "producer_id",
                "month",
                "channel",
                "amount_vnd",
                "units",
                "note",
                "status",
                "submitted_at",
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
                "buyer_organisation_id",
                "buyer_key",
            ),
        )
        order_id = line_id = entry_id = invoice_id = invoice_line_id = credit_id = 0
        invoice_sequences: dict[tuple[int, int], int] = {}
        tables = (orders, parts, lines, invoices, invoice_lines, credit_notes, entries)
        while line_id < lines_target:
            order_id += 1
            if order_id % 50_000 == 0:  # parents before children: the foreign keys are checked at once
                for table in tables:
                    table.flush()
            supermarket = rng.random() < 0.15
            channel = "supermarket" if supermarket else "online"
            method = "invoice" if supermarket else rng.choice(("cod", "card"))
            placed = (START + timedelta(seconds=rng.randrange(DAYS * 86400))).replace(tzinfo=None)
            sold_at = placed + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 23))
            # Producer 1 is a big one (5 % of the orders: about 100,000 lines at full scale), for
            # the producer report; the others share the rest evenly.
            first_product = 1 if rng.random() < BIG_PRODUCER_SHARE else rng.randrange(1, products_n + 1)
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
            chain = rng.randint(1, chains_n) if supermarket else None
            buyer = f"org:{chain}" if chain else "guest:an@example.vn"  # as ledger.buyer_key_of
            orders.add(
                order_id,
                f"OCOP-N{order_id:09d}",
                channel,
                chain,
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
            # What makes each part count, as the order core records it: cash collected at
            # delivery; on terms, an invoice issued at delivery (a cancelled terms part was never
            # delivered, so it has neither an invoice nor ledger rows).
            collected = sold_at if method == "cod" and not cancelled else None
            parts.add(order_id, order_id, producer_id, status, subtotal, 0, 500, collected, placed, sold_at)
            province, former = facts[producer_id - 1]
            invoiced = method == "invoice" and not cancelled
            if invoiced:
                invoice_id += 1
                issued_on = sold_at.replace(tzinfo=UTC).astimezone(VIETNAM).date()
                sequence = invoice_sequences[producer_id, issued_on.year] = (
                    invoice_sequences.get((producer_id, issued_on.year), 0) + 1
                )
                invoice_lines_of_part, credits_of_part = [], []
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
                if method == "invoice" and cancelled:
                    continue
                source = {"invoice": "invoice", "cod": "cash_collection", "card": "card_payment"}[method]
                if invoiced:
                    invoice_line_id += 1
                    invoice_lines_of_part.append((invoice_line_id, lid, product_id, price, quantity))
                entry_id += 1
                entries.add(
                    entry_id,
                    "sale",
                    source,
                    invoice_id if invoiced else order_id,
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
                    chain,
                    buyer,
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
                        chain,
                        buyer,
                    )
                elif invoiced and rng.random() < 0.02:
                    credit_id += 1
                    credited = max(1, quantity // 10)
                    credited_at = sold_at + timedelta(days=rng.randint(1, 20))
                    credits_of_part.append((credit_id, invoice_line_id, price, credited, credited_at))
                    entry_id += 1
                    entries.add(
                        entry_id,
                        "credit_note",
                        "credit_note",
                        credit_id,
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
                        credited_at,
                        chain,
                        buyer,
                    )
            if invoiced:
                number = f"HD-{producer_id}-{issued_on.year}-{sequence:06d}"
                vat = sum(
                    price * quantity * VAT_PERCENT // 100 for *_, price, quantity in invoice_lines_of_part
                )
                credited_total = sum(
                    price * n + price * n * VAT_PERCENT // 100 for _c, _l, price, n, _at in credits_of_part
                )
                invoices.add(
                    invoice_id,
                    number,
                    issued_on.year,
                    sequence,
                    f"OCOPHDN{invoice_id:08d}",
                    order_id,
                    order_id,
                    producer_id,
                    chain,
                    f"OCOP-N{order_id:09d}",
                    f"Chủ thể {producer_id}",
                    "Xã Một",
                    f"Chuỗi siêu thị {chain}",
                    f"{chain:010d}",
                    "1 Lê Lợi",
                    issued_on,
                    issued_on + timedelta(days=30),
                    30,
                    subtotal,
                    vat,
                    subtotal + vat,
                    0,
                    credited_total,
                    sold_at,
                )
                for ilid, lid, product_id, price, quantity in invoice_lines_of_part:
                    invoice_lines.add(
                        ilid,
                        invoice_id,
                        lid,
                        f"Sản phẩm {product_id}",
                        f"SKU-{product_id}",
                        "box",
                        quantity,
                        price,
                        price * quantity,
                        VAT_PERCENT,
                        price * quantity * VAT_PERCENT // 100,
                    )
                for n, (cid, ilid, price, credited, credited_at) in enumerate(credits_of_part, 1):
                    credit_vat = price * credited * VAT_PERCENT // 100
                    credit_notes.add(
                        cid,
                        f"{number}-CN{n}",
                        invoice_id,
                        ilid,
                        "shortfall",
                        credited,
                        "",
                        price * credited,
                        credit_vat,
                        price * credited + credit_vat,
                        credited_at,
                    )
        for table in tables:
            table.flush()
        # Sales declared outside the platform: about 40 % of the producers declare some months,
        # most accepted, some waiting or rejected (only accepted ones count as declared).
        declaration_id = 0
        months = [add_months(date(2024, 1, 1), k) for k in range(36)]
        for producer_id in range(1, producers_n + 1):
            if rng.random() >= 0.4:
                continue
            for month in months:
                if rng.random() >= 0.3:
                    continue
                declaration_id += 1
                declarations.add(
                    declaration_id,
                    producer_id,
                    month,
                    rng.choice(declared_channels),
                    rng.randrange(1, 200) * 100_000,
                    rng.randrange(10, 500),
                    "",
                    rng.choices(("accepted", "submitted", "rejected"), (0.85, 0.1, 0.05))[0],
                    datetime.combine(add_months(month, 1), datetime.min.time()),
                )
        declarations.flush()
        counts.update(invoices=invoice_id, credit_notes=credit_id, sales_declarations=declaration_id)
        counts.update(orders=order_id, order_lines=line_id, sales_entries=entry_id)
        for table in (
            "producers",
            "products",
            "certifications",
            "orders",
            "producer_orders",
            "order_lines",
            "sales_entries",
            "buyer_organisations",
            "invoices",
            "invoice_lines",
            "credit_notes",
            "sales_declarations",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        from marketplace.reports.summaries import rebuild_sql

        for statement in rebuild_sql("postgresql"):  # the summaries the ORM would have kept in step
            cur.execute(statement)
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE")
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


DASHBOARD, DRILL = "/admin/programme", "/admin/programme/producers"
ADMIN_PAGES = [
    ("dashboard, 2026, whole country", "/admin/programme?start=2026-01&end=2026-12"),
    ("dashboard, 2024-2026", "/admin/programme?start=2024-01&end=2026-12"),
    ("dashboard, one province", "/admin/programme?start=2026-01&end=2026-12&province=ha-noi"),
    ("dashboard, 63 former provinces", "/admin/programme?start=2026-01&end=2026-12&units=63"),
    (
        "dashboard, one former province",
        "/admin/programme?start=2026-01&end=2026-12&units=63&province=ha-giang",
    ),
    (
        "drill-down, modern channels",
        "/admin/programme/producers?metric=modern_channel_share&start=2026-01&end=2026-12",
    ),
    (
        "drill-down, last page",
        "/admin/programme/producers?metric=modern_channel_share&start=2026-01&end=2026-12&page=99",
    ),
    (
        "drill-down, one province",
        f"{DRILL}?metric=cooperative_share&start=2026-01&end=2026-12&province=ha-noi",
    ),
    ("dashboard XLSX export", "/admin/programme.xlsx?start=2026-01&end=2026-12"),
    ("dashboard CSV export", "/admin/programme.csv?start=2024-01&end=2026-12"),
    ("public figures", "/programme?start=2026-01&end=2026-12"),
]
PRODUCER_PAGES = [  # producer 1, the big one: about 5 % of the orders
    ("producer report, 2026", "/portal/reports/?kind=year&value=2026"),
    ("producer report, 2024-2026", "/portal/reports/?kind=custom&start=2024-01-01&end=2026-12-31"),
    ("producer report XLSX, 2026", "/portal/reports/export.xlsx?kind=year&value=2026"),
    ("producer report CSV, 2026", "/portal/reports/export.csv?kind=year&value=2026"),
]


def _clients(app):
    """Test clients signed in as the benchmark's administrator and as a member of producer 1
    (created at the first run on a database and kept)."""
    from marketplace.accounts.models import ProducerMembership, User
    from marketplace.extensions import db
    from tests.conftest import sign_in_as
    from tests.factories import make_user

    with app.app_context():
        admin = db.session.query(User).filter_by(email="bench-admin@example.vn").one_or_none()
        if admin is None:  # a kept database has them from its first run
            admin = make_user("bench-admin@example.vn", is_admin=True)
            db.session.commit()
        member = db.session.query(User).filter_by(email="bench-producer@example.vn").one_or_none()
        if member is None:
            member = make_user("bench-producer@example.vn")
            db.session.add(ProducerMembership(user_id=member.id, producer_id=1, role="owner"))
            db.session.commit()
        clients = app.test_client(), app.test_client()
        sign_in_as(clients[0], admin)
        sign_in_as(clients[1], member)
    return clients


def forget_kept_figures() -> None:
    """Empty every in-process cache the report pages use: the next request reads and draws all."""
    from marketplace.catalog import cache
    from marketplace.reports import charts, programme_charts

    cache.clear()
    charts._cached_bars.cache_clear()
    programme_charts._bars.cache_clear()


def benchmark(app, runs: int, *, cold: bool, only: str = "") -> list[tuple[str, float, float]]:
    """p50 and p95 (ms) of each report page whose label contains `only`. `cold`: every cache
    emptied before each request (the first request after any change to the catalogue, or to the
    sales behind a chart)."""
    admin, producer = _clients(app)
    results = []
    for client, pages in ((admin, ADMIN_PAGES), (producer, PRODUCER_PAGES)):
        for label, url in pages:
            if only not in label:
                continue
            timings = []
            with app.app_context():
                client.get(url)  # once first, so that the warm figures are warm
            for _ in range(runs):
                if cold:
                    forget_kept_figures()
                with app.app_context():
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
            results.append((label, statistics.median(timings), percentile(timings, 0.95)))
    return results


def print_timings(title: str, results: list[tuple[str, float, float]]) -> None:
    print(f"{title:44} {'p50 ms':>8} {'p95 ms':>8}  target p95 < {TARGET_P95_MS} ms", flush=True)
    for label, p50, p95 in results:
        verdict = "met" if p95 < TARGET_P95_MS else "NOT MET"
        print(f"  {label:42} {p50:8.0f} {p95:8.0f}  {verdict}", flush=True)


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
    peak = rss_mb()
    print(
        f"ledger CSV export 2024-2026: {rows - 1:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s; "
        f"peak RSS {peak:.0f} MB (app loaded: {before:.0f} MB); target < {TARGET_RSS_MB} MB: "
        + ("met" if peak < TARGET_RSS_MB else "NOT MET")
    )


def ledger_check(url: str) -> str:
    """`flask ledger check` on the database, in its own process: every order part's figure
    recomputed from its order's state and compared with the ledger, and both monthly summaries
    compared with the ledger they sum. Its last line, and whether it passed."""
    import os
    import subprocess

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "ledger", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "FLASK_DEBUG": "0"},
    )
    output = (result.stdout.strip().splitlines() or [""])[-1]
    if result.returncode:
        output = "; ".join(result.stderr.strip().splitlines()[-2:]) or output
    verdict = "passed" if result.returncode == 0 else "FAILED"
    return f"ledger check {verdict} in {time.perf_counter() - started:.0f} s: {output}"


@contextmanager
def database(args, tmp: Path) -> Iterator[tuple[str, bool]]:
    """(URL, whether to build it): a kept database by name, or a temporary one dropped after."""
    server = sa.engine.make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    name = args.database or args.keep
    if not name:
        with temporary_database("postgresql", tmp, "ocop_national") as url:
            yield url, True
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if args.keep:
            if exists:
                raise SystemExit(f"database {name} exists: reuse it with --database {name}, or drop it")
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        elif not exists:
            raise SystemExit(f"no database {name}: build one with --keep {name}")
    admin.dispose()
    yield server.set(database=name).render_as_string(hide_password=False), bool(args.keep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=10, help="requests per page with caches emptied")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", metavar="NAME", help="build into a new database NAME and keep it")
    where.add_argument("--database", metavar="NAME", help="reuse the database NAME (built with --keep)")
    parser.add_argument("--build-only", action="store_true", help="build and check; time nothing")
    parser.add_argument("--no-check", action="store_true", help="skip the ledger check")
    parser.add_argument("--pages", default="", metavar="TEXT", help="time only pages labelled with TEXT")
    parser.add_argument("--no-export", action="store_true", help="skip the full-period CSV export")
    parser.add_argument("--export-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        export_only(args.export_only)
        return

    from flask_migrate import upgrade

    from marketplace import create_app

    with tempfile.TemporaryDirectory() as tmp, database(args, Path(tmp)) as (url, build):
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
            upgrade()  # on a kept database: the migrations added since it was built
        name = sa.engine.make_url(url).database
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, database {name}, load average {load_average()}")
        if build:
            started = time.perf_counter()
            counts = generate(url, args.scale)
            print(
                f"scale {args.scale}: loaded in {time.perf_counter() - started:.0f} s: "
                + ", ".join(f"{n:,} {table}" for table, n in counts.items()),
                flush=True,
            )
        with app.app_context():
            from marketplace.extensions import db

            db.engine.dispose()
        if not args.no_check:
            print(ledger_check(url), flush=True)
        if args.build_only:
            return
        warm = benchmark(app, args.runs, cold=False, only=args.pages)
        print_timings("page (warm: kept figures and charts)", warm)
        cold = benchmark(app, args.cold_runs, cold=True, only=args.pages)
        print_timings("page (cold: every cache emptied first)", cold)
        with app.app_context():
            db.engine.dispose()
        if not args.no_export:
            print(export_benchmark(url))
        print(f"load average {load_average()}")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
