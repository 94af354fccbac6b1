"""`qunbot demo`'s WeCom segment: a customer group played by the console simulator with the declared
capabilities: the welcome left to WeCom's template, a wrong group nickname reminded, the third strike's
removal escalated to the owner (the group cannot remove anyone through the API)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from bot.tools.demo.runner import run_demo
from bot.tools.demo.scenario import SCENARIOS
from storage.db import Database
from storage.repos.events import iter_rows

KEY = "console:group:wrDemoCustomer"


async def test_wecom_customer_group_segment(tmp_path: Path) -> None:
    db_url = str(tmp_path / "demo.db")
    console = Console(file=io.StringIO(), width=120)
    sim = await run_demo(db_url, console, [SCENARIOS / "10_basics.toml", SCENARIOS / "70_wecom.toml"])
    db = Database(db_url)
    async with db.session() as session:
        rows = [r async for r in iter_rows(session) if r.group_key == KEY]
    await db.close()
    welcomes = [r for r in rows if r.kind == "action.send" and r.detail.get("purpose") == "welcome"]
    assert welcomes and {r.detail["outcome"] for r in welcomes} == {"fallback"}
    reminders = [r for r in rows if r.kind == "action.send" and r.detail.get("purpose") == "reminder"]
    assert any("小赵" in r.detail["text"] for r in reminders)
    [removal] = [r for r in rows if r.kind == "action.remove"]
    assert removal.detail["outcome"] == "escalated" and removal.detail["target"] == "wc_qian"
    asked = [p for p in sim.adapter.ops("admins") if p.chat == KEY]
    assert any("北京-电商-阿钱" in p.text for p in asked)
    assert not [p for p in sim.adapter.ops("remove") if p.chat == KEY]
