"""The handler contract: ``Event`` + ``Context`` in, ``list[Action]`` out; never a platform call.

A feature is an object (it may keep in-memory state such as flood windows, owned by the pipeline,
not by a module global) with a ``name``, a ``phase`` that fixes its order, and optionally the
scheduled jobs and commands it contributes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Generic, TypeVar

from handlers.contract.actions import Action
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, EventKind

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

# The group config type and the storage face. The contract knows neither the features' sections nor
# storage: ``handlers/feature.py`` binds them to the composed ``GroupConfig`` and to ``storage``'s
# ``Repos``, which is what features and ``bot/`` use.
ConfigT = TypeVar("ConfigT")
ReposT = TypeVar("ReposT")


class Phase(IntEnum):
    """The order of handling, in one place: a ``Stop`` from an earlier phase skips the later ones."""

    TRACK = 10  # presence and counters; never stops
    MODERATION = 20  # nickname, ads, flood, strikes, admin commands
    MEMBERSHIP = 30  # welcome, tasks, referrals, milestones
    FEATURES = 40  # check-ins, topics, FAQ, points, honours


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command for /help and the platforms' command menus."""

    name: str
    zh: str
    en: str
    admin: bool = False


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A scheduled job of a group. ``schedule``: ``"08:00"``, ``"mon,wed,fri 20:00"``, ``"cron: 0 8 * * *"``
    or ``"every 10m"``; read in the group's time zone. Its runs arrive as ``tick`` events with
    ``data == name``."""

    name: str
    schedule: str
    grace_s: int = 3600


class Context(Generic[ConfigT, ReposT]):
    """What a handler may use: the group's config, the repositories over the event's session (committed
    by ``bot/`` once), the platform's capabilities in this chat, and the time (the event's, never the wall
    clock).

    The session opens on first use, so an event no handler stores anything for costs no database work;
    ``repos`` (made by ``repos_factory`` around that session) likewise.
    """

    __slots__ = (
        "_factory",
        "_repos",
        "_repos_factory",
        "_session",
        "bot_user_id",
        "caps",
        "chat",
        "config",
        "now",
    )

    def __init__(
        self,
        chat: Chat,
        config: ConfigT,
        sessions: Callable[[], AsyncSession],
        caps: Capabilities,
        now: datetime,
        repos_factory: Callable[[AsyncSession], ReposT],
        bot_user_id: str = "",
    ) -> None:
        self.chat = chat
        self.config = config
        self.caps = caps
        self.now = now
        self.bot_user_id = bot_user_id
        self._factory = sessions
        self._session: AsyncSession | None = None
        self._repos_factory = repos_factory
        self._repos: ReposT | None = None

    @property
    def repos(self) -> ReposT:
        """The repositories over this event's session (opened on first use)."""
        if self._repos is None:
            self._repos = self._repos_factory(self.session)
        return self._repos

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._factory()
        return self._session

    @property
    def opened(self) -> AsyncSession | None:
        """The session if a handler used it, else None."""
        return self._session


class Feature(Generic[ConfigT, ReposT]):
    """Base class for features: override ``handle``; ``jobs`` and ``commands`` are optional."""

    name: str = "feature"
    phase: Phase = Phase.FEATURES
    commands: Sequence[CommandSpec] = ()
    # The event kinds ``handle`` reacts to; the pipeline does not call it for others (None: every kind).
    # Ordinary messages are the hot path: a feature that never looks at them should say so.
    kinds: frozenset[EventKind] | None = None

    async def handle(self, event: Event, ctx: Context[ConfigT, ReposT]) -> list[Action]:
        raise NotImplementedError

    def jobs(self, config: ConfigT) -> list[JobSpec]:
        return []

    def warm(self) -> None:
        """Load now what the first event would otherwise wait for (a model, lookup tables); at start."""
        return None

    async def flush(self, session: AsyncSession) -> None:
        """Write buffered state (counters kept in memory on the hot path); called with every batched write."""
        return None

    def flush_failed(self) -> None:
        """The batched write that ``flush`` joined was rolled back: put back what it took, to retry."""
        return None
