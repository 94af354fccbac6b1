"""The detector's fast paths (issue #17, speed) give the answers of the plain forms they replace.

Each shortcut here was taken because a profile showed its plain form on the hot path; a test per shortcut
holds it to that form, on hand-picked edge cases and on every hard case of tests/data/hard.
"""

from __future__ import annotations

from pathlib import Path

from rules.ads.classifier import _MODEL_VIEW, model_view
from rules.ads.facts import MessageFacts
from rules.ads.signals import _GATE_AUTOMATON, _LURES, lure_check, prepare, spelled_digits
from rules.normalize import _LOOKALIKE_RE, _has_traditional, _traditional, normalize

HARD = Path(__file__).resolve().parents[1] / "data" / "hard"
HARD_TEXTS = [
    line.strip()
    for path in sorted(HARD.glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
EDGES = [
    "",
    " ",
    "收盘 1680 点",
    "电话 1 3 8 0 0 1 3 8 0 0 0",
    "٣٤٥ arabic-indic digits",  # \d, but not what the model view folds
    "１２３ full-width",
    "0000 and 0",
    "a b  c",
]


def test_the_model_view_is_the_translate_table() -> None:
    for text in (*EDGES, *HARD_TEXTS):
        assert model_view(text) == text.translate(_MODEL_VIEW), text
        norm = normalize(text)
        assert model_view(norm) == norm.translate(_MODEL_VIEW), text


def test_the_traditional_gate_is_the_set() -> None:
    traditional = _traditional()
    astral = next(c for c in sorted(traditional) if ord(c) > 0xFFFF)
    plain_astral = "\U00020000" if "\U00020000" not in traditional else "\U0002a6d6"
    cases = [
        "聯係",
        "联系",
        "abc",
        "回覆",
        astral,
        f"简体{astral}",
        plain_astral,
        f"简体{plain_astral}",
        "🐧",
    ]
    for text in [*cases, *HARD_TEXTS]:
        assert _has_traditional(text) == (not traditional.isdisjoint(text)), text
    assert _has_traditional(astral) and not _has_traditional(plain_astral)


def test_the_lookalike_gate_sees_both_planes() -> None:
    assert _LOOKALIKE_RE.search("电话①③⑧") and _LOOKALIKE_RE.search("加🅥🅧")
    assert _LOOKALIKE_RE.search("普通的一句话 123") is None


def test_spelled_digits_needs_a_run_and_a_numeral_beyond_liang() -> None:
    assert spelled_digits("两两两两两") == "两两两两两"  # never spelled out before the shortcut either
    assert spelled_digits("两两两两三") == "22223"
    assert spelled_digits("一三八一二三四五六七八") == "13812345678"
    assert spelled_digits("一二三四") == "一二三四"


def _lures_plain(norm: str) -> list[str]:
    """The lure check as it was: every gate word looked up with ``in``."""
    return [
        name
        for name, _category, gates, pattern, _score in _LURES
        if all(any(word in norm for word in words) for words in gates) and pattern.search(norm)
    ]


def test_the_lure_gate_automaton_is_the_substring_gate() -> None:
    check = lure_check()
    examples = ["需要的私我", "回复 1 拉你进群", "长按识别二维码进群", "dm me for details", "earn $500 daily"]
    for text in (*examples, "回复 1 的意思是同意", "get $5 off", *HARD_TEXTS):
        p = prepare(MessageFacts(text=text))
        found = check.run(p)
        plain = _lures_plain(p.norm)
        assert found.hit == bool(plain), text
        if plain:
            assert found.detail == "引流话术 " + "、".join(plain), text
    assert all(check.run(prepare(MessageFacts(text=t))).hit for t in examples)


def test_a_flood_is_judged_on_the_whole_text_not_its_start() -> None:
    from handlers.ads.model_io import shipped_model
    from rules.ads import AdDetector, AdRules

    detector = AdDetector(AdRules(), shipped_model())
    flood = detector.detect(MessageFacts(text="哈" * 40))
    assert any(r.name == "flood" for r in flood.verdict.results) and flood.probability == 0
    # a flood's start, then a sentence: the model judges it
    mixed = detector.detect(MessageFacts(text="哈" * 20 + "今天我们去公园散步吧"))
    assert not any(r.name == "flood" for r in mixed.verdict.results) and mixed.probability > 0


def test_the_lure_gate_lists_every_word_once() -> None:
    words = {word for _, _, gates, _, _ in _LURES for group in gates for word in group}
    text = " ".join(sorted(words))
    indexes = {i for i, _, _ in _GATE_AUTOMATON.find_matches_as_indexes(text, overlapping=True)}
    assert len(indexes) == len(words)
