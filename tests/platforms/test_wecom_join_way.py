"""群活码 from the rules file, against the fake qyapi through wechatpy's client: created once, updated when
the TOML changes, left alone when it has not; deleted; an app without the right gets one line and exit 2
(`qunbot wecom join-way` run as a subprocess)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import ConfigInvalid, parse_rules
from bot.platforms.wecom.client import WecomApi, WecomError
from bot.platforms.wecom.join_way import ADD, DELETE, UPDATE, JoinWays, NoRight
from bot.platforms.wecom.join_way_rules import JoinWay
from storage.db import Database
from tests.platforms.fake_qyapi import FakeQyapi
from tests.platforms.wecom_support import CORP, QUNBOT

RULES = """
[wecom.join_ways."北京AI"]
chat_id_list = ["wrA", "wrB"]
room_base_name = "北京AI交流群"
room_base_id = 3
remark = "官网"
state = "site"
"""


@pytest.fixture
async def fake() -> AsyncIterator[FakeQyapi]:
    server = FakeQyapi()
    await server.start()
    yield server
    await server.stop()


def ways(text: str = RULES) -> dict[str, JoinWay]:
    return dict(parse_rules(text).wecom.join_ways)


async def test_sync_creates_once_updates_on_change_and_never_duplicates(
    fake: FakeQyapi, db: Database
) -> None:
    joins = JoinWays(WecomApi(CORP, "app-secret", "1", fake.base, db), db)
    [created] = await joins.sync(ways())
    assert created.change == "create"
    [add] = fake.calls_to(ADD)
    assert add.body == {
        "scene": 2,
        "remark": "官网",
        "auto_create_room": 1,
        "room_base_name": "北京AI交流群",
        "room_base_id": 3,
        "chat_id_list": ["wrA", "wrB"],
        "state": "site",
    }
    [again] = await joins.sync(ways())
    assert (again.change, again.config_id) == ("unchanged", created.config_id)
    changed = ways(RULES.replace('"wrA", "wrB"', '"wrA", "wrB", "wrC"'))
    [dry] = await joins.sync(changed, dry_run=True)
    assert dry.change == "update" and not fake.calls_to(UPDATE)  # a dry run calls nothing
    [updated] = await joins.sync(changed)
    assert (updated.change, updated.config_id) == ("update", created.config_id)
    assert fake.calls_to(UPDATE)[0].body["config_id"] == created.config_id
    assert fake.join_ways[created.config_id]["chat_id_list"] == ["wrA", "wrB", "wrC"]
    assert len(fake.calls_to(ADD)) == 1 and len(fake.join_ways) == 1
    config_id, url = await joins.qr_code("北京AI")
    assert config_id == created.config_id and url.startswith("https://wework.qpic.cn/")
    assert (await joins.delete("北京AI", dry_run=True)).change == "delete" and fake.join_ways
    assert (await joins.delete("北京AI")).change == "delete"
    assert fake.calls_to(DELETE)[0].body == {"config_id": created.config_id} and not fake.join_ways
    assert (await joins.delete("北京AI")).change == "absent"
    [recreated] = await joins.sync(ways())
    assert recreated.change == "create" and len(fake.calls_to(ADD)) == 2


@pytest.mark.parametrize("errcode", [48002, 60011, 84061, 301002])
async def test_no_right_is_said_plainly_and_nothing_is_stored(
    fake: FakeQyapi, db: Database, errcode: int
) -> None:
    joins = JoinWays(WecomApi(CORP, "app-secret", "1", fake.base, db), db)
    fake.refuse[ADD] = errcode
    with pytest.raises(NoRight, match=f"no right to manage 群活码 \\(errcode {errcode}"):
        await joins.sync(ways())
    assert await joins.stored("北京AI") is None
    fake.refuse[ADD] = 40058  # another refusal is not a rights problem: the errcode is raised as it is
    with pytest.raises(WecomError) as err:
        await joins.sync(ways())
    assert not isinstance(err.value, NoRight) and err.value.errcode == 40058


def test_a_room_prefix_is_required_for_new_rooms_and_bad_lists_located() -> None:
    assert ways().keys() == {"北京AI"}
    assert JoinWay(chat_id_list=["wrA"], auto_create_room=False).body()["auto_create_room"] == 0
    with pytest.raises(ValidationError, match="room_base_name"):
        JoinWay(chat_id_list=["wrA"])
    with pytest.raises(ConfigInvalid) as err:
        parse_rules(
            '[wecom.join_ways.x]\nchat_id_list = ["a","b","c","d","e","f"]\nroom_base_name = "x"\n', "r.toml"
        )
    assert str(err.value).startswith("r.toml:2: wecom.join_ways.x.chat_id_list:")
    with pytest.raises(ConfigInvalid, match="listed twice"):
        parse_rules('[wecom.join_ways.x]\nchat_id_list = ["a","a"]\nroom_base_name = "x"\n')
    with pytest.raises(ConfigInvalid, match="unknown key"):
        parse_rules('[wecom.join_ways.x]\nchat_id_list = ["a"]\nroom_base_name = "x"\nroom_name = "y"\n')


async def cli(fake: FakeQyapi, tmp: Path, *args: str) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "QUNBOT_WECOM__CORP_ID": CORP,
        "QUNBOT_WECOM__SECRET": "app-secret",
        "QUNBOT_WECOM__AGENT_ID": "1000002",
        "QUNBOT_WECOM__API_BASE": fake.base,
        "QUNBOT_CONFIG": str(tmp / "rules.toml"),
        "QUNBOT_DATABASE_URL": str(tmp / "q.db"),
    }
    proc = await asyncio.create_subprocess_exec(
        str(QUNBOT),
        "wecom",
        "join-way",
        *args,
        env=env,
        cwd=tmp,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return int(proc.returncode or 0), out.decode(), err.decode()


async def test_cli_sync_is_idempotent_shows_the_qr_and_says_no_right_in_one_line(
    fake: FakeQyapi, tmp_path: Path
) -> None:
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    assert await cli(fake, tmp_path, "sync", "--dry-run") == (0, "北京AI: would create (wrA, wrB)\n", "")
    assert not fake.calls_to(ADD)
    code, out, _ = await cli(fake, tmp_path, "sync")
    config_id = next(iter(fake.join_ways))
    assert (code, out) == (0, f"北京AI: create (wrA, wrB) config_id={config_id}\n")
    code, out, _ = await cli(fake, tmp_path, "sync")
    assert (code, out) == (0, f"北京AI: unchanged (wrA, wrB) config_id={config_id}\n")
    code, out, _ = await cli(fake, tmp_path, "show", "北京AI")
    assert (code, out) == (0, f"https://wework.qpic.cn/wwpic/{config_id}/0\n")
    assert len(fake.calls_to(ADD)) == 1
    fake.refuse[UPDATE] = 48002
    (tmp_path / "rules.toml").write_text(RULES.replace("官网", "海报"), encoding="utf-8")
    code, out, err = await cli(fake, tmp_path, "sync")
    assert code == 2 and out == ""
    [line] = [x for x in err.splitlines() if x]  # one line, no traceback
    assert line.startswith("error: the WeCom app has no right to manage 群活码 (errcode 48002")
    code, _, err = await cli(fake, tmp_path, "show", "上海")
    assert code == 2 and "no 群活码 created for '上海'" in err
