"""The feature contract bound to the composed ``GroupConfig``: what every feature package and ``bot/`` import.

``handlers.contract.feature`` is generic in the config so that the contract knows no feature; this module
closes it over ``handlers.config.GroupConfig``.
"""

from __future__ import annotations

from handlers.config import GroupConfig
from handlers.contract import feature as contract
from handlers.contract.feature import CommandSpec, JobSpec, Phase

Context = contract.Context[GroupConfig]
Feature = contract.Feature[GroupConfig]

__all__ = ["CommandSpec", "Context", "Feature", "JobSpec", "Phase"]
