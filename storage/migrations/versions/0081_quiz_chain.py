"""quiz rounds and entries, 话题接龙 entries

Revision ID: 0081
Revises: 0001
Create Date: 2026-12-03 07:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0081"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_rounds",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("question_index", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("drawn_at", UTCDateTime(), nullable=True),
        sa.Column("seed", sa.String(length=32), nullable=True),
    )
    op.create_index("ix_quiz_rounds_group_open", "quiz_rounds", ["group_key", "drawn_at"])
    op.create_table(
        "quiz_entries",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("round_id", BigIntId, nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "user_id"),
    )
    op.create_table(
        "chain_entries",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("group_key", "day", "position"),
    )


def downgrade() -> None:
    op.drop_table("chain_entries")
    op.drop_table("quiz_entries")
    op.drop_index("ix_quiz_rounds_group_open", table_name="quiz_rounds")
    op.drop_table("quiz_rounds")
