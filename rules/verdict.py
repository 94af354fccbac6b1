"""Verdicts with reasons: every rule says what it checked, whether it hit, and why.

After umputun/tg-spam's ``CheckResult``: a decision is never a bare bool, so the event log can store
the list of results and an admin can see exactly which signal fired on which text.

Both records are ``NamedTuple``s: immutable like a frozen dataclass but ~4x cheaper to build (the ad
detector makes several per message on the decision path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar

Facts = TypeVar("Facts", contravariant=True)


class CheckResult(NamedTuple):
    """One rule's answer. ``detail`` is human-readable and names the matched text."""

    name: str
    hit: bool
    detail: str = ""
    category: str = ""  # e.g. "ad", "contact", "porn"; empty for a miss
    hard: bool = False  # a hard hit decides on its own (no need to run soft checks)
    score: float = 0.0  # contribution to a combined score, where the check has one

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "hit": self.hit}
        if self.detail:
            out["detail"] = self.detail
        if self.category:
            out["category"] = self.category
        if self.hard:
            out["hard"] = True
        if self.score:
            out["score"] = round(self.score, 4)
        return out


Check = Callable[[Facts], CheckResult]


class Verdict(NamedTuple):
    """The combined answer of a list of checks: ``hit`` with the results that made it so."""

    hit: bool
    results: tuple[CheckResult, ...] = ()
    category: str = ""

    @property
    def hits(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.hit)

    @property
    def reason(self) -> str:
        """One line for a public notice or a log row: the names and details of what fired."""
        return "; ".join(f"{r.name}: {r.detail}" if r.detail else r.name for r in self.hits)

    def as_dict(self) -> dict[str, object]:
        return {
            "hit": self.hit,
            "category": self.category,
            "results": [r.as_dict() for r in self.results],
        }


def run_checks(facts: Facts, hard: Sequence[Check[Facts]], soft: Iterable[Check[Facts]]) -> Verdict:
    """Hard checks stop at the first hit; otherwise every soft check runs and all results are kept."""
    results: list[CheckResult] = []
    for check in hard:
        result = check(facts)
        results.append(result)
        if result.hit:
            return Verdict(hit=True, results=tuple(results), category=result.category)
    for check in soft:
        results.append(check(facts))
    first = next((r for r in results if r.hit), None)
    return Verdict(hit=first is not None, results=tuple(results), category=first.category if first else "")
