"""The feature contract bound to the composed ``GroupConfig`` and to storage's ``Repos``: what every
feature package and ``bot/`` import.

``handlers.contract.feature`` is generic in the config and the storage face so that the contract knows no
feature and no storage; this module closes it over ``handlers.config.GroupConfig`` and
``storage.repos.facade.Repos`` (``bot/pipeline.py`` passes ``Repos`` as the factory).
"""

from __future__ import annotations

from handlers.config import GroupConfig
from handlers.contract import feature as contract
from handlers.contract.feature import CommandSpec, JobSpec, Phase
from storage.repos.facade import Repos

Context = contract.Context[GroupConfig, Repos]
Feature = contract.Feature[GroupConfig, Repos]

__all__ = ["CommandSpec", "Context", "Feature", "JobSpec", "Phase", "Repos"]
