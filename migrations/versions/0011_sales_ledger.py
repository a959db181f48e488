"""sales ledger: sales_entries, backfilled from existing orders; producers.former_province_code

Revision ID: 0011_sales_ledger
Revises: 0010_wholesale
Create Date: 2026-12-05 10:00:00

The backfill derives, with SQL reads of the tables as they are at this revision (never the app's
models, which change), the rows the live rules of `marketplace/reports/ledger.py` would have
written, dated by the events that caused them:
- card orders: at the order's first OrderEvent to "paid", a sale per line of every part not
  cancelled before that event (by event id); a part cancelled after it, at its first event to
  "cancelled"/"refunded", a "refund" row per line taking the sale back out;
- cash on delivery: a sale per line at the part's event to "delivered", once the cash was
  collected (`cod_collected_at`);
- on terms: a sale per goods line of each invoice at its `created_at`;
- credit notes: minus their goods amount and units at their `created_at`.
Province, group and star class are read as they are now (the database keeps no history of them):
the star class is that of a verified certificate in force on the row's day in Vietnam.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = "0011_sales_ledger"
down_revision = "0010_wholesale"
branch_labels = None
depends_on = None

# The current provinces (July 2025) that continue exactly one former unit: current code -> former
# code. Every other province was formed from several, so the former unit is unknown (NULL).
SOLE_FORMER_PROVINCE = {
    "ha-noi": "ha-noi",
    "hue": "thua-thien-hue",
    "lai-chau": "lai-chau",
    "dien-bien": "dien-bien",
    "son-la": "son-la",
    "lang-son": "lang-son",
    "quang-ninh": "quang-ninh",
    "thanh-hoa": "thanh-hoa",
    "nghe-an": "nghe-an",
    "ha-tinh": "ha-tinh",
    "cao-bang": "cao-bang",
}
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving since 1975

producers = sa.table(
    "producers",
    sa.column("id", sa.Integer),
    sa.column("province_code", sa.String),
    sa.column("former_province_code", sa.String),
)
products = sa.table("products", sa.column("id", sa.Integer), sa.column("group_code", sa.String))
certifications = sa.table(
    "certifications",
    sa.column("product_id", sa.Integer),
    sa.column("star_class", sa.Integer),
    sa.column("status", sa.String),
    sa.column("issued_on", sa.Date),
    sa.column("expires_on", sa.Date),
)
orders = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("payment_method", sa.String),
)
producer_orders = sa.table(
    "producer_orders",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("producer_id", sa.Integer),
    sa.column("cod_collected_at", sa.DateTime),
)
order_lines = sa.table(
    "order_lines",
    sa.column("id", sa.Integer),
    sa.column("producer_order_id", sa.Integer),
    sa.column("product_id", sa.Integer),
    sa.column("quantity", sa.Integer),
    sa.column("line_total_vnd", sa.BigInteger),
)
order_events = sa.table(
    "order_events",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("producer_order_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("at", sa.DateTime),
)
invoices = sa.table(
    "invoices",
    sa.column("id", sa.Integer),
    sa.column("producer_order_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
invoice_lines = sa.table(
    "invoice_lines",
    sa.column("id", sa.Integer),
    sa.column("invoice_id", sa.Integer),
    sa.column("order_line_id", sa.Integer),
    sa.column("quantity", sa.Integer),
    sa.column("amount_vnd", sa.BigInteger),
)
credit_notes = sa.table(
    "credit_notes",
    sa.column("id", sa.Integer),
    sa.column("invoice_id", sa.Integer),
    sa.column("invoice_line_id", sa.Integer),
    sa.column("quantity", sa.Integer),
    sa.column("amount_vnd", sa.BigInteger),
    sa.column("created_at", sa.DateTime),
)
sales_entries = sa.table(
    "sales_entries",
    sa.column("kind", sa.String),
    sa.column("source_kind", sa.String),
    sa.column("source_id", sa.Integer),
    sa.column("producer_id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("producer_order_id", sa.Integer),
    sa.column("order_line_id", sa.Integer),
    sa.column("product_id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("province_code", sa.String),
    sa.column("former_province_code", sa.String),
    sa.column("group_code", sa.String),
    sa.column("star_class", sa.SmallInteger),
    sa.column("amount_vnd", sa.BigInteger),
    sa.column("units", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
)


def upgrade():
    with op.batch_alter_table("producers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("former_province_code", sa.String(length=40), nullable=True))

    op.create_table(
        "sales_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_kind", sa.String(length=24), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("producer_order_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=False),
        sa.Column("former_province_code", sa.String(length=40), nullable=True),
        sa.Column("group_code", sa.String(length=32), nullable=False),
        sa.Column("star_class", sa.SmallInteger(), nullable=True),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sale', 'refund', 'cancellation', 'credit_note')", name=op.f("ck_sales_entries_kind")
        ),
        sa.CheckConstraint(
            "source_kind IN ('card_payment', 'cash_collection', 'invoice', 'part_cancellation', "
            "'credit_note')",
            name=op.f("ck_sales_entries_source_kind"),
        ),
        sa.CheckConstraint(
            "(kind = 'sale' AND amount_vnd >= 0 AND units >= 0) "
            "OR (kind <> 'sale' AND amount_vnd <= 0 AND units <= 0)",
            name=op.f("ck_sales_entries_sign_of_kind"),
        ),
        sa.CheckConstraint(
            "star_class IS NULL OR star_class BETWEEN 3 AND 5", name=op.f("ck_sales_entries_star_class")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_sales_entries_order_id_orders")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_sales_entries_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producers.id"], name=op.f("fk_sales_entries_producer_id_producers")
        ),
        sa.ForeignKeyConstraint(
            ["producer_order_id"],
            ["producer_orders.id"],
            name=op.f("fk_sales_entries_producer_order_id_producer_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_sales_entries_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_entries")),
        sa.UniqueConstraint("source_kind", "source_id", "order_line_id", name="uq_sales_entries_source_line"),
    )
    with op.batch_alter_table("sales_entries", schema=None) as batch_op:
        batch_op.create_index("ix_sales_entries_channel_occurred", ["channel", "occurred_at"], unique=False)
        batch_op.create_index(
            "ix_sales_entries_producer_occurred", ["producer_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sales_entries_producer_order_id"), ["producer_order_id"], unique=False
        )

    conn = op.get_bind()
    for code, former in SOLE_FORMER_PROVINCE.items():
        conn.execute(
            producers.update()
            .where(producers.c.province_code == code, producers.c.former_province_code.is_(None))
            .values(former_province_code=former)
        )
    rows = _backfill_rows(conn)
    if rows:
        op.bulk_insert(sales_entries, rows)


def _backfill_rows(conn) -> list[dict]:
    producer_places = {
        pid: (province, former)
        for pid, province, former in conn.execute(
            sa.select(producers.c.id, producers.c.province_code, producers.c.former_province_code)
        )
    }
    groups = dict(conn.execute(sa.select(products.c.id, products.c.group_code)).all())
    certificates: dict[int, list[tuple[int, object, object]]] = {}
    for product_id, stars, issued_on, expires_on in conn.execute(
        sa.select(
            certifications.c.product_id,
            certifications.c.star_class,
            certifications.c.issued_on,
            certifications.c.expires_on,
        ).where(certifications.c.status == "verified")
    ):
        certificates.setdefault(product_id, []).append((stars, issued_on, expires_on))
    order_info = {
        oid: (channel, method)
        for oid, channel, method in conn.execute(
            sa.select(orders.c.id, orders.c.channel, orders.c.payment_method)
        )
    }
    parts = {
        pid: (order_id, producer_id, collected)
        for pid, order_id, producer_id, collected in conn.execute(
            sa.select(
                producer_orders.c.id,
                producer_orders.c.order_id,
                producer_orders.c.producer_id,
                producer_orders.c.cod_collected_at,
            ).order_by(producer_orders.c.id)
        )
    }
    lines_of_part: dict[int, list[tuple[int, int, int, int]]] = {}
    product_of_line: dict[int, int] = {}
    for line_id, part_id, product_id, quantity, total in conn.execute(
        sa.select(
            order_lines.c.id,
            order_lines.c.producer_order_id,
            order_lines.c.product_id,
            order_lines.c.quantity,
            order_lines.c.line_total_vnd,
        ).order_by(order_lines.c.id)
    ):
        product_of_line[line_id] = product_id
        if quantity > 0:
            lines_of_part.setdefault(part_id, []).append((line_id, product_id, int(total), quantity))

    paid: dict[int, tuple[int, object]] = {}  # order -> its first event to "paid"
    cancelled: dict[int, tuple[int, object]] = {}  # part -> its first event to cancelled/refunded
    delivered: dict[int, tuple[int, object]] = {}  # part -> its event to "delivered"
    for event_id, order_id, part_id, to_status, at in conn.execute(
        sa.select(
            order_events.c.id,
            order_events.c.order_id,
            order_events.c.producer_order_id,
            order_events.c.to_status,
            order_events.c.at,
        ).order_by(order_events.c.id)
    ):
        if part_id is None and to_status == "paid":
            paid.setdefault(order_id, (event_id, at))
        elif part_id is not None and to_status in ("cancelled", "refunded"):
            cancelled.setdefault(part_id, (event_id, at))
        elif part_id is not None and to_status == "delivered":
            delivered.setdefault(part_id, (event_id, at))

    def stars_on(product_id: int, at) -> int | None:
        day = at.replace(tzinfo=UTC).astimezone(VIETNAM).date()
        found = [s for s, issued, expires in certificates.get(product_id, []) if issued <= day <= expires]
        return max(found) if found else None

    rows: list[dict] = []

    def add(part_id: int, figures, *, kind: str, source_kind: str, source_id: int, at) -> None:
        order_id, producer_id, _ = parts[part_id]
        province, former = producer_places[producer_id]
        for line_id, product_id, amount, units in figures:
            rows.append(
                {
                    "kind": kind,
                    "source_kind": source_kind,
                    "source_id": source_id,
                    "producer_id": producer_id,
                    "order_id": order_id,
                    "producer_order_id": part_id,
                    "order_line_id": line_id,
                    "product_id": product_id,
                    "channel": order_info[order_id][0],
                    "province_code": province,
                    "former_province_code": former or SOLE_FORMER_PROVINCE.get(province),
                    "group_code": groups[product_id],
                    "star_class": stars_on(product_id, at),
                    "amount_vnd": amount,
                    "units": units,
                    "occurred_at": at,
                }
            )

    for part_id, (order_id, _producer_id, collected) in parts.items():
        method = order_info[order_id][1]
        lines = lines_of_part.get(part_id, [])
        if method == "card" and order_id in paid:
            paid_event, paid_at = paid[order_id]
            cancel = cancelled.get(part_id)
            if cancel is not None and cancel[0] < paid_event:
                continue  # cancelled before the payment: never counted
            add(part_id, lines, kind="sale", source_kind="card_payment", source_id=paid_event, at=paid_at)
            if cancel is not None:
                reversal = [
                    (line_id, product_id, -amount, -units) for line_id, product_id, amount, units in lines
                ]
                add(
                    part_id,
                    reversal,
                    kind="refund",
                    source_kind="part_cancellation",
                    source_id=cancel[0],
                    at=cancel[1],
                )
        elif method == "cod" and collected is not None and part_id in delivered:
            event_id, at = delivered[part_id]
            add(part_id, lines, kind="sale", source_kind="cash_collection", source_id=event_id, at=at)

    goods_of_invoice: dict[int, list[tuple[int, int, int, int]]] = {}
    order_line_of_invoice_line: dict[int, int | None] = {}
    for il_id, invoice_id, line_id, quantity, amount in conn.execute(
        sa.select(
            invoice_lines.c.id,
            invoice_lines.c.invoice_id,
            invoice_lines.c.order_line_id,
            invoice_lines.c.quantity,
            invoice_lines.c.amount_vnd,
        ).order_by(invoice_lines.c.id)
    ):
        order_line_of_invoice_line[il_id] = line_id
        if line_id is not None:  # the delivery charge is not a sale
            goods_of_invoice.setdefault(invoice_id, []).append(
                (line_id, product_of_line[line_id], int(amount), quantity)
            )
    part_of_invoice = {}
    for invoice_id, part_id, created_at in conn.execute(
        sa.select(invoices.c.id, invoices.c.producer_order_id, invoices.c.created_at).order_by(invoices.c.id)
    ):
        part_of_invoice[invoice_id] = part_id
        add(
            part_id,
            goods_of_invoice.get(invoice_id, []),
            kind="sale",
            source_kind="invoice",
            source_id=invoice_id,
            at=created_at,
        )
    for note_id, invoice_id, il_id, quantity, amount, created_at in conn.execute(
        sa.select(
            credit_notes.c.id,
            credit_notes.c.invoice_id,
            credit_notes.c.invoice_line_id,
            credit_notes.c.quantity,
            credit_notes.c.amount_vnd,
            credit_notes.c.created_at,
        ).order_by(credit_notes.c.id)
    ):
        line_id = order_line_of_invoice_line.get(il_id)
        if line_id is None:
            continue
        add(
            part_of_invoice[invoice_id],
            [(line_id, product_of_line[line_id], -int(amount), -quantity)],
            kind="credit_note",
            source_kind="credit_note",
            source_id=note_id,
            at=created_at,
        )

    rows = [row for row in rows if row["amount_vnd"] or row["units"]]
    rows.sort(key=lambda row: row["occurred_at"])  # stable: same-moment rows keep their order
    return rows


def downgrade():
    with op.batch_alter_table("sales_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_entries_producer_order_id"))
        batch_op.drop_index("ix_sales_entries_producer_occurred")
        batch_op.drop_index("ix_sales_entries_channel_occurred")

    op.drop_table("sales_entries")
    with op.batch_alter_table("producers", schema=None) as batch_op:
        batch_op.drop_column("former_province_code")
