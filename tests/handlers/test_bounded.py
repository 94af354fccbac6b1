"""Per-member memory stays within its bound: the structures themselves, and every feature after many
members spoke (a new feature keeping a plain dict per member fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.common import bounded
from handlers.common.bounded import LruDict, LruSet
from handlers.feature import Feature
from handlers.nickname import check
from handlers.nickname import handler as nickname_handler
from handlers.nickname.config import NicknameConfig
from handlers.nickname.handler import Nickname
from handlers.registry import build_features
from rules.verdict import Verdict
from tests.support import SimFactory

CONFIG_EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_lru_dict_keeps_the_most_recently_written() -> None:
    kept: LruDict[str, int] = LruDict(3)
    for n, key in enumerate("abcd"):
        kept[key] = n
    assert list(kept) == ["b", "c", "d"]  # "a", written longest ago, went
    kept["b"] = 9  # written again: the newest now
    kept["e"] = 5
    assert list(kept) == ["d", "b", "e"]
    assert kept.get("c") is None and kept["b"] == 9
    assert len(kept) == kept.capacity == 3
    kept.setdefault("d", 0)  # setdefault counts as a write (a flood window is used through it)
    kept.setdefault("f", 1)
    assert list(kept) == ["e", "d", "f"] and kept["d"] == 3


def test_lru_set_keeps_the_most_recently_added() -> None:
    seen: LruSet[str] = LruSet(2)
    for item in ("a", "b", "a", "c"):
        seen.add(item)
    assert "a" in seen and "c" in seen and "b" not in seen
    seen.discard("a")
    assert list(seen) == ["c"] and len(seen) == 1


def test_a_capacity_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LruDict(0)


def _sizes(feature: Feature) -> dict[str, tuple[int, int | None]]:
    """Each dict / set attribute of a feature: its size and its bound (None: unbounded)."""
    found: dict[str, tuple[int, int | None]] = {}
    for name, value in vars(feature).items():
        if isinstance(value, LruDict | LruSet):
            found[name] = (len(value), value.capacity)
        elif isinstance(value, dict | set):
            found[name] = (len(value), None)
    return found


async def test_every_feature_keeps_per_member_memory_within_a_bound(
    make_sim: SimFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 members each join and speak (in slow mode, with the example config's features on): no feature
    holds more than the bound (set to 40 here) in any structure, and nothing unbounded grows with them."""
    monkeypatch.setattr(bounded, "MEMBERS_KEPT", 40)
    monkeypatch.setattr(LruDict.__init__, "__defaults__", (40,))
    monkeypatch.setattr(LruSet.__init__, "__defaults__", (40,))
    example = CONFIG_EXAMPLE.read_text(encoding="utf-8")
    at = example.index("[defaults.locks.slow]")
    rules = example[:at] + example[at:].replace("\nseconds = 0\n", "\nseconds = 30\n", 1)  # slow mode on
    features = build_features()
    sim = await make_sim(rules, features=features)
    members = 60
    for n in range(members):
        sim.add_user(f"u{n}", f"上海-互联网-用户{n}" if n % 2 else f"用户{n}")
        await sim.join(f"u{n}")
        await sim.say(f"u{n}", f"大家好，我是第 {n} 位，今天的话题很有意思")
    await sim.app.writer.flush()  # buffered counters are written out, not kept;
    await sim.app.writer.flush()  # and what a flush holds for a retry is let go by the next one
    for feature in features:
        for name, (size, bound) in _sizes(feature).items():
            where = f"{feature.name}.{name}"
            if bound is None:
                assert size < members // 2, f"{where} grows with the members ({size}) and has no bound"
            else:
                assert size <= bound == 40, where


async def test_nickname_verdicts_are_cached_per_name(
    make_sim: SimFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three members with the same wrong name: the rules check it once (per nickname section in force),
    and each of them is still told."""
    calls: list[str] = []

    def counting(cfg: NicknameConfig, name: str, lang: str = "zh") -> Verdict:
        calls.append(name)
        return check.check_nickname(cfg, name, lang)

    monkeypatch.setattr(nickname_handler, "check_nickname", counting)
    sim = await make_sim("[defaults.welcome]\nenabled = false\n", features=[Nickname()])
    for n in range(3):
        sim.add_user(f"u{n}", "小王")
        await sim.join(f"u{n}")
    assert calls == ["小王"]
    told = [text for text in sim.adapter.sent_texts() if "不符合" in text]
    assert len(told) == 3
