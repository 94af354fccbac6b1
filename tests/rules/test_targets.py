"""The one rule from a handle to a member (rules/targets.py), as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.targets import Candidate, handle_of, pick

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def c(
    uid: str,
    name: str = "",
    username: str | None = None,
    present: bool = True,
    seen: int | None = 0,
    seq: int = 0,
) -> Candidate:
    """A stored member; ``seen``: days after T0 they were last seen (None: never)."""
    last_seen = T0 + timedelta(days=seen) if seen is not None else None
    return Candidate(uid, username, name or uid, present, last_seen, seq)


CASES = [
    # (what, handle, candidates, chosen id or None, match)
    ("id beats a username", "42", [c("7", username="42"), c("42", "小王")], "42", "id"),
    ("id beats a display name", "42", [c("7", "42", seq=9), c("42", "小王", seq=1)], "42", "id"),
    (
        "username beats a display name",
        "xw",
        [c("a", "小王", "xw", seq=1), c("b", "xw", seq=2)],
        "a",
        "username",
    ),
    ("username ignores case", "XW", [c("a", "小王", "xw")], "a", "username"),
    (
        "an old row with the username: the member still here holds it",
        "xw",
        [c("old", "甲", "xw", present=False, seen=9, seq=9), c("new", "乙", "xw", seen=1, seq=1)],
        "new",
        "username",
    ),
    (
        "two rows still here with one username: the most recently seen",
        "xw",
        [c("a", "甲", "xw", seen=1, seq=5), c("b", "乙", "xw", seen=3, seq=1)],
        "b",
        "username",
    ),
    ("one display name", "北京-金融-老李", [c("a", "北京-金融-老李")], "a", "name"),
    ("display names are exact", "老李", [c("a", "北京-金融-老李")], None, "none"),
    (
        "a display name: the member still here beats one who left",
        "小王",
        [c("gone", "小王", present=False, seen=5, seq=9), c("here", "小王", seen=1, seq=1)],
        "here",
        "name",
    ),
    (
        "two members here share a display name: not guessed",
        "小王",
        [c("a", "小王", seen=1, seq=1), c("b", "小王", seen=2, seq=2)],
        None,
        "ambiguous",
    ),
    (
        "two who left share it and nobody here does: not guessed",
        "小王",
        [c("a", "小王", present=False, seq=1), c("b", "小王", present=False, seq=2)],
        None,
        "ambiguous",
    ),
    (
        "one who left, by name (for /pardon after a removal)",
        "小王",
        [c("a", "小王", present=False)],
        "a",
        "name",
    ),
    ("nobody", "小王", [], None, "none"),
]


@pytest.mark.parametrize(
    ("what", "handle", "candidates", "chosen", "match"), CASES, ids=[x[0] for x in CASES]
)
def test_pick(what: str, handle: str, candidates: list[Candidate], chosen: str | None, match: str) -> None:
    verdict = pick(handle, candidates)
    assert (verdict.chosen.user_id if verdict.chosen else None, verdict.match) == (chosen, match), what
    assert verdict.reason
    # the order the rows come in from the database does not matter
    again = pick(handle, list(reversed(candidates)))
    assert (again.chosen.user_id if again.chosen else None, again.match) == (chosen, match)


def test_ambiguous_lists_the_candidates_most_recently_seen_first() -> None:
    verdict = pick("小王", [c("a", "小王", seen=1), c("b", "小王", seen=5), c("gone", "小王", present=False)])
    assert [x.user_id for x in verdict.candidates] == ["b", "a"]
    assert "2 members in the group" in verdict.reason


@pytest.mark.parametrize(
    ("token", "handle"),
    [("@xw", "xw"), ("＠小王", "小王"), ("@", None), ("xw", None), ("+5", None), ("@ 小王", "小王")],
)
def test_handle_of(token: str, handle: str | None) -> None:
    assert handle_of(token) == handle
