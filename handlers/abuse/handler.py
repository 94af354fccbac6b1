"""Insults and personal attacks on every member's message (``rules.abuse``): deleted, struck as ``abuse``.

The detector is built once per group config (the lexicon plus the group's ``extra_words``) and cached on the
feature. Admins are not checked; a command is a command (its text goes to the command's handler).
"""

from __future__ import annotations

from handlers.abuse import texts
from handlers.abuse.config import AbuseConfig
from handlers.common.per_config import PerConfig
from handlers.common.strikes import Offence, add_strike
from handlers.contract.actions import Action, Delete, NotifyAdmins, Record, Send, Stop
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, Phase
from rules.abuse import AbuseDetector


class Abuse(Feature):
    name = "abuse"
    phase = Phase.MODERATION

    def __init__(self) -> None:
        self.detector: PerConfig[AbuseConfig, AbuseDetector] = PerConfig(
            lambda config: AbuseDetector(config.extra_words)
        )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.MESSAGE or event.chat.kind != "group" or not event.text:
            return []
        user, cfg = event.user, ctx.config.abuse
        if user is None or user.is_bot or user.is_admin or not cfg.enabled:
            return []
        verdict = self.detector(cfg).detect(event.text)
        if not verdict.hit:
            return []
        lang = ctx.config.language
        detail = {"words": len(verdict.words), "score": round(verdict.score, 2), "action": cfg.action}
        actions: list[Action] = [
            Record(event.chat, "abuse_detected", verdict.verdict.reason, user.id, detail)
        ]
        if cfg.action == "notify":
            text = render(
                texts.NOTIFY, lang, name=user.name, message_id=event.message_id or "?",
                detail=render(texts.REASON, lang),
            )  # fmt: skip
            return [*actions, NotifyAdmins(event.chat, text, reason="possible insult")]
        if event.message_id and (cfg.delete or cfg.action == "delete"):
            actions.append(Delete(event.chat, event.message_id, "abuse", event.user))
        reason = render(texts.REASON, lang)
        if cfg.action == "delete":
            if ctx.config.moderation.public_notice:
                notice = render(texts.DELETED, lang, mention=user.mention)
                deleted = Send(event.chat, notice, "abuse deleted", purpose="moderation", mentions=(user,))
                actions.append(deleted)
            return [*actions, Stop("abuse")]
        offence = Offence(
            user,
            "abuse",
            reason,
            source=f"abuse:{event.message_id or event.delivery}",
            detail=verdict.verdict.reason,
            extra={"score": round(verdict.score, 2)},
        )
        return [*actions, *await add_strike(ctx, event.chat, offence), Stop("abuse")]
