"""English names and descriptions of products; producers' short codes

Revision ID: 0018_english_names
Revises: 0017_payouts
Create Date: 2026-12-04 19:30:00

Products may carry an English name and description, shown in the English interface (the
Vietnamese ones otherwise) and indexed for search. Producers get a short code (e.g. "CCNM"),
unique and kept once assigned, that wholesale product codes start with ("CCNM/014"); producers
that exist already get "P" and their id.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_english_names"
down_revision = "0017_payouts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("description_en", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("producers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=16), nullable=True))
    op.execute("UPDATE producers SET code = 'P' || CAST(id AS VARCHAR(12))")
    with op.batch_alter_table("producers", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_producers_code"), ["code"])


def downgrade():
    with op.batch_alter_table("producers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_producers_code"), type_="unique")
        batch_op.drop_column("code")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("description_en")
        batch_op.drop_column("name_en")
