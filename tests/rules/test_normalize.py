"""normalize / compact: never raise, idempotent, and the real disguises fold to one spelling."""

from __future__ import annotations

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
