"""producer order parts: when the producer was reminded that a part waits for acceptance

Revision ID: 0014_producer_reminders
Revises: 0013_api
Create Date: 2026-12-05 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_producer_reminders"
down_revision = "0013_api"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("producer_orders") as batch_op:
        batch_op.add_column(sa.Column("acceptance_reminder_sent_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("producer_orders") as batch_op:
        batch_op.drop_column("acceptance_reminder_sent_at")
