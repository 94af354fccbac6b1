"""The ad detector: explicit signals and the model's opinion, weighed with the message's context.

The costly mistake in a community is deleting a member's honest post (DESIGN.md), so the model alone decides
only when it is very sure. Otherwise it needs a second witness: a contact lure, a foreign link, a keyword
category. Hard signals (a WeChat ID, a phone number, an invite or short link, a QR code, a mini-program)
decide on their own. An admin's post is never checked; a short reply in a thread and a well-known link with a
comment count for less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from rules.ads.classifier import LinearModel
from rules.ads.facts import MessageFacts
from rules.ads.signals import (
    BUILTIN_ALLOWED_DOMAINS,
    DEFAULT_KEYWORDS,
    REMOVE_AT_ONCE,
    AdCheck,
    KeywordIndex,
    Prepared,
    channel_forward_check,
    context_markers,
    domain_allowed,
    invite_links_check,
    keyword_results,
    links_check,
    media_check,
    mentions_check,
    phone_check,
    prepare,
    qq_check,
    qr_check,
    repeat_check,
    short_links_check,
    wechat_check,
)
from rules.normalize import compact
from rules.verdict import CheckResult, Verdict

__all__ = ["ALL_SIGNALS", "AdDetector", "AdRules", "AdVerdict"]

ALL_SIGNALS: Final = frozenset(
    {
        "links", "short_links", "invite_links", "mentions", "phone", "wechat", "qq", "qr", "media", "forward",
        "repeat", "keywords", "model",
    }
)  # fmt: skip

# Categories that count only next to a contact or a link: "团购" or "二手" alone is members' small talk.
_NEEDS_CONTACT: Final = frozenset({"resale"})
_MIN_MODEL_CHARS: Final = 3
_CONTACTISH: Final = frozenset({"contact", "link", "invite", "qr", "card", "mini_program"})


@dataclass(frozen=True, slots=True)
class AdRules:
    """Per-group settings of the ad detector (the ``[ads]`` section of a group in the TOML config)."""

    enabled: bool = True
    signals: frozenset[str] = ALL_SIGNALS  # names from ``ALL_SIGNALS``; drop one to switch it off
    threshold: float | None = (
        None  # model probability that counts as a witness; None = the model's own default
    )
    model_alone_threshold: float = 0.8  # model probability that decides without a second witness
    score_threshold: float = 1.0  # summed evidence that makes a hit
    allowed_domains: tuple[str, ...] = ()  # on top of the built-in list of well-known sites
    extra_keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # category → words (weight 1)
    repeat_threshold: int = 3
    check_admins: bool = False  # admins' posts (announcements, 打卡, 直播分享) are not checked by default
    newcomer_bonus: float = 0.2  # a first message from a new member is where ads usually come
    reply_discount: float = 0.5  # the model's weight on a short reply in a thread


class AdVerdict(NamedTuple):
    """The detector's answer: the verdict with every check's result, plus the numbers behind it (a
    ``NamedTuple``, like ``Verdict``: built once per message)."""

    verdict: Verdict
    score: float  # summed evidence (≥ ``AdRules.score_threshold`` or a hard signal → hit)
    probability: float  # the model's probability, 0 when the model did not run
    category: str  # the category that decided ("contact", "porn", "ad" for the model, …); "" for a miss
    hard: bool  # a remove-at-once category (porn, violence, gambling)

    @property
    def hit(self) -> bool:
        return self.verdict.hit

    @property
    def reason(self) -> str:
        return self.verdict.reason

    def as_dict(self) -> dict[str, object]:
        out = self.verdict.as_dict()
        out.update(score=round(self.score, 4), probability=round(self.probability, 4), hard=self.hard)
        return out


class AdDetector:
    """Built once per group config (the keyword automaton, allow lists, checks); ``detect`` is pure and
    fast."""

    __slots__ = ("_allowed", "_keywords", "_model", "_rules", "_runs", "_threshold")

    def __init__(self, rules: AdRules | None = None, model: LinearModel | None = None) -> None:
        self._rules = rules = rules or AdRules()
        self._model = model if "model" in rules.signals else None
        self._threshold = (
            rules.threshold if rules.threshold is not None else (model.threshold if model else 0.5)
        )
        self._allowed = BUILTIN_ALLOWED_DOMAINS | frozenset(d.lower() for d in rules.allowed_domains)
        keywords: dict[str, dict[str, float]] = {c: dict(w) for c, w in DEFAULT_KEYWORDS.items()}
        for category, words in rules.extra_keywords.items():
            keywords.setdefault(category, {}).update(dict.fromkeys(words, 1.0))
        index = KeywordIndex(keywords)
        on = rules.signals
        checks: list[AdCheck] = []
        factories: list[tuple[str, AdCheck]] = [
            ("media", media_check()),
            ("qr", qr_check(rules.allowed_domains)),
            ("invite_links", invite_links_check()),
            ("short_links", short_links_check()),
            ("phone", phone_check()),
            ("wechat", wechat_check()),
            ("qq", qq_check()),
            ("mentions", mentions_check()),
            ("links", links_check(rules.allowed_domains)),
            ("forward", channel_forward_check()),
            ("repeat", repeat_check(rules.repeat_threshold)),
        ]
        checks.extend(check for name, check in factories if name in on)
        self._runs = tuple(check.run for check in checks)
        self._keywords = index if "keywords" in on else None

    @property
    def rules(self) -> AdRules:
        return self._rules

    def detect(self, facts: MessageFacts) -> AdVerdict:
        """Weigh every signal and the model for one message; the verdict lists all results with their
        reasons."""
        rules = self._rules
        if not rules.enabled:
            return _skip("disabled", "本群未开启广告检测")
        if facts.sender_is_admin and not rules.check_admins:
            return _skip("admin", "管理员消息不检查")
        p = prepare(facts)
        results = [run(p) for run in self._runs]
        if self._keywords is not None:
            results.extend(keyword_results(self._keywords, p))
        hits = [r for r in results if r.hit]
        contactish = any(r.category in _CONTACTISH for r in hits)
        score = 0.0
        decider: CheckResult | None = None
        for r in hits:
            if r.hard and (
                decider is None or (r.category in REMOVE_AT_ONCE and decider.category not in REMOVE_AT_ONCE)
            ):
                decider = r
            # 代购 / 团购 / 二手 count in full only next to a contact or a link.
            score += r.score * 0.3 if r.category in _NEEDS_CONTACT and not contactish else r.score
        probability = 0.0
        # The model is skipped when a hard signal has decided already, and on a reply of one or two
        # characters.
        if self._model is not None and decider is None and len(p.plain_compact) >= _MIN_MODEL_CHARS:
            probability = self._model.probability(p.norm, p.plain_compact)
            model_points = self._model_points(probability)
            if model_points and facts.is_reply and len(p.compact) <= 20:
                model_points *= rules.reply_discount
            if model_points > 0.5 and (markers := context_markers(p)) and not any(r.hard for r in hits):
                # Prices, meeting numbers, dates, a self-intro: the model needs a second witness here.
                model_points = 0.5
                results.append(CheckResult("context", False, "正常内容特征 " + "、".join(markers)))
            if model_points:
                results.append(
                    CheckResult(
                        "model", True, f"模型概率 {probability:.3f}", category="ad", score=model_points
                    )
                )
                score += model_points
            else:
                results.append(CheckResult("model", False, f"模型概率 {probability:.3f}"))
            if p.hosts:
                score -= self._honest_link_discount(p, hits)
        if facts.is_first_message and score > 0:
            score += rules.newcomer_bonus
        hit = decider is not None or score >= rules.score_threshold - 1e-9
        category = ""
        if decider is not None:
            category = decider.category
        elif hit:
            top = max((r for r in results if r.hit), key=lambda r: (r.category in REMOVE_AT_ONCE, r.score))
            category = top.category
        verdict = Verdict(hit=hit, results=tuple(results), category=category)
        return AdVerdict(verdict, score, probability, category, hit and category in REMOVE_AT_ONCE)

    def _model_points(self, probability: float) -> float:
        """1 when the model is sure enough to decide alone, 0.5 between the witness and the alone
        thresholds."""
        if probability >= self._rules.model_alone_threshold:
            return 1.0
        if probability >= self._threshold:
            return 0.5
        return 0.0

    def _honest_link_discount(self, p: Prepared, hits: list[CheckResult]) -> float:
        """A well-known link shared with a comment and nothing else suspicious: the typical honest share."""
        if any(r.hard or r.category in _CONTACTISH for r in hits):
            return 0.0
        if not all(domain_allowed(h, self._allowed) for h in p.hosts):
            return 0.0
        norm = p.norm
        for link in p.links:
            norm = norm.replace(link, " ")
        return 0.5 if len(compact(norm, normalized=True)) >= 6 else 0.0


def _skip(name: str, detail: str) -> AdVerdict:
    verdict = Verdict(hit=False, results=(CheckResult(name, False, detail),))
    return AdVerdict(verdict, 0.0, 0.0, "", False)
