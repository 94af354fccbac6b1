"""The model's fast scoring (Aho-Corasick over the text) must give the sums its feature definition gives."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.ads.model_io import shipped_model
from rules.ads import LinearModel, features
from rules.normalize import compact, normalize

DATA = Path(__file__).parent.parent / "data"


def by_definition(model: LinearModel, norm: str) -> float:
    """``bias + Σ weights[g]`` over the feature set, exactly as training saw it."""
    return model.bias + sum(model.weights.get(g, 0.0) for g in features(norm))


# Texts drawn from a small alphabet so that n-grams repeat and collide with the model's keys often.
ALPHABET = "加微信vx0123456789 -#赚钱福利群收到好的\x02\x03a"
texts = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(train=st.lists(texts, min_size=1, max_size=8), probe=texts, seed=st.integers(0, 2**16))
def test_scoring_equals_the_feature_definition(train: list[str], probe: str, seed: int) -> None:
    grams = sorted(set().union(*(features(normalize(t)) for t in train)))
    weights = {g: ((hash(g) ^ seed) % 2001 - 1000) / 250 for g in grams}
    model = LinearModel(weights=weights, bias=-0.5)
    for text in (*train, probe):
        norm = normalize(text)
        assert model.logit(norm) == pytest.approx(by_definition(model, norm), abs=1e-9)
        assert model.logit(norm, compact(norm, normalized=True)) == pytest.approx(
            by_definition(model, norm), abs=1e-9
        )


def test_long_posts_score_their_first_400_characters() -> None:
    model = LinearModel(weights={"赚": 2.0, "#0000": 1.0}, bias=0.0)
    head, tail = "好" * 399 + "赚", "赚钱 13800138000" * 20
    norm = normalize(head + tail)
    assert model.logit(norm, compact(norm, normalized=True)) == pytest.approx(by_definition(model, norm))
    assert model.logit(norm) == pytest.approx(2.0)


def test_shipped_model_scores_community_texts_as_its_definition() -> None:
    model = shipped_model()
    lines = [
        line
        for name in ("community_ham.txt", "community_spam.txt")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) > 300
    for line in lines:
        norm = normalize(line)
        expected = by_definition(model, norm)
        assert math.isclose(model.logit(norm), expected, abs_tol=1e-9), line


def test_empty_model_scores_the_bias() -> None:
    assert LinearModel(weights={}, bias=-1.25).logit(normalize("加微信 abc123")) == -1.25
