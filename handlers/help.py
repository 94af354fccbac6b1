"""``/help`` (and ``/start`` in a private chat): every feature's commands, in the group's language.

Admin commands are listed only to admins, so members see what they can use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from handlers.contract.actions import Action, Send
from handlers.contract.events import Event, EventKind
from handlers.feature import CommandSpec, Context, Feature, Phase

HEADER = {"zh": "可用命令：", "en": "Commands:"}
ADMIN_HEADER = {"zh": "管理员命令：", "en": "Admin commands:"}


def help_text(commands: Sequence[CommandSpec], language: str, admin: bool) -> str:
    def line(spec: CommandSpec) -> str:
        return f"/{spec.name} — {spec.en if language == 'en' else spec.zh}"

    lines = [HEADER.get(language, HEADER["zh"])]
    lines += [line(spec) for spec in commands if not spec.admin]
    admin_specs = [spec for spec in commands if spec.admin]
    if admin and admin_specs:
        lines += ["", ADMIN_HEADER.get(language, ADMIN_HEADER["zh"])]
        lines += [line(spec) for spec in admin_specs]
    return "\n".join(lines)


class Help(Feature):
    name = "help"
    kinds = frozenset({EventKind.COMMAND})
    phase = Phase.FEATURES
    commands = (CommandSpec("help", "查看可用命令", "List the commands"),)

    def __init__(self, features: Callable[[], Sequence[Feature]]) -> None:
        self._features = features

    def all_commands(self) -> list[CommandSpec]:
        seen: dict[str, CommandSpec] = {}
        for feature in self._features():
            for spec in feature.commands:
                seen.setdefault(spec.name, spec)
        return list(seen.values())

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.COMMAND or event.user is None:
            return []
        wanted = event.command == "help" or (
            event.command == "start" and event.chat.kind == "private" and not event.args
        )
        if not wanted:
            return []
        text = help_text(self.all_commands(), ctx.config.language, event.user.is_admin)
        return [Send(event.chat, text, reason=f"/{event.command} asked", reply_to=event.message_id)]
