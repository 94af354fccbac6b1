"""Self-introductions and the pure onboarding helpers: table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.dates import format_deadline, format_local
from rules.intro import check_intro, explain_intro, parse_intro
from rules.onboarding import referrer_from_link, reminder_due, render_lines


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("互联网-产品经理-想认识更多同行", ("互联网", "产品经理", "想认识更多同行")),
        ("教育 — 课程运营 — 学习增长方法", ("教育", "课程运营", "学习增长方法")),
        ("自我介绍：金融－风控－转行做产品", ("金融", "风控", "转行做产品")),
        ("医疗_销售_找合作-也想学习", ("医疗", "销售", "找合作-也想学习")),
        ("SaaS PM 认识更多创业者", ("SaaS", "PM", "认识更多创业者")),
        ("电商|运营|交流", ("电商", "运营", "交流")),
    ],
)
def test_valid_introductions(text: str, parts: tuple[str, str, str]) -> None:
    assert not check_intro(text).hit
    intro = parse_intro(text)
    assert intro is not None and (intro.industry, intro.role, intro.expectation) == parts


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "自我介绍为空"),
        ("大家好我是小新", "应为 行业-岗位-入群期待 三段，现在只有 1 段"),
        ("互联网-产品经理", "现在只有 2 段"),
        ("互联网-产品经理-好", "入群期待「好」太短"),
        ("特" * 21 + "-产品-交流学习", f"行业「{'特' * 21}」应为 1～20 个字"),
        ("互联网-产品" + "很" * 400 + "-交流", "自我介绍太长"),
    ],
)
def test_wrong_introductions_say_why(text: str, problem: str) -> None:
    verdict = check_intro(text)
    assert verdict.hit and verdict.category == "intro"
    assert problem in explain_intro(verdict)
    assert parse_intro(text) is None


def test_english_reasons() -> None:
    assert "expected industry-role-expectation" in explain_intro(check_intro("hello", "en"))


@given(st.text(max_size=400))
def test_never_raises(text: str) -> None:
    verdict = check_intro(text)
    assert verdict.hit == (parse_intro(text) is None)


@pytest.mark.parametrize(
    ("link", "referrer"),
    [
        ("ref:o_chen", "o_chen"),
        ("https://console.invalid/join/g1/ref:o_chen", "o_chen"),
        ("ref:123456789", "123456789"),
        ("https://t.me/+AbCdEf123", None),
        ("campaign:wechat-article", None),
        ("https://x.invalid/join?name=ref:wmABC", "wmABC"),
        ("preref:o_x", None),
        (None, None),
        ("", None),
    ],
)
def test_referrer_from_link(link: str | None, referrer: str | None) -> None:
    assert referrer_from_link(link) == referrer


def test_render_lines_drops_empty_parts_with_their_heading() -> None:
    template = "欢迎 {mention}\n② 群规：\n{rules}\n③ 今日话题：{topic_today}\n{unknown}"
    assert render_lines(template, {"mention": "@a", "rules": "", "topic_today": ""}) == "欢迎 @a\n{unknown}"
    full = render_lines(template, {"mention": "@a", "rules": "1. 友善", "topic_today": "AI"})
    assert full == "欢迎 @a\n② 群规：\n1. 友善\n③ 今日话题：AI\n{unknown}"


def test_reminders_go_before_the_deadline_once_each() -> None:
    due = datetime(2026, 3, 5, tzinfo=UTC)
    hours = [24, 2]
    assert not reminder_due(due - timedelta(hours=25), due, hours, 0)
    assert reminder_due(due - timedelta(hours=23), due, hours, 0)
    assert not reminder_due(due - timedelta(hours=3), due, hours, 1)
    assert reminder_due(due - timedelta(hours=1), due, hours, 1)
    assert not reminder_due(due - timedelta(minutes=1), due, hours, 2)
    assert not reminder_due(due, due, hours, 0)  # at the deadline the missed action takes over


def test_format_local() -> None:
    when = datetime(2026, 3, 5, 0, 0, tzinfo=UTC)
    assert format_local(when, ZoneInfo("Asia/Shanghai"), "zh") == "3月5日 08:00"
    assert format_local(when, ZoneInfo("Europe/Berlin"), "en") == "Mar 5, 01:00"


def test_one_deadline_format_in_the_groups_time_zone() -> None:
    when = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert format_deadline(when, ZoneInfo("Asia/Shanghai"), "zh") == "12月5日 20:00 前"
    assert format_deadline(when, ZoneInfo("Asia/Shanghai"), "en") == "by Dec 5, 20:00"
    # the local day, not UTC's: 23:30 UTC is already the next morning in Shanghai
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert format_deadline(late, ZoneInfo("Asia/Shanghai"), "zh") == "1月1日 07:30 前"
    assert format_deadline(late, ZoneInfo("America/New_York"), "en") == "by Dec 31, 18:30"


def test_no_feature_formats_a_member_facing_time_by_hand() -> None:
    """Every date a member reads goes through ``rules.dates`` (one format per language): a feature that
    formats a datetime itself (``strftime``, ``%m-%d``) would bring back a second format."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "handlers"
    by_hand = re.compile(r"strftime\(|:%H:%M}|\"%m-%d")
    allowed = {("topics", "handler.py")}  # "see you at 20:00": a daily time of day, not a date
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        if (path.parent.name, path.name) not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert found == []
