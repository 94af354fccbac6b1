"""Expert matching: the members of a group who agreed to be suggested by ``/找人`` (opt-in, personal data:
exported and erased with the member)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class FinderConsent(Base):
    __tablename__ = "finder_consents"
    __table_args__ = (UniqueConstraint("group_key", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    since: Mapped[datetime] = mapped_column(UTCDateTime())
