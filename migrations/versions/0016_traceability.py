"""traceability: batches, their stock receipts and shipped lines; product GTIN and supply capacity

Revision ID: 0016_traceability
Revises: 0015_vietqr
Create Date: 2026-12-04 19:08:10.724501

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_traceability"
down_revision = "0015_vietqr"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_code", sa.String(length=20), nullable=False),
        sa.Column("production_date", sa.Date(), nullable=False),
        sa.Column("best_before", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("origin_commune", sa.String(length=120), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("picture_key", sa.String(length=255), nullable=True),
        sa.Column("recalled_at", sa.DateTime(), nullable=True),
        sa.Column("recall_reason", sa.Text(), nullable=True),
        sa.Column("recalled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(recalled_at IS NULL) = (recall_reason IS NULL)", name=op.f("ck_batches_recall_has_reason")
        ),
        sa.CheckConstraint(
            "best_before IS NULL OR best_before >= production_date",
            name=op.f("ck_batches_best_before_after_production"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_batches_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_batches_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producers.id"], name=op.f("fk_batches_producer_id_producers")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_batches_product_id_products")),
        sa.ForeignKeyConstraint(
            ["recalled_by_id"],
            ["users.id"],
            name=op.f("fk_batches_recalled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("product_id", "lot_code", name="uq_batches_product_lot"),
    )
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.create_index("ix_batches_producer_product", ["producer_id", "product_id"], unique=False)

    op.create_table(
        "batch_stock_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("stock_adjustment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
            name=op.f("fk_batch_stock_receipts_batch_id_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stock_adjustment_id"],
            ["stock_adjustments.id"],
            name=op.f("fk_batch_stock_receipts_stock_adjustment_id_stock_adjustments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_stock_receipts")),
        sa.UniqueConstraint("stock_adjustment_id", name=op.f("uq_batch_stock_receipts_stock_adjustment_id")),
    )
    with op.batch_alter_table("batch_stock_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_stock_receipts_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "order_line_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_order_line_batches_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_order_line_batches_order_line_id_order_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_order_line_batches_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_line_batches")),
        sa.UniqueConstraint("order_line_id", name=op.f("uq_order_line_batches_order_line_id")),
    )
    with op.batch_alter_table("order_line_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_line_batches_batch_id"), ["batch_id"], unique=False)

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gtin", sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column("monthly_capacity", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("season_months", sa.SmallInteger(), server_default="4095", nullable=False)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_products_gtin"), ["gtin"])
        batch_op.create_check_constraint(
            "monthly_capacity_not_negative", "monthly_capacity IS NULL OR monthly_capacity >= 0"
        )
        batch_op.create_check_constraint("season_months_range", "season_months BETWEEN 1 AND 4095")


def downgrade():
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_products_season_months_range"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_products_monthly_capacity_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_products_gtin"), type_="unique")
        batch_op.drop_column("season_months")
        batch_op.drop_column("monthly_capacity")
        batch_op.drop_column("gtin")

    with op.batch_alter_table("order_line_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_line_batches_batch_id"))

    op.drop_table("order_line_batches")
    with op.batch_alter_table("batch_stock_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_stock_receipts_batch_id"))

    op.drop_table("batch_stock_receipts")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index("ix_batches_producer_product")

    op.drop_table("batches")
