"""The insult detector: the lexicon through the normaliser (disguises), whole-word Latin abbreviations, and
honest lines that only look rude."""

from __future__ import annotations

import pytest

from rules.abuse import AbuseDetector

DETECTOR = AbuseDetector()


@pytest.mark.parametrize(
    "text",
    [
        "你们都是傻逼，滚出去",
        "你个ＳＢ",  # full-width
        "sb 一个",
        "煞笔吧你",
        "傻 b 楼主",  # padded
        "你就是个 sha bi",  # pinyin
        "傻屄",
        "傻.逼.东.西",
        "草泥马",
        "nmsl",
        "你真是个脑残",
        "滾出去，你這個智障",  # traditional characters
        "你这个狗东西",
    ],
)
def test_insults_and_their_disguises_are_caught(text: str) -> None:
    verdict = DETECTOR.detect(text)
    assert verdict.hit, text
    assert verdict.verdict.category == "abuse" and "辱骂用语" in verdict.verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        "这破手机真垃圾",  # about a thing
        "牛逼啊兄弟",  # praise
        "usb 接口坏了",  # "sb" inside a word
        "/usr/sbin/nginx 起不来",
        "我太傻了，忘带钥匙",
        "他妈的又堵车",  # swearing at traffic, at nobody
        "今天好累啊妈的",
        "垃圾分类下周开始",
        "这个 SBOM 工具好用吗",
    ],
)
def test_rude_words_about_things_and_lookalikes_are_not_abuse(text: str) -> None:
    assert not DETECTOR.detect(text).hit, text


def test_aiming_at_someone_makes_a_mild_word_an_attack() -> None:
    assert not DETECTOR.detect("神经病").hit  # 0.5 alone
    assert DETECTOR.detect("你神经病吧").hit  # aimed: 0.5 + 0.5
    assert not DETECTOR.detect("真垃圾").hit
    assert not DETECTOR.detect("你真垃圾").hit
    assert not DETECTOR.detect("你他妈的真垃圾").hit  # mild words only: never an attack, however many


def test_a_groups_own_words_count_in_full() -> None:
    assert not DETECTOR.detect("你是个大笨蛋").hit
    assert AbuseDetector(["大笨蛋"]).detect("你是个大笨 蛋").hit
