"""programme targets: periods, national targets (seeded: Decision 919/QĐ-TTg, 2021–2025), province
targets; monthly sales summaries

Revision ID: 0020_programme
Revises: 0019_declared_sales
Create Date: 2026-12-04 19:30:00

The summaries (`reports/summaries.py`) are filled from the ledger as it stands, with the same
GROUP BY as `summaries.rebuild`. The seed reads `marketplace/reports/data/programme-targets.csv`,
the same file as `flask reports seed-targets`, with plain SQL (never the app's models, which change).
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0020_programme"
down_revision = "0019_declared_sales"
branch_labels = None
depends_on = None

TARGETS_CSV = (
    Path(__file__).resolve().parents[2] / "marketplace" / "reports" / "data" / "programme-targets.csv"
)


def upgrade():
    periods = op.create_table(
        "programme_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("decision", sa.String(length=200), nullable=False),
        sa.Column("start_year", sa.SmallInteger(), nullable=False),
        sa.Column("end_year", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("end_year >= start_year", name=op.f("ck_programme_periods_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_periods")),
        sa.UniqueConstraint("name", name=op.f("uq_programme_periods_name")),
    )
    targets = op.create_table(
        "programme_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("comparison", sa.String(length=16), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "comparison IN ('at_least', 'between')", name=op.f("ck_programme_targets_comparison")
        ),
        sa.CheckConstraint(
            "(comparison = 'at_least' AND high IS NULL) OR "
            "(comparison = 'between' AND high IS NOT NULL AND high >= low)",
            name=op.f("ck_programme_targets_bounds"),
        ),
        sa.CheckConstraint("low >= 0", name=op.f("ck_programme_targets_low")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["programme_periods.id"],
            name=op.f("fk_programme_targets_period_id_programme_periods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_targets")),
        sa.UniqueConstraint("period_id", "metric", name="uq_programme_targets_period_metric"),
    )
    op.create_table(
        "province_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_province_targets_value")),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_province_targets_set_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_targets")),
        sa.UniqueConstraint(
            "province_code", "year", "metric", name="uq_province_targets_province_year_metric"
        ),
    )
    op.create_table(
        "sales_producer_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", "producer_id", "channel", name=op.f("pk_sales_producer_months")),
    )
    op.create_table(
        "sales_cell_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=False),
        sa.Column("former_province_code", sa.String(length=40), nullable=False),
        sa.Column("group_code", sa.String(length=32), nullable=False),
        sa.Column("star_class", sa.Integer(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month",
            "channel",
            "province_code",
            "former_province_code",
            "group_code",
            "star_class",
            name=op.f("pk_sales_cell_months"),
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(timezone('Asia/Ho_Chi_Minh', timezone('UTC', occurred_at)), 'YYYY-MM')"
    else:
        month = "strftime('%Y-%m', occurred_at, '+7 hours')"
    op.execute(
        f"INSERT INTO sales_producer_months (month, producer_id, channel, amount_vnd, units) "
        f"SELECT {month}, producer_id, channel, SUM(amount_vnd), SUM(units) FROM sales_entries "
        f"GROUP BY {month}, producer_id, channel"
    )
    op.execute(
        f"INSERT INTO sales_cell_months (month, channel, province_code, former_province_code, group_code, "
        f"star_class, amount_vnd, units) "
        f"SELECT {month}, channel, province_code, COALESCE(former_province_code, ''), group_code, "
        f"COALESCE(star_class, 0), SUM(amount_vnd), SUM(units) FROM sales_entries "
        f"GROUP BY {month}, channel, province_code, COALESCE(former_province_code, ''), group_code, "
        f"COALESCE(star_class, 0)"
    )
    with open(TARGETS_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names: dict[str, int] = {}
    for row in rows:
        if row["period"] not in names:
            names[row["period"]] = len(names) + 1
            op.bulk_insert(
                periods,
                [
                    {
                        "id": names[row["period"]],
                        "name": row["period"],
                        "decision": row["decision"],
                        "start_year": int(row["start_year"]),
                        "end_year": int(row["end_year"]),
                    }
                ],
            )
    op.bulk_insert(
        targets,
        [
            {
                "id": i,
                "period_id": names[row["period"]],
                "metric": row["metric"],
                "comparison": row["comparison"],
                "low": int(row["low"]),
                "high": int(row["high"]) if row["high"] else None,
            }
            for i, row in enumerate(rows, start=1)
        ],
    )
    if op.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        op.execute("SELECT setval('programme_periods_id_seq', (SELECT MAX(id) FROM programme_periods))")
        op.execute("SELECT setval('programme_targets_id_seq', (SELECT MAX(id) FROM programme_targets))")


def downgrade():
    op.drop_table("sales_cell_months")
    op.drop_table("sales_producer_months")
    op.drop_table("province_targets")
    op.drop_table("programme_targets")
    op.drop_table("programme_periods")
