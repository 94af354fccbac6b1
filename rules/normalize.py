"""Text normalisation for matching: one canonical spelling for the many ways spammers disguise the same words.

Ads dodge keyword lists with full-width letters (ＶＸ), circled digits (①③⑧), math alphabets (𝟙𝟛𝟠), Cyrillic
look-alikes (vх with a Cyrillic х), zero-width joiners, traditional characters (廣告聯係) and padding between
the characters (加 微 信, 加.微.信, v❤x). ``normalize`` folds the first kinds so that a rule or a model sees
one form; ``compact`` also removes the padding, for keyword and contact matching only (it glues words
together).

Pure and I/O-free. The OpenCC converter is created once at import (its dictionaries load in a few ms).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

__all__ = ["compact", "normalize", "warm_up"]

_T2S = opencc.OpenCC("t2s")

# Digit look-alikes that NFKC leaves alone or turns into "(1)" / "1." (which would split a phone number
# apart).
_DIGIT_LOOKALIKES: dict[int, str] = {}


def _digit_run(start: int, first: int, count: int) -> None:
    for i in range(count):
        _DIGIT_LOOKALIKES[start + i] = str((first + i) % 10)


_digit_run(0x2460, 1, 9)  # ①-⑨ (⑩.. are two digits: left to NFKC)
_digit_run(0x2474, 1, 9)  # ⑴-⑼
_digit_run(0x2488, 1, 9)  # ⒈-⒐
_digit_run(0x2776, 1, 9)  # ❶-❾
_digit_run(0x2780, 1, 9)  # ➀-➈
_digit_run(0x278A, 1, 9)  # ➊-➒
_digit_run(0x24F5, 1, 9)  # ⓵-⓽
_digit_run(0x3280, 1, 9)  # ㊀-㊈ (circled ideographs one..nine)
_DIGIT_LOOKALIKES.update({0x24EA: "0", 0x24FF: "0", 0x1F10B: "0", 0x1F10C: "0", 0x2070: "0", 0x3007: "〇"})
_digit_run(0x1F101, 0, 10)  # 🄁-🄊 digit comma
for _i in range(26):
    _DIGIT_LOOKALIKES[0x1F150 + _i] = chr(ord("a") + _i)  # 🅐 negative circled
    _DIGIT_LOOKALIKES[0x1F170 + _i] = chr(ord("a") + _i)  # 🅰 negative squared
    _DIGIT_LOOKALIKES[0x1F1E6 + _i] = chr(ord("a") + _i)  # 🇦 regional indicators

# Letters that look Latin in most fonts (Cyrillic, Greek, IPA). Lower-case targets: this runs after lower().
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ӏ": "l", "һ": "h", "ɡ": "g", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "ς": "c", "ϲ": "c", "ϳ": "j",
}  # fmt: skip

_DROP_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cs", "Co", "Cn"})


class _FoldTable(dict[int, str | None]):
    """``str.translate`` table filled on first sight of each code point, so start-up stays instant."""

    def __missing__(self, cp: int) -> str | None:
        ch = chr(cp)
        out: str | None
        if ch in _HOMOGLYPHS:
            out = _HOMOGLYPHS[ch]
        elif ch.isspace():
            out = " "
        else:
            cat = unicodedata.category(ch)
            out = None if cat in _DROP_CATEGORIES or (cat == "Cc") else ch
        self[cp] = out
        return out


class _WordOnlyTable(dict[int, str | None]):
    """``str.translate`` table keeping letters and digits (what ``\\w`` matches, minus "_"), filled on first
    sight: twice as fast as ``re.sub(r"[\\W_]+", "", …)`` on chat, which cuts the text at every space."""

    def __missing__(self, cp: int) -> str | None:
        ch = chr(cp)
        out = ch if ch.isalnum() else None
        self[cp] = out
        return out


_FOLD = _FoldTable()
_WORD_ONLY = _WordOnlyTable()
_SPACES = re.compile(r" {2,}")
# Fast paths: most chat text needs neither the look-alike table nor the fold table (each ~150 ns a character).
# Two classes, not one: ``re`` turns a class of BMP characters into a bitmap, but one that also holds a
# supplementary range stays a list that every character of the text is compared with, item by item (~13k
# instructions a message, the largest single cost of the detector before this split).
_LOOKALIKE_RE = re.compile(
    "["
    + "".join(re.escape(chr(cp)) for cp in sorted(_DIGIT_LOOKALIKES) if cp < 0x10000)
    + "]|[\U0001f100-\U0001f1ff]"
)
_SAFE_RE = re.compile(
    "[^\x20-\x7e\u3001-\u3003\u3008-\u3011\u3014-\u301f\u3041-\u3096\u30a1-\u30fa"
    "\u3400-\u4dbf\u4e00-\u9fff\u2010-\u2027\u2030-\u205e\u00a1-\u00bf\u00d7\u00f7]"
)
_ASCII_ODD = re.compile(r"[^\x20-\x7e]")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).lower()
    if _SAFE_RE.search(s):
        s = s.translate(_FOLD)
    return unicodedata.normalize("NFC", s)


# Where OpenCC's t2s may change a character: CJK radicals to Ext A, the unified block, compatibility
# ideographs and forms, full-width forms, and the supplementary ideographs (Ext B-H).
_CJK_RANGES = ((0x2E80, 0xA000), (0xF900, 0xFB00), (0xFE30, 0xFE50), (0xFF00, 0xFFF0), (0x20000, 0x323B0))


# Traditional characters that t2s leaves alone on their own but converts inside its phrases (回覆 → 回复,
# 藉口 → 借口, 瞭解 → 了解, 沈默 → 沉默). Not 坏: it is simplified already, and OpenCC's 打坏了 → 打坯了 is a
# mistake worth skipping.
_PHRASE_ONLY = "覆藉瞭沈衹"


@functools.cache
def _traditional() -> frozenset[str]:
    """The ~5,100 characters t2s converts on their own, found once (~60 ms, on first use) by converting every
    code point of ``_CJK_RANGES`` in one call, plus ``_PHRASE_ONLY``. A text with none of them skips OpenCC
    (~3 µs a message); a test holds the gate to OpenCC on the whole Chinese data set."""
    chars = [chr(cp) for start, stop in _CJK_RANGES for cp in range(start, stop)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a newline merged or split: never skip the conversion then
        return frozenset(chars)
    return frozenset(c for c, out in zip(chars, converted, strict=True) if c != out) | set(_PHRASE_ONLY)


@functools.cache
def _traditional_gate() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``_traditional()`` as regexes: its BMP characters in one class, whose ``search`` answers "any of them
    here?" in C over the text's own buffer (~6x cheaper than ``frozenset.isdisjoint(text)``, which makes a
    one-character string of every character it looks at), and the supplementary planes, where the set itself
    decides (a class with astral characters is a slow list in ``re``; such text is rare)."""
    bmp = "".join(re.escape(c) for c in sorted(_traditional()) if ord(c) < 0x10000)
    return re.compile(f"[{bmp}]"), re.compile("[\U00010000-\U0010ffff]")


def _has_traditional(s: str) -> bool:
    """Whether a character of ``s`` converts on its own: ``not _traditional().isdisjoint(s)``, faster."""
    bmp, astral = _traditional_gate()
    if bmp.search(s) is not None:
        return True
    return astral.search(s) is not None and not _traditional().isdisjoint(s)


def warm_up() -> None:
    """Build the tables ``normalize`` otherwise builds on its first Chinese text (~70 ms), e.g. at start."""
    _traditional_gate()


def normalize(text: str) -> str:
    """Canonical form for matching: NFKD/NFC, look-alikes folded, invisibles gone, lower-case, simplified,
    spaces collapsed.

    Idempotent: ``normalize(normalize(x)) == normalize(x)``. Never raises on any ``str``.
    """
    if not text:
        return ""
    if text.isascii():
        s = text.lower()
        if _ASCII_ODD.search(s):
            s = s.translate(_FOLD)
    else:
        if _LOOKALIKE_RE.search(text):
            text = text.translate(_DIGIT_LOOKALIKES)
        # NFKD first so that accents come apart from their letters and the fold can drop them (café → cafe).
        s = _fold(text)
        # OpenCC may (rarely) emit a compatibility form or a mark of its own, or a character its own tables
        # convert again (么麼 → 幺麽 → 幺么): fold and convert until the text stands still.
        for _ in range(3):
            if s.isascii() or not _has_traditional(s):
                break
            converted = _T2S.convert(s)
            if converted == s:
                break
            s = _fold(converted)
    if "  " in s:
        s = _SPACES.sub(" ", s)
    return s.strip()


def compact(text: str, *, normalized: bool = False) -> str:
    """``normalize`` and then drop everything but letters and digits: "加 微.信❤" → "加微信", "v❤x" → "vx".

    For keyword and contact matching, never for display: it glues neighbouring words together.
    ``normalized=True`` skips the first step when the caller already holds ``normalize(text)``.
    """
    return (text if normalized else normalize(text)).translate(_WORD_ONLY)
