"""A community workload for the end-to-end benchmark: G groups of M members over three days.

Members speak many times (a few talk a lot, most a little, as in real groups), in Chinese; about 5 % of
the messages are ads (a handful of spammers come back, so some ads end in a strike and a removal), members
check in (打卡) once or twice a day, ask ``/me`` and ``/tasks``, and people join and leave. Deterministic
(seeded), so two runs and two databases see the same events.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from handlers.contract.events import Chat, Event, EventKind, User

CHAT = (
    "大家好，今天的话题很有意思",
    "我觉得这个方案可以再讨论一下",
    "周末有人一起去看展吗？",
    "分享一篇文章 https://mp.weixin.qq.com/s/abc123 写得不错",
    "收到，谢谢",
    "这个价格 299 元还挺划算的",
    "有没有做 B 端 SaaS 的朋友，想请教一下定价",
    "会议号 123 456 789，晚上八点见",
    "哈哈哈",
    "同意楼上",
    "请问群里有人在杭州吗",
    "昨天的分享太干了，学到很多",
    "这周的读书会几点开始？",
    "我们公司也在招前端，下周分享会上我介绍一下",
    "今天加班到十点，累",
)
ADS = (
    "加我薇信 abc12345 带你日赚500，名额有限",
    "兼职刷单，日结300，有意者加V：qq778899",
    "低价出售各类会员账号，需要的私聊我 +v bb6688",
    "免费领取理财课程，扫码进群 👉 t.me/joinchat/xxxx 稳赚不赔",
)
START = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai, a Monday
SPAN = timedelta(days=3)
KINDS = ("chat", "ad", "checkin", "command", "join", "leave")


@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # one of KINDS: what the latencies are split by
    event: Event


def events(groups: int, members: int, messages: int, tag: str, seed: int = 18) -> Iterator[Step]:
    """``messages`` events spread over three days across ``groups`` groups of ``members`` members."""
    rnd = random.Random(seed)
    chats = [Chat("console", f"bench-{tag}-{g}", "group", f"群 {g}") for g in range(groups)]
    step = SPAN / max(messages, 1)
    # Weights ~ 1/rank: a few members write most of the messages, as in real groups.
    weights = [1 / (rank + 1) for rank in range(members)]
    spammers = max(1, members // 100)  # the last ids: they post the ads, several times each
    joined = [members] * groups  # the next new member id per group
    for i in range(messages):
        g = rnd.randrange(groups)
        chat = chats[g]
        at = START + step * i
        delivery = f"bench:{tag}:{i}"
        roll = rnd.random()
        if roll < 0.05:
            uid = members - 1 - rnd.randrange(spammers)
            text = ADS[rnd.randrange(len(ADS))]
            yield Step("ad", _message(chat, at, delivery, _user(uid), text, i))
            continue
        if roll < 0.055:  # someone new arrives
            uid = joined[g]
            joined[g] += 1
            user = _user(uid)
            yield Step("join", Event(EventKind.MEMBER_JOINED, chat, at, delivery, user=user))
            continue
        if roll < 0.058:  # someone leaves
            user = _user(rnd.choices(range(members), weights)[0])
            yield Step("leave", Event(EventKind.MEMBER_LEFT, chat, at, delivery, user=user))
            continue
        user = _user(rnd.choices(range(members), weights)[0])
        if roll < 0.10:
            yield Step("checkin", _message(chat, at, delivery, user, "打卡", i))
        elif roll < 0.11:
            yield Step("command", _command(chat, at, delivery, user, "me", i))
        elif roll < 0.115:
            yield Step("command", _command(chat, at, delivery, user, "tasks", i))
        else:
            n = rnd.randrange(len(CHAT) ** 2)
            text = f"{CHAT[n % len(CHAT)]}，{CHAT[n // len(CHAT)]}"
            yield Step("chat", _message(chat, at, delivery, user, text, i))


def everyone_once(groups: int, members: int, tag: str) -> Iterator[Event]:
    """Every member of every group says one chat message, groups taking turns (member 0 of each group,
    then member 1 …): ``groups × members`` members seen, the case that shows whether per-member state is
    bounded. Spread over the same three days as ``events``."""
    chats = [Chat("console", f"bench-{tag}-{g}", "group", f"群 {g}") for g in range(groups)]
    step = SPAN / max(groups * members, 1)
    for i in range(groups * members):
        uid, g = divmod(i, groups)
        text = f"{CHAT[i % len(CHAT)]}，{CHAT[(i // len(CHAT)) % len(CHAT)]}"
        yield _message(chats[g], START + step * i, f"bench:{tag}:{i}", _user(uid), text, i)


def _user(uid: int) -> User:
    return User(str(uid), f"上海-互联网-用户{uid}")


def _message(chat: Chat, at: datetime, delivery: str, user: User, text: str, i: int) -> Event:
    return Event(EventKind.MESSAGE, chat, at, delivery, user=user, message_id=str(i), text=text)


def _command(chat: Chat, at: datetime, delivery: str, user: User, name: str, i: int) -> Event:
    return Event(
        EventKind.COMMAND, chat, at, delivery, user=user, message_id=str(i), text=f"/{name}", command=name
    )
