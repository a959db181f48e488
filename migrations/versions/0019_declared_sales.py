"""declared sales: what producers sold outside the platform, per month and channel, as declared
(versions of an accepted figure chained by supersedes_id)

Revision ID: 0019_declared_sales
Revises: 0018_english_names
Create Date: 2026-12-04 19:27:57.672577

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_declared_sales"
down_revision = "0018_english_names"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sales_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence_key", sa.String(length=255), nullable=True),
        sa.Column("evidence_media_type", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("admin_message", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('ecommerce', 'convenience_store', 'supermarket_offline', "
            "'traditional_market', 'export', 'direct')",
            name=op.f("ck_sales_declarations_channel"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'queried', 'accepted', 'rejected', 'superseded')",
            name=op.f("ck_sales_declarations_status"),
        ),
        sa.CheckConstraint("amount_vnd >= 0", name=op.f("ck_sales_declarations_amount_not_negative")),
        sa.CheckConstraint(
            "units IS NULL OR units >= 0", name=op.f("ck_sales_declarations_units_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_sales_declarations_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producers.id"], name=op.f("fk_sales_declarations_producer_id_producers")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_sales_declarations_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["sales_declarations.id"],
            name=op.f("fk_sales_declarations_supersedes_id_sales_declarations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_declarations")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_sales_declarations_supersedes_id")),
    )
    with op.batch_alter_table("sales_declarations", schema=None) as batch_op:
        batch_op.create_index("ix_sales_declarations_producer_month", ["producer_id", "month"], unique=False)


def downgrade():
    with op.batch_alter_table("sales_declarations", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_declarations_producer_month")

    op.drop_table("sales_declarations")
