"""engagement: polls and votes, 精华, silent-member warnings

Revision ID: 0070
Revises: 0001
Create Date: 2026-12-03 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0070"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=96), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_polls_group_open", "polls", ["group_key", "closed_at"])
    op.create_table(
        "poll_votes",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("poll_id", BigIntId, nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("voted_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("poll_id", "user_id"),
    )
    op.create_table(
        "essence",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("message_id", sa.String(length=96), nullable=False),
        sa.Column("author_id", sa.String(length=96), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(length=96), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("group_key", "message_id"),
    )
    op.create_index("ix_essence_group_author", "essence", ["group_key", "author_id"])
    op.create_table(
        "silence_warnings",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("warned_at", UTCDateTime(), nullable=False),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("group_key", "user_id", "warned_at"),
    )


def downgrade() -> None:
    op.drop_table("silence_warnings")
    op.drop_index("ix_essence_group_author", table_name="essence")
    op.drop_table("essence")
    op.drop_table("poll_votes")
    op.drop_index("ix_polls_group_open", table_name="polls")
    op.drop_table("polls")
