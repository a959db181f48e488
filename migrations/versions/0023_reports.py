"""the ledger's version: one row raised with every flush that adds ledger rows (a cache key)

Revision ID: 0023_reports
Revises: 0022_storefront
Create Date: 2026-12-04 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_reports"
down_revision = "0022_storefront"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_state")),
    )
    op.execute("INSERT INTO ledger_state (id, version) VALUES (1, 0)")


def downgrade():
    op.drop_table("ledger_state")
