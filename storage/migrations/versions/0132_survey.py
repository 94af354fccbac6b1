"""survey: satisfaction survey rounds and members' scores

Revision ID: 0132
Revises: 0001
Create Date: 2026-12-04 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0132"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
    )
    op.create_index("ix_survey_rounds_group_asked", "survey_rounds", ["group_key", "asked_at"])
    op.create_table(
        "survey_answers",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("round_id", BigIntId, nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_index("ix_survey_rounds_group_asked", table_name="survey_rounds")
    op.drop_table("survey_rounds")
