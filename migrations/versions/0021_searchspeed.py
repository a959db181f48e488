"""search: a tsvector of the product name alone, with its GIN index, for the PostgreSQL backend's
suggestions (nothing on SQLite)

Revision ID: 0021_searchspeed
Revises: 0020_programme
Create Date: 2026-12-04 22:10:00

Suggestions match the words of a product's name. Matched against the whole document with a weight
(`'ch':*A`), every document with a word starting "ch" anywhere had to be read back and checked;
a name-only vector answers from the index alone.
"""

from __future__ import annotations

from alembic import op

revision = "0021_searchspeed"
down_revision = "0020_programme"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN name_document tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, ocop_unaccent(coalesce(name, '')))) STORED"
    )
    op.execute("CREATE INDEX ix_search_documents_name ON search_documents USING gin (name_document)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_documents_name")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS name_document")
