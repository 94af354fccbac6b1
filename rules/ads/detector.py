"""The ad detector: explicit signals and the model's opinion, weighed with the message's context.

The costly mistake in a community is deleting a member's honest post (DESIGN.md), so the model alone decides
only above its operating point (chosen by cross-validation at training time), and never on text it has little
honest data for: Latin or Cyrillic script (its English is mostly spam) and floods of one or two characters.
Honest-post markers (prices, dates, a self-introduction) ask for a second witness unless the model is sure.
Hard signals (a WeChat ID, a phone number, an invite or short link, a QR code, a mini-program) decide on their
own. A remove-at-once category (porn, violence, gambling) needs strong evidence: its words next to a contact,
a link or a lure, or several of them; a news line about 管制刀具 is not violence. An admin's post is never
checked; a short reply in a thread and a well-known link with a comment count for less.
"""

from __future__ import annotations

import re
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
    lure_check,
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
        "repeat", "keywords", "lures", "model",
    }
)  # fmt: skip

# Categories that count only next to a contact or a link: "团购" or "二手" alone is members' small talk.
_NEEDS_CONTACT: Final = frozenset({"resale"})
_MIN_MODEL_CHARS: Final = 3
_CONTACTISH: Final = frozenset({"contact", "link", "invite", "qr", "card", "mini_program"})
# A remove-at-once category decides alone with this much keyword weight (两个强词: 百家乐 + 真人视讯), or with
# half of it next to a contact, a link or a lure (裸聊 + 加微信): strong evidence, never one word in the news.
_AT_ONCE_ALONE: Final = 2.0
_AT_ONCE_WITH_CONTACT: Final = 0.5
# Without strong evidence such words count as an ordinary ad signal (裸聊 and 百家乐 are ad words); violence
# words are also what the news and members talk about (管制刀具, 枪支), so alone they weigh at most this.
_AT_ONCE_WEAK_CAP: Final[Mapping[str, float]] = {"violence": 0.5}
# The witness threshold sits this far below the operating point (the model's word counts half there).
_WITNESS_SHARE: Final = 0.75
# Text the model has little honest data for: mostly Latin / Cyrillic letters (a share of the letters), and
# floods (one or two distinct characters over and over).
_FOREIGN_SHARE: Final = 0.5
_FOREIGN_MIN_LETTERS: Final = 6
_FLOOD_MIN_CHARS: Final = 12
_FLOOD_MAX_DISTINCT: Final = 3
_LATIN = re.compile(r"[a-z\u0400-\u04ff]")
# A member reporting, warning or remembering ("被骗了", "反诈中心提醒", "以前做过兼职", a news line): the
# category words are the subject, not the offer. Without a contact or a lure they count for this share.
_REPORTED = re.compile(
    r"被骗|诈骗|骗子|骗局|小心|提醒|通报|新闻|警方|公安|反诈|别信|不要信|千万别|不推荐|以前|之前|当年|那时候|大学时"
)
_REPORTED_SHARE: Final = 0.3
# A member asking the group for something ("谁有扫码进群的那个二维码？", "有没有人有拉群的链接"): the
# lure's words are what they ask for, not an offer. Not "谁有需要 / 兴趣 …", which is how an offer asks.
_ASKED = re.compile(
    r"(?:谁有|有没有人有|有人有|谁能(?:发|分享|给)|能不能(?:发|分享)|求(?:一个|个|一份|一下))(?!需要|兴趣|意向|想法|想)"
)
# A member's own job post ("我们组在招前端，有兴趣私聊"): recruiting for a real team is what members do; a
# lure or a contact word in it weighs as little as in a request. Not when anything else (兼职, 日结, an ID)
# is there.
_HIRING = re.compile(r"在招|招人|招聘|内推|岗位|\bhc\b|投简历|简历发")
# Checks that found where to go (an ID, a link, a QR code, a card): with one of them it is no request.
_WHERE_TO: Final = frozenset(
    {"phone", "wechat", "qq", "mentions", "links", "short_links", "invite_links", "qr", "media"}
)
# A known member telling the group their own new number ("我换号了，新号码 138…"): details, not a lure.
_OWN_NUMBER = re.compile(
    r"(?:我|本人)(?:的)?(?:换号|换了号|换手机号|换了手机号|新号|新手机号|新号码|新微信|手机号换|号码换|电话换)"
    r"|(?:换号了|号码换了|手机号换了|以后打这个|以后联系这个|存一下我的新)"
)
# A member pointing to a brand's own site to check a product, not to a shop.
_OFFICIAL = re.compile(r"官网|官方网站|官方网址|防伪|查真伪|验真")
_NAMED_GATE = re.compile(r"id|用户|成员|会员|群员|号")
# Numbers that name a member or a record, not a contact: QQ-style @-mentions and a bot's "uid: 20394857".
_NAMED_NUMBER = re.compile(
    r"@\s?\d{5,12}|(?:\buid|\bid|用户|成员|会员|群员|qq号)\s*[:：=]?\s*\d{4,}|(?:学号|工号|单号|编号|订单号)\s*[:：]?\s*[a-z]{0,3}\d{4,}"
)


@dataclass(frozen=True, slots=True)
class AdRules:
    """Per-group settings of the ad detector (the ``[ads]`` section of a group in the TOML config)."""

    enabled: bool = True
    signals: frozenset[str] = ALL_SIGNALS  # names from ``ALL_SIGNALS``; drop one to switch it off
    threshold: float | None = (
        None  # model probability that counts as a witness; None = the model's own default
    )
    model_alone_threshold: float | None = None  # probability deciding without a witness; None = the model's
    model_sure_threshold: float = 0.99  # above this, honest-post markers no longer ask for a second witness
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
    hard: bool  # a remove-at-once category (porn, violence, gambling) with strong evidence
    strong: bool = False  # strong evidence for ``category``: a hard signal of it, or its words with a pull

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

    __slots__ = ("_allowed", "_alone", "_keywords", "_model", "_rules", "_runs", "_threshold")

    def __init__(self, rules: AdRules | None = None, model: LinearModel | None = None) -> None:
        self._rules = rules = rules or AdRules()
        self._model = model if "model" in rules.signals else None
        operating_point = model.threshold if model else 0.5
        self._alone = (
            rules.model_alone_threshold if rules.model_alone_threshold is not None else operating_point
        )
        self._threshold = min(
            rules.threshold if rules.threshold is not None else operating_point * _WITNESS_SHARE, self._alone
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
            ("lures", lure_check()),
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
        contactish = any(r.category in _CONTACTISH or r.name == "lures" for r in hits)
        if facts.sender_known and _OWN_NUMBER.search(p.norm) and hits:
            results = _own_number(results)
            hits = [r for r in results if r.hit]
        if any(r.category in REMOVE_AT_ONCE for r in hits):
            results = [_at_once_evidence(r, contactish) for r in results]
            hits = [r for r in results if r.hit]
        reported = hits and not any(map(_pulls, hits)) and _REPORTED.search(p.norm) is not None
        if reported:
            results = [_reported(r) for r in results]
            hits = [r for r in results if r.hit]
        elif (
            hits
            and not any(r.hard or r.name in _WHERE_TO for r in hits)
            and (
                _ASKED.search(p.norm) is not None
                or (
                    _HIRING.search(p.norm) is not None
                    and all(r.category == "contact" or r.name == "lures" for r in hits)
                )
            )
        ):
            results = [_reported(r, lures=True) for r in results]
            hits = [r for r in results if r.hit]
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
        if (
            self._model is not None
            and decider is None
            and not facts.is_command
            and len(p.plain_compact) >= _MIN_MODEL_CHARS
        ):
            model_points, probability = self._model_opinion(p, hits, results)
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
            # A remove-at-once word without strong evidence never names the category (it would remove).
            top = max(
                (r for r in results if r.hit),
                key=lambda r: (
                    r.category in REMOVE_AT_ONCE and r.hard,
                    r.category not in REMOVE_AT_ONCE,
                    r.score,
                ),
            )
            category = top.category
        verdict = Verdict(hit=hit, results=tuple(results), category=category)
        hard = decider is not None and decider.category in REMOVE_AT_ONCE
        strong = hit and _strong(category, decider, hits)
        return AdVerdict(verdict, score, probability, category, hard, strong)

    def _model_opinion(
        self, p: Prepared, hits: list[CheckResult], results: list[CheckResult]
    ) -> tuple[float, float]:
        """(points, probability): 1 point decides alone, 0.5 is a witness. Appends the reason whenever
        something kept the model from deciding alone."""
        assert self._model is not None
        text, comp = p.norm, p.plain_compact
        if "@" in text or _NAMED_GATE.search(text):
            cleaned = _NAMED_NUMBER.sub("@", text)
            if cleaned != text:
                text, comp = cleaned, compact(cleaned, normalized=True)
        # A flood's first characters are a flood already: most text fails on them without the whole set.
        if (
            len(comp) >= _FLOOD_MIN_CHARS
            and len(set(comp[:_FLOOD_MIN_CHARS])) <= _FLOOD_MAX_DISTINCT
            and len(set(comp)) <= _FLOOD_MAX_DISTINCT
        ):
            results.append(CheckResult("flood", False, "刷屏式重复字符，不由模型判断"))
            return 0.0, 0.0
        probability = self._model.probability(text, comp)
        points = self._model_points(probability)
        facts = p.facts
        if points and facts.is_reply and (len(p.compact) <= 20 or facts.sender_known):
            points *= self._rules.reply_discount
        if points > 0.5:
            letters = len(_LATIN.findall(comp))
            if letters >= _FOREIGN_MIN_LETTERS and letters >= _FOREIGN_SHARE * len(comp):
                # The training data's English and Russian are mostly spam: a witness at most.
                points = 0.5
                results.append(CheckResult("script", False, "外文为主，模型只作旁证"))
            elif (
                probability < self._rules.model_sure_threshold
                and not any(r.hard for r in hits)
                and (markers := context_markers(p))
            ):
                # Prices, meeting numbers, dates, a self-intro: the model needs a second witness here.
                points = 0.5
                results.append(CheckResult("context", False, "正常内容特征 " + "、".join(markers)))
        return points, probability

    def _model_points(self, probability: float) -> float:
        """1 at or above the operating point (the model decides alone), 0.5 between the witness threshold
        and it."""
        if probability >= self._alone:
            return 1.0
        if probability >= self._threshold:
            return 0.5
        return 0.0

    def _honest_link_discount(self, p: Prepared, hits: list[CheckResult]) -> float:
        """A well-known link shared with a comment and nothing else suspicious: the typical honest share. So
        is a brand's own site named as such ("官网 … 输入防伪码"), whatever its domain."""
        official = _OFFICIAL.search(p.norm) is not None
        if any(r.hard or (r.category in _CONTACTISH and not (official and r.name == "links")) for r in hits):
            return 0.0
        if not official and not all(domain_allowed(h, self._allowed) for h in p.hosts):
            return 0.0
        norm = p.norm
        for link in p.links:
            norm = norm.replace(link, " ")
        return 0.5 if len(compact(norm, normalized=True)) >= 6 else 0.0


def _at_once_evidence(r: CheckResult, contactish: bool) -> CheckResult:
    """A remove-at-once keyword hit, hard only with strong evidence; otherwise a capped soft signal."""
    if r.category not in REMOVE_AT_ONCE or not r.hit:
        return r
    strong = r.score >= _AT_ONCE_ALONE or (contactish and r.score >= _AT_ONCE_WITH_CONTACT)
    cap = _AT_ONCE_WEAK_CAP.get(r.category, r.score)
    if strong == r.hard and (strong or r.score <= cap):
        return r
    return r._replace(hard=strong, score=r.score if strong else min(r.score, cap))


def _strong(category: str, decider: CheckResult | None, hits: list[CheckResult]) -> bool:
    """Whether the evidence for ``category`` would bear removing a member at once: a hard signal of that
    category decided, or its keywords weigh ``_AT_ONCE_ALONE``, or half that next to a contact, link or
    lure."""
    if decider is not None and decider.category == category:
        return True
    weight = sum(r.score for r in hits if r.category == category and r.name.startswith("keywords:"))
    pull = any(_pulls(r) for r in hits if r.category != category)
    return weight >= _AT_ONCE_ALONE or (pull and weight >= _AT_ONCE_WITH_CONTACT * 2)


def _own_number(results: list[CheckResult]) -> list[CheckResult]:
    """A known member's own new number: the phone / WeChat / QQ hits stop deciding, and stay a soft 0.3 so
    that any other sign of an offer (a keyword, a lure, the model) still makes a hit."""
    if any(
        r.hit and ((r.name.startswith("keywords:") and r.category != "contact") or r.name == "lures")
        for r in results
    ):
        return results
    own = {"phone", "wechat", "qq"}
    return [
        r._replace(hard=False, score=min(r.score, 0.3)) if r.hit and r.name in own else r for r in results
    ]


def _pulls(r: CheckResult) -> bool:
    """A hit that asks members to go somewhere: any hard signal, a link, a lure or a clear contact word."""
    return (
        r.hard
        or r.name == "lures"
        or (r.category in _CONTACTISH and (r.category != "contact" or r.score >= _AT_ONCE_WITH_CONTACT))
    )


def _reported(r: CheckResult, *, lures: bool = False) -> CheckResult:
    """A keyword hit in a report or a warning (and with ``lures``, a lure in a request): the words are what
    the member talks about."""
    if not (r.hit and (r.name.startswith("keywords:") or (lures and r.name == "lures"))):
        return r
    return r._replace(hard=False, score=r.score * _REPORTED_SHARE)


def _skip(name: str, detail: str) -> AdVerdict:
    verdict = Verdict(hit=False, results=(CheckResult(name, False, detail),))
    return AdVerdict(verdict, 0.0, 0.0, "", False)
