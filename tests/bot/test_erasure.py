"""Erasure is complete: after ``erase_user`` no table names the member — not their id (as a value or a
token in text), display name, username or @username — on SQLite and PostgreSQL, over the demo's history
(welcomes, nickname reminders, tasks, referrals, strikes, admin actions, the bot's own texts)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.privacy import erase_user, pseudonym
from storage.db import Database
from storage.models import Base
from storage.models.core import EventLogRow, Member
from storage.repos.erasure import Scrubber
from tests.bot.test_cli import run

WANG = ("wang", "上海-互联网-小王", "xiaowang")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("erase") / "demo.db"
    code, _, err = run("demo", "--db", str(db))
    assert code == 0, err
    return db


async def _everything(db: Database) -> list[tuple[str, str]]:
    """Every row of every table as text (JSON without escapes, so Chinese names are plain)."""
    out = []
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(table.select()):
                values = dict(row._mapping)
                out.append((table.name, json.dumps(values, ensure_ascii=False, default=str)))
    return out


def _naming(rows: list[tuple[str, str]], user_id: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    token = re.compile(rf"(?<![\w]){re.escape(user_id)}(?![\w])")
    return [(t, text) for t, text in rows if token.search(text) or any(n in text for n in names)]


async def test_no_table_names_the_member_after_erasure(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copyfile(demo_db, copy)
    db = Database(str(copy))
    user, name, username = WANG
    try:
        before = _naming(await _everything(db), user, (name, username))
        tables = {t for t, _ in before}
        # not only the member's own rows: others' rows name them too (who invited whom, the bot's texts)
        assert {"members", "event_log", "newcomers"} <= tables
        async with db.session() as session:
            others = await session.scalars(
                select(EventLogRow.reason).where(
                    EventLogRow.user_id != user, EventLogRow.reason.contains(name)
                )
            )
            assert list(others) or any(t != "event_log" for t in tables)
        counts = await erase_user(db, user, datetime(2026, 3, 20, tzinfo=UTC))
        assert counts["members"] == 1 and any(k.startswith("scrubbed.") for k in counts)
        after = _naming(await _everything(db), user, (name, username))
        assert after == []
        rows = await _everything(db)
        assert any(pseudonym(user) in text for _, text in rows)  # the trail keeps its shape
        async with db.session() as session:
            kept = await session.scalar(select(Member.display_name).where(Member.user_id == "r_zhang"))
        assert kept == "上海-互联网-小张"  # nobody else is touched
    finally:
        await db.close()


async def test_scrub_on_both_databases(db: Database) -> None:
    """The same search and rewrite on PostgreSQL (JSON searched as text there too)."""
    now = datetime(2026, 3, 20, tzinfo=UTC)
    async with db.session() as session:
        g = "tg:group:-5"
        session.add_all(
            [
                Member(group_key=g, user_id="u42", display_name="北京-运营-阿强", username="aqiang",
                       joined_at=now),
                Member(group_key=g, user_id="u7", display_name="别人", invited_by="u42", joined_at=now),
                EventLogRow(ts=now, platform="tg", group_key=g, user_id="u7", kind="action.send",
                            reason="welcome for 别人, invited by 北京-运营-阿强",
                            detail={"text": "@aqiang 邀请的新朋友来了", "referrer": "u42", "msg": "u421"}),
            ]
        )  # fmt: skip
        await session.commit()
    await erase_user(db, "u42", now)
    rows = await _everything(db)
    assert _naming(rows, "u42", ("北京-运营-阿强", "aqiang")) == []
    (send,) = [text for table, text in rows if table == "event_log" and "action.send" in text]
    assert pseudonym("u42") in send and "u421" in send  # another id that merely starts the same is kept


def test_scrubber_replaces_names_longest_first_and_ids_as_tokens() -> None:
    s = Scrubber("123", ["小王", "上海-互联网-小王", "x"], "erased:1")
    assert s.text("上海-互联网-小王 and 小王, user 123, message 91234") == (
        "erased:1 and erased:1, user erased:1, message 91234"
    )
    assert s.value({"123": ["小王", 123]}) == {"erased:1": ["erased:1", 123]}
    assert "x" not in s.names  # a one-letter name would erase half the log
