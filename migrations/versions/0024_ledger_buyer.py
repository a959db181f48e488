"""the buyer on each ledger row (copied from its order), and an index that covers the producer report

Revision ID: 0024_ledger_buyer
Revises: 0023_reports
Create Date: 2026-12-05 08:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_ledger_buyer"
down_revision = "0023_reports"
branch_labels = None
depends_on = None

# As marketplace.reports.ledger.buyer_key_of, in SQL.
BUYER_KEY = """CASE
    WHEN orders.buyer_organisation_id IS NOT NULL THEN 'org:' || CAST(orders.buyer_organisation_id AS TEXT)
    WHEN orders.customer_id IS NOT NULL THEN 'user:' || CAST(orders.customer_id AS TEXT)
    ELSE 'guest:' || lower(orders.contact_email)
END"""

BUYER_FK = "fk_sales_entries_buyer_organisation_id_buyer_organisations"
REPORT_COLUMNS = [
    "producer_id",
    "occurred_at",
    "channel",
    "product_id",
    "order_id",
    "buyer_organisation_id",
    "buyer_key",
    "amount_vnd",
    "units",
]


def upgrade():
    with op.batch_alter_table("sales_entries") as batch:
        batch.add_column(sa.Column("buyer_organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("buyer_key", sa.String(length=270), nullable=True))
    # One statement for every row (2 million at national scale: a minute, not hours).
    op.execute(
        f"UPDATE sales_entries SET buyer_organisation_id = orders.buyer_organisation_id, "
        f"buyer_key = {BUYER_KEY} FROM orders WHERE orders.id = sales_entries.order_id"
    )
    with op.batch_alter_table("sales_entries") as batch:
        batch.alter_column("buyer_key", existing_type=sa.String(length=270), nullable=False)
        batch.create_foreign_key(
            op.f(BUYER_FK),
            "buyer_organisations",
            ["buyer_organisation_id"],
            ["id"],
        )
        batch.drop_index("ix_sales_entries_producer_occurred")
        batch.create_index("ix_sales_entries_producer_report", REPORT_COLUMNS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE sales_entries")


def downgrade():
    with op.batch_alter_table("sales_entries") as batch:
        batch.drop_index("ix_sales_entries_producer_report")
        batch.create_index("ix_sales_entries_producer_occurred", ["producer_id", "occurred_at"])
        batch.drop_constraint(op.f(BUYER_FK), "foreignkey")
        batch.drop_column("buyer_key")
        batch.drop_column("buyer_organisation_id")
