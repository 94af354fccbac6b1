"""New-member tasks: a checklist per newcomer, verified by what they do, with a deadline and a reward.

Tasks are done by events, in any order: the nickname rule passes (on join, rename or ``/tasks``), the
rules are confirmed (``rules:ack`` button or ``/rules``), the questionnaire is answered (private chat or
``/answer``), a self-introduction ``行业-岗位-入群期待`` is given (``/intro`` or a plain message), an
on-topic post is made (moderation runs earlier and stops ads, so a post that reaches this phase was not
judged an ad). Finishing the basic tasks earns points, the 新人礼包 and a public welcome-aboard line;
a missed deadline gets the configured action. Every step is stored, so a restart repeats nothing.

Hot path: an ordinary message costs a set lookup; only members with open message tasks (loaded per group
once, refreshed by the sweep) touch the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from handlers.common.members import member_user
from handlers.common.strikes import can_sanction
from handlers.common.texts import join_list
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Mute, Record, Remove, Send, SendPrivate, Unmute
from handlers.contract.events import ARRIVALS, Chat, Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec, Phase
from handlers.nickname.check import check_nickname, rule_name
from handlers.tasks import texts
from handlers.tasks.checklist import (
    QUESTIONNAIRE_STEP,
    TASKS_STEP,
    checklist,
    parse_start,
    pending_question,
    questions_for,
    start_payload,
    task_title,
)
from rules.dates import format_deadline
from rules.intro import check_intro, explain_intro, parse_intro
from rules.onboarding import next_check, referrer_from_link, reminder_due
from storage.models.core import Group
from storage.models.onboarding import Newcomer
from storage.repos.onboarding import NewcomerRepo, Pair
from storage.repos.points import PointsRepo

SWEEP = "tasks.sweep"
MESSAGE_TASKS = frozenset({"intro", "first_post"})
RULES_BUTTONS = frozenset({"rules:ack", "/rules"})  # the welcome's 查看群规 button


class Tasks(Feature):
    name = "tasks"
    phase = Phase.MEMBERSHIP
    commands = (
        CommandSpec("tasks", "查看新人任务", "Show your newcomer tasks"),
        CommandSpec("rules", "查看群规", "Show the group rules"),
        CommandSpec("intro", "自我介绍：/intro 行业-岗位-入群期待", "Introduce yourself"),
        CommandSpec("answer", "回答入群问卷", "Answer the entry questionnaire"),
    )

    def __init__(self) -> None:
        self._watch: dict[str, set[str]] = {}  # group → members with an open message task
        self._configs: dict[str, GroupConfig] = {}  # group → its config, for private-chat answers
        # group → (the config it was computed with, when the sweep next has something to do; None: nothing)
        self._next: dict[str, tuple[GroupConfig, datetime | None]] = {}

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(SWEEP, config.tasks.sweep)] if config.tasks.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind == "private":
            return await self._private(event, ctx)
        key = event.chat.key
        self._configs[key] = ctx.config
        if event.kind == EventKind.TICK:
            return await self._sweep(ctx) if event.data == SWEEP and ctx.config.tasks.enabled else []
        user = event.user
        if user is None or user.is_bot:
            return []
        if event.kind == EventKind.COMMAND and event.command == "rules":
            return await self._rules_command(event, ctx, user)
        if event.kind == EventKind.BUTTON_PRESSED and event.data in RULES_BUTTONS:
            return await self._rules_button(ctx, event.chat, user)
        if not ctx.config.tasks.enabled:
            return []
        if event.kind in ARRIVALS:
            return await self._joined(event, ctx, user)
        if event.kind == EventKind.MEMBER_LEFT:
            self._watch.get(key, set()).discard(user.id)
        elif event.kind == EventKind.NICKNAME_CHANGED:
            return await self._progress(ctx, ctx.config, event.chat, user, "nickname", "rename", check=True)
        elif event.kind == EventKind.BUTTON_PRESSED and event.data == "/tasks":
            return await self._show(ctx, ctx.config, event.chat, user, None, None)
        elif event.kind == EventKind.COMMAND and event.command == "nick":  # a group name registered
            return await self._progress(ctx, ctx.config, event.chat, user, "nickname", "nick", check=True)
        elif event.kind == EventKind.COMMAND and event.command == "tasks":
            return await self._show(ctx, ctx.config, event.chat, user, event.message_id, event.chat)
        elif event.kind == EventKind.COMMAND and event.command == "intro":
            return await self._intro(event, ctx, ctx.config, event.chat, user)
        elif event.kind == EventKind.COMMAND and event.command == "answer":
            return await self._answer(event, ctx, user, _rest(event.text))
        elif event.kind == EventKind.MESSAGE and user.id in await self._watched(ctx, key):
            return await self._message(event, ctx, user)
        return []

    # --- joining -------------------------------------------------------------------------------------
    async def _joined(self, event: Event, ctx: Context, user: User) -> list[Action]:
        if user.is_admin or user.id == ctx.bot_user_id:
            return []  # admins run the group; they have no newcomer tasks
        referrer = referrer_from_link(event.invite_link)
        repo = NewcomerRepo(ctx.session)
        row, _ = await repo.joined(
            event.chat.key,
            user.id,
            ctx.now,
            referrer if referrer != user.id else None,
            timedelta(days=ctx.config.welcome.rejoin_days),
        )
        if row.due_at is not None or row.completed_at is not None:
            return []  # redelivered or late-reported join, or a returning member who already finished
        config = ctx.config
        row.due_at = row.joined_at + timedelta(hours=config.tasks.deadline_hours)
        row.questions = questions_for(config, referral=row.referrer_id is not None)
        known = self._next.get(event.chat.key)
        if known is not None and known[0] is config:
            at = next_check(row.due_at, config.tasks.remind_before_hours, 0)
            self._next[event.chat.key] = (config, min(known[1] or at, at))
        await self._watched(ctx, event.chat.key)
        self._watch[event.chat.key].add(user.id)
        actions: list[Action] = [
            Record(
                event.chat,
                "tasks.assigned",
                f"newcomer tasks assigned, due {row.due_at.isoformat()}",
                user.id,
                {"tasks": config.tasks.kinds(), "referral": row.referrer_id is not None},
            )
        ]
        lang = config.language
        welcome = config.welcome.enabled
        if (
            "questionnaire" in config.tasks.kinds()
            and row.questions
            and ctx.caps.private_chat
            and not welcome
        ):
            # with a welcome, its 私聊我完成问卷 button opens the questionnaire: the greeting comes first
            text = render(
                texts.FIRST_QUESTION,
                lang,
                group=_group_name(config, event.chat),
                n=len(row.questions),
                question=row.questions[0][1],
            )
            start = start_payload(QUESTIONNAIRE_STEP, event.chat)
            actions.append(
                SendPrivate(event.chat, user, text, "entry questionnaire, question 1", start=start)
            )
        if "nickname" in config.tasks.kinds():
            actions += await self._progress(
                ctx, config, event.chat, user, "nickname", "join", check=True, row=row
            )  # the row just written: not read again
        return actions

    # --- progress ------------------------------------------------------------------------------------
    async def _progress(
        self,
        ctx: Context,
        config: GroupConfig,
        chat: Chat,
        user: User,
        task: str,
        via: str,
        check: bool = False,
        tell: bool = False,
        row: Newcomer | None = None,
    ) -> list[Action]:
        """Mark ``task`` done for ``user`` if it is theirs and open; rewards on completion.
        ``check``: verify the nickname first; ``tell``: confirm privately (a button has no reply)."""
        repo = NewcomerRepo(ctx.session)
        row = row or await repo.get(chat.key, user.id)
        if not self._open(row, config, ctx.now, task):
            return []
        assert row is not None
        if check and task == "nickname":
            registered = None
            if config.nickname.source == "registered":
                member = await ctx.repos.members.get(chat.key, user.id)
                registered = member.registered_name if member is not None else None
            name = rule_name(config.nickname, user.name, registered)
            if check_nickname(config.nickname, name, config.language).hit:
                return []
        if not await repo.mark_done(chat.key, user.id, task, ctx.now, via):
            return []
        done = set(await repo.done(chat.key, user.id))
        actions: list[Action] = [
            Record(chat, "tasks.done", f"task {task} done ({via})", user.id, {"task": task, "via": via})
        ]
        lang = config.language
        basic = config.tasks.kinds("basic")
        if tell:
            n_done = sum(1 for k in basic if k in done)
            text = render(texts.RULES_ACKED, lang, done=n_done, total=len(basic))
            actions.append(SendPrivate(chat, user, text, f"task {task} confirmed"))
        actions += await self._rewards(ctx, config, chat, user, row, task, done)
        return actions

    async def _rewards(
        self,
        ctx: Context,
        config: GroupConfig,
        chat: Chat,
        user: User,
        row: Newcomer,
        task: str,
        done: set[str],
    ) -> list[Action]:
        lang = config.language
        actions: list[Action] = []
        points = PointsRepo(ctx.session)
        spec = next((s for s in config.tasks.tasks if s.kind == task), None)
        if spec is not None and spec.level == "advanced" and config.tasks.advanced_points:
            await points.change(
                chat.key,
                user.id,
                config.tasks.advanced_points,
                f"进阶任务 {task}",
                "task",
                ctx.now,
                name=user.name,
            )
            title = task_title(spec, config, lang)
            text = render(texts.ADVANCED_DONE, lang, title=title, points=config.tasks.advanced_points)
            actions.append(SendPrivate(chat, user, text, f"advanced task {task} rewarded"))
        basic = config.tasks.kinds("basic")
        if row.completed_at is None and all(k in done for k in basic):
            actions += await self._complete(ctx, config, chat, user, row)
        if all(k in done for k in MESSAGE_TASKS.intersection(config.tasks.kinds())):
            self._watch.get(chat.key, set()).discard(user.id)
        return actions

    async def _complete(
        self, ctx: Context, config: GroupConfig, chat: Chat, user: User, row: Newcomer
    ) -> list[Action]:
        lang, cfg = config.language, config.tasks
        row.completed_at = ctx.now
        if cfg.points:
            await PointsRepo(ctx.session).change(
                chat.key, user.id, cfg.points, "新人任务完成", "task", ctx.now, name=user.name
            )
            lines = [render(texts.COMPLETED, lang, points=cfg.points)]
        else:
            lines = [render(texts.COMPLETED_NO_POINTS, lang)]
        if cfg.gift:
            lines.append(render(texts.GIFT, lang, gift=cfg.gift))
        actions: list[Action] = [
            Record(
                chat,
                "tasks.completed",
                "all basic newcomer tasks done",
                user.id,
                {"points": cfg.points, "late": row.missed_at is not None},
            ),
            SendPrivate(
                chat,
                user,
                "\n".join(lines),
                "newcomer tasks completed: points and gift",
                start=start_payload(TASKS_STEP, chat),
            ),
        ]
        if cfg.announce:
            template = cfg.announce_template or texts.ANNOUNCE.get(lang, texts.ANNOUNCE["zh"])
            text = render(
                {lang: template}, lang, mention=user.mention, name=user.name, group=_group_name(config, chat)
            )
            why = f"{user.name} completed the newcomer tasks"
            actions.append(Send(chat, text, why, purpose="welcome", mentions=(user,)))
        if row.missed_action == "mute":
            actions.append(Unmute(chat, user, "newcomer tasks completed after the deadline: mute lifted"))
        return actions

    def _open(self, row: Newcomer | None, config: GroupConfig, now: datetime, task: str) -> bool:
        """Is ``task`` one of this membership's tasks, still open to be done?"""
        return (
            row is not None
            and row.due_at is not None
            and row.left_at is None
            and task in config.tasks.kinds()
            and now <= row.joined_at + timedelta(days=config.tasks.open_days)
        )

    # --- commands and messages -----------------------------------------------------------------------
    async def _rules_command(self, event: Event, ctx: Context, user: User) -> list[Action]:
        config, lang = ctx.config, ctx.config.language
        text = _rules_text(config, event.chat)
        extra: list[Action] = []
        if config.tasks.enabled:
            extra = await self._progress(ctx, config, event.chat, user, "rules", "command")
            if extra:
                done = await NewcomerRepo(ctx.session).done(event.chat.key, user.id)
                basic = config.tasks.kinds("basic")
                n_done = sum(1 for k in basic if k in done)
                text += "\n" + render(texts.RULES_ACKED, lang, done=n_done, total=len(basic))
        return [Send(event.chat, text, "/rules asked", reply_to=event.message_id), *extra]

    async def _rules_button(self, ctx: Context, chat: Chat, user: User) -> list[Action]:
        """A button has no reply of its own: confirm the task privately, or show the rules privately
        to someone who has no such task."""
        if ctx.config.tasks.enabled:
            done = await self._progress(ctx, ctx.config, chat, user, "rules", "button", tell=True)
            if done:
                return done
        return [SendPrivate(chat, user, _rules_text(ctx.config, chat), "rules button pressed")]

    async def _show(
        self,
        ctx: Context,
        config: GroupConfig,
        chat: Chat,
        user: User,
        reply_to: str | None,
        where: Chat | None,
    ) -> list[Action]:
        """The checklist: in ``where`` (the chat asked in), or privately for a button press (None).
        In the group the member's current name is checked again (the nickname task)."""
        repo = NewcomerRepo(ctx.session)
        row = await repo.get(chat.key, user.id)
        actions: list[Action] = []
        if row is not None and row.due_at is not None:
            if where is None or where.kind == "group":
                actions += await self._progress(
                    ctx, config, chat, user, "nickname", "tasks", check=True, row=row
                )
            done = await repo.done(chat.key, user.id)
            answers = await repo.answers(chat.key, user.id)
            private = where is None or where.kind == "private"
            text = checklist(config, user.name, done, row.due_at, row.questions, answers, ctx.now, private)
        else:
            text = render(texts.NO_TASKS, config.language, name=user.name)
        reply: Action = (
            SendPrivate(chat, user, text, "/tasks asked", start=start_payload(TASKS_STEP, chat))
            if where is None
            else Send(where, text, "/tasks asked", reply_to=reply_to)
        )
        return [reply, *actions]

    async def _intro(
        self, event: Event, ctx: Context, config: GroupConfig, chat: Chat, user: User
    ) -> list[Action]:
        lang, text = config.language, _rest(event.text)
        where = event.chat
        verdict = check_intro(text, lang)
        if verdict.hit:
            reason = explain_intro(verdict)
            wrong = render(texts.INTRO_WRONG, lang, reason=reason, example=config.tasks.intro_example)
            return [
                Send(where, wrong, f"self-introduction rejected: {verdict.reason}", reply_to=event.message_id)
            ]
        return await self._save_intro(
            ctx, config, chat, user, text, "command", reply=(where, event.message_id)
        )

    async def _save_intro(
        self,
        ctx: Context,
        config: GroupConfig,
        chat: Chat,
        user: User,
        text: str,
        via: str,
        reply: tuple[Chat, str | None] | None,
    ) -> list[Action]:
        repo = NewcomerRepo(ctx.session)
        intro = parse_intro(text)
        assert intro is not None
        if not await repo.answer(chat.key, user.id, "intro", text.strip(), ctx.now):
            await repo.update_answer(chat.key, user.id, "intro", text.strip(), ctx.now)
        actions = await self._progress(ctx, config, chat, user, "intro", via)
        if reply is None:
            return actions
        lang = config.language
        if actions:
            done = await repo.done(chat.key, user.id)
            basic = config.tasks.kinds("basic")
            n_done = sum(1 for k in basic if k in done)
            ok = render(
                texts.INTRO_OK,
                lang,
                industry=intro.industry,
                role=intro.role,
                expectation=intro.expectation,
                done=n_done,
                total=len(basic),
            )
        else:
            ok = render(texts.INTRO_SAVED, lang)
        where, reply_to = reply
        return [Send(where, ok, "self-introduction saved", reply_to=reply_to), *actions]

    async def _answer(self, event: Event, ctx: Context, user: User, text: str) -> list[Action]:
        """An answer to the next open question, from a private message or ``/answer`` anywhere."""
        lang = ctx.config.language
        if not text.strip():
            return [
                Send(
                    event.chat,
                    render(texts.ANSWER_USAGE, lang),
                    "/answer without text",
                    reply_to=event.message_id,
                )
            ]
        repo = NewcomerRepo(ctx.session)
        rows = (
            [await repo.get(event.chat.key, user.id)]
            if event.chat.kind == "group"
            else await repo.for_user(user.id)
        )
        for row in rows:
            if row is None or row.due_at is None or not row.questions:
                continue
            config = self._configs.get(row.group_key, ctx.config)
            answers = await repo.answers(row.group_key, user.id)
            pending = pending_question(row.questions, answers)
            if pending is None or not self._open(row, config, ctx.now, "questionnaire"):
                continue
            index, key, _ = pending
            await repo.answer(row.group_key, user.id, key, text.strip(), ctx.now)
            chat = Chat.from_key(row.group_key)
            actions: list[Action] = [
                Record(
                    chat,
                    "tasks.answered",
                    f"questionnaire question {index} answered",
                    user.id,
                    {"question": key},
                )
            ]
            nxt = pending_question(row.questions, {*answers, key})
            lang = config.language
            if nxt is not None:
                i, _, question = nxt
                reply = render(texts.NEXT_QUESTION, lang, i=i, n=len(row.questions), question=question)
                return [
                    Send(event.chat, reply, f"questionnaire question {i}", reply_to=event.message_id),
                    *actions,
                ]
            actions += await self._progress(ctx, config, chat, user, "questionnaire", "answers", row=row)
            done = await repo.done(row.group_key, user.id)
            basic = config.tasks.kinds("basic")
            n_done = sum(1 for k in basic if k in done)
            reply = render(texts.QUESTIONNAIRE_DONE, lang, done=n_done, total=len(basic))
            return [Send(event.chat, reply, "questionnaire complete", reply_to=event.message_id), *actions]
        if event.kind == EventKind.COMMAND:
            return [
                Send(
                    event.chat,
                    render(texts.NOTHING_TO_ANSWER, lang),
                    "nothing to answer",
                    reply_to=event.message_id,
                )
            ]
        return []

    async def _private(self, event: Event, ctx: Context) -> list[Action]:
        user = event.user
        if user is None or user.is_bot:
            return []
        if event.kind == EventKind.MESSAGE:
            return await self._answer(event, ctx, user, event.text)
        if event.kind == EventKind.COMMAND and event.command == "start":
            return await self._start(event, ctx, user)
        if event.kind != EventKind.COMMAND or event.command not in ("tasks", "intro", "answer"):
            return []
        if event.command == "answer":
            return await self._answer(event, ctx, user, _rest(event.text))
        rows = await NewcomerRepo(ctx.session).for_user(user.id)
        if not rows:
            return [Send(event.chat, render(texts.NO_TASKS, ctx.config.language, name=user.name), "no tasks")]
        row = rows[0]
        config, chat = self._configs.get(row.group_key, ctx.config), Chat.from_key(row.group_key)
        if event.command == "tasks":
            return await self._show(ctx, config, chat, user, event.message_id, event.chat)
        return await self._intro(event, ctx, config, chat, user)

    async def _start(self, event: Event, ctx: Context, user: User) -> list[Action]:
        """/start in the private chat, usually from a deep link: its payload names the step and the group
        (the questionnaire at its next question, or the checklist). A bare /start opens a questionnaire
        that is waiting, else says hello (private messages work from now on)."""
        repo = NewcomerRepo(ctx.session)
        target = parse_start(event.args[0] if event.args else "", event.chat.platform)
        if target is not None:
            step, group = target
            found = await repo.get(group.key, user.id)
            rows = [found] if found is not None else []
        else:
            step, rows = QUESTIONNAIRE_STEP, list(await repo.for_user(user.id))
        for row in rows:
            config, chat = self._configs.get(row.group_key, ctx.config), await _titled(ctx, row.group_key)
            if row.due_at is None:
                continue
            if step == TASKS_STEP:
                return await self._show(ctx, config, chat, user, event.message_id, event.chat)
            pending = pending_question(row.questions or [], await repo.answers(row.group_key, user.id))
            if pending is None or not self._open(row, config, ctx.now, "questionnaire"):
                continue
            index, _, question = pending
            text = render(
                texts.QUESTION_IN_PRIVATE,
                config.language,
                group=_group_name(config, chat),
                i=index,
                n=len(row.questions or []),
                question=question,
            )
            return [Send(event.chat, text, f"questionnaire question {index}, opened by /start")]
        if target is not None and rows:  # nothing left to answer there: show where they stand
            config, chat = (
                self._configs.get(rows[0].group_key, ctx.config),
                await _titled(ctx, rows[0].group_key),
            )
            return await self._show(ctx, config, chat, user, event.message_id, event.chat)
        hello = render(texts.START_HELLO, ctx.config.language, name=user.name)
        return [Send(event.chat, hello, "/start: private messages work now")]

    async def _message(self, event: Event, ctx: Context, user: User) -> list[Action]:
        config = ctx.config
        repo = NewcomerRepo(ctx.session)
        row = await repo.get(event.chat.key, user.id)
        if not any(self._open(row, config, ctx.now, kind) for kind in MESSAGE_TASKS):
            self._watch.get(event.chat.key, set()).discard(user.id)  # left, or the tasks closed
            return []
        assert row is not None
        done = await repo.done(event.chat.key, user.id)
        kinds = config.tasks.kinds()
        text = event.text.strip()
        if "intro" in kinds and "intro" not in done and parse_intro(text) is not None:
            return await self._save_intro(ctx, config, event.chat, user, text, "message", reply=None)
        if "first_post" in kinds and "first_post" not in done:
            tags = config.tasks.first_post_hashtags
            if len(text) >= config.tasks.first_post_min_chars or any(tag in text for tag in tags):
                return await self._progress(ctx, config, event.chat, user, "first_post", "message", row=row)
        return []

    async def _watched(self, ctx: Context, group_key: str) -> set[str]:
        """Members of the group with an open message task (loaded from the database once per group)."""
        watch = self._watch.get(group_key)
        if watch is None:
            watch = await self._load_watch(ctx, group_key)
        return watch

    async def _load_watch(self, ctx: Context, group_key: str) -> set[str]:
        repo = NewcomerRepo(ctx.session)
        pairs = await repo.in_progress(group_key, ctx.now - timedelta(days=ctx.config.tasks.open_days))
        done = await repo.done_many(group_key, [row.user_id for row, _ in pairs])
        return self._set_watch(ctx.config, group_key, pairs, done)

    def _set_watch(
        self, config: GroupConfig, group_key: str, pairs: list[Pair], done: dict[str, set[str]]
    ) -> set[str]:
        wanted = MESSAGE_TASKS.intersection(config.tasks.kinds())
        watch = {row.user_id for row, _ in pairs if not wanted <= done.get(row.user_id, set())}
        self._watch[group_key] = watch
        return watch

    # --- deadlines -----------------------------------------------------------------------------------
    async def _sweep(self, ctx: Context) -> list[Action]:
        config, cfg, lang = ctx.config, ctx.config.tasks, ctx.config.language
        chat = ctx.chat
        known = self._next.get(chat.key)
        if known is not None and known[0] is config and (known[1] is None or ctx.now < known[1]):
            return []  # nothing due: no query (the time is kept in memory, loaded once per config)
        repo = NewcomerRepo(ctx.session)
        everyone = await repo.in_progress(chat.key, ctx.now - timedelta(days=cfg.open_days))
        done_by = await repo.done_many(chat.key, [row.user_id for row, _ in everyone])
        self._set_watch(config, chat.key, everyone, done_by)
        pairs = [(row, member) for row, member in everyone if row.completed_at is None]
        actions: list[Action] = []
        basic = cfg.kinds("basic")
        for row, member in pairs:
            assert row.due_at is not None
            user = member_user(member)
            done = done_by.get(row.user_id, set())
            left = [s for s in cfg.tasks if s.level == "basic" and s.kind not in done]
            if not left:
                actions += await self._complete(ctx, config, chat, user, row)
                continue
            items = join_list([render(texts.SHORT[s.kind], lang) for s in left], lang)
            deadline = format_deadline(row.due_at, config.tz, lang)
            if row.missed_at is None and ctx.now >= row.due_at:
                actions += self._missed(ctx, config, chat, user, row, items)
            elif row.missed_at is None and reminder_due(
                ctx.now, row.due_at, cfg.remind_before_hours, row.reminders_sent
            ):
                row.reminders_sent = sum(
                    1 for h in cfg.remind_before_hours if ctx.now >= row.due_at - timedelta(hours=h)
                )
                text = render(texts.REMINDER, lang, left=len(left), items=items, deadline=deadline)
                actions += [
                    SendPrivate(
                        chat,
                        user,
                        text,
                        f"newcomer task reminder for {user.name}: {len(left)} of {len(basic)} left",
                        purpose="reminder",
                        start=start_payload(TASKS_STEP, chat),
                    ),
                    Record(
                        chat,
                        "tasks.reminded",
                        f"{user.name}: {len(left)} basic task(s) left",
                        user.id,
                        {"left": [s.kind for s in left]},
                    ),
                ]
        upcoming = [
            next_check(row.due_at, cfg.remind_before_hours, row.reminders_sent)
            for row, _ in pairs
            if row.due_at is not None and row.completed_at is None and row.missed_at is None
        ]
        self._next[chat.key] = (config, min(upcoming, default=None))
        return actions

    def _missed(
        self, ctx: Context, config: GroupConfig, chat: Chat, user: User, row: Newcomer, items: str
    ) -> list[Action]:
        cfg, lang = config.tasks, config.language
        row.missed_at, row.missed_action = ctx.now, cfg.on_missed
        reason = f"{user.name}: newcomer tasks not finished by the deadline ({items})"
        record = Record(chat, "tasks.missed", reason, user.id, {"action": cfg.on_missed})
        if cfg.on_missed == "mute":
            hours = f"{cfg.mute_hours:g}"
            text = render(texts.MISSED_MUTE, lang, mention=user.mention, items=items, hours=hours)
            until = ctx.now + timedelta(hours=cfg.mute_hours)
            notice = Send(chat, text, reason, purpose="moderation", mentions=(user,))
            return [record, Mute(chat, user, until, reason), notice]
        if cfg.on_missed == "remove":
            said = texts.MISSED_REMOVE if can_sanction(ctx, "remove") else texts.MISSED_REMOVE_ASKED
            text = render(said, lang, mention=user.mention, items=items)
            notice = Send(chat, text, reason, purpose="moderation", mentions=(user,))
            return [record, Remove(chat, user, reason), notice]
        text = render(texts.MISSED_REMIND, lang, items=items)
        start = start_payload(TASKS_STEP, chat)
        return [record, SendPrivate(chat, user, text, reason, purpose="reminder", start=start)]


def _rest(text: str) -> str:
    """The text after the command word: ``/intro 互联网-产品-交朋友`` → ``互联网-产品-交朋友``."""
    parts = text.strip().split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _rules_text(config: GroupConfig, chat: Chat) -> str:
    if not config.rules:
        return render(texts.NO_RULES, config.language)
    rules = "\n".join(f"{i}. {rule}" for i, rule in enumerate(config.rules, start=1))
    return render(texts.RULES, config.language, group=_group_name(config, chat), rules=rules)


async def _titled(ctx: Context, group_key: str) -> Chat:
    """The group's chat with its stored title (a private chat does not carry the group's)."""
    chat = Chat.from_key(group_key)
    group = await ctx.session.get(Group, group_key)
    return replace(chat, title=group.title) if group is not None and group.title else chat


def _group_name(config: GroupConfig, chat: Chat) -> str:
    return config.name or chat.title or chat.id
