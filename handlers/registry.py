"""Every feature, in one list. ``bot/`` sorts them by phase; within a phase, this order holds."""

from __future__ import annotations

from collections.abc import Callable

from handlers.base import Feature
from handlers.core import Tracking
from handlers.help import Help
from handlers.housekeeping import Housekeeping

FEATURE_FACTORIES: tuple[Callable[[], Feature], ...] = (
    Tracking,
    Housekeeping,
)


def build_features() -> list[Feature]:
    """Fresh feature objects (with fresh in-memory state) ordered by phase; ``/help`` lists their commands."""
    features = [factory() for factory in FEATURE_FACTORIES]
    features.append(Help(lambda: features))
    return sorted(features, key=lambda feature: int(feature.phase))
