"""Sensitive content on members' messages: the admins are notified with the category and the words; the
message is deleted only where the group's config says so, and nobody is struck (a topic is not an offence).
"""

from __future__ import annotations

from handlers.common.per_config import PerConfig
from handlers.contract.actions import Action, Delete, NotifyAdmins, Record
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, Phase
from handlers.sensitive import texts
from handlers.sensitive.config import SensitiveConfig
from rules.sensitive import SensitiveDetector


class Sensitive(Feature):
    name = "sensitive"
    phase = Phase.MODERATION

    def __init__(self) -> None:
        self.detector: PerConfig[SensitiveConfig, SensitiveDetector] = PerConfig(
            lambda config: SensitiveDetector(config.keywords, defaults=config.builtin_lists)
        )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.MESSAGE or event.chat.kind != "group" or not event.text:
            return []
        user, cfg = event.user, ctx.config.sensitive
        if user is None or user.is_bot or user.is_admin or not cfg.enabled:
            return []
        hit = self.detector(cfg).detect(event.text)
        if hit is None:
            return []
        chosen = [cfg.actions.get(c, cfg.action) for c in hit.categories]
        action = "delete" if "delete" in chosen else "notify" if "notify" in chosen else "ignore"
        detail = {"categories": list(hit.categories), "action": action}
        actions: list[Action] = [
            Record(event.chat, "sensitive_detected", "、".join(hit.words), user.id, detail)
        ]
        if action == "ignore":
            return actions
        lang = ctx.config.language
        deleted = action == "delete" and event.message_id is not None
        if deleted:
            assert event.message_id is not None
            actions.append(
                Delete(event.chat, event.message_id, f"sensitive: {', '.join(hit.categories)}", event.user)
            )
        label = "、".join(
            texts.CATEGORY.get(c, {}).get(lang) or texts.CATEGORY.get(c, {}).get("zh") or c
            for c in hit.categories
        )
        note = render(
            texts.NOTIFY,
            lang,
            name=user.name,
            message_id=event.message_id or "?",
            label=label,
            words="、".join(hit.words),
            deleted=render(texts.DELETED, lang) if deleted else "",
        )
        actions.append(NotifyAdmins(event.chat, note, reason=f"sensitive: {', '.join(hit.categories)}"))
        return actions
