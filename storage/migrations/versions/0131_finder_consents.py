"""finder_consents: members who agreed to be suggested by /找人

Revision ID: 0131
Revises: 0001
Create Date: 2026-12-04 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import BigIntId, UTCDateTime

revision: str = "0131"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finder_consents",
        sa.Column("id", BigIntId, primary_key=True, autoincrement=True),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=96), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("group_key", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("finder_consents")
