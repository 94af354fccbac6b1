"""normalize / compact: never raise, idempotent, and the real disguises fold to one spelling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.normalize import compact, normalize

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80)


@settings(max_examples=1500, deadline=None)
@given(ANY_TEXT)
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once
    assert once == once.strip()


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_compact_keeps_only_letters_and_digits(text: str) -> None:
    out = compact(text)
    assert all(c.isalnum() for c in out)
    assert compact(out) == out
    assert out == re.sub(r"[\W_]+", "", normalize(text))  # what the regex engine calls a word character


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＶＸ：ｓｈｏｐ６６８８", "vx:shop6688"),  # full-width
        ("①③⑧⓪⓪①③⑧⓪⓪⓪", "13800138000"),  # circled digits, ⓪ too
        ("⑴⑶⑼ 1234", "139 1234"),  # parenthesised digits are not "(1)(3)(9)"
        ("❶❸❽➊➋", "13812"),  # dingbat circled digits
        ("𝟙𝟛𝟠𝟘", "1380"),  # mathematical double-struck
        ("𝙭𝙝𝖈593", "xhc593"),  # mathematical letters
        ("vх：аbс", "vx:abc"),  # Cyrillic х а с
        ("ρορ", "pop"),  # Greek look-alikes
        ("vx：shоp6688", "vx:shop6688"),  # the Cyrillic о (U+043E), the commonest look-alike
        ("оoо", "ooo"),
        ("加\x01微\x7f信\x1b", "加微信"),  # control characters vanish (they are not spaces)
        ("vx\x00abc\x08123", "vxabc123"),  # in ASCII text too
        ("第一行\n第二行", "第一行 第二行"),  # but a newline is a space
        ("加\u200b微\u200d信", "加微信"),  # zero-width characters
        ("廣告投放，點此聯繫", "广告投放,点此联系"),  # traditional → simplified
        ("兼職日結", "兼职日结"),
        ("CAFÉ  Déjà\tvu", "cafe deja vu"),  # marks, case, whitespace
        ("🅰🅱 🇨", "ab c"),  # negative squared letters, regional indicators
        ("  收到  ", "收到"),
        ("", ""),
    ],
)
def test_normalize_table(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("加 微 信", "加微信"),
        ("加.微.信", "加微信"),
        ("加-微-信：ab_12345", "加微信ab12345"),
        ("v❤x", "vx"),
        ("🔥兼🔥职🔥日🔥结🔥", "兼职日结"),
        ("１３８ ００１３ ８０００", "13800138000"),
        ("薇❤信 abc123", "薇信abc123"),
        ("扫/码/進/群", "扫码进群"),
    ],
)
def test_compact_table(raw: str, expected: str) -> None:
    assert compact(raw) == expected


def test_compact_of_normalized_text_skips_the_second_normalisation() -> None:
    text = "廣告 ＶＸ：１２３"
    assert compact(normalize(text), normalized=True) == compact(text) == "广告vx123"


def test_texts_without_a_traditional_character_are_left_to_themselves() -> None:
    """``normalize`` skips OpenCC when no character of the text converts on its own; on the whole Chinese
    data set (and the community set) that must change nothing."""
    from bot.tools.detector.data import CSV_NAME, DataError, find_data_dir, read_csv
    from rules.normalize import _T2S, _fold, _traditional

    community = Path(__file__).resolve().parents[1] / "data"
    texts = [
        line
        for name in ("community_ham.txt", "community_spam.txt")
        for line in (community / name).read_text(encoding="utf-8").splitlines()
    ]
    try:
        texts += [text for _, text in read_csv(find_data_dir() / CSV_NAME)]
    except DataError as exc:
        pytest.skip(f"the Chinese data set is not here: {exc}")
    traditional = _traditional()
    assert len(traditional) > 4000 and "聯" in traditional and "联" not in traditional
    skipped = 0
    for text in texts:
        folded = _fold(text)
        if traditional.isdisjoint(folded):
            skipped += 1
            assert _T2S.convert(folded) == folded, text
    assert skipped > len(texts) // 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("回覆", "回复"),  # 覆 converts only inside OpenCC's phrases
        ("請回覆", "请回复"),
        ("藉口", "借口"),
        ("瞭解", "了解"),
        ("沈默", "沉默"),
        ("么麼", "幺么"),  # OpenCC needs two passes here: normalize stays idempotent
        ("打坏了", "打坏了"),  # already simplified: OpenCC's 打坯了 is skipped on purpose
    ],
)
def test_phrase_conversions_behind_the_gate(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(expected) == expected
