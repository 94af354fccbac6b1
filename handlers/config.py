"""``GroupConfig``: everything one group runs on, composed from the sections each feature declares in its
own package (``handlers/<feature>/config.py``). A new feature adds its section here, never in ``bot/``;
``bot/config.py`` only loads, merges, locates and reloads the TOML.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.abuse.config import AbuseConfig
from handlers.ads.config import AdsConfig
from handlers.antiraid.config import AntiraidConfig
from handlers.briefings.config import BriefingsConfig
from handlers.broadcast.config import BroadcastConfig
from handlers.chain.config import ChainConfig
from handlers.checkin.config import CheckinConfig
from handlers.contract.events import Chat
from handlers.essence.config import EssenceConfig
from handlers.events.config import EventsConfig
from handlers.faq.config import FaqConfig
from handlers.finder.config import FinderConfig
from handlers.honours.config import HonoursConfig
from handlers.locks.config import LocksConfig
from handlers.milestones.config import MilestonesConfig
from handlers.moderation.config import ModerationConfig
from handlers.nickname.config import NicknameConfig
from handlers.points.config import PointsConfig
from handlers.polls.config import PollsConfig
from handlers.quiz.config import QuizConfig
from handlers.referrals.config import ReferralsConfig
from handlers.sensitive.config import SensitiveConfig
from handlers.silence.config import SilenceConfig
from handlers.stats_config import StatsConfig
from handlers.survey.config import SurveyConfig
from handlers.tasks.config import TasksConfig
from handlers.topics.config import TopicsConfig
from handlers.verify.config import VerifyConfig
from handlers.welcome.config import WelcomeConfig


class PrivacyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    store_message_text: bool = False  # metadata and reasons are always logged; text only if asked
    consent_notice: str = ""  # shown with the welcome: what is recorded and how to ask for export/erasure
    retention_days: int = Field(default=365, ge=1)


class GroupConfig(BaseModel):
    """Everything one group runs on. A group without its own table runs on ``[defaults]``."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    purpose: str = ""  # ① what the group is for (welcome)
    rules: list[str] = Field(default_factory=list)  # ② the rules, one line each
    timezone: str = "Asia/Shanghai"
    language: Literal["zh", "en"] = "zh"
    mode: Literal["enforce", "observe"] = "enforce"  # observe: decide and report, never delete/remove
    log_chat: str | None = None  # chat key where admin notices go; default: the group's admins
    log_actions: bool = True  # the log_chat also gets a line for every action (撤销 / 确认 on removals)
    privacy: PrivacyConfig = PrivacyConfig()
    verify: VerifyConfig = VerifyConfig()
    antiraid: AntiraidConfig = AntiraidConfig()
    locks: LocksConfig = LocksConfig()
    nickname: NicknameConfig = NicknameConfig()
    ads: AdsConfig = AdsConfig()
    abuse: AbuseConfig = AbuseConfig()
    sensitive: SensitiveConfig = SensitiveConfig()
    moderation: ModerationConfig = ModerationConfig()
    welcome: WelcomeConfig = WelcomeConfig()
    tasks: TasksConfig = TasksConfig()
    referrals: ReferralsConfig = ReferralsConfig()
    milestones: MilestonesConfig = MilestonesConfig()
    checkin: CheckinConfig = CheckinConfig()
    topics: TopicsConfig = TopicsConfig()
    faq: FaqConfig = FaqConfig()
    points: PointsConfig = PointsConfig()
    honours: HonoursConfig = HonoursConfig()
    # engagement
    polls: PollsConfig = PollsConfig()
    essence: EssenceConfig = EssenceConfig()
    silence: SilenceConfig = SilenceConfig()
    events: EventsConfig = EventsConfig()
    quiz: QuizConfig = QuizConfig()
    chain: ChainConfig = ChainConfig()
    broadcast: BroadcastConfig = BroadcastConfig()  # announcements to many groups
    finder: FinderConfig = FinderConfig()  # /找人: members who agreed to be suggested
    survey: SurveyConfig = SurveyConfig()  # a periodic satisfaction survey (results in the briefing)
    stats: StatsConfig = StatsConfig()  # how members are counted, and the goals
    briefings: BriefingsConfig = BriefingsConfig()  # the admins' daily and weekly numbers, alerts

    @field_validator("log_chat")
    @classmethod
    def _chat_key(cls, value: str | None) -> str | None:
        if value is not None:
            Chat.from_key(value)  # raises ValueError with what a chat key looks like
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (expected an IANA name like 'Asia/Shanghai')"
            ) from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
