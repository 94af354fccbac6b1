"""Keyword auto-replies (FAQ): the first entry whose keywords or pattern match the normalised message
answers it, then stays quiet for its cooldown in that group (kept on the feature object: a restart
forgets it, which at worst repeats one answer)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature
from rules.normalize import normalize


class Faq(Feature):
    name = "faq"

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], datetime] = {}  # (group, entry digest) → last answer

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.faq
        if (
            not cfg.enabled
            or not cfg.entries
            or event.kind != EventKind.MESSAGE
            or event.user is None
            or event.user.is_bot
            or not event.text.strip()
        ):
            return []
        text = normalize(event.text)
        for index, entry in enumerate(cfg.entries):
            matched = entry.match(text)
            if matched is None:
                continue
            key = (event.chat.key, hashlib.sha256(entry.reply.encode("utf-8")).hexdigest()[:16])
            minutes = cfg.cooldown_minutes if entry.cooldown_minutes is None else entry.cooldown_minutes
            last = self._last.get(key)
            if last is not None and ctx.now - last < timedelta(minutes=minutes):
                ago = int((ctx.now - last).total_seconds())
                reason = f"FAQ {index + 1} matched {matched}; answered {ago}s ago (cooldown {minutes} min)"
                return [Record(event.chat, "faq_cooldown", reason, event.user.id, {"entry": index + 1})]
            self._last[key] = ctx.now
            reason = f"FAQ {index + 1}: {matched}"
            return [
                Send(event.chat, entry.reply, reason, reply_to=event.message_id),
                Record(event.chat, "faq_replied", reason, event.user.id, {"entry": index + 1}),
            ]
        return []
