"""The learned half of the ad detector: a sparse linear model over character n-grams, inference only.

Why this model: a logistic regression on binary character 1–3-grams of the normalised text (plus digit-shape
4-grams of the compact text, so "v13812345678" and "vx 13955" share features) reaches ~95 % accuracy on the
Chinese spam set, needs no tokenizer for Chinese, and scores a message with one dict lookup per n-gram
(40–80 for a chat line): ``bias + Σ weight[gram]``. Only weights above a floor are kept; the n-grams are the
dict keys themselves, so there is no hash to keep stable. Training lives in ``bot/tools/detector/train.py``
(scikit-learn); this module needs only the standard library, ``rules.normalize`` and ahocorasick_rs.

Scoring does not build the feature set: one Aho-Corasick pass over the text finds exactly the model's n-grams
that occur in it (all in C, ~2x faster than making every n-gram string and looking each up); ``features``
stays the definition, and a test holds the two to the same sums.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import add, itemgetter

import ahocorasick_rs

from rules.normalize import compact

__all__ = ["FEATURE_VERSION", "LinearModel", "features", "model_view"]

FEATURE_VERSION = 3  # bump when ``features`` changes: a model trained on other features must not load
_MAX_CHARS = 400  # long posts: the first 400 characters decide; bounds the worst-case latency
_BOS, _EOS = "\x02", "\x03"
_SHAPE = str.maketrans("0123456789", "0000000000")
# The model's view of the text: no spaces (the training data's honest lines have none, so a space between
# Chinese and a number read as spam: "收盘 1680"), digits folded to 0 (which digit says nothing).
_MODEL_VIEW = str.maketrans({" ": None, **{str(d): "0" for d in range(1, 10)}})
_DIGIT = re.compile(r"\d")
_HASH = "#"
_LEN = tuple(f"\x01len{i}" for i in range(13))


def features(norm: str, comp: str | None = None) -> set[str]:
    """Binary features of an already-normalised text (``rules.normalize.normalize``).

    - character 1-, 2- and 3-grams of the text with start / end marks (so "收到" alone differs from "收到货"),
      spaces dropped and digits folded to 0 (``_MODEL_VIEW``);
    - 4-grams of the compact text with digits folded to 0, only those holding a digit, prefixed "#";
    - the compact length in buckets of 4 characters, so a long or a tiny message is known as such.

    ``comp`` is ``compact(norm, normalized=True)`` when the caller has it already. The n-grams are built with
    ``map(add, …)`` over shifted strings: C loops, ~3x faster than slicing in Python.
    """
    t = _BOS + norm[:_MAX_CHARS].translate(_MODEL_VIEW) + _EOS
    bigrams = list(map(add, t, t[1:]))
    grams = set(t)
    grams.update(bigrams)
    grams.update(map(add, bigrams, t[2:]))
    if comp is None or len(norm) > _MAX_CHARS:
        comp = compact(t, normalized=True)
    if _DIGIT.search(comp):
        shape = _BOS + comp.translate(_SHAPE) + _EOS
        s2 = list(map(add, shape, shape[1:]))
        s4 = map(add, s2, map(add, shape[2:], shape[3:]))
        grams.update(_HASH + g for g in s4 if "0" in g)
    grams.add(_LEN[min(len(comp) // 4, 12)])
    return grams


_FIRST = itemgetter(0)
_NONZERO_DIGIT = re.compile("[1-9]")


def model_view(text: str) -> str:
    """``text.translate(_MODEL_VIEW)`` at a fraction of the cost: ``str.translate`` with a dict looks every
    character up in Python objects (~80 ns each on Chinese text), while most chat has no digit and needs only
    the spaces removed (C). A test holds the two to the same output."""
    if " " in text:
        text = text.replace(" ", "")
    if _NONZERO_DIGIT.search(text) is None:
        return text
    return _NONZERO_DIGIT.sub("0", text)


class _NgramScorer:
    """``Σ weights[g] for g in features(norm, comp)`` without building ``features``: two automata (text
    n-grams, digit-shape 4-grams) report which of the model's n-grams occur; each counts once, as in training.

    ahocorasick_rs (Rust, matching on UTF-8 bytes) rather than pyahocorasick: with some 3,000 distinct first
    characters the latter scans its root node linearly for every character, ~4x slower on Chinese text.
    """

    __slots__ = ("_length", "_shape", "_shape_weights", "_text", "_text_weights")

    def __init__(self, weights: Mapping[str, float]) -> None:
        text: dict[str, float] = {}
        shape: dict[str, float] = {}
        for gram, weight in weights.items():
            if 1 <= len(gram) <= 3:  # 1-3-grams of the text (marks included)
                text[gram] = weight
            elif len(gram) == 5 and gram[0] == _HASH and "0" in gram:  # "#" + a digit-shape 4-gram
                shape[gram[1:]] = weight
            # the rest are length buckets; anything else ``features`` never makes
        self._text = ahocorasick_rs.AhoCorasick(list(text)) if text else None
        self._text_weights = tuple(text.values())
        self._shape = ahocorasick_rs.AhoCorasick(list(shape)) if shape else None
        self._shape_weights = tuple(shape.values())
        self._length = tuple(weights.get(bucket, 0.0) for bucket in _LEN)

    def total(self, norm: str, comp: str | None) -> float:
        t = _BOS + model_view(norm[:_MAX_CHARS]) + _EOS
        out = 0.0
        if self._text is not None:
            found = set(map(_FIRST, self._text.find_matches_as_indexes(t, overlapping=True)))
            out = sum(map(self._text_weights.__getitem__, found))
        if comp is None or len(norm) > _MAX_CHARS:
            comp = compact(t, normalized=True)
        if self._shape is not None and _DIGIT.search(comp):
            shape = _BOS + _NONZERO_DIGIT.sub("0", comp) + _EOS
            found = set(map(_FIRST, self._shape.find_matches_as_indexes(shape, overlapping=True)))
            out += sum(map(self._shape_weights.__getitem__, found))
        return out + self._length[min(len(comp) // 4, 12)]


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Parameters of the logistic regression: ``p = sigmoid(bias + Σ weights[g] for g in features(text))``.

    ``threshold`` is the default decision threshold chosen on a validation split at training time.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    meta: Mapping[str, object] = field(default_factory=dict)
    _scorer: _NgramScorer = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_scorer", _NgramScorer(self.weights))

    def logit(self, norm: str, comp: str | None = None) -> float:
        """Raw score of a normalised text (``comp``: its compact form, if known); positive means more likely
        an ad."""
        return self.bias + self._scorer.total(norm, comp)

    def probability(self, norm: str, comp: str | None = None) -> float:
        """Probability that a normalised text is an ad."""
        z = self.logit(norm, comp)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def explain(self, norm: str, top: int = 5) -> list[tuple[str, float]]:
        """The n-grams that pushed the score most towards "ad", for an admin asking "why?"."""
        w = self.weights
        found = sorted(((g, w[g]) for g in features(norm) & w.keys()), key=lambda gw: -gw[1])
        return [(g.strip(_BOS + _EOS + "\x01"), round(s, 3)) for g, s in found[:top] if s > 0]
