"""Helpers for the rhythm tests: the features under test (so other features' greetings and checks do
not interleave with the replies asserted on) and small readers of the database."""

from __future__ import annotations

from handlers.checkin.handler import Checkin
from handlers.faq.handler import Faq
from handlers.feature import Feature
from handlers.honours.handler import Honours
from handlers.points.handler import Points
from handlers.topics.handler import Topics
from handlers.tracking import Tracking


def rhythm_features() -> list[Feature]:
    """Fresh rhythm features behind the core tracking, as the registry orders them."""
    return [Tracking(), Checkin(), Topics(), Faq(), Points(), Honours()]
