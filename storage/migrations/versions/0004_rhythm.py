"""rhythm: topics and rotation, check-ins, profiles, badges, redemption stock, daily activity

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "activity_days",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_days")),
        sa.UniqueConstraint(
            "group_key", "user_id", "day", name=op.f("uq_activity_days_group_key_user_id_day")
        ),
    )
    op.create_index("ix_activity_days_group_day", "activity_days", ["group_key", "day"], unique=False)
    op.create_table(
        "badges",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("award", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("awarded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badges")),
        sa.UniqueConstraint("group_key", "user_id", "award", name=op.f("uq_badges_group_key_user_id_award")),
    )
    op.create_index("ix_badges_group_user", "badges", ["group_key", "user_id"], unique=False)
    op.create_table(
        "checkins",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("group_key", "user_id", "day", name=op.f("uq_checkins_group_key_user_id_day")),
    )
    op.create_index("ix_checkins_group_day", "checkins", ["group_key", "day"], unique=False)
    op.create_table(
        "redeem_stock",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("redeemed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redeem_stock")),
        sa.UniqueConstraint("group_key", "item", name=op.f("uq_redeem_stock_group_key_item")),
    )
    op.create_table(
        "rhythm_profiles",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("last_checkin", sa.Date(), nullable=True),
        sa.Column("checkins", sa.Integer(), nullable=False),
        sa.Column("remind", sa.Boolean(), nullable=False),
        sa.Column("inactive_weeks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rhythm_profiles")),
        sa.UniqueConstraint("group_key", "user_id", name=op.f("uq_rhythm_profiles_group_key_user_id")),
    )
    op.create_table(
        "topic_posts",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scheduled_for", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_posts")),
        sa.UniqueConstraint(
            "group_key", "job", "scheduled_for", name=op.f("uq_topic_posts_group_key_job_scheduled_for")
        ),
    )
    op.create_index("ix_topic_posts_group_day", "topic_posts", ["group_key", "day"], unique=False)
    op.create_table(
        "topic_rotation",
        _id(),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("pool", sa.String(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_rotation")),
        sa.UniqueConstraint(
            "group_key", "pool", "round", "item", name=op.f("uq_topic_rotation_group_key_pool_round_item")
        ),
    )


def downgrade() -> None:
    op.drop_table("topic_rotation")
    op.drop_index("ix_topic_posts_group_day", table_name="topic_posts")
    op.drop_table("topic_posts")
    op.drop_table("rhythm_profiles")
    op.drop_table("redeem_stock")
    op.drop_index("ix_checkins_group_day", table_name="checkins")
    op.drop_table("checkins")
    op.drop_index("ix_badges_group_user", table_name="badges")
    op.drop_table("badges")
    op.drop_index("ix_activity_days_group_day", table_name="activity_days")
    op.drop_table("activity_days")
