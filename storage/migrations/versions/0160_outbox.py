"""outbox: actions committed with their event but not yet carried out (sent after a restart)

Revision ID: 0160
Revises: 0001
Create Date: 2026-12-04 01:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0160"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("key", sa.String(length=32), primary_key=True),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("group_key", sa.String(length=128), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_outbox_owner", "outbox", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_outbox_owner", table_name="outbox")
    op.drop_table("outbox")
