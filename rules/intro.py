"""Self-introductions in the playbooks' format ``行业-岗位-入群期待``: a pure check with reasons.

Members type the dashes every way their keyboard allows, add a ``自我介绍：`` prefix, or use spaces;
the expectation may itself contain dashes (only the first two separators split). The verdict's ``hit``
means "not a valid introduction", like the nickname check, and its reasons say which part is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from rules.verdict import CheckResult, Verdict

__all__ = ["Intro", "check_intro", "explain_intro", "parse_intro"]

MAX_PART: Final = 20  # 行业 and 岗位 are short labels
MIN_EXPECTATION: Final = 2
MAX_INTRO: Final = 300
_DASHES = re.compile(r"\s*[-－—–_|｜~～]+\s*")
_SPACES = re.compile(r"\s+")
_PREFIX = re.compile(r"^\s*(?:自我介绍|个人介绍|介绍一下|intro(?:duction)?)\s*[:：,，]?\s*", re.I)
_CATEGORY: Final = "intro"

_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "empty": "自我介绍为空",
        "too_long": "自我介绍太长（{n} 个字，最多 {max} 个字）",
        "parts": "应为 行业-岗位-入群期待 三段，现在只有 {got} 段",
        "industry": "行业「{value}」应为 1～{max} 个字",
        "role": "岗位「{value}」应为 1～{max} 个字",
        "expectation": "入群期待「{value}」太短（至少 {min} 个字）",
    },
    "en": {
        "empty": "the introduction is empty",
        "too_long": "the introduction is too long ({n} characters, at most {max})",
        "parts": "expected industry-role-expectation (3 parts), got {got}",
        "industry": "industry '{value}' should be 1-{max} characters",
        "role": "role '{value}' should be 1-{max} characters",
        "expectation": "expectation '{value}' is too short (at least {min} characters)",
    },
}


@dataclass(frozen=True, slots=True)
class Intro:
    industry: str
    role: str
    expectation: str


def _split(text: str) -> list[str]:
    body = _PREFIX.sub("", text.strip(), count=1).strip()
    if not body:
        return []
    parts = _DASHES.split(body, maxsplit=2)
    if len(parts) < 3:
        parts = max(parts, _SPACES.split(body, maxsplit=2), key=len)
    return [part.strip() for part in parts]


def check_intro(text: str, language: str = "zh") -> Verdict:
    """Is ``text`` a self-introduction ``行业-岗位-入群期待``? ``hit`` = it is not; never raises."""
    t = _TEXTS.get(language, _TEXTS["zh"])
    stripped = text.strip()
    if not stripped:
        return Verdict(True, (CheckResult("intro.empty", True, t["empty"], _CATEGORY),), _CATEGORY)
    if len(stripped) > MAX_INTRO:
        detail = t["too_long"].format(n=len(stripped), max=MAX_INTRO)
        return Verdict(True, (CheckResult("intro.length", True, detail, _CATEGORY),), _CATEGORY)
    parts = _split(stripped)
    if len(parts) < 3:
        detail = t["parts"].format(got=len(parts))
        return Verdict(True, (CheckResult("intro.parts", True, detail, _CATEGORY),), _CATEGORY)
    industry, role, expectation = parts
    checks = (
        CheckResult(
            "intro.industry",
            not 1 <= len(industry) <= MAX_PART,
            t["industry"].format(value=industry, max=MAX_PART),
            _CATEGORY,
        ),
        CheckResult(
            "intro.role",
            not 1 <= len(role) <= MAX_PART,
            t["role"].format(value=role, max=MAX_PART),
            _CATEGORY,
        ),
        CheckResult(
            "intro.expectation",
            len(expectation) < MIN_EXPECTATION,
            t["expectation"].format(value=expectation, min=MIN_EXPECTATION),
            _CATEGORY,
        ),
    )
    # a miss keeps no detail: the reason line lists only what is wrong
    results = tuple(r if r.hit else CheckResult(r.name, False) for r in checks)
    hit = any(r.hit for r in results)
    return Verdict(hit, results, _CATEGORY if hit else "")


def parse_intro(text: str) -> Intro | None:
    """The three parts of a valid introduction, else None."""
    if check_intro(text).hit:
        return None
    industry, role, expectation = _split(text)
    return Intro(industry, role, expectation)


def explain_intro(verdict: Verdict) -> str:
    """What is wrong, in words for the member (the details, without check names)."""
    return "；".join(r.detail for r in verdict.hits if r.detail)
