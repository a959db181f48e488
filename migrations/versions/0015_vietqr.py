"""VietQR and bank statements: orders.payment_method 'vietqr' and orders.payment_reference;
sales_entries.source_kind 'transfer_payment';
bank_statements and bank_transactions (each bank transaction once)

Revision ID: 0015_vietqr
Revises: 0014_producer_reminders
Create Date: 2026-12-04 19:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_vietqr"
down_revision = "0014_producer_reminders"
branch_labels = None
depends_on = None

OLD_PAYMENT_METHODS = "payment_method IN ('card', 'cod', 'invoice')"
NEW_PAYMENT_METHODS = "payment_method IN ('card', 'cod', 'invoice', 'vietqr')"
OLD_SOURCE_KINDS = (
    "source_kind IN ('card_payment', 'cash_collection', 'invoice', 'part_cancellation', 'credit_note')"
)
NEW_SOURCE_KINDS = (
    "source_kind IN ('card_payment', 'transfer_payment', 'cash_collection', 'invoice', "
    "'part_cancellation', 'credit_note')"
)


def upgrade():
    with op.batch_alter_table("sales_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sales_entries_source_kind"), type_="check")
        batch_op.create_check_constraint("source_kind", NEW_SOURCE_KINDS)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_reference", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_orders_payment_reference"), ["payment_reference"])
        batch_op.drop_constraint(op.f("ck_orders_payment_method"), type_="check")
        batch_op.create_check_constraint("payment_method", NEW_PAYMENT_METHODS)

    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layout", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("lines_read", sa.Integer(), nullable=False),
        sa.Column("lines_new", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_bank_statements_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statements")),
    )
    op.create_table(
        "bank_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=120), nullable=False),
        sa.Column("bank_transaction_id", sa.String(length=80), nullable=True),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("running_balance_vnd", sa.BigInteger(), nullable=True),
        sa.Column("payment_reference", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("invoice_payment_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_bank_transactions_amount_positive")),
        sa.CheckConstraint(
            "status IN ('applied', 'queued', 'resolved', 'dismissed')",
            name=op.f("ck_bank_transactions_status"),
        ),
        sa.CheckConstraint(
            "reason IS NULL OR reason IN ('underpaid', 'overpaid', 'unknown_reference', 'already_paid', "
            "'order_cancelled', 'not_applicable')",
            name=op.f("ck_bank_transactions_reason"),
        ),
        sa.CheckConstraint(
            "NOT (order_id IS NOT NULL AND invoice_id IS NOT NULL)",
            name=op.f("ck_bank_transactions_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statements.id"],
            name=op.f("fk_bank_transactions_statement_id_bank_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_bank_transactions_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_bank_transactions_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_payment_id"],
            ["invoice_payments.id"],
            name=op.f("fk_bank_transactions_invoice_payment_id_invoice_payments"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["users.id"],
            name=op.f("fk_bank_transactions_resolved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transactions")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_bank_transactions_fingerprint")),
    )
    with op.batch_alter_table("bank_transactions", schema=None) as batch_op:
        batch_op.create_index("ix_bank_transactions_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_transactions_statement_id"), ["statement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_transactions_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_transactions_invoice_id"), ["invoice_id"], unique=False)


def downgrade():
    with op.batch_alter_table("bank_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transactions_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transactions_order_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transactions_statement_id"))
        batch_op.drop_index("ix_bank_transactions_status")
    op.drop_table("bank_transactions")
    op.drop_table("bank_statements")
    # VietQR orders cannot stay under the old constraint: refuse rather than lose them silently.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM orders WHERE payment_method = 'vietqr'")).scalar():
        raise RuntimeError("VietQR orders exist; they cannot be kept under the old payment methods.")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_orders_payment_method"), type_="check")
        batch_op.create_check_constraint("payment_method", OLD_PAYMENT_METHODS)
        batch_op.drop_constraint(batch_op.f("uq_orders_payment_reference"), type_="unique")
        batch_op.drop_column("payment_reference")
    with op.batch_alter_table("sales_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sales_entries_source_kind"), type_="check")
        batch_op.create_check_constraint("source_kind", OLD_SOURCE_KINDS)
