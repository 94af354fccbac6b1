"""Local days and times as members read them: 3月2日 周一 / Mon 2 Mar, and the ONE way every member-facing
deadline is written (``12月5日 20:00 前`` / ``by Dec 5, 20:00``), in the group's time zone. Pure."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weekday_name(day: date, language: str) -> str:
    return _WEEKDAYS.get(language, _WEEKDAYS["zh"])[day.weekday()]


def format_day(day: date, language: str) -> str:
    if language == "en":
        return f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{day.month}月{day.day}日"


def format_range(first: date, last: date, language: str) -> str:
    return f"{format_day(first, language)}–{format_day(last, language)}"


def format_month(day: date, language: str) -> str:
    if language == "en":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月"


def format_local(when: datetime, tz: ZoneInfo, language: str) -> str:
    """A moment in the group's time zone: ``3月5日 08:00`` / ``Mar 5, 08:00`` (starts, mutes, expiries)."""
    local = when.astimezone(tz)
    if language == "en":
        return f"{_MONTHS[local.month - 1]} {local.day}, {local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def format_deadline(when: datetime, tz: ZoneInfo, language: str) -> str:
    """A deadline, whole: ``12月5日 20:00 前`` / ``by Dec 5, 20:00``. Texts write ``请在{deadline}完成`` /
    ``please finish {deadline}``, so tasks, the nickname grace, polls … all read the same way."""
    moment = format_local(when, tz, language)
    return f"by {moment}" if language == "en" else f"{moment} 前"
