"""``Repos``: every repository over one session, the storage face a handler sees as ``ctx.repos``.

Built per event around the event's session; each repository is made on first use, so an event whose
handlers touch one table pays for one object. Never commits: ``bot/`` commits once per event.
"""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos.essence import EssenceRepo
from storage.repos.group_events import GroupEventRepo
from storage.repos.groups import GroupRepo
from storage.repos.members import MemberRepo
from storage.repos.moderation import NicknameRepo, ReportRepo, SanctionRepo
from storage.repos.onboarding import MilestoneRepo, NewcomerRepo, ReferralRepo
from storage.repos.points import PointsRepo
from storage.repos.polls import PollRepo
from storage.repos.quiz import ChainRepo, QuizRepo
from storage.repos.silence import SilenceRepo
from storage.repos.strikes import StrikeRepo


class Repos:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @cached_property
    def groups(self) -> GroupRepo:
        return GroupRepo(self.session)

    @cached_property
    def members(self) -> MemberRepo:
        return MemberRepo(self.session)

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
