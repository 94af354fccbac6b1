"""Ad detection on every member's message, explained signal by signal; /spam and /notspam feedback.

The event becomes ``MessageFacts`` (text, links, QR payloads, media, channel forward, admin, the member's
first message, the same text repeated across groups) and goes to an ``AdDetector`` built once per group
config and cached here. A hit: the message is deleted, a strike goes through the moderation ladder (or
the member is removed at once for remove-at-once categories), the signals that fired and the score are
recorded, and the event stops. In-memory state (detectors, first-message and repeat windows) lives on the
feature object.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

import structlog

from handlers.ads import texts
from handlers.ads.config import MAX_KEEP_FLAGGED_DAYS, AdsConfig
from handlers.common import texts as common_texts
from handlers.common.admin import admin_only, audit
from handlers.common.bounded import LruDict, LruSet
from handlers.common.strikes import Offence, add_strike, category_label
from handlers.common.target import NoTarget, explain_missing, resolve_target
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Delete, NotifyAdmins, Record, Send, Stop
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec, Phase
from rules.ads import (
    ALL_SIGNALS,
    REMOVE_AT_ONCE,
    AdDetector,
    AdRules,
    AdVerdict,
    LinearModel,
    MessageFacts,
)
from rules.nickname import fold
from rules.normalize import warm_up
from rules.targets import handle_of
from storage.repos.ad_samples import (
    FLAGGED,
    HAM,
    SPAM,
    add_sample,
    purge_flagged,
    relabel_flagged,
)
from storage.repos.strikes import StrikeRepo

log = structlog.get_logger(__name__)

PURGE_JOB = "ads.purge_flagged"
_MAX_DETECTORS = 64  # configs kept (a reload makes new config objects; old ones age out)
_GC_EVERY = 1000
KNOWN_DAYS = 14  # an established member: first message this many days ago …
KNOWN_MESSAGES = 20  # … and at least this many messages since


def ad_rules(config: AdsConfig) -> AdRules:
    """The detector's settings from a group's ``[ads]`` section."""
    signals = ALL_SIGNALS - set(config.signals_off) - (set() if config.use_model else {"model"})
    return AdRules(
        enabled=config.enabled,
        signals=frozenset(signals),
        threshold=config.threshold,
        score_threshold=config.score_threshold,
        allowed_domains=tuple(config.allowed_domains),
        extra_keywords={category: tuple(words) for category, words in config.extra_keywords.items()},
        repeat_threshold=config.repeat_threshold,
        check_admins=config.check_admins,
        newcomer_bonus=AdRules().newcomer_bonus if config.strict_with_newcomers else 0.0,
    )


def _counted(actions: list[Action]) -> bool:
    """Whether ``add_strike`` counted a strike (not skipped for an admin, not a redelivery or an edit of a
    message already struck, and not observe mode, where nothing is deleted to object to)."""
    return any(isinstance(a, Record) and a.kind == "strike" and not a.detail.get("observed") for a in actions)


def explain(verdict: AdVerdict, language: str) -> str:
    """The fired signals in words (``微信号、私聊引流话术``), never the matched text."""
    names = []
    for result in verdict.verdict.hits:
        label = texts.SIGNAL.get(result.name)
        names.append(label.get(language, label["zh"]) if label else result.name)
    return "、".join(dict.fromkeys(names)) if language == "zh" else ", ".join(dict.fromkeys(names))


def public_reason(category: str, language: str) -> str:
    """What the group is told about an ad, in plain words (``发布广告（留联系方式）``): the category's public
    wording from the one mapping. The signals that fired and the model's score (``explain``) are for the log
    and the admins; a category without a wording is just an ad, never its internal name."""
    if category in REMOVE_AT_ONCE:
        return category_label(category, language)
    if category != "ad" and category in common_texts.CATEGORY:
        return render(texts.AD_REASON, language, why=category_label(category, language))
    return category_label("ad", language)


class Ads(Feature):
    name = "ads"
    phase = Phase.MODERATION
    commands = (
        CommandSpec("spam", "标记为广告（回复消息）", "Mark as an ad (reply)", admin=True),
        CommandSpec(
            "notspam",
            "标记为正常消息（回复消息，或 @成员：其被误删的消息）",
            "Mark as not an ad (reply, or @member: their wrongly deleted messages)",
            admin=True,
        ),
    )

    def __init__(self, model: LinearModel | None = None, load_shipped_model: bool = True) -> None:
        self._model = model
        self._load = model is None and load_shipped_model
        self._detectors: dict[int, tuple[AdsConfig, AdDetector]] = {}
        # Members seen speaking / seen joining and not yet speaking, since start; the least recently seen
        # are forgotten past a bound: for them whether a message is their first is asked of the database
        # (``_first_message``) on a borderline score, as for members who were here before the start.
        self._spoken: LruSet[tuple[str, str]] = LruSet()
        self._fresh: LruSet[tuple[str, str]] = LruSet()
        # (user, text) → times, across groups: idle ones dropped by ``_gc``, the least recent past a bound
        self._recent: LruDict[tuple[str, int], deque[datetime]] = LruDict()
        self._events = 0

    def replace_model(self, model: LinearModel) -> None:
        """Use a model trained for this deployment (``QUNBOT_ADS_MODEL``) instead of the shipped one."""
        self._model = model
        self._load = False
        self._detectors.clear()

    # --- detector cache --------------------------------------------------------------------------------
    def _shipped_model(self) -> LinearModel | None:
        if self._load:
            self._load = False
            try:
                from handlers.ads.model_io import shipped_model

                self._model = shipped_model()
            except (OSError, ValueError) as exc:
                log.warning("ad_model_unavailable", error=str(exc))
        return self._model

    def detector(self, config: AdsConfig) -> AdDetector:
        """The detector for this config object, built on first use (keyword automaton, allow lists)."""
        cached = self._detectors.get(id(config))
        if cached is not None and cached[0] is config:
            return cached[1]
        detector = AdDetector(ad_rules(config), self._shipped_model() if config.use_model else None)
        if len(self._detectors) >= _MAX_DETECTORS:
            self._detectors.pop(next(iter(self._detectors)))
        self._detectors[id(config)] = (config, detector)  # the config is kept, so its id is not reused
        return detector

    def warm(self) -> None:
        """The model and the normaliser's tables load at start, not on the first member's message."""
        self._shipped_model()
        warm_up()

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        # Always: a group that stops keeping deleted ads' text (0 days) has what it kept purged too.
        return [JobSpec(PURGE_JOB, "04:40", grace_s=6 * 3600)]

    # --- events --------------------------------------------------------------------------------------
    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.COMMAND and event.command in ("spam", "notspam"):
            return await self._feedback(event, ctx)
        if event.kind == EventKind.TICK:
            return await self._purge(event, ctx) if event.data == PURGE_JOB else []
        user = event.user
        if event.kind == EventKind.MEMBER_JOINED and user is not None:
            self._fresh.add((event.chat.key, user.id))  # a newcomer's first message is judged more strictly
            return []
        if event.kind not in (EventKind.MESSAGE, EventKind.COMMAND) or event.chat.kind != "group":
            return []
        cfg = ctx.config.ads
        if user is None or user.is_bot or not cfg.enabled or user.id in cfg.allow_users:
            return []
        if user.is_admin and not cfg.check_admins:
            return []
        key = (event.chat.key, user.id)
        known_first: bool | None = None  # unknown: a member who was here before this process started
        if key in self._spoken:
            known_first = False
        elif key in self._fresh:
            known_first = True
        facts = MessageFacts(
            text=event.text,
            urls=event.urls,
            qr_texts=event.qr_texts,
            media=event.media,
            forwarded_from_channel=event.forwarded_from_channel,
            sender_is_admin=user.is_admin,
            is_first_message=bool(known_first),
            is_reply=event.reply_to is not None,
            repeat_count=self._repeats(event, ctx.now, cfg),
            is_command=event.kind == EventKind.COMMAND,
        )
        detector = self.detector(cfg)
        verdict = detector.detect(facts)
        rules = detector.rules
        borderline = 0 < verdict.score < rules.score_threshold <= verdict.score + rules.newcomer_bonus
        # Whether this is a newcomer's first message only matters on a borderline score; only then is it
        # worth asking the database (for members who joined before this process saw them).
        if not verdict.hit and borderline and known_first is None and await self._first_message(event, ctx):
            verdict = detector.detect(facts._replace(is_first_message=True))
        self._spoken.add(key)
        self._fresh.discard(key)
        if not verdict.hit:
            return []
        # A hit on a contact, a reply or a mention: an established member is judged with their history
        # (their own new number, a QQ-style @-mention), not as a stranger's lure. Asked only on a hit.
        if not verdict.hard and known_first is not True and await self._known(event, ctx):
            verdict = detector.detect(facts._replace(sender_known=True))
            if not verdict.hit:
                return [Record(event.chat, "ad_cleared", "an established member's message", user.id)]
        return await self._act(event, ctx, verdict)

    async def _known(self, event: Event, ctx: Context) -> bool:
        """An established member: here ``KNOWN_DAYS`` days with ``KNOWN_MESSAGES`` messages, and no strike
        in the window."""
        assert event.user is not None
        history = await ctx.repos.members.history(event.chat.key, event.user.id)
        if history is None or history.first_message_at is None or history.message_count < KNOWN_MESSAGES:
            return False
        if history.first_message_at > ctx.now - timedelta(days=KNOWN_DAYS):
            return False
        since = ctx.now - ctx.config.moderation.window
        return not await ctx.repos.strikes.active(event.chat.key, event.user.id, since)

    async def _act(self, event: Event, ctx: Context, verdict: AdVerdict) -> list[Action]:
        cfg, lang = ctx.config.ads, ctx.config.language
        user = event.user
        assert user is not None
        category = verdict.category or "ad"
        if category in REMOVE_AT_ONCE and not verdict.hard:
            category = "ad"  # remove-at-once needs strong evidence (the detector says when it has it)
        action = cfg.actions.get(category) or ("remove" if verdict.hard else cfg.default_action)
        if action in ("remove", "ban") and not (verdict.hard or verdict.strong):
            action = cfg.default_action  # a group's own at-once category needs strong evidence too
        why = explain(verdict, lang)
        detail: dict[str, object] = {
            "signals": [r.as_dict() for r in verdict.verdict.hits],
            "score": round(verdict.score, 3),
            "probability": round(verdict.probability, 3),
            "category": category,
            "hard": verdict.hard,
            "action": action,
        }
        actions: list[Action] = [Record(event.chat, "ad_detected", verdict.reason, user.id, detail)]
        message_id = event.message_id
        source = f"ad:{message_id or event.delivery}"
        if action == "notify":
            text = render(
                texts.NOTIFY,
                lang,
                name=user.name,
                message_id=message_id or "?",
                reason=why,
                score=f"{verdict.score:.2f}",
            )
            return [*actions, NotifyAdmins(event.chat, text, reason=f"possible ad: {why}")]
        if cfg.delete and message_id:
            actions.append(Delete(event.chat, message_id, f"ad: {why}", user))
        at_once = action in ("remove", "ban")
        reason = public_reason(category, lang)
        if action == "delete":
            if ctx.config.moderation.public_notice:
                notice = render(texts.DELETED, lang, mention=user.mention, reason=reason)
                actions.append(
                    Send(event.chat, notice, f"ad deleted: {why}", purpose="moderation", mentions=(user,))
                )
            return [*actions, Stop(f"ad: {why}")]
        offence = Offence(
            user,
            category if at_once else "ad",
            reason,
            source=source,
            detail=verdict.reason,
            at_once=True if at_once else None,
            at_once_action="ban" if action == "ban" else None,
            extra={"score": round(verdict.score, 3)},
        )
        struck = await add_strike(ctx, event.chat, offence)
        if cfg.keep_flagged_days and event.text.strip() and _counted(struck):
            # Kept only while an admin may object (/notspam @member): then it becomes an honest sample.
            await add_sample(ctx.session, event.chat.key, FLAGGED, event.text, "bot", ctx.now, source=source)
            detail["kept_days"] = cfg.keep_flagged_days
        return [*actions, *struck, Stop(f"ad: {why}")]

    async def _first_message(self, event: Event, ctx: Context) -> bool:
        """Is this the member's first message here? Memory first; the database once per member and process.
        A member the bot never saw join (there before it) does not count as a newcomer."""
        assert event.user is not None
        key = (event.chat.key, event.user.id)
        if key in self._spoken:
            return False
        self._spoken.add(key)
        history = await ctx.repos.members.history(event.chat.key, event.user.id)
        if history is None or history.joined_at is None:
            return False
        return history.first_message_at is None or history.first_message_at >= ctx.now

    def _repeats(self, event: Event, now: datetime, cfg: AdsConfig) -> int:
        """How often this member sent this text within the window, this one included, in any group.
        Short texts ("收到", "哈哈哈", "+1") and bare commands (/me, /checkin) are said again and again by
        honest members: they never count. Of a command only its arguments count, so "/hi" before an ad
        does not hide the ad's repeats."""
        if event.user is None:
            return 0
        folded = fold(" ".join(event.args) if event.kind == EventKind.COMMAND else event.text)
        if len(folded) < cfg.repeat_min_chars:
            return 0
        self._gc(now, cfg.repeat_minutes)
        times = self._recent.setdefault((event.user.id, hash(folded)), deque())
        times.append(now)
        horizon = now - timedelta(minutes=cfg.repeat_minutes)
        while times and times[0] < horizon:
            times.popleft()
        return len(times)

    def _gc(self, now: datetime, minutes: int) -> None:
        self._events += 1
        if self._events % _GC_EVERY:
            return
        horizon = now - timedelta(minutes=minutes)
        for key in [k for k, times in self._recent.items() if not times or times[-1] < horizon]:
            del self._recent[key]

    async def _purge(self, event: Event, ctx: Context) -> list[Action]:
        """Daily: the texts of deleted ads nobody objected to within ``keep_flagged_days`` are forgotten."""
        days = ctx.config.ads.keep_flagged_days
        longest = ctx.now - timedelta(days=MAX_KEEP_FLAGGED_DAYS)
        purged = await purge_flagged(ctx.session, event.chat.key, ctx.now - timedelta(days=days), longest)
        if not purged:
            return []
        why = f"forgot {purged} flagged ad texts older than {days} days"
        return [Record(event.chat, "ads.flagged_purged", why, detail={"samples": purged})]

    # --- admins' feedback ----------------------------------------------------------------------------
    async def _feedback(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group":
            return []
        refusal = admin_only(event, ctx)
        if refusal is not None:
            return refusal
        admin, ref, lang = event.user, event.reply_to, ctx.config.language
        assert admin is not None
        command = event.command or ""
        if ref is None and command == "notspam" and event.args and handle_of(event.args[0]) is not None:
            return await self._notspam_member(event, ctx, event.args[0])
        if ref is None:
            text = render(common_texts.NEED_REPLY, lang, command=command)
            return [Send(event.chat, text, reason=f"/{command} needs a reply", reply_to=event.message_id)]
        label = SPAM if command == "spam" else HAM
        # A message the bot flagged (and kept) gets its label; any other gets a new sample.
        stored = await relabel_flagged(ctx.session, event.chat.key, [f"ad:{ref.id}"], label) > 0
        if not stored and ref.text.strip():
            await add_sample(ctx.session, event.chat.key, label, ref.text, admin.id, ctx.now)
            stored = True
        target = ref.user
        actions: list[Action] = [
            audit(
                event,
                command,
                f"message {ref.id} marked by an admin",
                target,
                message_id=ref.id,
                sample=stored,
            )
        ]
        if command == "spam":
            actions.append(Delete(event.chat, ref.id, f"marked as an ad by {admin.name}"))
            actions.append(
                Send(
                    event.chat,
                    render(texts.SPAM_DONE, lang),
                    reason="spam feedback",
                    reply_to=event.message_id,
                )
            )
            if target is not None:
                offence = Offence(
                    target,
                    "ad",
                    render(texts.ADMIN_SPAM_REASON, lang, admin=admin.name),
                    source=f"ad:{ref.id}",
                    actor=admin,
                )
                actions += await add_strike(ctx, event.chat, offence)
            return actions
        pardoned = ""
        if target is not None and await StrikeRepo(ctx.session).pardon_source(
            event.chat.key, target.id, f"ad:{ref.id}", ctx.now, admin.id
        ):
            pardoned = render(texts.NOTSPAM_PARDONED, lang)
        text = render(texts.NOTSPAM_DONE, lang, pardoned=pardoned)
        actions.append(Send(event.chat, text, reason="not-spam feedback", reply_to=event.message_id))
        return actions

    async def _notspam_member(self, event: Event, ctx: Context, handle: str) -> list[Action]:
        """``/notspam @member``: the bot was wrong about their deleted messages (which cannot be replied to).
        Their kept texts become honest samples and the strikes those messages caused are withdrawn."""
        admin, lang, key = event.user, ctx.config.language, event.chat.key
        assert admin is not None
        found = await resolve_target(event, ctx)  # no reply here: the member row of an @handle
        if isinstance(found, NoTarget) or found.member is None:
            text = explain_missing(found if isinstance(found, NoTarget) else NoTarget(), ctx, "notspam")
            return [Send(event.chat, text, reason="/notspam: member not found", reply_to=event.message_id)]
        member = found.member
        repo = StrikeRepo(ctx.session)
        since = ctx.now - ctx.config.moderation.window
        corrected: list[str] = []
        for strike in await repo.active(key, member.user_id, since):
            if strike.source.startswith("ad:") and await relabel_flagged(
                ctx.session, key, [strike.source], HAM
            ):
                await repo.pardon_source(key, member.user_id, strike.source, ctx.now, admin.id)
                corrected.append(strike.source)
        name = member.display_name or handle
        target = User(member.user_id, name, member.username)
        record = audit(event, "notspam", f"{len(corrected)} deleted message(s) marked ordinary", target)
        if not corrected:
            text = render(texts.NOTSPAM_MEMBER_NONE, lang, name=name)
            return [
                Send(event.chat, text, reason="/notspam: nothing kept", reply_to=event.message_id),
                record,
            ]
        removed = render(texts.NOTSPAM_MEMBER_REMOVED, lang) if member.left_at is not None else ""
        text = render(texts.NOTSPAM_MEMBER, lang, name=name, n=len(corrected), removed=removed)
        return [Send(event.chat, text, reason="not-spam feedback", reply_to=event.message_id), record]
