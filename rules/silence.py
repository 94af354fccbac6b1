"""Who is new, active or silent, from the dates a member joined and last spoke (time is a parameter).

The days are the group's ``[stats]`` definitions: active = spoke within ``active_days``; new = joined within
``new_days``; silent = neither, and without a word for ``silent_days`` since joining or last speaking (a
member who joined last week is new, never silent, even before their first word). Admins and VIPs are
never candidates for a cleanup (``cleanup_candidate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Activity(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    QUIET = "quiet"  # neither active nor yet silent long enough
    SILENT = "silent"


@dataclass(frozen=True, slots=True)
class ActivityRules:
    new_days: int = 7
    active_days: int = 7
    silent_days: int = 30


def activity(
    joined_at: datetime | None, last_message_at: datetime | None, now: datetime, rules: ActivityRules
) -> Activity:
    if last_message_at is not None and now - last_message_at <= timedelta(days=rules.active_days):
        return Activity.ACTIVE
    if joined_at is not None and now - joined_at <= timedelta(days=rules.new_days):
        return Activity.NEW
    quiet_since = max((d for d in (joined_at, last_message_at) if d is not None), default=None)
    if quiet_since is None or now - quiet_since >= timedelta(days=rules.silent_days):
        return Activity.SILENT
    return Activity.QUIET


def spoke_since(last_message_at: datetime | None, warned_at: datetime) -> bool:
    """A word after the warning keeps the member."""
    return last_message_at is not None and last_message_at > warned_at


def cleanup_candidate(kind: Activity, is_admin: bool, tier: str) -> bool:
    return kind is Activity.SILENT and not is_admin and tier != "vip"
