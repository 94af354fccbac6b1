"""The nickname check other features use (onboarding's "fix your nickname" task, the nickname handler).

``check_nickname(config, name)`` → ``Verdict`` (``hit`` = the name breaks the group's format; ``reason``
says which field and why); ``suggest_nickname(config, name)`` → a name that passes, built from the
current one. Both are pure and never raise on any text.
"""

from __future__ import annotations

from handlers.nickname.config import NicknameConfig
from rules import nickname as rule
from rules.verdict import Verdict

__all__ = ["check_nickname", "explain_nickname", "rule_name", "suggest_nickname"]


def check_nickname(config: NicknameConfig, name: str, language: str = "zh") -> Verdict:
    """Does ``name`` break the group's format? A disabled check never hits."""
    if not config.enabled:
        return Verdict(hit=False)
    return rule.check(config.compiled, name, language)


def rule_name(config: NicknameConfig, account_name: str, registered: str | None) -> str:
    """The name the rule checks: the account's, or (``source = "registered"``) the one registered with
    /nick ("" before any: a member who has not registered breaks the rule)."""
    return (registered or "") if config.source == "registered" else account_name


def suggest_nickname(config: NicknameConfig, name: str) -> str:
    """A correct example made from the member's current name (``小王`` → ``上海-互联网-小王``)."""
    return rule.suggest(config.compiled, name)


def explain_nickname(verdict: Verdict) -> str:
    """What is wrong, in words for the member (the field problems, without check names)."""
    return rule.explain(verdict)
