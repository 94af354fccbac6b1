"""Rules learned from the tuned halves of the hard sets (tests/data/hard, batches 3 and 4): each test names
the honest post or the ad it stands for, and the other side of the rule that must still hold."""

from __future__ import annotations

from rules.ads import AdDetector, AdRules, LinearModel, MessageFacts
from rules.ads.signals import (
    DEFAULT_KEYWORDS,
    KeywordIndex,
    keyword_results,
    lure_check,
    prepare,
    wechat_check,
)

# Everything pushes towards "ad" (p ≈ 0.95 for any text): the model alone would decide without a marker.
EAGER = LinearModel(weights={"\x02": 3.0}, bias=0.0, threshold=0.6)
KEYWORDS = KeywordIndex(DEFAULT_KEYWORDS)
QUIET = LinearModel(weights={}, bias=-5.0, threshold=0.6)  # p ≈ 0.007: the signals alone decide


def detect(text: str, model: LinearModel = QUIET) -> object:
    return AdDetector(AdRules(), model).detect(MessageFacts(text=text))


def hit(text: str, model: LinearModel = QUIET) -> bool:
    return bool(detect(text, model).hit)  # type: ignore[attr-defined]


def lures(text: str) -> str:
    result = lure_check().run(prepare(MessageFacts(text=text)))
    return result.detail if result.hit else ""


def test_vx_with_a_colon_names_a_wechat_id_without_digits() -> None:
    check = wechat_check()
    found = check(MessageFacts(text="高考志愿填报指导，包上 985，咨询 VX：gaokao_zhiyuan"))
    assert found.hit and found.hard
    assert check(MessageFacts(text="wx：zhang_laoshi")).hard
    # no colon, or a lone "v": still a word, not an ID
    assert not check(MessageFacts(text="我们用 vx gaokaozhiyuan 这个词")).hard
    assert not check(MessageFacts(text="版本 v：release_candidate")).hard


def test_a_qr_lure_may_name_the_group_first() -> None:
    assert "qr_lure" in lures("群满了，新群扫码进，二维码在群公告")
    assert "qr_lure" in lures("进群请扫码，二维码在图里")
    assert "qr_lure" not in lures("扫码点餐很方便，群里都在用")  # a QR code, no group to go to
    assert hit("群满了，新群扫码进，二维码在群公告")


def test_a_sum_alone_is_a_promise_only_when_large() -> None:
    assert "money_lure" not in lures("i made $40 selling my old keyboard on ebay lol")
    assert "money_lure" not in lures("i made $999 selling my old bike")
    assert "money_lure" in lures("I made $12,000 last month trading with Mr. Robert")
    assert "money_lure" in lures("she helped me make $1000 fast")
    assert "money_lure" in lures("earn $5k from home")
    assert "money_lure" in lures("earn $50 per day")  # a rate: any size


def test_sending_members_to_someone_known_by_role_is_no_lure() -> None:
    text = "需要发票的同学私聊会计老师，别在群里发个人信息"
    assert "soft_lure" not in lures(text) and not hit(text)
    assert not any(
        r.category == "contact" for r in keyword_results(KEYWORDS, prepare(MessageFacts(text=text)))
    )
    assert not hit("需要请假的同学私信班长，别在群里刷屏")
    # a stranger or a "teacher" of stock tips is still one
    assert "soft_lure" in lures("想学炒股的私聊老师，免费领资料")
    assert "soft_lure" in lures("需要的私聊，价格好说")
    assert hit("需要的私聊我，价格好说")


def test_a_member_asking_for_a_group_s_qr_code_is_asking_not_offering() -> None:
    asked = "谁有扫码进群的那个二维码？上次活动拍的照片都在那个群里，我想下载"
    assert not hit(asked)
    # how an offer asks: "谁有需要 / 兴趣 …"
    assert hit("谁有需要的私我，扫码进群")
    assert hit("谁有兴趣的扫码进群，长按识别二维码进群")
    # with somewhere to go (an ID), it is an offer whatever it asks
    assert hit("谁有扫码进群的需求？加我 v：abc12345")
    assert hit("谁有那个群的二维码？长按识别二维码进群 http://qun.example.top")  # a soft link counts too
    assert hit("谁有扫码进群的二维码？我这有，扫码进群领福利，长按识别二维码进群")


def _markers(text: str) -> str:
    verdict = detect(text, EAGER)
    return " ".join(r.detail for r in verdict.verdict.results if r.name == "context")  # type: ignore[attr-defined]


def test_talk_about_a_product_one_uses_asks_the_model_for_a_witness() -> None:
    text = "眼影盘里那个 05 色号上眼很好看"
    assert "用后感" in _markers(text) and not hit(text, EAGER)
    assert "用后感" in _markers("这个粉底液质地很轻薄")
    assert hit("今天天气不错，大家出来玩", EAGER)  # no marker: the (eager) model decides alone


def test_organising_inside_the_group_asks_the_model_for_a_witness() -> None:
    text = "下午茶拼单，想喝奶茶的在这里报名，满 10 杯免配送"
    assert "群内接龙" in _markers(text) and not hit(text, EAGER)
    assert "群内接龙" in _markers("周末聚餐的接龙，人数定了告诉餐厅")
    assert "群内接龙" in _markers("想去的群里报名")
    assert "群内接龙" not in _markers("想去的私我报名")
