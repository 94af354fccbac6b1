from __future__ import annotations

from handlers.feature import CommandSpec, Feature
from handlers.help import Help
from handlers.tracking import Tracking
from tests.support import SimFactory


class Warn(Feature):
    name = "warn"
    commands = (
        CommandSpec("warn", "警告成员", "Warn a member", admin=True),
        CommandSpec("report", "举报", "Report"),
    )


async def test_help_lists_member_commands_and_admin_commands_to_admins(make_sim: SimFactory) -> None:
    features: list[Feature] = [Tracking(), Warn()]
    features.append(Help(lambda: features))
    sim = await make_sim(features=features)
    sim.add_user("u1", "小王")
    sim.add_user("boss", "群主", admin=True)
    await sim.say("u1", "/help")
    await sim.say("boss", "/help")
    member_text, admin_text = sim.adapter.sent_texts()
    assert "/report — 举报" in member_text and "/warn" not in member_text
    assert "管理员命令" in admin_text and "/warn — 警告成员" in admin_text


async def test_help_in_english_and_start_in_private(make_sim: SimFactory) -> None:
    features: list[Feature] = [Tracking(), Warn()]
    features.append(Help(lambda: features))
    sim = await make_sim('[defaults]\nlanguage = "en"\n', features=features)
    sim.add_user("u1", "Sam")
    await sim.say("u1", "/start", private=True)
    assert sim.adapter.sent_texts() == ["Commands:\n/report — Report\n/help — List the commands"]
