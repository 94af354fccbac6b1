"""Pure helpers of the onboarding features: referral links, anniversaries, reminder times, templates
whose empty parts disappear, local times for members. No I/O, no clock: the caller passes the time.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rules.templates import placeholders, render_template

__all__ = [
    "Milestone",
    "anniversary",
    "due_milestones",
    "next_check",
    "parse_milestone",
    "referrer_from_link",
    "reminder_due",
    "render_lines",
]

# The executor names per-member invite links ``ref:<user id>``; adapters report the name (Telegram's
# ChatInviteLink.name, a WeCom 活码 state) or a URL ending in it (the console).
_REF = re.compile(r"(?:^|[/=?&#\s])ref:(?P<uid>[^\s/?&#]+)\s*$")
_MILESTONE = re.compile(r"^(?P<n>[1-9]\d{0,3})(?P<unit>d|w|m|y)$")


def referrer_from_link(link: str | None) -> str | None:
    """The member whose personal link this is, or None for other links (campaigns, the group link)."""
    if not link:
        return None
    match = _REF.search(link.strip())
    return match["uid"] if match else None


@dataclass(frozen=True, slots=True)
class Milestone:
    """``1m`` (one month), ``3m``, ``1y``, ``100d``, ``2w``: a membership age to congratulate."""

    key: str
    n: int
    unit: str  # d / w / m / y

    @property
    def months(self) -> int:
        return self.n * 12 if self.unit == "y" else self.n if self.unit == "m" else 0

    @property
    def days(self) -> int:
        return self.n * 7 if self.unit == "w" else self.n if self.unit == "d" else 0

    def label(self, language: str) -> str:
        zh = {"d": "{n} 天", "w": "{n} 周", "m": "{n} 个月", "y": "{n} 周年"}
        en = {"d": "{n} days", "w": "{n} weeks", "m": "{n} months", "y": "{n} years"}
        if self.n == 1:
            en = {"d": "1 day", "w": "1 week", "m": "1 month", "y": "1 year"}
        return (zh if language == "zh" else en)[self.unit].format(n=self.n)


def parse_milestone(spec: str) -> Milestone:
    """Raises ValueError naming the expected forms."""
    text = spec.strip().lower()
    match = _MILESTONE.match(text)
    if not match:
        raise ValueError(f"bad milestone {spec!r}: expected e.g. 100d, 2w, 1m, 3m, 1y")
    return Milestone(text, int(match["n"]), match["unit"])


def anniversary(joined: date, milestone: Milestone) -> date:
    """The local day a membership reaches ``milestone``; month ends clamp (Jan 31 + 1 m = Feb 28)."""
    if milestone.months:
        total = joined.month - 1 + milestone.months
        year, month = joined.year + total // 12, total % 12 + 1
        day = min(joined.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    return joined + timedelta(days=milestone.days)


def due_milestones(
    joined: date,
    today: date,
    milestones: Iterable[Milestone],
    sent: Collection[str],
    catch_up_days: int,
) -> list[Milestone]:
    """Milestones reached today or within the last ``catch_up_days`` (a missed daily run, a restart)
    and not congratulated yet, oldest first. Older ones are never sent late: a member who joined two
    years before the feature was switched on is not told about their first month."""
    out = []
    for milestone in milestones:
        day = anniversary(joined, milestone)
        if milestone.key not in sent and today - timedelta(days=catch_up_days) < day <= today:
            out.append(milestone)
    return sorted(out, key=lambda m: anniversary(joined, m))


def reminder_due(now: datetime, due_at: datetime, before_hours: Sequence[float], sent: int) -> bool:
    """Is the next reminder (``sent`` already went out) due? Reminders go ``before_hours`` before the
    deadline, earliest first; one whose time passed while the bot was down still goes once."""
    times = sorted(due_at - timedelta(hours=h) for h in before_hours if h > 0)
    return sent < len(times) and now >= times[sent] and now < due_at


def next_check(due_at: datetime, before_hours: Sequence[float], sent: int) -> datetime:
    """When an unfinished newcomer next needs the sweep: their next reminder, else the deadline."""
    times = sorted(due_at - timedelta(hours=h) for h in before_hours if h > 0)
    return times[sent] if sent < len(times) else due_at


def render_lines(template: str, values: Mapping[str, object]) -> str:
    """Render line by line and drop every line that uses a placeholder whose value is empty, so an
    optional part (no topic today, no tasks) leaves no dangling label; a heading line just before it
    (no placeholder, ending in a colon, like ``② 群规：``) goes with it. Unknown placeholders stay."""
    out: list[str] = []
    heading = False  # the last kept line is a bare heading
    for line in template.splitlines():
        used = placeholders(line)
        if any(name in values and values[name] in ("", None) for name in used):
            if heading:
                out.pop()
            heading = False
            continue
        heading = not used and line.rstrip().endswith((":", "："))
        out.append(render_template(line, values))
    return "\n".join(out).strip("\n")
