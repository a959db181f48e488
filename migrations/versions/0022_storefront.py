"""when the catalogue version last rose

Revision ID: 0022_storefront
Revises: 0021_searchspeed
Create Date: 2026-12-04 21:50:00

`catalog_state.changed_at` is the time of the last change to what the storefront shows: the
Last-Modified of the pages served whole from the public page cache (`catalog/page_cache.py`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_storefront"
down_revision = "0021_searchspeed"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.drop_column("changed_at")
