"""Retention: forget old delivery ids and delete event-log rows older than the group's ``retention_days``.

Minimal retention is part of the privacy promise (PIPL / GDPR): what is no longer needed is not kept.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import Action, Record
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature, JobSpec, Phase
from storage.repos import deliveries, events

JOB = "housekeeping"
DELIVERY_MEMORY = timedelta(days=7)  # redeliveries come within minutes; a week is ample


class Housekeeping(Feature):
    name = "housekeeping"
    kinds = frozenset({EventKind.TICK})
    phase = Phase.TRACK

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(JOB, "04:30", grace_s=6 * 3600)]

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.TICK or event.data != JOB:
            return []
        forgotten = await deliveries.forget_before(ctx.session, ctx.now - DELIVERY_MEMORY)
        cutoff = ctx.now - timedelta(days=ctx.config.privacy.retention_days)
        removed = await events.delete_before(ctx.session, cutoff, event.chat.key)
        if not removed and not forgotten:
            return []
        return [
            Record(
                event.chat,
                "housekeeping",
                f"deleted {removed} log rows older than {ctx.config.privacy.retention_days} days",
                detail={"log_rows": removed, "deliveries": forgotten, "cutoff": cutoff.isoformat()},
            )
        ]
