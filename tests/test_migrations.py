"""Every table comes from a migration, and the migrations build exactly what the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.extensions import db
from tests.conftest import make_app, temporary_database


def test_flask_db_upgrade_builds_the_schema_of_the_models_from_empty(backend, tmp_path) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = make_app(url, tmp_path)
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            with db.engine.connect() as conn:
                # The app's own comparison options (they leave the SQL-only search tables out).
                options = app.extensions["migrate"].configure_args
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_object": options["include_object"]}
                )
                differences = compare_metadata(context, db.metadata)
                version = conn.execute(sa.text("SELECT version FROM catalog_state WHERE id = 1")).scalar()
            db.engine.dispose()
    assert differences == []
    assert version == 0


def test_migrations_downgrade_to_empty_and_up_again(backend, tmp_path) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = make_app(url, tmp_path)
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        down = runner.invoke(args=["db", "downgrade", "base"])
        assert down.exit_code == 0, down.output
        with app.app_context():
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        with app.app_context():
            db.engine.dispose()
