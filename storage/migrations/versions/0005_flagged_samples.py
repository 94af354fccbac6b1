"""ad samples: the source of a flagged sample, so that a pardon can relabel it

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ad_samples", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_ad_samples_source", ["group_key", "source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ad_samples", schema=None) as batch_op:
        batch_op.drop_index("ix_ad_samples_source")
        batch_op.drop_column("source")
