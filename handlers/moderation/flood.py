"""Flood control: more than N messages in M seconds, or the same message K times, from one member.

The windows are in memory on the feature object (the hot path touches no database; a restart forgets a
burst, which is harmless). One strike per burst (``cooldown_s``); the burst's messages are deleted.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.common.bounded import LruDict
from handlers.common.strikes import Offence, add_strike, category_label
from handlers.contract.actions import Action, Delete, Record, Stop
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, Phase
from handlers.moderation import texts
from rules.nickname import fold

_GC_EVERY = 1000  # events between sweeps of idle windows


@dataclass(slots=True)
class _Entry:
    at: datetime
    message_id: str | None
    key: int | None  # hash of the folded text; None for commands and short texts (never "the same")


@dataclass(slots=True)
class _Window:
    """One member's recent messages in one group, oldest first, with a count per text key so that "the
    same message again" is one lookup however long the repeat window is."""

    entries: deque[_Entry] = field(default_factory=deque)
    same: dict[int, int] = field(default_factory=dict)  # text key → entries holding it
    last_strike: datetime | None = None

    def add(self, entry: _Entry, horizon: datetime) -> None:
        """Keep the entries in time order: a delivery that arrives late (a retry, another instance) goes
        where its time says, so ``since`` can stop at the first older entry."""
        at = len(self.entries)
        while at and self.entries[at - 1].at > entry.at:
            at -= 1
        self.entries.insert(at, entry)
        if entry.key is not None:
            self.same[entry.key] = self.same.get(entry.key, 0) + 1
        while self.entries[0].at < horizon:
            old = self.entries.popleft()
            if old.key is not None:
                left = self.same[old.key] - 1
                if left:
                    self.same[old.key] = left
                else:
                    del self.same[old.key]

    def since(self, cutoff: datetime) -> list[_Entry]:
        """Entries at or after ``cutoff``, walked from the newest end (the rate window is short)."""
        out: list[_Entry] = []
        for entry in reversed(self.entries):
            if entry.at < cutoff:
                break
            out.append(entry)
        out.reverse()
        return out


def _nonsense(text: str, min_chars: int) -> bool:
    """A long run of one to three characters: "aaaa…", "哈哈哈…" pasted in bulk. Cheap: looks at the text
    only when it is long."""
    if len(text) < min_chars:
        return False
    return len(set(text[:4096])) <= _NONSENSE_DISTINCT and len(set(text)) <= _NONSENSE_DISTINCT


_NONSENSE_DISTINCT = 3


class Flood(Feature):
    name = "flood"
    phase = Phase.MODERATION

    def __init__(self) -> None:
        # Idle windows are dropped by ``_gc``; past a bound, the least recently active member's goes too.
        self._windows: LruDict[tuple[str, str], _Window] = LruDict()
        self._events = 0

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        user = event.user
        if event.kind not in (EventKind.MESSAGE, EventKind.COMMAND) or event.chat.kind != "group":
            return []
        if user is None or user.is_admin or user.is_bot:
            return []
        mod = ctx.config.moderation
        cfg = mod.flood
        if not (mod.enabled and cfg.enabled):
            return []
        now = ctx.now
        self._gc(now, cfg.per_seconds, cfg.repeat_seconds, cfg.cooldown_s)
        window = self._windows.setdefault((event.chat.key, user.id), _Window())
        folded = fold(event.text)
        key = (
            hash(folded) if event.kind == EventKind.MESSAGE and len(folded) >= cfg.repeat_min_chars else None
        )
        entry = _Entry(now, event.message_id, key)
        window.add(
            entry,
            now - timedelta(seconds=max(cfg.per_seconds, cfg.repeat_seconds)),
        )
        recent = window.since(now - timedelta(seconds=cfg.per_seconds))
        lang = ctx.config.language
        if cfg.nonsense_chars and _nonsense(event.text, cfg.nonsense_chars):
            burst, kind = [entry], "nonsense"
            detail = render(texts.FLOOD_NONSENSE, lang, n=len(event.text))
        elif len(recent) > cfg.max_messages:
            burst, kind = recent, "rate"
            detail = render(texts.FLOOD_RATE, lang, n=len(recent), seconds=cfg.per_seconds)
        elif key is not None and window.same[key] >= cfg.repeat_max:
            burst, kind = [e for e in window.entries if e.key == key], "repeat"
            detail = render(texts.FLOOD_REPEAT, lang, n=len(burst))
        else:
            return []
        actions: list[Action] = [
            Record(event.chat, "flood_detected", detail, user.id, {"kind": kind, "messages": len(burst)})
        ]
        if cfg.delete:
            for entry in burst:
                if entry.message_id is not None:
                    actions.append(Delete(event.chat, entry.message_id, f"flood: {detail}", user))
                    entry.message_id = None  # deleted once
        cooling = window.last_strike is not None and now - window.last_strike < timedelta(
            seconds=cfg.cooldown_s
        )
        if not cooling:
            window.last_strike = now
            offence = Offence(
                user,
                "flood",
                category_label("flood", lang),
                source=f"flood:{event.delivery}",
                detail=detail,
                extra={"kind": kind, "messages": len(burst)},
            )
            actions += await add_strike(ctx, event.chat, offence)
        return [*actions, Stop(f"flood: {detail}")]

    def _gc(self, now: datetime, *seconds: int) -> None:
        """Drop windows idle for longer than any of them can matter (bounded memory, no module globals)."""
        self._events += 1
        if self._events % _GC_EVERY:
            return
        idle = now - timedelta(seconds=max(seconds))
        for key in [k for k, w in self._windows.items() if not w.entries or w.entries[-1].at < idle]:
            del self._windows[key]
