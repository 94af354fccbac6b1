"""Local days as members read them: 3月2日 周一 / Mon 2 Mar. Pure; the day is already local."""

from __future__ import annotations

from datetime import date

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
