"""Nickname formats: table-driven cases with real names and every separator, config errors, suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.config import ConfigInvalid, parse_rules
from handlers.nickname.check import check_nickname, explain_nickname, suggest_nickname
from handlers.nickname.config import NicknameConfig

DEFAULT = NicknameConfig()
CITIES = NicknameConfig.model_validate(
    {"fields": {"city": {"allowed": ["上海", "北京", "深圳", "杭州", "广州"]}}}
)
SKIN = NicknameConfig.model_validate(
    {
        "format": "{app_name}-{city}-{skin_type}",
        "fields": {"skin_type": {"allowed": ["干皮", "油皮", "混油", "混干", "敏感肌"]}},
    }
)


@pytest.mark.parametrize(
    "name",
    [
        "上海-互联网-小王",
        "上海－互联网－小王",  # full-width hyphen
        "上海—互联网—小王",  # em dash
        "上海_互联网_小王",
        "上海·互联网·小王",
        "上海｜互联网｜小王",  # full-width bar
        "上海|互联网|小王",
        "上海 互联网 小王",
        "上海　互联网　小王",  # ideographic space
        "上海 - 互联网 - 小王",  # separators with blanks around them
        "上海-互联网·小王",  # mixed separators
        "杭州丨电商丨阿杰",
        "  上海-互联网-小王  ",  # blanks around the name
        "-上海-互联网-小王-",  # separators at the ends
        "深圳-金融-Jack Wang",  # a name with a space in it
        "北京-教育-王老师-12年经验",  # extra parts join the last field
        "ＳＨ-ＩＴ-Ｔｏｍ",  # full-width letters
    ],
)
def test_valid_names_pass_with_every_separator(name: str) -> None:
    verdict = check_nickname(DEFAULT, name)
    assert not verdict.hit, verdict.reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("小王", "应为 城市-行业-昵称（3 段），「小王」只有 1 段"),
        ("上海小王", "只有 1 段"),
        ("上海-小王", "只有 2 段"),
        ("", "昵称为空"),
        ("---", "昵称为空"),
        (
            "上海-互联网-这个昵称实在是太长了超过十二个字",
            "「这个昵称实在是太长了超过十二个字」太长（最多 12 个字）",
        ),
        ("上海-" + "很长的行业名称超过十个字" + "-小王", "「很长的行业名称超过十个字」太长（最多 10 个字）"),
        ("x" * 200, "昵称太长"),
    ],
)
def test_invalid_names_say_why(name: str, expected: str) -> None:
    verdict = check_nickname(DEFAULT, name)
    assert verdict.hit
    assert verdict.category == "nickname"
    assert expected in verdict.reason


@pytest.mark.parametrize(
    ("name", "hit", "why"),
    [
        ("上海-互联网-小王", False, ""),
        ("上海市-互联网-小王", False, ""),  # 市 after a listed city
        ("北京 金融 老李", False, ""),
        ("纽约-金融-Tom", True, "城市「纽约」不在允许的范围内（上海、北京、深圳、杭州、广州）"),
        ("成都-互联网-小王", True, "城市「成都」不在允许的范围内"),
    ],
)
def test_allowed_city_list(name: str, hit: bool, why: str) -> None:
    verdict = check_nickname(CITIES, name)
    assert verdict.hit is hit
    assert why in explain_nickname(verdict)


def test_other_playbook_format_app_city_skin_type() -> None:
    assert not check_nickname(SKIN, "小美-上海-混油").hit
    verdict = check_nickname(SKIN, "小美-上海-中性")
    assert verdict.hit and "肤质类型「中性」不在允许的范围内" in explain_nickname(verdict)
    assert suggest_nickname(SKIN, "小美-上海-中性") == "小美-上海-干皮"


def test_field_pattern_is_an_escape_hatch() -> None:
    config = NicknameConfig.model_validate(
        {
            "format": "{name}-{year}",
            "fields": {"year": {"label": "届", "pattern": r"\d{2}届", "example": "20届"}},
        }
    )
    assert not check_nickname(config, "小王-20届").hit
    verdict = check_nickname(config, "小王-二零届")
    assert verdict.hit and "届「二零届」格式不对" in explain_nickname(verdict)


def test_whole_name_pattern_replaces_the_format() -> None:
    config = NicknameConfig.model_validate({"pattern": r"【.+】.+", "example": "【上海】小王"})
    assert not check_nickname(config, "【上海】小王").hit
    verdict = check_nickname(config, "上海-互联网-小王")
    assert verdict.hit and "不符合本群规定的昵称格式" in verdict.reason
    assert suggest_nickname(config, "小王") == "【上海】小王"


def test_english_reasons() -> None:
    verdict = check_nickname(CITIES, "Paris-IT-Tom", language="en")
    assert verdict.hit and "'Paris' is not one of the allowed values" in verdict.reason


def test_disabled_check_never_hits() -> None:
    assert not check_nickname(NicknameConfig(enabled=False), "").hit


@pytest.mark.parametrize(
    ("config", "name", "suggestion"),
    [
        (DEFAULT, "小王", "上海-互联网-小王"),
        (DEFAULT, "上海 互联网 小王", "上海-互联网-小王"),  # a passing name in the format's own separators
        (DEFAULT, "", "上海-互联网-小王"),
        (
            DEFAULT,
            "上海-互联网-这个昵称实在是太长了超过十二个字",
            "上海-互联网-这个昵称实在是太长了超过",
        ),  # cut to 12
        (CITIES, "北京小王", "北京-互联网-小王"),  # the city is found inside the name
        (CITIES, "纽约-金融-Tom", "上海-金融-Tom"),  # a wrong part in place is replaced by the example
        (CITIES, "小王 北京 金融", "北京-小王-金融"),  # the listed city is picked out of the wrong place
        (CITIES, "深圳市的阿杰", "深圳-互联网-市的阿杰"),
    ],
)
def test_suggestions_keep_what_the_member_wrote(config: NicknameConfig, name: str, suggestion: str) -> None:
    assert suggest_nickname(config, name) == suggestion
    assert not check_nickname(config, suggestion).hit


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('format = "{city}{name}"', "need a separator"),
        ('format = "【{city}】{name}"', "must start and end with a field"),
        ('format = "no fields"', "needs at least one field"),
        ('format = "{city}-{city}"', "appears twice"),
        ("[defaults.nickname.fields.town]\nlabel = '镇'", "fields town are not in format"),
        ("[defaults.nickname.fields.city]\npattern = '('", "bad regular expression"),
        (
            "[defaults.nickname.fields.city]\nallowed = ['上海']\nexample = '纽约'",
            "breaks the field's own rule",
        ),
        ('pattern = "【.+】.+"', "set an `example`"),
    ],
)
def test_bad_formats_are_located_config_errors(section: str, message: str) -> None:
    text = "[defaults.nickname]\n" + section if not section.startswith("[") else section
    with pytest.raises(ConfigInvalid) as info:
        parse_rules(text, "rules.toml")
    error = info.value.errors[0]
    assert message in error.message and "nickname" in error.key and error.file == "rules.toml"


def test_a_group_with_its_own_format_ignores_the_defaults_field_tables() -> None:
    rules = parse_rules(
        '[defaults.nickname.fields.city]\nallowed = ["上海"]\n'
        '[groups."tg:group:-1".nickname]\nformat = "{name} | {company}"\n'
    )
    config = rules.for_chat("tg:group:-1").nickname
    assert not check_nickname(config, "Anna | Acme").hit
    assert check_nickname(rules.defaults.nickname, "纽约-金融-Tom").hit


def test_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        NicknameConfig.model_validate({"grace": "24h"})


names = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            ["上海", "北京", "互联网", "小王", "-", "－", "—", "_", "·", "｜", "|", " ", "纽约", "😀"]
        )
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(names)
def test_check_never_raises_and_suggestions_always_pass(name: str) -> None:
    for config in (DEFAULT, CITIES, SKIN):
        verdict = check_nickname(config, name)
        assert verdict.hit == bool(verdict.hits)
        suggestion = suggest_nickname(config, name)
        assert not check_nickname(config, suggestion).hit, (name, suggestion)


def test_fields_of_a_valid_name_and_peers_sharing_one() -> None:
    from rules.nickname import fields_of, peers

    fmt = NicknameConfig().compiled
    jack = {"city": "上海", "industry": "互联网", "name": "Jack Wang"}
    assert fields_of(fmt, "上海-互联网-Jack Wang") == jack
    assert fields_of(fmt, "小王") == {}  # breaks the format: nothing is known
    others = ["北京-互联网-阿A", "杭州-教育-阿B", "互联网老兵", "深圳-互联网-阿C"]
    assert peers(fmt, "industry", "上海-互联网-小王", others) == ("互联网", 2)
    assert peers(fmt, "industry", "上海-医疗-小王", others) == ("医疗", 0)
    assert peers(fmt, "industry", "小王", others) is None
    assert peers(fmt, "role", "上海-互联网-小王", others) is None  # the format has no such field
