"""Personal attacks and insults (人身攻击 / 辱骂): a Chinese lexicon matched through the normaliser.

Insults are disguised like ads are: 傻逼 becomes sb, 煞笔, 傻b, 傻 逼, ＳＢ, sha bi. The text is normalised
(full-width, look-alikes, traditional characters folded) and compacted (padding removed), then one
Aho-Corasick pass finds the lexicon's words; Latin abbreviations (sb, nmsl, cnm) must stand alone as words, so
"usb" or "sbin" never match. A word aimed at someone (你 / 你们 / 楼主 / 群主 … in the message, or 滚) weighs
more than one said about a thing ("这破手机真垃圾" is not an attack). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import ahocorasick_rs

from rules.normalize import compact, normalize
from rules.verdict import CheckResult, Verdict

__all__ = ["DEFAULT_LEXICON", "AbuseDetector", "AbuseVerdict"]

# word → weight. 1.0: an insult on its own; lower: rude only when aimed at someone.
DEFAULT_LEXICON: Final[Mapping[str, float]] = {
    "傻逼": 1.0, "傻b": 1.0, "傻比": 1.0, "傻屄": 1.0, "煞笔": 1.0, "煞逼": 1.0, "沙比": 1.0, "沙雕": 0.4,
    "傻叉": 1.0, "傻x": 1.0, "傻吊": 1.0, "傻屌": 1.0, "二逼": 1.0, "装逼": 0.5, "牛逼": 0.0,
    "脑残": 0.8, "智障": 0.8, "弱智": 0.8, "白痴": 0.8, "蠢货": 0.9, "蠢猪": 0.9, "废物": 0.6,
    "贱人": 1.0, "婊子": 1.0, "狗东西": 1.0, "畜生": 1.0, "杂种": 1.0, "王八蛋": 1.0, "混蛋": 0.7,
    "操你妈": 1.0, "草泥马": 1.0, "艹你妈": 1.0, "日你妈": 1.0, "你妈死了": 1.0, "死全家": 1.0,
    "你妈逼": 1.0, "去死": 0.8, "滚出去": 0.8, "滚蛋": 0.7, "滚吧": 0.5, "垃圾": 0.3, "人渣": 1.0,
    "狗娘养的": 1.0, "他妈的": 0.4, "妈的": 0.3, "神经病": 0.5, "有病": 0.3, "恶心": 0.2,
}  # fmt: skip

# Latin abbreviations and pinyin, matched as whole words on the normalised text (spaces allowed inside).
_LATIN_WORDS: Final = (
    (re.compile(r"(?<![a-z])s\s*b(?![a-z])"), "sb", 1.0),
    (re.compile(r"(?<![a-z])sha\s*bi(?![a-z])"), "shabi", 1.0),
    (re.compile(r"(?<![a-z])(?:nmsl|cnm|nmb|wcnm|rnm)(?![a-z])"), "nmsl", 1.0),
    (re.compile(r"(?<![a-z])(?:nao\s*can|zhi\s*zhang|ruo\s*zhi)(?![a-z])"), "naocan", 0.8),
    (
        re.compile(r"(?<![a-z])(?:fuck\s*you|f\s*u|stfu|idiot|moron|retard|asshole|bitch)(?![a-z])"),
        "fuck",
        0.9,
    ),
    (re.compile(r"(?<![a-z])tmd(?![a-z])"), "tmd", 0.4),
)
_LATIN_GATE = re.compile(r"[a-z]")
# Someone the word is aimed at: a pronoun or a role just before it, or "滚" / "去死" in the same message.
_TARGET = re.compile(r"你|您|你们|尔等|楼主|群主|管理|这人|此人|这货|那个人|那人|@")
_TARGET_BONUS: Final = 0.5
_DIRECTIVE = re.compile(r"滚|闭嘴|去死|给我")


@dataclass(frozen=True, slots=True)
class AbuseVerdict:
    """The answer for one message: the verdict with its reasons, and the summed weight behind it."""

    verdict: Verdict
    score: float
    words: tuple[str, ...]

    @property
    def hit(self) -> bool:
        return self.verdict.hit


class AbuseDetector:
    """Built once per group config (lexicon plus the group's own words); ``detect`` is pure."""

    __slots__ = ("_automaton", "_threshold", "_weights")

    def __init__(self, extra_words: Iterable[str] = (), threshold: float = 1.0) -> None:
        weights = {compact(w): v for w, v in DEFAULT_LEXICON.items()}
        weights.update((compact(w), 1.0) for w in extra_words if compact(w))
        self._weights = tuple(weights.values())
        # Leftmost-longest: "他妈的" is one word, not also "妈的".
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(weights), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._threshold = threshold

    def detect(self, text: str) -> AbuseVerdict:
        norm = normalize(text)
        comp = compact(norm, normalized=True)
        found: dict[str, float] = {}
        for index, start, end in self._automaton.find_matches_as_indexes(comp):
            weight = self._weights[index]
            if weight > 0:
                found[comp[start:end]] = max(found.get(comp[start:end], 0.0), weight)
        if _LATIN_GATE.search(norm):
            for pattern, word, weight in _LATIN_WORDS:
                if pattern.search(norm):
                    found[word] = max(found.get(word, 0.0), weight)
        if not found:
            return AbuseVerdict(Verdict(False, (CheckResult("abuse", False),)), 0.0, ())
        score = sum(found.values())
        aimed = _TARGET.search(norm) is not None or _DIRECTIVE.search(comp) is not None
        if aimed:
            score += _TARGET_BONUS
        hit = score >= self._threshold - 1e-9 and max(found.values()) >= 0.5
        words = tuple(found)
        detail = "辱骂用语 " + "、".join(words) + ("（针对他人）" if aimed else "")
        result = CheckResult("abuse", hit, detail, category="abuse" if hit else "", score=score)
        return AbuseVerdict(Verdict(hit, (result,), category="abuse" if hit else ""), score, words)
