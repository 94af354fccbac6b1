"""Ad / spam detection for community groups: pure signals, a sparse linear model and the detector combining
them.

Usage: ``AdDetector(AdRules(...), model).detect(MessageFacts(text=...))`` → ``AdVerdict``. Loading the shipped
model is I/O and lives in ``handlers.ads.model_io.load_model``.
"""

from rules.ads.classifier import LinearModel, features
from rules.ads.detector import ALL_SIGNALS, AdDetector, AdRules, AdVerdict
from rules.ads.facts import MessageFacts
from rules.ads.signals import CATEGORIES, REMOVE_AT_ONCE

__all__ = [
    "ALL_SIGNALS",
    "CATEGORIES",
    "REMOVE_AT_ONCE",
    "AdDetector",
    "AdRules",
    "AdVerdict",
    "LinearModel",
    "MessageFacts",
    "features",
]
