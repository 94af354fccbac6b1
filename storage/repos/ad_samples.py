"""Admins' ``/spam`` and ``/notspam`` labels, kept for retraining the ad detector.

The only table with message text, stored because an admin explicitly asked; no author id is kept.
``feedback_samples`` feeds ``bot.detector.train.fit(feedback=…)``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.moderation import AdSample

SPAM = 1
HAM = 0


async def add_sample(
    session: AsyncSession, group_key: str, label: int, text: str, added_by: str, at: datetime
) -> AdSample:
    if label not in (SPAM, HAM):
        raise ValueError(f"label must be {SPAM} (ad) or {HAM} (ordinary), not {label!r}")
    sample = AdSample(group_key=group_key, label=label, text=text[:4000], added_by=added_by, created_at=at)
    session.add(sample)
    return sample


async def feedback_samples(session: AsyncSession) -> list[tuple[int, str]]:
    """Every labelled sample as ``(label, text)`` (1 = ad), oldest first; empty texts are skipped."""
    stmt = select(AdSample.label, AdSample.text).order_by(AdSample.created_at, AdSample.id)
    return [(int(label), text) for label, text in (await session.execute(stmt)).all() if text.strip()]
