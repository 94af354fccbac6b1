"""The detector's weighing: hard signals decide, the model needs a witness unless sure, context protects."""

from __future__ import annotations

import pytest

from rules.ads import AdDetector, AdRules, LinearModel, MessageFacts, features
from rules.normalize import normalize

# A hand-made model: "赚" and "福利" push towards an ad, "会议" away. bias -3 → p≈0.05 for plain chat.
# Operating point 0.8: the model decides alone from there, and is a witness from 0.48 (0.6 of it).
MODEL = LinearModel(weights={"赚": 4.0, "福利": 3.0, "会议": -1.0, "项目": 1.5}, bias=-3.0, threshold=0.8)


def detect(text: str, rules: AdRules | None = None, **facts: object) -> object:
    return AdDetector(rules or AdRules(), MODEL).detect(MessageFacts(text=text, **facts))  # type: ignore[arg-type]


def test_model_probability_from_weights() -> None:
    assert MODEL.probability(normalize("你好")) == pytest.approx(1 / (1 + 2.718281828**3), rel=1e-6)
    assert MODEL.probability(normalize("赚")) == pytest.approx(0.731, abs=1e-3)
    assert MODEL.explain(normalize("赚福利")) == [("赚", 4.0), ("福利", 3.0)]


def test_features_mark_start_end_digits_and_length() -> None:
    grams = features(normalize("加v 138"))
    assert {"\x02加", "加v", "8\x03", "#0000"[:5]} <= grams or "#\x02v00" in grams or "#v000" in grams
    assert any(g.startswith("\x01len") for g in grams)
    assert not any(g.startswith("#") for g in features("收到"))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("加我微信 abc12345 带你赚", "contact"),
        ("手机：139 1234 5678", "contact"),
        ("进群 https://t.me/+AbCdEf123", "invite"),
        ("点击 http://bit.ly/3xYz", "link"),
        ("裸聊一对一", "porn"),
        ("网赌平台六合彩", "gambling"),
    ],
)
def test_hard_signals_decide(text: str, category: str) -> None:
    verdict = detect(text)
    assert verdict.hit and verdict.category == category  # type: ignore[attr-defined]
    assert verdict.reason  # type: ignore[attr-defined]


def test_remove_at_once_category_wins_over_contact() -> None:
    verdict = detect("裸聊一对一，加微信 meinv520")
    assert verdict.hit and verdict.category == "porn" and verdict.hard  # type: ignore[attr-defined]


def test_contact_hit_is_not_remove_at_once() -> None:
    verdict = detect("加微信 abc12345")
    assert verdict.hit and not verdict.hard  # type: ignore[attr-defined]


def test_model_alone_needs_to_be_sure() -> None:
    sure = detect("赚福利")  # p≈0.98
    unsure = detect("做项目赚")  # p≈0.92 with alone threshold raised to 0.95 below
    assert sure.hit and sure.category == "ad"  # type: ignore[attr-defined]
    assert not detect("做项目赚", AdRules(model_alone_threshold=0.95)).hit  # type: ignore[attr-defined]
    assert unsure.hit  # type: ignore[attr-defined]


def test_model_with_a_soft_witness() -> None:
    # p(赚)=0.73: a witness but not alone; "私聊我" (contact keyword 0.6) makes it a hit.
    assert not detect("赚").hit  # type: ignore[attr-defined]
    assert detect("赚 私聊我").hit  # type: ignore[attr-defined]


def test_honest_context_keeps_the_model_from_deciding_alone() -> None:
    verdict = detect("赚福利：腾讯会议 738 215 904，周三 20:00")
    assert not verdict.hit  # type: ignore[attr-defined]
    assert any(r.name == "context" for r in verdict.verdict.results)  # type: ignore[attr-defined]


def test_admin_posts_are_not_checked_unless_configured() -> None:
    text = "扫码进群领福利 https://t.me/+AbCdEf123"
    skipped = detect(text, sender_is_admin=True)
    assert not skipped.hit and skipped.verdict.results[0].name == "admin"  # type: ignore[attr-defined]
    assert detect(text, AdRules(check_admins=True), sender_is_admin=True).hit  # type: ignore[attr-defined]


def test_disabled_detector_says_so() -> None:
    verdict = detect("加微信 abc12345", AdRules(enabled=False))
    assert not verdict.hit and verdict.reason == ""  # type: ignore[attr-defined]


def test_short_reply_discount() -> None:
    rules = AdRules(model_alone_threshold=0.95)
    assert detect("赚福利", rules).hit  # type: ignore[attr-defined]
    assert not detect("赚福利", rules, is_reply=True).hit  # type: ignore[attr-defined]


def test_well_known_link_with_a_comment_is_kept() -> None:
    text = "推荐这篇讲赚钱项目的文章 https://mp.weixin.qq.com/s/Qx7aB3k 写得很扎实"
    assert not detect(text).hit  # type: ignore[attr-defined]
    assert detect(text.replace("mp.weixin.qq.com", "win888.top")).hit  # type: ignore[attr-defined]


def test_resale_needs_a_contact() -> None:
    assert not detect("二手书低价出，团购价").hit  # type: ignore[attr-defined]
    assert detect("二手书低价出，团购价，加微信 book_2024").hit  # type: ignore[attr-defined]


def test_newcomer_bonus_tips_a_borderline_message() -> None:
    text = "赚 私信"  # 0.5 model + 0.4 keyword = 0.9
    assert not detect(text).hit  # type: ignore[attr-defined]
    assert detect(text, is_first_message=True).hit  # type: ignore[attr-defined]


def test_group_extra_keywords_and_switched_off_signals() -> None:
    rules = AdRules(extra_keywords={"traffic": ("来我的小群",)}, signals=frozenset({"keywords", "phone"}))
    verdict = detect("想学的来我的小群", rules)
    assert verdict.hit and verdict.category == "traffic"  # type: ignore[attr-defined]
    assert not detect("加微信 abc12345", rules).hit  # type: ignore[attr-defined]


def test_verdict_lists_every_result_and_serialises() -> None:
    verdict = detect("加微信 abc12345")
    names = {r.name for r in verdict.verdict.results}  # type: ignore[attr-defined]
    assert {"phone", "wechat", "qq", "links", "qr", "media"} <= names
    data = verdict.as_dict()  # type: ignore[attr-defined]
    assert data["hit"] is True and data["category"] == "contact" and "probability" in data


def test_detector_without_model_uses_signals_only() -> None:
    detector = AdDetector(AdRules())
    assert detector.detect(MessageFacts(text="加微信 abc12345")).hit
    assert not detector.detect(MessageFacts(text="赚福利")).hit
    assert detector.rules == AdRules()
