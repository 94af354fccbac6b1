"""Sensitive content (政治, 谣言 and a group's own lists): words matched through the normaliser, by category.

Unlike ads and insults this is not a verdict on the member: a sensitive topic is for an admin to look at, so
the default action downstream is to notify the admins. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import ahocorasick_rs

from rules.normalize import compact

__all__ = ["DEFAULT_SENSITIVE", "SensitiveDetector", "SensitiveHit"]

# Defaults a community group usually wants an admin to see; groups add their own lists per category.
DEFAULT_SENSITIVE: Final[Mapping[str, tuple[str, ...]]] = {
    "politics": (
        "颠覆国家", "推翻政府", "游行示威", "上街游行", "法轮功", "六四事件", "台独", "港独", "藏独", "疆独",
        "政治避难", "翻墙看新闻",
    ),
    "rumour": (
        "不转不是中国人", "转发救人", "速转", "紧急扩散", "紧急通知转发", "明天起全国", "内部消息称",
        "据可靠消息", "千万不要吃", "已经证实致癌", "马上转发给家人", "看完请转发",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SensitiveHit:
    """The categories a message touched, with the words (for the admins' note, never for the group)."""

    categories: tuple[str, ...]
    words: tuple[str, ...]


class SensitiveDetector:
    """Built once per group config: the defaults (unless switched off) plus the group's lists."""

    __slots__ = ("_automaton", "_categories")

    def __init__(self, extra: Mapping[str, list[str]] | None = None, defaults: bool = True) -> None:
        lists: dict[str, list[str]] = {c: list(w) for c, w in DEFAULT_SENSITIVE.items()} if defaults else {}
        for category, words in (extra or {}).items():
            lists.setdefault(category, []).extend(words)
        by_word: dict[str, str] = {}
        for category, words in lists.items():
            for word in words:
                key = compact(word)
                if key:
                    by_word.setdefault(key, category)
        self._categories = tuple(by_word.values())
        self._automaton = ahocorasick_rs.AhoCorasick(list(by_word)) if by_word else None

    def detect(self, text: str) -> SensitiveHit | None:
        if self._automaton is None or not text:
            return None
        comp = compact(text)
        found = self._automaton.find_matches_as_indexes(comp)
        if not found:
            return None
        categories = tuple(dict.fromkeys(self._categories[i] for i, _, _ in found))
        words = tuple(dict.fromkeys(comp[s:e] for _, s, e in found))
        return SensitiveHit(categories, words)
