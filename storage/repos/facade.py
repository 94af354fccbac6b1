"""``Repos``: every repository over one session, the storage face a handler sees as ``ctx.repos``.

Built per event around the event's session; each repository is made on first use, so an event whose
handlers touch one table pays for one object. Never commits: ``bot/`` commits once per event.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos.activity import ActivityRepo
from storage.repos.badges import BadgeRepo
from storage.repos.broadcasts import BroadcastRepo
from storage.repos.checkins import CheckinRepo
from storage.repos.deliveries import DeliveryRepo
from storage.repos.essence import EssenceRepo
from storage.repos.finder import FinderRepo
from storage.repos.group_events import GroupEventRepo
from storage.repos.groups import GroupRepo
from storage.repos.members import MemberRepo
from storage.repos.moderation import NicknameRepo, ReportRepo, SanctionRepo
from storage.repos.onboarding import MilestoneRepo, NewcomerRepo, ReferralRepo
from storage.repos.points import PointsRepo
from storage.repos.polls import PollRepo
from storage.repos.profiles import ProfileRepo
from storage.repos.quiz import ChainRepo, QuizRepo
from storage.repos.silence import SilenceRepo
from storage.repos.stock import StockRepo
from storage.repos.strikes import StrikeRepo
from storage.repos.survey import SurveyRepo
from storage.repos.topics import TopicRepo


class Repos:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        """A nested transaction: the writes inside it are undone together when the block raises (a spend
        and the stock it takes), the rest of the event's writes stay."""
        return self.session.begin_nested()

    @cached_property
    def groups(self) -> GroupRepo:
        return GroupRepo(self.session)

    @cached_property
    def members(self) -> MemberRepo:
        return MemberRepo(self.session)

    @cached_property
    def broadcasts(self) -> BroadcastRepo:
        return BroadcastRepo(self.session)

    @cached_property
    def finder(self) -> FinderRepo:
        return FinderRepo(self.session)

    @cached_property
    def survey(self) -> SurveyRepo:
        return SurveyRepo(self.session)

    @cached_property
    def strikes(self) -> StrikeRepo:
        return StrikeRepo(self.session)

    @cached_property
    def sanctions(self) -> SanctionRepo:
        return SanctionRepo(self.session)

    @cached_property
    def reports(self) -> ReportRepo:
        return ReportRepo(self.session)

    @cached_property
    def nicknames(self) -> NicknameRepo:
        return NicknameRepo(self.session)

    @cached_property
    def points(self) -> PointsRepo:
        return PointsRepo(self.session)

    @cached_property
    def newcomers(self) -> NewcomerRepo:
        return NewcomerRepo(self.session)

    @cached_property
    def referrals(self) -> ReferralRepo:
        return ReferralRepo(self.session)

    @cached_property
    def milestones(self) -> MilestoneRepo:
        return MilestoneRepo(self.session)

    @cached_property
    def polls(self) -> PollRepo:
        return PollRepo(self.session)

    @cached_property
    def essence(self) -> EssenceRepo:
        return EssenceRepo(self.session)

    @cached_property
    def silence(self) -> SilenceRepo:
        return SilenceRepo(self.session)

    @cached_property
    def group_events(self) -> GroupEventRepo:
        return GroupEventRepo(self.session)

    @cached_property
    def quiz(self) -> QuizRepo:
        return QuizRepo(self.session)

    @cached_property
    def chain(self) -> ChainRepo:
        return ChainRepo(self.session)

    @cached_property
    def checkins(self) -> CheckinRepo:
        return CheckinRepo(self.session)

    @cached_property
    def profiles(self) -> ProfileRepo:
        return ProfileRepo(self.session)

    @cached_property
    def topics(self) -> TopicRepo:
        return TopicRepo(self.session)

    @cached_property
    def badges(self) -> BadgeRepo:
        return BadgeRepo(self.session)

    @cached_property
    def stock(self) -> StockRepo:
        return StockRepo(self.session)

    @cached_property
    def activity(self) -> ActivityRepo:
        return ActivityRepo(self.session)

    @cached_property
    def deliveries(self) -> DeliveryRepo:
        return DeliveryRepo(self.session)
