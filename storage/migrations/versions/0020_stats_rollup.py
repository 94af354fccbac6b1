"""stats roll-up: a group's figures per local day, and each member's interactions per day

Revision ID: 0020
Revises: 0001
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "stats_days",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("joins", sa.Integer(), nullable=False),
        sa.Column("leaves", sa.Integer(), nullable=False),
        sa.Column("speakers", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("checkins", sa.Integer(), nullable=False),
        sa.Column("removals", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("strikes", sa.JSON(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("computed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_days")),
        sa.UniqueConstraint("group_key", "day", name=op.f("uq_stats_days_group_key_day")),
    )
    op.create_table(
        "stats_member_days",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_member_days")),
        sa.UniqueConstraint(
            "group_key", "day", "user_id", name=op.f("uq_stats_member_days_group_key_day_user_id")
        ),
    )
    op.create_index(
        "ix_stats_member_days_group_user", "stats_member_days", ["group_key", "user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_stats_member_days_group_user", table_name="stats_member_days")
    op.drop_table("stats_member_days")
    op.drop_table("stats_days")
