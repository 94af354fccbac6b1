"""broadcasts: one announcement to many groups, one delivery row per group (sent once)

Revision ID: 0130
Revises: 0001
Create Date: 2026-12-04 01:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0130"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=96), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "broadcast_deliveries",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("broadcast_id", BigIntId, nullable=False),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("broadcast_id", "group_key"),
    )
    op.create_index(
        "ix_broadcast_deliveries_due", "broadcast_deliveries", ["group_key", "sent_at", "not_before"]
    )


def downgrade() -> None:
    op.drop_index("ix_broadcast_deliveries_due", table_name="broadcast_deliveries")
    op.drop_table("broadcast_deliveries")
    op.drop_table("broadcasts")
