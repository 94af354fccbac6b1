"""Daily check-ins: ``/checkin`` or a message that is exactly 打卡 / 签到, once per member per local day.

The unique key (group, user, local day) in the database decides what counts, so two instances or a
webhook retry cannot count a check-in twice. Streaks are ``rules/streaks.py`` values kept per member;
rewards at configured streaks (points, badges awarded once); an evening reminder to those whose streak
is about to break, with ``/remind off`` to opt out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from handlers.checkin import texts
from handlers.common.members import label
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from rules.normalize import normalize
from rules.schedule import local_day
from rules.streaks import Streak, check_in, current_on, reached

if TYPE_CHECKING:
    from handlers.config import GroupConfig

REMIND_JOB = "checkin.remind"
_ONE_DAY = timedelta(days=1)


class Checkin(Feature):
    name = "checkin"
    commands = (
        CommandSpec("checkin", "每日打卡（也可直接发送「打卡」）", "Daily check-in"),
        CommandSpec("remind", "打卡提醒开关：/remind on | off", "Check-in reminder: /remind on | off"),
    )

    def __init__(self) -> None:
        self._keywords: dict[tuple[str, ...], frozenset[str]] = {}  # normalised once per keyword list
        # group → (local day, user → (rank, streak)): check-ins the database already confirmed today (it
        # refused a second one), so further 打卡 the same day are answered without a transaction. Only
        # confirmed rows are remembered, never one that might still roll back; the unique key stays the
        # authority (another instance, or a restart, simply asks the database again).
        self._today: dict[str, tuple[date, dict[str, tuple[int, int]]]] = {}

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.checkin
        if not cfg.enabled or not cfg.remind_at:
            return []
        return [JobSpec(REMIND_JOB, cfg.remind_at, grace_s=cfg.remind_grace_minutes * 60)]

    def _is_keyword(self, text: str, keywords: list[str]) -> bool:
        words = self._keywords.get(tuple(keywords))
        if words is None:
            words = frozenset(normalize(k).strip() for k in keywords if k.strip())
            self._keywords[tuple(keywords)] = words
        stripped = text.strip()
        if not stripped or len(stripped) > 2 * max((len(w) for w in words), default=0) + 2:
            return False  # the hot path: ordinary messages skip normalisation
        return normalize(stripped).strip() in words

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.checkin
        if not cfg.enabled:
            return []
        if event.kind == EventKind.TICK:
            return await self._remind(event, ctx) if event.data == REMIND_JOB else []
        if event.user is None or event.user.is_bot:
            return []
        command = event.command if event.kind == EventKind.COMMAND else None
        wanted = command == "checkin" or (
            event.kind == EventKind.MESSAGE and self._is_keyword(event.text, cfg.keywords)
        )
        if command == "remind":
            return await self._remind_setting(event, ctx)
        if not wanted:
            return []
        if event.chat.kind != "group":
            return [
                Send(event.chat, render(texts.GROUP_ONLY, ctx.config.language), "check-in outside a group")
            ]
        return await self._check_in(event, ctx)

    async def _check_in(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        user, cfg, lang = event.user, ctx.config.checkin, ctx.config.language
        group = event.chat.key
        day = local_day(ctx.now, ctx.config.tz)
        name = f"@{user.username}" if user.username else user.name
        seen = self._seen(group, day)
        if user.id in seen:
            rank, streak = seen[user.id]
            text = render(texts.ALREADY, lang, name=name, rank=rank, streak=streak)
            return [Send(event.chat, text, f"already checked in on {day}", reply_to=event.message_id)]
        first = await ctx.repos.checkins.add(group, user.id, day, ctx.now)
        rank, profile = await ctx.repos.checkins.standing(group, user.id, day)
        before = (
            Streak(profile.streak, profile.best_streak, profile.last_checkin, profile.checkins)
            if profile is not None
            else Streak()
        )
        if not first:
            seen[user.id] = (rank, current_on(before, day))
            text = render(texts.ALREADY, lang, name=name, rank=rank, streak=seen[user.id][1])
            return [Send(event.chat, text, f"already checked in on {day}", reply_to=event.message_id)]
        after = check_in(before, day)
        if profile is None:
            await ctx.repos.profiles.save_streak(group, user.id, after.current, after.best, day, after.total)
        else:  # loaded in this transaction: its object is what the session writes back
            profile.streak, profile.best_streak = after.current, after.best
            profile.last_checkin, profile.checkins = after.last_day, after.total
        lines = [render(texts.DONE, lang, name=name, rank=rank, streak=after.current, best=after.best)]
        actions: list[Action] = []
        points = ctx.repos.points
        earned, balance = 0, None
        if ctx.config.points.enabled and cfg.points:
            balance = await points.change(
                group, user.id, cfg.points, f"check-in {day}", "checkin", ctx.now, name=user.name
            )
            earned += cfg.points
        for reward in cfg.rewards:
            if not reached(after.current, reward.streak, cfg.repeat_rewards):
                continue
            detail: dict[str, object] = {"streak": after.current, "at": reward.streak}
            if reward.points and ctx.config.points.enabled:
                balance = await points.change(
                    group,
                    user.id,
                    reward.points,
                    f"{after.current}-day streak",
                    "checkin",
                    ctx.now,
                    name=user.name,
                )
                lines.append(render(texts.REWARD, lang, days=after.current, points=reward.points))
                detail["points"] = reward.points
            if reward.badge and await ctx.repos.badges.award(
                group,
                user.id,
                f"checkin.streak.{reward.streak}",
                reward.badge,
                ctx.now,
                f"{reward.streak}-day check-in streak",
            ):
                lines.append(render(texts.BADGE, lang, badge=reward.badge))
                detail["badge"] = reward.badge
            if len(detail) > 2:
                actions.append(
                    Record(event.chat, "streak_reward", f"{after.current}-day streak reward", user.id, detail)
                )
        if earned and balance is not None:
            lines[0] += "，" if lang == "zh" else "; "
            lines[0] += render(texts.POINTS, lang, points=earned, balance=balance)
        reason = f"check-in on {day}: #{rank} of the day, streak {after.current}"
        return [
            Send(event.chat, "\n".join(lines), reason, reply_to=event.message_id),
            Record(
                event.chat,
                "checkin",
                reason,
                user.id,
                {"day": day.isoformat(), "rank": rank, "streak": after.current, "best": after.best},
            ),
            *actions,
        ]

    def _seen(self, group: str, day: date) -> dict[str, tuple[int, int]]:
        """Today's remembered check-ins of a group; a new local day starts an empty map."""
        entry = self._today.get(group)
        if entry is None or entry[0] != day:
            entry = (day, {})
            self._today[group] = entry
        return entry[1]

    async def _remind_setting(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang, user = ctx.config.language, event.user
        name = f"@{user.username}" if user.username else user.name
        if event.chat.kind != "group":
            return [Send(event.chat, render(texts.GROUP_ONLY, lang), "reminder setting outside a group")]
        profile = await ctx.repos.profiles.get_or_create(event.chat.key, user.id)
        choice = event.args[0].lower() if event.args else ""
        if choice in ("on", "off", "开", "关", "开启", "关闭"):
            profile.remind = choice in ("on", "开", "开启")
            text = render(texts.REMIND_ON if profile.remind else texts.REMIND_OFF, lang, name=name)
            state = "on" if profile.remind else "off"
            return [
                Send(event.chat, text, f"check-in reminder {state}", reply_to=event.message_id),
                Record(
                    event.chat, "checkin_remind_setting", f"reminders {state}", user.id, {"remind": state}
                ),
            ]
        state_text = render(texts.STATE_ON if profile.remind else texts.STATE_OFF, lang)
        text = render(texts.REMIND_STATUS, lang, name=name, state=state_text)
        return [Send(event.chat, text, "check-in reminder status", reply_to=event.message_id)]

    async def _remind(self, event: Event, ctx: Context) -> list[Action]:
        """Once per local day (a schedule edited mid-evening does not remind twice)."""
        day = local_day(event.scheduled_for or ctx.now, ctx.config.tz)
        if not await ctx.repos.deliveries.claim(f"once:{event.chat.key}/{REMIND_JOB}@{day}", ctx.now):
            return [Record(event.chat, "checkin_remind_skipped", f"already reminded on {day}")]
        at_risk = await ctx.repos.profiles.remind_candidates(event.chat.key, day - _ONE_DAY)
        if not at_risk:
            return []
        lang = ctx.config.language
        entries = [
            render(texts.REMIND_ENTRY, lang, name=label(member), streak=profile.streak)
            for profile, member in at_risk
        ]
        separator = "、" if lang == "zh" else ", "
        text = render(texts.REMIND, lang, who=separator.join(entries))
        reason = f"{len(at_risk)} streak(s) would break tonight"
        return [
            Send(event.chat, text, reason, purpose="reminder"),
            *(
                Record(
                    event.chat,
                    "checkin_reminded",
                    f"checked in on {day - _ONE_DAY}, not yet on {day}",
                    member.user_id,
                    {"day": day.isoformat(), "streak": profile.streak},
                )
                for profile, member in at_risk
            ),
        ]
