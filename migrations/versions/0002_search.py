"""search: PostgreSQL full-text index (unaccent, tsvector, GIN) for SEARCH_BACKEND=postgres

Nothing happens on SQLite, where the Whoosh backend keeps its index in files.

Revision ID: 0002_search
Revises: 0001_catalogue
"""

from alembic import op

revision = "0002_search"
down_revision = "0001_catalogue"
branch_labels = None
depends_on = None


def _document(columns: list[tuple[str, str]], fold: bool) -> str:
    parts = []
    for column, weight in columns:
        value = f"coalesce({column}, '')"
        if fold:
            value = f"ocop_unaccent({value})"
        parts.append(f"setweight(to_tsvector('simple'::regconfig, {value}), '{weight}')")
    return " || ".join(parts)


_COLUMNS = [
    ("name", "A"),
    ("protection", "B"),
    ("province", "C"),
    ("producer", "C"),
    ("product_group", "D"),
    ("description", "D"),
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # unaccent() is only STABLE (its dictionary could change); indexes need an IMMUTABLE function.
    op.execute(
        """
        CREATE OR REPLACE FUNCTION ocop_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
        """
    )
    op.execute(
        f"""
        CREATE TABLE search_documents (
            product_id integer PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
            name text NOT NULL,
            producer text NOT NULL,
            province text NOT NULL,
            product_group text NOT NULL,
            protection text NOT NULL,
            description text NOT NULL,
            document tsvector GENERATED ALWAYS AS ({_document(_COLUMNS, fold=True)}) STORED,
            exact_document tsvector GENERATED ALWAYS AS ({_document(_COLUMNS, fold=False)}) STORED
        )
        """
    )
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")
    op.execute("CREATE INDEX ix_search_documents_exact ON search_documents USING gin (exact_document)")
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY)")
    op.execute("CREATE INDEX ix_search_words_trgm ON search_words USING gist (word gist_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("DROP TABLE IF EXISTS search_documents")
    op.execute("DROP FUNCTION IF EXISTS ocop_unaccent(text)")
