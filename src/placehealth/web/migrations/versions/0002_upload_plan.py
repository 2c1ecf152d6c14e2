"""Uploads name the plan their actuals are for and how many rows they held.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("uploads", sa.Column("plan", sa.String(200), nullable=False, server_default=""))
    op.add_column("uploads", sa.Column("rows", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("uploads") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("rows")
        batch.drop_column("plan")
