"""`qunbot run` as a subprocess with only WeCom settings, pointed at the fake qyapi; callbacks encrypted
with wechatpy's ``WeChatCrypto`` and POSTed to its real callback server."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from wechatpy.work.crypto import WeChatCrypto

from storage.db import Database
from storage.repos.events import iter_rows
from tests.platforms.fake_qyapi import FakeQyapi

CORP = "ww-corp"
TOKEN = "cb-token"
AES = base64.b64encode(b"k" * 32).decode().rstrip("=")
AIBOT_TOKEN = "ai-token"
AIBOT_AES = base64.b64encode(b"a" * 32).decode().rstrip("=")
QUNBOT = Path(sys.executable).parent / "qunbot"

RULES = """
[defaults]
language = "zh"
[defaults.welcome]
batch_seconds = 0
[defaults.nickname]
format = "{city}-{industry}-{name}"
grace_hours = 24
[defaults.nickname.fields.city]
label = "城市"
allowed = ["上海", "北京"]
"""


def change_xml(chat_id: str, detail: str, members: list[str], at: int = 1_700_000_100) -> str:
    items = "".join(f"<Item><![CDATA[{m}]]></Item>" for m in members)
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_chat]]></Event>"
        f"<ChatId><![CDATA[{chat_id}]]></ChatId><ChangeType><![CDATA[update]]></ChangeType>"
        f"<UpdateDetail><![CDATA[{detail}]]></UpdateDetail><JoinScene>3</JoinScene>"
        f"<MemChangeCnt>{len(members)}</MemChangeCnt><MemChangeList>{items}</MemChangeList></xml>"
    )


@dataclass
class Running:
    fake: FakeQyapi
    proc: asyncio.subprocess.Process
    port: int
    db_url: str
    logs: list[dict[str, Any]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def post_callback(self, plain: str, nonce: str = "n1", break_signature: bool = False) -> int:
        crypto = WeChatCrypto(TOKEN, AES, CORP)
        envelope = crypto.encrypt_message(plain, nonce, "1700000000")
        sig = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
        if break_signature:
            sig = "0" * len(sig)
        params = {"msg_signature": sig, "timestamp": "1700000000", "nonce": nonce}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{self.url}/wecom/callback", params=params, data=envelope) as resp,
        ):
            return resp.status

    async def post_aibot(self, payload: dict[str, Any], nonce: str = "a1") -> int:
        crypto = WeChatCrypto(AIBOT_TOKEN, AIBOT_AES, "")
        envelope = crypto.encrypt_message(json.dumps(payload, ensure_ascii=False), nonce, "1700000000")
        encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
        sig = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
        params = {"msg_signature": sig, "timestamp": "1700000000", "nonce": nonce}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{self.url}/wecom/aibot", params=params, json={"encrypt": encrypt}) as resp,
        ):
            return resp.status

    async def rows(self, kinds: list[str]) -> list[Any]:
        db = Database(self.db_url)
        try:
            async with db.session() as session:
                return [row async for row in iter_rows(session, kinds=kinds)]
        finally:
            await db.close()

    async def wait_rows(self, kinds: list[str], count: int, within_s: float = 15.0) -> list[Any]:
        rows: list[Any] = []
        for _ in range(int(within_s * 10)):
            rows = await self.rows(kinds)
            if len(rows) >= count:
                return rows
            await asyncio.sleep(0.1)
        raise AssertionError(f"{kinds}: {len(rows)} rows, wanted {count}")

    def logged(self, event: str) -> list[dict[str, Any]]:
        return [line for line in self.logs if line.get("event") == event]

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()
            await asyncio.wait_for(self.proc.wait(), 20)
        if self._reader is not None:
            await self._reader


async def start_qunbot(fake: FakeQyapi, tmp: Path, db_url: str, **extra: str) -> Running:
    rules = tmp / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    env = {
        **os.environ,
        "QUNBOT_WECOM__CORP_ID": CORP,
        "QUNBOT_WECOM__SECRET": "app-secret",
        "QUNBOT_WECOM__AGENT_ID": "1000002",
        "QUNBOT_WECOM__TOKEN": TOKEN,
        "QUNBOT_WECOM__AES_KEY": AES,
        "QUNBOT_WECOM__API_BASE": fake.base,
        "QUNBOT_WECOM__AIBOT_TOKEN": AIBOT_TOKEN,
        "QUNBOT_WECOM__AIBOT_AES_KEY": AIBOT_AES,
        "QUNBOT_HTTP__PORT": "0",
        "QUNBOT_LOG__FORMAT": "json",
        "QUNBOT_TELEGRAM__TOKEN": "",
        **extra,
    }
    proc = await asyncio.create_subprocess_exec(
        str(QUNBOT),
        "run",
        "--config",
        str(rules),
        "--db",
        db_url,
        env=env,
        cwd=tmp,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    running = Running(fake, proc, 0, db_url)
    started = asyncio.get_running_loop().create_future()

    async def read() -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            try:
                line = json.loads(raw)
            except ValueError:
                line = {"event": "raw", "text": raw.decode(errors="replace")}
            running.logs.append(line)
            if line.get("event") == "running" and not started.done():
                started.set_result(int(str(line["http"]).rsplit(":", 1)[1]))
        if not started.done():
            started.set_exception(AssertionError(f"qunbot exited: {running.logs[-5:]}"))

    running._reader = asyncio.get_running_loop().create_task(read())
    running.port = await asyncio.wait_for(started, 60)
    return running
