"""portal: stock adjustments, low-stock threshold per product

Revision ID: 0007_portal
Revises: 0006_certification
Create Date: 2026-11-29 22:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_portal"
down_revision = "0006_certification"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stock_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("stock_after", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "reason IN ('received', 'counted', 'damaged')", name=op.f("ck_stock_adjustments_reason")
        ),
        sa.CheckConstraint("stock_after >= 0", name=op.f("ck_stock_adjustments_stock_after_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_adjustments_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_stock_adjustments_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_adjustments")),
    )
    op.create_index(
        "ix_stock_adjustments_product_at", "stock_adjustments", ["product_id", "at"], unique=False
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("low_stock_threshold", sa.Integer(), server_default="5", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_products_low_stock_threshold_not_negative"), "low_stock_threshold >= 0"
        )


def downgrade():
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_products_low_stock_threshold_not_negative"), type_="check")
        batch_op.drop_column("low_stock_threshold")
    op.drop_index("ix_stock_adjustments_product_at", table_name="stock_adjustments")
    op.drop_table("stock_adjustments")
