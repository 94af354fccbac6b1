"""door: newcomers waiting to pass join verification

Revision ID: 0010
Revises: 0001
Create Date: 2026-12-03 06:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verifications",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("user_name", sa.String(length=256), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("deadline", storage.types.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("invite_link", sa.String(length=512), nullable=True),
        sa.Column("actor_id", sa.String(length=96), nullable=True),
        sa.Column("join_delivery", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_key", "user_id"),
    )
    op.create_index(
        "ix_verifications_due", "verifications", ["group_key", "status", "deadline"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_verifications_due", table_name="verifications")
    op.drop_table("verifications")
