"""devtools/backup-restore-check.sh really backs up and restores: a PostgreSQL database with orders
and ledger rows is dumped with pg_dump, restored into a new database, and every table's row count
and the money totals compared (PostgreSQL only: the production database)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.timeutil import utcnow
from tests.factories import make_product
from tests.orders.helpers import place

SCRIPT = Path(__file__).resolve().parents[1] / "devtools" / "backup-restore-check.sh"


def test_a_dump_restored_into_a_new_database_has_every_row_and_the_same_ledger(app, tmp_path) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("backups are of the production database, PostgreSQL")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    tea = make_product(stock=10, price_vnd=150_000)
    order = place([(tea, 3)], method="cod")
    part = order.producer_orders[0]
    orders.accept_producer_order(part, "producer")
    orders.ship_producer_order(part, "producer", carrier="GHN", tracking_number="1")
    orders.mark_delivered(part, "producer", utcnow())
    db.session.commit()
    ledger_total = db.session.scalar(sa.text("SELECT sum(amount_vnd) FROM sales_entries"))
    assert ledger_total == 450_000
    db.session.remove()

    url = db.engine.url.render_as_string(hide_password=False)
    result = subprocess.run(
        [str(SCRIPT), url, str(tmp_path / "backup.pgdump")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESTORE CHECK OK" in result.stdout
    assert "ledger amount_vnd 450000" in result.stdout and "rows orders 1" in result.stdout
    assert (tmp_path / "backup.pgdump").stat().st_size > 0  # the dump is kept where it was asked
    restored = re.search(r"identical in (\S+)", result.stdout)[1]
    with db.engine.connect() as conn:  # and the check's database is gone
        assert (
            conn.scalar(sa.text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": restored}) == 0
        )
