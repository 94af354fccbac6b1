"""door: join requests answered through a private questionnaire

Revision ID: 0110
Revises: 0001
Create Date: 2026-12-03 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0110"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "join_requests",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("user_name", sa.String(length=256), nullable=False),
        sa.Column("private_chat_id", sa.String(length=96), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("deadline", storage.types.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=96), nullable=True),
        sa.Column("invite_link", sa.String(length=512), nullable=True),
        sa.Column("delivery", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_key", "user_id"),
    )
    op.create_index(
        "ix_join_requests_due", "join_requests", ["group_key", "status", "deadline"], unique=False
    )
    op.create_index("ix_join_requests_user", "join_requests", ["user_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_join_requests_user", table_name="join_requests")
    op.drop_index("ix_join_requests_due", table_name="join_requests")
    op.drop_table("join_requests")
