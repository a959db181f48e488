"""wholesale order lists: the draft bulk order and saved lists

Revision ID: 0010_wholesale
Revises: 0009_invoicing
Create Date: 2026-11-29 22:01:11.162280

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_wholesale"
down_revision = "0009_invoicing"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "wholesale_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('draft', 'saved')", name=op.f("ck_wholesale_lists_kind")),
        sa.ForeignKeyConstraint(
            ["buyer_organisation_id"],
            ["buyer_organisations.id"],
            name=op.f("fk_wholesale_lists_buyer_organisation_id_buyer_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_wholesale_lists_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wholesale_lists")),
    )
    with op.batch_alter_table("wholesale_lists", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wholesale_lists_organisation_kind", ["buyer_organisation_id", "kind"], unique=False
        )

    op.create_table(
        "wholesale_list_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_list_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("delivery_location_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_wholesale_list_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["delivery_location_id"],
            ["delivery_locations.id"],
            name=op.f("fk_wholesale_list_lines_delivery_location_id_delivery_locations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_list_id"],
            ["wholesale_lists.id"],
            name=op.f("fk_wholesale_list_lines_order_list_id_wholesale_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_wholesale_list_lines_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wholesale_list_lines")),
        sa.UniqueConstraint("order_list_id", "product_id", name="uq_wholesale_list_lines_list_product"),
    )
    with op.batch_alter_table("wholesale_list_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wholesale_list_lines_order_list_id"), ["order_list_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_wholesale_list_lines_product_id"), ["product_id"], unique=False)


def downgrade():

    with op.batch_alter_table("wholesale_list_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wholesale_list_lines_product_id"))
        batch_op.drop_index(batch_op.f("ix_wholesale_list_lines_order_list_id"))

    op.drop_table("wholesale_list_lines")
    with op.batch_alter_table("wholesale_lists", schema=None) as batch_op:
        batch_op.drop_index("ix_wholesale_lists_organisation_kind")

    op.drop_table("wholesale_lists")
