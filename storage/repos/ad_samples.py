"""Labelled messages for retraining the ad detector: admins' ``/spam`` and ``/notspam``, and unbans.

The only table with message text: stored because an admin explicitly asked, or — where a group keeps
them — the text of a message the bot deleted as an ad, for the few days an admin may object (``FLAGGED``;
``/notspam`` or a ``/pardon`` that lifts the member's removal makes it ``HAM``, the rest is purged). No
author id is kept.
``feedback_samples`` (labelled rows only) feeds ``bot.tools.detector.train.fit(feedback=…)``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.moderation import AdSample, Strike

SPAM = 1
HAM = 0
FLAGGED = 2  # deleted by the bot as an ad; not a label until an admin objects (→ HAM)


async def add_sample(
    session: AsyncSession,
    group_key: str,
    label: int,
    text: str,
    added_by: str,
    at: datetime,
    source: str | None = None,
) -> AdSample:
    if label not in (SPAM, HAM, FLAGGED):
        raise ValueError(f"label must be {SPAM} (ad), {HAM} (ordinary) or {FLAGGED} (flagged), not {label!r}")
    sample = AdSample(
        group_key=group_key, label=label, text=text[:4000], added_by=added_by, created_at=at, source=source
    )
    session.add(sample)
    return sample


async def relabel_flagged(session: AsyncSession, group_key: str, sources: Collection[str], label: int) -> int:
    """The flagged samples of these strike sources become ``label`` (``/notspam``: ``HAM``); returns how many.
    The link to the strike (and so to the member) is cut: a labelled sample belongs to nobody."""
    if not sources:
        return 0
    stmt = (
        update(AdSample)
        .where(AdSample.group_key == group_key, AdSample.source.in_(list(sources)), AdSample.label == FLAGGED)
        .values(label=label, source=None)
    )
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


async def purge_flagged(session: AsyncSession, group_key: str, before: datetime, longest: datetime) -> int:
    """Forget this group's flagged samples from before ``before``, and any group's from before ``longest``
    (the longest a group may keep them: a group that stopped keeping them, or that the bot left, holds
    nothing past that)."""
    stmt = delete(AdSample).where(
        AdSample.label == FLAGGED,
        or_(
            AdSample.created_at < longest, and_(AdSample.group_key == group_key, AdSample.created_at < before)
        ),
    )
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


async def flagged_of(session: AsyncSession, user_id: str) -> list[AdSample]:
    """The flagged samples of one member's messages, found through the strikes they caused (the samples keep
    no author id): for the member's export and erasure."""
    stmt = (
        select(AdSample)
        .join(Strike, and_(Strike.group_key == AdSample.group_key, Strike.source == AdSample.source))
        .where(Strike.user_id == user_id, AdSample.label == FLAGGED)
        .order_by(AdSample.id)
    )
    return list((await session.scalars(stmt)).unique().all())


async def feedback_samples(session: AsyncSession) -> list[tuple[int, str]]:
    """Every labelled sample as ``(label, text)`` (1 = ad), oldest first; flagged ones and empty texts are
    skipped."""
    stmt = (
        select(AdSample.label, AdSample.text)
        .where(AdSample.label.in_((SPAM, HAM)))
        .order_by(AdSample.created_at, AdSample.id)
    )
    return [(int(label), text) for label, text in (await session.execute(stmt)).all() if text.strip()]
