"""FAQ auto-replies end to end: normalised matching, cooldown per entry and group, what never triggers."""

from __future__ import annotations

import pytest

from bot.config import ConfigInvalid, parse_rules
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.faq]
cooldown_minutes = 10
[[defaults.faq.entries]]
keywords = ["发票", "报销"]
reply = "发票问题请看群公告第 3 条，或私聊助理小美。"
[[defaults.faq.entries]]
regex = "(几点|什么时候).*(直播|分享)"
reply = "每周一三五 20:00 干货分享，周二四 20:00 话题讨论。"
cooldown_minutes = 0
"""


async def test_keywords_match_normalised_text_and_cool_down(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=rhythm_features())
    sim.add_user("a", "上海-产品-小王")
    sim.add_user("b", "北京-运营-小李")
    await sim.say("a", "請問開發票找誰？", label="q1")  # traditional characters: 發票 → 发票
    assert sim.adapter.posted[-1].text == "发票问题请看群公告第 3 条，或私聊助理小美。"
    assert sim.adapter.posted[-1].reply_to == sim.messages["q1"].id
    await sim.advance("5m")
    await sim.say("b", "报销流程是怎样的")  # same entry within 10 minutes: quiet
    assert len(sim.adapter.sent_texts()) == 1
    await sim.advance("6m")
    await sim.say("b", "报销流程是怎样的")
    assert len(sim.adapter.sent_texts()) == 2
    kinds = [r.kind for r in await log_rows(sim, ["faq_replied", "faq_cooldown"])]
    assert kinds == ["faq_replied", "faq_cooldown", "faq_replied"]


async def test_regex_entry_with_its_own_cooldown(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=rhythm_features())
    sim.add_user("a", "上海-产品-小王")
    await sim.say("a", "今晚几点有直播？")
    await sim.say("a", "什么时候分享呀")  # cooldown 0: answered again
    assert sim.adapter.sent_texts() == ["每周一三五 20:00 干货分享，周二四 20:00 话题讨论。"] * 2


async def test_commands_bots_and_unrelated_text_get_no_answer(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=rhythm_features())
    sim.add_user("a", "上海-产品-小王")
    sim.add_user("bot", "某机器人", bot=True)
    await sim.say("bot", "发票")
    await sim.say("a", "/topic 发票")
    await sim.say("a", "今天天气不错")
    assert [t for t in sim.adapter.sent_texts() if "发票问题" in t] == []


def test_bad_entries_are_config_errors() -> None:
    with pytest.raises(ConfigInvalid, match="bad regular expression"):
        parse_rules('[[defaults.faq.entries]]\nregex = "(unclosed"\nreply = "x"\n')
    with pytest.raises(ConfigInvalid, match="needs keywords or a regex"):
        parse_rules('[[defaults.faq.entries]]\nreply = "x"\n')
