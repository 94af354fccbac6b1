"""Every feature, in one list. ``bot/`` sorts them by phase; within a phase, this order holds."""

from __future__ import annotations

from collections.abc import Callable

from handlers.abuse.handler import Abuse
from handlers.ads.handler import Ads
from handlers.antiraid.handler import Antiraid
from handlers.botrights.handler import BotRights
from handlers.briefings.handler import Briefings
from handlers.broadcast.handler import BroadcastFeature
from handlers.chain.handler import Chain
from handlers.checkin.handler import Checkin
from handlers.essence.handler import EssenceFeature
from handlers.events.handler import Events
from handlers.faq.handler import Faq
from handlers.feature import Feature
from handlers.finder.handler import Finder
from handlers.help import Help
from handlers.honours.handler import Honours
from handlers.housekeeping import Housekeeping
from handlers.locks.handler import Locks
from handlers.milestones.handler import Milestones
from handlers.moderation.flood import Flood
from handlers.moderation.handler import Moderation
from handlers.mydata.handler import MyData
from handlers.nickname.handler import Nickname
from handlers.points.handler import Points
from handlers.polls.handler import Polls
from handlers.quiz.handler import Quiz
from handlers.referrals.handler import Referrals
from handlers.sensitive.handler import Sensitive
from handlers.silence.handler import Silence
from handlers.stats import Stats
from handlers.survey.handler import Survey
from handlers.tasks.handler import Tasks
from handlers.topics.handler import Topics
from handlers.tracking import Tracking
from handlers.verify.handler import Verify
from handlers.verify.requests import JoinRequests
from handlers.welcome.handler import Welcome

FEATURE_FACTORIES: tuple[Callable[[], Feature], ...] = (
    Tracking,
    BotRights,  # TRACK, after tracking registered the group
    Housekeeping,
    # moderation (MODERATION): the ad check first, so an ad burst is handled as an ad (category,
    # remove-at-once) and stops before flood counts it; flood next; then admin commands and /report
    # (admins are exempt from both checks); nickname last, so a member removed for an ad or a flood
    # gets no nickname reminder in the same event
    Ads,
    Abuse,  # insults: after ads (an ad with an insult is an ad), before flood
    Sensitive,  # sensitive topics: the admins are told (nothing stops; deleted only if the group says so)
    Flood,
    # the door: a newcomer not yet verified stops here (after the ad check on their name), so the
    # nickname check, welcome and tasks see them when ``member_verified`` comes
    Antiraid,  # counts the join before verify reads whether raid mode is on
    Verify,
    JoinRequests,  # join requests: the private questionnaire, the admins' buttons, the deadline
    Locks,  # locked kinds, night and slow mode: deleted before moderation's commands see them
    Moderation,
    Nickname,
    # onboarding (MEMBERSHIP): referral credit first, so the welcome and tasks see it
    Referrals,
    Welcome,
    Tasks,
    Milestones,
    # rhythm (FEATURES)
    Checkin,
    Topics,
    Faq,
    Points,
    Honours,
    # engagement (FEATURES)
    Polls,
    EssenceFeature,
    Finder,
    Silence,
    Events,
    Quiz,
    Chain,
    BroadcastFeature,
    Survey,
    Stats,
    Briefings,  # after the day's features: its figures include their rows
    MyData,  # members' own data: /mydata, /forgetme
)


def build_features() -> list[Feature]:
    """Fresh feature objects (with fresh in-memory state) ordered by phase; ``/help`` lists their commands."""
    features = [factory() for factory in FEATURE_FACTORIES]
    features.append(Help(lambda: features))
    return sorted(features, key=lambda feature: int(feature.phase))
