"""Welcome newcomers: ① what the group is for ② its rules ③ today's topic, with their tasks, in one
message for joins that come together; and one friendly nudge for a newcomer who stays silent.

Joins are stored at once (``newcomers.welcomed_at`` empty) and greeted when the batch window closes:
the first join of a batch asks for a one-shot timer (``After``) at the window's end; the sweep job and
any event after the window are the fallback (a restart loses the timer, not the join). The database is
the buffer, so a restart loses no join, and ``welcomed_at`` is the promise that nobody is greeted twice
(redeliveries, joins the adapter reports late after downtime). The in-memory part is only a hint of
when a batch is due and which newcomers have not spoken, so an ordinary message costs no database work.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.common.members import member_user, shown_name
from handlers.common.texts import join_list
from handlers.config import GroupConfig
from handlers.contract.actions import Action, After, Button, Record, Send
from handlers.contract.events import ARRIVALS, Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.nickname import texts as nick_texts
from handlers.nickname.check import check_nickname, rule_name, suggest_nickname
from handlers.tasks import texts as task_texts
from handlers.tasks.checklist import QUESTIONNAIRE_STEP, start_payload, welcome_lines
from handlers.welcome import texts
from rules.dates import format_deadline
from rules.nickname import peers
from rules.onboarding import referrer_from_link, render_lines
from storage.repos.onboarding import NewcomerRepo, Pair

SWEEP = "welcome.sweep"
DUE = "welcome.due"  # the one-shot tick when a batch window closes
NUDGE_LOOKBACK = timedelta(days=7)  # silent newcomers older than the nudge time by this are left alone


class Welcome(Feature):
    name = "welcome"
    phase = Phase.MEMBERSHIP

    def __init__(self) -> None:
        self._due: dict[str, datetime] = {}  # group → first unwelcomed join seen by this process
        self._silent: dict[str, set[str]] = {}  # group → newcomers not heard from yet
        self._spoke: dict[tuple[str, str], datetime] = {}  # first words seen, written by ``flush``
        self._heard: dict[str, set[str]] = {}  # group → spoke, until the database says so too
        self._latest: datetime | None = None  # the latest event time seen (tells late joins apart)
        self._checked: set[str] = set()  # groups whose stored unwelcomed joins were looked at since start
        # group → (the config it was computed with, when the next silent newcomer is due a nudge)
        self._nudge_due: dict[str, tuple[GroupConfig, datetime | None]] = {}

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(SWEEP, config.welcome.sweep, grace_s=600)] if config.welcome.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.welcome
        if event.chat.kind != "group" or not cfg.enabled:
            return []
        key, user = event.chat.key, event.user
        if self._latest is None or ctx.now > self._latest:
            self._latest = ctx.now
        window = timedelta(seconds=cfg.batch_seconds)
        actions: list[Action] = []
        if event.kind in ARRIVALS and user is not None:
            if not (user.is_bot or user.is_admin or user.id == ctx.bot_user_id):
                opened = await self._joined(event, ctx)  # admins and bots are not newcomers
                if opened and cfg.batch_seconds > 0:
                    actions.append(After(event.chat, window, DUE, "welcome when the batch window closes"))
        elif event.kind == EventKind.MEMBER_LEFT and user is not None:
            await ctx.repos.newcomers.left(key, user.id, ctx.now)
            self._silent.get(key, set()).discard(user.id)
        elif event.kind in (EventKind.MESSAGE, EventKind.COMMAND) and user is not None:
            silent = self._silent.get(key)
            if silent and user.id in silent:
                silent.discard(user.id)
                self._spoke[(key, user.id)] = ctx.now
                self._heard.setdefault(key, set()).add(user.id)
        # a sweep reads the database once per group after a start (joins stored before a restart),
        # then only when this process saw a join or a nudge is due: an idle tick costs no query
        sweep = event.kind == EventKind.TICK and event.data in (SWEEP, DUE)
        if (sweep and (key not in self._checked or key in self._due)) or (
            key in self._due and ctx.now >= self._due[key] + window
        ):
            actions += await self._greet(event, ctx, sweep)
        if sweep and event.data == SWEEP and cfg.nudge_after_hours > 0:
            actions += await self._maybe_nudge(event, ctx)
        return actions

    async def _joined(self, event: Event, ctx: Context) -> bool:
        """Store the join; True when it opens a batch (nobody of this group waiting for a welcome)."""
        assert event.user is not None
        key, cfg = event.chat.key, ctx.config.welcome
        referrer = referrer_from_link(event.invite_link)
        referrer = referrer if referrer != event.user.id else None
        rejoin = timedelta(days=cfg.rejoin_days)
        row, _ = await ctx.repos.newcomers.joined(key, event.user.id, ctx.now, referrer, rejoin)
        if row.welcomed_at is not None:
            return False  # a redelivered or late-reported join of someone already greeted
        assert self._latest is not None
        if ctx.now < self._latest - timedelta(hours=cfg.late_join_hours):
            return False  # reported long after the fact: too late for a welcome
        opens = key not in self._due
        self._due[key] = min(self._due.get(key, ctx.now), ctx.now)
        self._silent.setdefault(key, set()).add(event.user.id)
        known = self._nudge_due.get(key)
        if known is not None and known[0] is ctx.config:
            at = ctx.now + timedelta(hours=cfg.nudge_after_hours)
            self._nudge_due[key] = (ctx.config, min(known[1] or at, at))
        return opens

    async def _greet(self, event: Event, ctx: Context, sweep: bool) -> list[Action]:
        """One welcome for every present newcomer not greeted yet (joined within ``late_join_hours``)."""
        config, cfg = ctx.config, ctx.config.welcome
        key = event.chat.key
        reference = max(ctx.now, self._latest or ctx.now)
        repo = ctx.repos.newcomers
        pairs = await repo.unwelcomed(key, reference - timedelta(hours=cfg.late_join_hours))
        self._checked.add(key)
        if not pairs:
            self._due.pop(key, None)
            return []
        window = timedelta(seconds=cfg.batch_seconds)
        if sweep and all(row.joined_at > ctx.now - window for row, _ in pairs):
            self._due[key] = min(row.joined_at for row, _ in pairs)
            return []  # the batch is still open; the next tick or event greets it
        self._due.pop(key, None)
        for row, _ in pairs:
            row.welcomed_at = ctx.now
        topic = await self.topic(ctx)
        text = await self.welcome_text(ctx, pairs, topic)
        names = join_list([member.display_name for _, member in pairs], config.language)
        actions: list[Action] = [
            Send(
                event.chat,
                text,
                f"welcome for {len(pairs)} newcomer(s): {names}",
                buttons=self._buttons(ctx, bool(topic)),
                purpose="welcome",
                tag="welcome",
                replace_tag=cfg.delete_previous,
                mentions=tuple(member_user(member) for _, member in pairs),
            )
        ]
        for row, member in pairs:
            waited = int((ctx.now - row.joined_at).total_seconds())
            actions.append(
                Record(
                    event.chat,
                    "welcome.greeted",
                    f"greeted {member.display_name}, {waited} s after joining",
                    row.user_id,
                    {"batch": len(pairs), "waited_s": waited},
                )
            )
        return actions

    async def welcome_text(self, ctx: Context, pairs: list[Pair], topic: str) -> str:
        config, cfg = ctx.config, ctx.config.welcome
        lang = config.language
        users = [member_user(member) for _, member in pairs]
        tasks_on = config.tasks.enabled and bool(config.tasks.tasks)
        due = pairs[0][0].joined_at + timedelta(hours=config.tasks.deadline_hours)
        values: dict[str, object] = {
            "mention": join_list([u.mention for u in users], lang),
            "name": join_list([u.name for u in users], lang),
            "group": config.name or ctx.chat.title or ctx.chat.id,
            "purpose": config.purpose,
            "rules": "\n".join(f"{i}. {rule}" for i, rule in enumerate(config.rules, start=1)),
            "topic_today": topic,
            "tasks": welcome_lines(config) if tasks_on else "",
            "nickname": self._ask_names(ctx, pairs),
            "deadline": format_deadline(due, config.tz, lang) if tasks_on else "",
            "peers": await self._peers(ctx, users),
            "details": self._details(ctx, bool(topic)),
        }
        template = cfg.template or texts.TEMPLATE.get(lang, texts.TEMPLATE["zh"])
        text = render_lines(template, values)
        notice = config.privacy.consent_notice.strip()
        if cfg.show_consent and notice:
            text += "\n" + render(texts.CONSENT, lang, notice=notice)
        return text

    @staticmethod
    async def _peers(ctx: Context, users: list[User]) -> str:
        """``看到你是互联网行业，群里有 12 位同行``: for one newcomer whose name says it, counting the members
        whose valid name has the same value of the field; no line when unknown or nobody shares it."""
        config = ctx.config
        field = config.welcome.peers_field
        fmt = config.nickname.compiled
        if len(users) != 1 or not field or not config.nickname.enabled:
            return ""
        spec = next((f for f in fmt.fields if f.name == field), None)
        if spec is None:
            return ""
        newcomer = users[0]
        members = await ctx.repos.members.present(ctx.chat.key)
        others = [shown_name(m) for m in members if m.user_id != newcomer.id and not m.is_bot]
        found = peers(fmt, field, newcomer.name, others)
        if found is None or found[1] == 0:
            return ""
        value, n = found
        return render(texts.PEERS, config.language, value=value, label=spec.label, n=n)

    def _details(self, ctx: Context, topic: bool) -> str:
        """Where the rules, today's topic and the tasks are: the buttons, or (no buttons here, declared
        by the platform, or turned off) one line naming the commands that show them."""
        config, lang = ctx.config, ctx.config.language
        if self._buttons(ctx, topic):
            return render(texts.DETAILS_BUTTONS, lang)
        parts = []
        if config.rules:
            parts.append(("/rules", texts.WHAT_RULES))
        if topic and config.topics.enabled:
            parts.append(("/topic", texts.WHAT_TOPIC))
        if config.tasks.enabled and config.tasks.tasks:
            parts.append(("/tasks", texts.WHAT_TASKS))
        if not parts:
            return ""
        shown = [render(texts.COMMAND, lang, command=c, what=render(what, lang)) for c, what in parts]
        return render(texts.DETAILS_COMMANDS, lang, commands=join_list(shown, lang))

    @staticmethod
    def _ask_names(ctx: Context, pairs: list[Pair]) -> str:
        """Greet first: newcomers whose names break the group's format are asked in ONE friendly line of
        the welcome, with an example made from the first one's name and what the platform calls that name
        (or, where the group keeps registered names, how to register one with /nick)."""
        config, lang = ctx.config, ctx.config.language
        cfg = config.nickname
        if not (cfg.enabled and cfg.check_on_join):
            return ""
        wrong = [
            member
            for _, member in pairs
            if member.user_id not in cfg.allow_users
            and check_nickname(cfg, rule_name(cfg, member.display_name, member.registered_name), lang).hit
        ]
        if not wrong:
            return ""
        registered = cfg.source == "registered"
        return render(
            nick_texts.ASK_REGISTER_IN_WELCOME if registered else nick_texts.ASK_IN_WELCOME,
            lang,
            name=join_list([shown_name(member) for member in wrong], lang),
            where=render(nick_texts.WHERE[ctx.caps.name_source], lang),
            shape=cfg.compiled.whole_example if cfg.compiled.whole else cfg.compiled.shape,
            example=suggest_nickname(cfg, wrong[0].display_name or wrong[0].user_id),
        )

    @staticmethod
    async def topic(ctx: Context) -> str:
        """Today's topic as the topics feature posted it, else the first of the configured pool, else ""."""
        day = ctx.now.astimezone(ctx.config.tz).date()
        posted = await ctx.repos.topics.for_welcome(ctx.chat.key, day)
        if posted:
            return posted
        pool = ctx.config.topics.pool if ctx.config.topics.enabled else []
        return pool[0] if pool else ""

    @staticmethod
    def _buttons(ctx: Context, topic: bool) -> tuple[Button, ...]:
        """The details behind buttons where the platform has them: the rules (a press confirms the rules
        task and shows them privately), today's topic, the task list, and the deep link into the private
        chat at the questionnaire. None where the platform has no buttons: ``_details`` names commands."""
        config = ctx.config
        if not (config.welcome.buttons and ctx.caps.buttons):
            return ()
        lang = config.language
        buttons = []
        if config.rules:
            buttons.append(Button(render(texts.BUTTON_RULES, lang), data="rules:ack"))
        if topic and config.topics.enabled:
            buttons.append(Button(render(texts.BUTTON_TOPIC, lang), data="/topic"))
        if config.tasks.enabled and config.tasks.tasks:
            buttons.append(Button(render(texts.BUTTON_TASKS, lang), data="/tasks"))
            if "questionnaire" in config.tasks.kinds() and ctx.caps.private_chat:
                # a bot cannot write first: the deep link opens the private chat at the first question
                start = start_payload(QUESTIONNAIRE_STEP, ctx.chat)
                buttons.append(Button(render(task_texts.BUTTON_QUESTIONNAIRE, lang), start=start))
        return tuple(buttons)

    async def _maybe_nudge(self, event: Event, ctx: Context) -> list[Action]:
        """Nudge when the earliest silent newcomer's time has come (kept in memory; loaded once per
        group and config, and again after each nudge), so most sweeps cost no query."""
        key = event.chat.key
        known = self._nudge_due.get(key)
        if known is None or known[0] is not ctx.config:
            await self._load_silent(ctx)
        due = self._nudge_due[key][1]
        if due is None or ctx.now < due:
            return []
        actions = await self._nudge(event, ctx)
        await self._load_silent(ctx)
        return actions

    async def _load_silent(self, ctx: Context) -> None:
        key, cfg = ctx.chat.key, ctx.config.welcome
        after = ctx.now - timedelta(hours=cfg.nudge_after_hours) - NUDGE_LOOKBACK
        waiting = dict(await ctx.repos.newcomers.watched_silent(key, after))
        heard = self._heard.get(key, set()) & set(waiting)  # heard here, not yet written by ``flush``
        self._heard[key] = heard
        self._silent[key] = set(waiting) - heard
        first = min((at for uid, at in waiting.items() if uid not in heard), default=None)
        due = first + timedelta(hours=cfg.nudge_after_hours) if first is not None else None
        self._nudge_due[key] = (ctx.config, due)

    async def _nudge(self, event: Event, ctx: Context) -> list[Action]:
        """One nudge, in one message, for every newcomer silent since ``nudge_after_hours``."""
        config, cfg = ctx.config, ctx.config.welcome
        key = event.chat.key
        before = ctx.now - timedelta(hours=cfg.nudge_after_hours)
        heard = self._heard.get(key, set())
        pairs = []
        for row, member in await ctx.repos.newcomers.silent(key, before - NUDGE_LOOKBACK, before):
            if member.first_message_at is not None:
                row.spoke_at = member.first_message_at  # spoke where this process did not see it
            elif row.user_id not in heard:
                pairs.append((row, member))
        if not pairs:
            return []
        lang = config.language
        users = [member_user(member) for _, member in pairs]
        for row, _ in pairs:
            row.nudged_at = ctx.now
        template = cfg.nudge_template or texts.NUDGE.get(lang, texts.NUDGE["zh"])
        text = render_lines(
            template,
            {
                "mention": join_list([u.mention for u in users], lang),
                "name": join_list([u.name for u in users], lang),
                "group": config.name or ctx.chat.title or ctx.chat.id,
                "topic_today": await self.topic(ctx),
                "hours": f"{cfg.nudge_after_hours:g}",
            },
        )
        actions: list[Action] = [
            Send(
                event.chat,
                text,
                f"silent for {cfg.nudge_after_hours:g} h since joining",
                purpose="reminder",
                mentions=tuple(users),
            )
        ]
        actions += [
            Record(
                event.chat, "welcome.nudged", f"{m.display_name} silent since joining: one nudge", row.user_id
            )
            for row, m in pairs
        ]
        return actions

    async def flush(self, session: AsyncSession) -> None:
        """Write the first words seen on the hot path (``newcomers.spoke_at``)."""
        pending, self._spoke = self._spoke, {}
        await NewcomerRepo(session).mark_spoke((g, u, at) for (g, u), at in pending.items())
