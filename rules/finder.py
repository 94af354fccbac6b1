"""Expert matching (``/找人 Excel``): which members who agreed to be found said they can help with the
words asked about. Pure: the caller hands in each member's own words (the questionnaire's 可分享的技能, the
self-introduction's 行业 and 岗位, the nickname's 行业) and gets back who matches, best first, and why.

Matching is on the normalised text (full-width, traditional, case and look-alikes folded), each word of the
query on its own: a member who matches more of the words, or matches them in what they said they can share
(rather than only in their industry), comes first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rules.normalize import normalize

# where a word was found, and how much it says about being able to help
WEIGHTS = {"skill": 3, "role": 2, "industry": 1}
MAX_QUERY_WORDS = 5


@dataclass(frozen=True, slots=True)
class Profile:
    """What one member said about themselves, as they wrote it (shown back in the answer)."""

    user_id: str
    name: str
    skill: str = ""
    role: str = ""
    industry: str = ""


@dataclass(frozen=True, slots=True)
class Found:
    profile: Profile
    score: int
    matched: tuple[str, ...]  # the fields a word was found in ("skill", "role", "industry")


def query_words(query: str) -> list[str]:
    """The words to look for: split on spaces and the usual separators, duplicates dropped, at most five."""
    text = normalize(query)
    for sep in ",，、/;；|":
        text = text.replace(sep, " ")
    return list(dict.fromkeys(w for w in text.split() if w))[:MAX_QUERY_WORDS]


def find(query: str, profiles: Iterable[Profile], limit: int) -> list[Found]:
    """The members matching ``query``, best first (ties: by name), at most ``limit``."""
    words = query_words(query)
    if not words:
        return []
    found: list[Found] = []
    for profile in profiles:
        fields = {name: normalize(getattr(profile, name)) for name in WEIGHTS}
        score, matched = 0, []
        for word in words:
            hits = [name for name, text in fields.items() if text and word in text]
            if hits:
                score += max(WEIGHTS[name] for name in hits) * 10  # each word found counts most
                matched += [name for name in hits if name not in matched]
        if score:
            found.append(Found(profile, score + len(matched), tuple(matched)))
    found.sort(key=lambda f: (-f.score, f.profile.name, f.profile.user_id))
    return found[:limit]


def summary(profile: Profile, limit: int = 40) -> str:
    """What the member said they can share, else their role and industry (clipped for a chat line)."""
    parts: Sequence[str] = [
        p for p in (profile.skill, "·".join(x for x in (profile.industry, profile.role) if x)) if p
    ]
    text = " / ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"
