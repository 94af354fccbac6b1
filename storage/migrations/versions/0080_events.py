"""events: announced events, sign-ups, collected questions, posts made per stage

Revision ID: 0080
Revises: 0001
Create Date: 2026-12-03 07:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0080"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_events",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=96), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("source_key", sa.String(length=160), nullable=True),
        sa.Column("recapped_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("group_key", "source_key"),
    )
    op.create_index("ix_group_events_group_open", "group_events", ["group_key", "recapped_at"])
    op.create_table(
        "event_rsvps",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("event_id", BigIntId, nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("signed_up_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("event_id", "user_id"),
    )
    op.create_table(
        "event_questions",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("event_id", BigIntId, nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_event_questions_event", "event_questions", ["event_id"])
    op.create_table(
        "event_posts",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("event_id", BigIntId, nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("event_id", "stage"),
    )


def downgrade() -> None:
    op.drop_table("event_posts")
    op.drop_index("ix_event_questions_event", table_name="event_questions")
    op.drop_table("event_questions")
    op.drop_table("event_rsvps")
    op.drop_index("ix_group_events_group_open", table_name="group_events")
    op.drop_table("group_events")
