"""Each ad signal on real-looking Chinese messages and their disguises, and on the honest posts it must let
by."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules.ads.facts import MessageFacts
from rules.ads.signals import (
    DEFAULT_KEYWORDS,
    AdCheck,
    KeywordIndex,
    channel_forward_check,
    domain_allowed,
    invite_links_check,
    keyword_results,
    keywords_check,
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

INDEX = KeywordIndex(DEFAULT_KEYWORDS)


def _hit(check: AdCheck, text: str, **facts: object) -> bool:
    return check(MessageFacts(text=text, **facts)).hit  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "手机：139 1234 5678 微信同号",
        "联系 186·2345·6789 二十四小时在线",
        "①③⑧⓪⓪①③⑧⓪⓪⓪ 打电话咨询",
        "电话 一三八 一二三四 五六七八 随时联系",
        "+86 17788889999 有需要的联系",
        "１３９１２３４５６７８",
        "电话幺三九幺二三四五六七八",
    ],
)
def test_phone_numbers_in_disguise(text: str) -> None:
    result = phone_check()(MessageFacts(text=text))
    assert result.hit and result.hard and result.category == "contact"
    assert "手机号 1" in result.detail


@pytest.mark.parametrize(
    "text",
    [
        "订单号 4200001234202405121386 一直显示待发货",
        "腾讯会议号：856 342 177，今晚 8 点准时开始",
        "2019 年我刚入行，2024 年 5 月 20 日截止，名额 50 人",
        "我们班一共 45 人，一二三四五个小组",
        "这门课原价 1999，618 打完折 1299",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert not _hit(phone_check(), text)


@pytest.mark.parametrize(
    "text",
    [
        "加我微信 abc12345，带你日赚 500",
        "有需要的加V：xiaomei_8866",
        "v❤x：meimei8899",
        "薇信：sx111505",
        "威信 hh20240501 备注来意",
        "威芯：jiaoyu_888 免费领课程",
        "wei xin：ll998877",
        "Ｖ：ｓｈｏｐ６６８８ 全场包邮",
        "加 微 信 x y z 8 8 9 9 了解更多",
        "加.微.信.abc1234 有惊喜",
        "➕🛰️：weixin_abc123",
        "绿泡泡 lpp123456 找我",
        "闲置转让，联系 v：ipad_zr",
        "徽信：hui_xin2024",
        "比专柜便宜 30%，v：hk_gou888",  # padding stripped, "30" runs into "v"; the ID keeps its "_"
    ],
)
def test_wechat_ids_in_disguise(text: str) -> None:
    result = wechat_check()(MessageFacts(text=text))
    assert result.hit and result.hard, text
    assert result.detail.startswith("微信号")


@pytest.mark.parametrize("text", ["需要的加我微信", "加v了解", "私加vx详聊"])
def test_wechat_lure_without_id_is_soft(text: str) -> None:
    result = wechat_check()(MessageFacts(text=text))
    assert result.hit and not result.hard and result.score > 0


@pytest.mark.parametrize(
    "text",
    [
        "微信公众号后台改版了，找不到原来的数据统计入口",
        "企业微信的群机器人 webhook 限流是每分钟 20 条",
        "版本 v20240606 已经发布",
        "我们用 vue3 和 vite5 写前端",
        "参加微软的技术大会 2024",
        "微信小程序审核越来越严了",
        "github 账号 v_user 很好",
        "我用 v2ray 配了代理",
    ],
)
def test_wechat_words_in_honest_posts(text: str) -> None:
    assert not _hit(wechat_check(), text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("加 QQ 2738491056", "QQ号"),
        ("扣扣 3344556677 领资料", "QQ号"),
        ("企鹅号 98765432 进群领福利", "QQ号"),
        ("🐧 1690 47089 看", "QQ号"),
        ("ＱＱ：１２３４５６７８９ 详聊", "QQ号"),
        ("进群方式：搜索群号 552233441 备注来源", "群号"),
    ],
)
def test_qq_and_group_numbers(text: str, label: str) -> None:
    result = qq_check()(MessageFacts(text=text))
    assert result.hit and result.detail.startswith(label)


@pytest.mark.parametrize("text", ["QQ音乐的会员 15 元一个月", "Q2 的 OKR 完成率 60%", "工资被扣了 3000"])
def test_qq_words_in_honest_posts(text: str) -> None:
    assert not _hit(qq_check(), text)


@pytest.mark.parametrize(
    ("text", "urls", "hit"),
    [
        ("推荐一篇文章 https://mp.weixin.qq.com/s/Qx7aB3kLmN9pR2tV", (), False),
        ("知乎这个回答 https://www.zhihu.com/question/38291473/answer/1", (), False),
        ("专栏 https://zhuanlan.zhihu.com/p/123", (), False),
        ("B 站视频", ("https://www.bilibili.com/video/BV1Xx411c7mD",), False),
        ("文档 docs.python.org/3/library/asyncio.html", (), False),
        ("vue.js 和 node.js 哪个先学？报告.pdf 在群文件", (), False),
        ("下载地址:247.jkois.life 若延迟，请关vpn", (), True),
        ("网赌平台 www。bjl888。vip 充值送", (), True),
        ("看这里", ("https://example-casino.xyz/reg",), True),
    ],
)
def test_links_against_allow_lists(text: str, urls: tuple[str, ...], hit: bool) -> None:
    assert _hit(links_check(), text, urls=urls) is hit


def test_group_allow_list_adds_domains() -> None:
    text = "公司官网 https://careers.example-tech.com/jobs/1024"
    assert _hit(links_check(), text)
    assert not _hit(links_check(["example-tech.com"]), text)


@pytest.mark.parametrize(
    "text",
    [
        "点击 http://bit.ly/3xYzAbc",
        "详情 https://dwz.cn/abcd12",
        "下载 t.cn/A6xYz9",
        "https://url.cn/5xYz 手慢无",
    ],
)
def test_short_links_are_hard(text: str) -> None:
    result = short_links_check()(MessageFacts(text=text))
    assert result.hit and result.hard and "短链接" in result.detail


def test_bilibili_short_link_is_not_a_short_link_ad() -> None:
    assert not _hit(short_links_check(), "我的视频 https://b23.tv/av170001")


@pytest.mark.parametrize(
    ("text", "hard"),
    [
        ("进群领取：https://t.me/joinchat/AAAAAE1234567890", True),
        ("加入电报群 t.me/+Xyz789abcDEF", True),
        ("微信群 https://weixin.qq.com/g/AbCdEf123", True),
        ("关注频道 t.me/airdrop_free_cn 领空投", False),
    ],
)
def test_invite_and_channel_links(text: str, hard: bool) -> None:
    result = invite_links_check()(MessageFacts(text=text))
    assert result.hit and result.hard is hard and result.category == "invite"


@pytest.mark.parametrize(
    ("text", "mentions", "hard"),
    [
        ("廣告投放，點此聯繫 @ad_service88", (), True),
        ("收 U 汇率最高，飞机 @shoucu88", (), True),
        ("每天更新 @money_daily_cn", (), False),
        ("看看这个", ("crypto_vip_cn",), False),
    ],
)
def test_mentions(text: str, mentions: tuple[str, ...], hard: bool) -> None:
    result = mentions_check()(MessageFacts(text=text, mentions=mentions))
    assert result.hit and result.hard is hard


def test_chinese_name_mentions_are_not_accounts() -> None:
    assert not _hit(mentions_check(), "@老周 你说的对，@杭州-电商-阿木 欢迎")


@pytest.mark.parametrize(
    ("payloads", "hit"),
    [
        (("https://weixin.qq.com/g/AbCdEf",), True),
        (("wxp://f2f0abc",), True),
        (("随便什么文字",), True),
        (("https://github.com/qunbot/qunbot",), False),
        ((), False),
    ],
)
def test_qr_payloads(payloads: tuple[str, ...], hit: bool) -> None:
    assert _hit(qr_check(), "看图", qr_texts=payloads) is hit


@pytest.mark.parametrize(
    ("media", "hit"), [("mini_program", True), ("card", True), ("photo", False), (None, False)]
)
def test_media(media: str | None, hit: bool) -> None:
    assert _hit(media_check(), "", media=media) is hit


def test_forward_and_repeat() -> None:
    assert _hit(channel_forward_check(), "转发", forwarded_from_channel=True)
    assert not _hit(channel_forward_check(), "转发")
    assert not _hit(repeat_check(3), "同样的话", repeat_count=2)
    soft = repeat_check(3)(MessageFacts(text="同样的话", repeat_count=3))
    strong = repeat_check(3)(MessageFacts(text="同样的话", repeat_count=6))
    assert soft.hit and strong.hit and strong.score > soft.score


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("兼职刷单，日结 200-500，手机就能做", "parttime"),
        ("🔥兼🔥职🔥日🔥结🔥", "parttime"),
        ("兼職日結，每天三百", "parttime"),
        ("扫码进群，每天分享内部优惠券", "traffic"),
        ("扫/码/进/群", "traffic"),
        ("BTC 带单，月收益 30%，稳赚不赔", "crypto"),
        ("信用卡套现，费率低至 0.38%", "loan"),
        ("征信花也能办，当天下款", "loan"),
        ("代考四六级，包过", "exam"),
        ("论文代写，本硕博都接", "exam"),
        ("同城约炮，附近美女", "porn"),
        ("出售枪支，仿真枪", "violence"),
        ("百家乐真人视讯，充值送 50%", "gambling"),
        ("海外代购正品保证", "resale"),
    ],
)
def test_keyword_categories(text: str, category: str) -> None:
    result = keywords_check(INDEX, category)(MessageFacts(text=text))
    assert result.hit and result.category == category and "关键词" in result.detail


@pytest.mark.parametrize("category", ["porn", "violence", "gambling"])
def test_remove_at_once_categories_are_hard_when_strong(category: str) -> None:
    text = {"porn": "裸聊一对一", "violence": "管制刀具出售", "gambling": "网赌平台六合彩"}[category]
    results = keyword_results(INDEX, prepare(MessageFacts(text=text)))
    assert any(r.category == category and r.hard for r in results)


@pytest.mark.parametrize(
    "text",
    [
        "今日结束前提交周报",  # 今日结束 holds 日结
        "节日结束了，回来上班",
        "我周末做兼职讲师",  # 兼职 alone is weak
    ],
)
def test_innocent_phrases_do_not_make_strong_keyword_hits(text: str) -> None:
    found = INDEX.scan(prepare(MessageFacts(text=text)).compact)
    assert sum(score for score, _ in found.values()) < 1.0


def test_nested_keyword_counts_once() -> None:
    found = INDEX.scan(prepare(MessageFacts(text="日结工资")).compact)
    score, words = found["parttime"]
    assert score == pytest.approx(0.9) and words == ["日结工资"]


def test_empty_keyword_index_finds_nothing() -> None:
    assert KeywordIndex({}).scan("兼职刷单") == {}


def test_domain_allowed_matches_subdomains_only() -> None:
    allowed = frozenset({"zhihu.com"})
    assert domain_allowed("zhuanlan.zhihu.com", allowed)
    assert domain_allowed("zhihu.com", allowed)
    assert not domain_allowed("fakezhihu.com", allowed)
    assert not domain_allowed("zhihu.com.evil.top", allowed)


def test_misses_have_no_detail() -> None:
    result = phone_check()(MessageFacts(text="收到"))
    assert not result.hit and result.detail == "" and result.name == "phone"


# The contact patterns run behind a look-ahead for their first characters (speed); they must find exactly
# what their plain forms find, on any text made of the characters they care about.
_CONTACT_ALPHABET = (
    "加添联系私找我微薇威信芯徽维魏卫星胃围嶶巍新心绿色泡"
    "vwxqchatein号码id账同搜索扣抠寇蔻企鹅群进086123459一幺三八l_-：: "
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_CONTACT_ALPHABET, max_size=40))
@example("8613812345678")
@example("086幺三八1234五六七8")
@example("添加vx：hk_gou888 或 联系微信abc12345")
@example("企鹅1690470890 群号836472915 qq号12345")
@example("加我v 找绿泡泡")
def test_fast_contact_patterns_match_their_plain_forms(text: str) -> None:
    from rules.ads import signals

    for fast, plain in (
        (signals._PHONE_RE, signals._PHONE),
        (signals._WX_RE, signals._WX),
        (signals._WX_NORM_RE, signals._WX_NORM),
        (signals._WX_LURE_RE, signals._WX_LURE),
        (signals._QQ_RE, signals._QQ),
    ):
        expected = [(m.span(), m.groupdict()) for m in re.finditer(plain, text)]
        assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected, plain
