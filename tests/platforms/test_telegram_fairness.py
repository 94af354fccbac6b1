"""One group never stalls another: an ad wave in group A whose warnings wait on A's per-group message
budget does not delay a check-in in group B fetched after it. Through python-telegram-bot and the fake
Bot API, with the adapter's own rate limiter set tight (6 messages a minute per group, so A's tenth
warning is ~40 s away)."""

from __future__ import annotations

from bot.platforms.telegram.limiter import BotApiLimiter
from tests.platforms.conftest import TgFactory
from tests.platforms.fake_bot_api import (
    FULL_RIGHTS,
    FakeBotApi,
    command_entity,
    group,
    message,
    url_entities,
    user,
)

A, B = -100_1001, -100_1002
GROUP_A, GROUP_B = group(A, "甲群"), group(B, "乙群")
WAVE = 10


def ad(n: int) -> dict[str, object]:
    link = f"https://spam{n}.example/x"
    text = f"兼职日结 {link}"
    return message(GROUP_A, user(500 + n, f"号{n}"), text, entities=url_entities(text, link))


async def test_an_ad_wave_in_one_group_does_not_delay_a_checkin_in_another(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    for chat in (A, B):
        fake.set_bot_rights(chat, **FULL_RIGHTS)
    await tg(fake, limiter=BotApiLimiter(group_per_minute=6))
    for n in range(WAVE):
        fake.push(message=ad(n))
    # the wave is fetched and A's budget spent: the rest of its warnings now wait ~10 s each
    await fake.wait_for(lambda: len(fake.sent(A)) >= 6)
    checkin = "/checkin"
    fake.push(message=message(GROUP_B, user(9, "小王"), checkin, entities=command_entity(checkin)))
    await fake.wait_for(lambda: any("打卡成功" in s for s in fake.sent(B)), within_s=5)
    assert len(fake.sent(A)) < WAVE  # B was answered while A was still draining
