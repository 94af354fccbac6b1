"""Training the ad model: logistic regression on ``rules.ads.classifier.features``, reproducible from the
data set.

scikit-learn is needed here only (the ``train`` extra); the result is a plain ``LinearModel`` that inference
runs without it. The default threshold (the operating point) is chosen on out-of-fold probabilities of a
k-fold cross-validation over the training rows (every row scored by a model that did not see it), never on the
rows a report is made on: one validation split is too small a witness for a noisy data set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.tools.detector.data import (
    CSV_NAME,
    HAM_SAMPLES,
    SPAM_SAMPLES,
    Sample,
    find_data_dir,
    read_csv,
    read_lines,
)
from rules.ads.classifier import FEATURE_VERSION, LinearModel, features
from rules.normalize import normalize

__all__ = [
    "TrainConfig",
    "choose_threshold",
    "fit",
    "kfold",
    "load_extra_samples",
    "load_training_samples",
    "stratified_split",
]

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyper-parameters; the defaults are what the shipped model is trained with."""

    c: float = 1.0  # inverse L2 strength (binary n-grams: 1.0 beat 0.3 and 5 on a validation split)
    seed: int = 20240601
    threshold_folds: int = 4  # folds of the cross-validation that chooses the threshold (out-of-fold scores)
    min_precision: float = 0.975  # the threshold is the most accurate one that keeps at least this precision
    prune: float = (
        0.05  # smaller weights are dropped: 4x fewer keys (a faster, cache-friendly dict) for -0.1 % acc
    )
    feedback_weight: float = 3.0  # an admin's correction or a hand-written community line: like three rows
    max_iter: int = 3000


def load_extra_samples(folder: Path) -> list[Sample]:
    """The tg-spam English / Russian samples beside the CSV, when present (spam first, then ham)."""
    samples: list[Sample] = []
    for name, label in ((SPAM_SAMPLES, 1), (HAM_SAMPLES, 0)):
        if (folder / name).is_file():
            samples.extend(read_lines(folder / name, label))
    return samples


def load_training_samples(data_dir: Path | None = None) -> list[Sample]:
    """zh-train.csv plus the tg-spam English / Russian samples, in a fixed order."""
    folder = find_data_dir(data_dir)
    return [*read_csv(folder / CSV_NAME), *load_extra_samples(folder)]


def stratified_split(labels: Sequence[int], test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """Row indices (train, test), the same share of each label in both; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    train: list[int] = []
    test: list[int] = []
    y = np.asarray(labels)
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        cut = round(len(idx) * test_size)
        test.extend(idx[:cut].tolist())
        train.extend(idx[cut:].tolist())
    return sorted(train), sorted(test)


def kfold(labels: Sequence[int], k: int, seed: int) -> list[list[int]]:
    """``k`` disjoint folds of row indices, each with the same share of both labels; deterministic for a
    seed."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    rng = np.random.default_rng(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    y = np.asarray(labels)
    offset = 0
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        for j, i in enumerate(idx.tolist()):
            folds[(j + offset) % k].append(i)
        offset += len(idx)
    return [sorted(f) for f in folds]


def choose_threshold(labels: Sequence[int], probs: Sequence[float], min_precision: float) -> float:
    """The most accurate threshold whose precision is at least ``min_precision`` (0.5 if none reaches it)."""
    y = np.asarray(labels)
    p = np.asarray(probs)
    best: tuple[float, float] | None = None
    for t in np.round(np.arange(0.2, 0.96, 0.01), 2):
        pred = p >= t
        tp = int(np.sum(pred & (y == 1)))
        if tp == 0 or tp / int(pred.sum()) < min_precision:
            continue
        acc = float(np.mean(pred == (y == 1)))
        if best is None or acc > best[0] + 1e-12:
            best = (acc, float(t))
    return best[1] if best else 0.5


def _matrix(feature_sets: Sequence[set[str]], vocab: dict[str, int]) -> object:
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    for grams in feature_sets:
        indices.extend(sorted(vocab[g] for g in grams if g in vocab))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(feature_sets), len(vocab)))


def _fit_lr(
    feature_sets: Sequence[set[str]], labels: Sequence[int], weights: Sequence[float], config: TrainConfig
) -> tuple[dict[str, float], float]:
    from sklearn.linear_model import LogisticRegression

    vocab = {g: i for i, g in enumerate(sorted(set().union(*feature_sets)))}
    x = _matrix(feature_sets, vocab)
    lr = LogisticRegression(C=config.c, max_iter=config.max_iter)
    lr.fit(x, np.asarray(labels), sample_weight=np.asarray(weights))
    coef = lr.coef_[0]
    kept = {g: float(coef[i]) for g, i in vocab.items() if abs(coef[i]) >= config.prune}
    return kept, float(lr.intercept_[0])


def fit(
    samples: Sequence[Sample],
    *,
    feedback: Iterable[Sample] = (),
    config: TrainConfig | None = None,
    progress: Progress | None = None,
) -> LinearModel:
    """Train on ``samples`` (+ admins' ``feedback``): choose the threshold by cross-validation over them,
    then fit on all."""
    config = config or TrainConfig()
    extra = list(feedback)
    rows = [*samples, *extra]
    labels = [label for label, _ in rows]
    if len(set(labels)) < 2:
        raise ValueError("training needs both ads (1) and ordinary messages (0)")
    weights = [1.0] * len(samples) + [config.feedback_weight] * len(extra)
    feature_sets: list[set[str]] = []
    step = max(1, len(rows) // 100)
    for i, (_, text) in enumerate(rows):
        feature_sets.append(features(normalize(text)))
        if progress is not None and (i % step == 0 or i == len(rows) - 1):
            progress("features", i + 1, len(rows))

    threshold = _cv_threshold(feature_sets, labels, weights, config, progress)
    if progress is not None:
        progress("fit", 0, 1)
    kept, bias = _fit_lr(feature_sets, labels, weights, config)
    if progress is not None:
        progress("fit", 1, 1)
    meta: dict[str, object] = {
        "feature_version": FEATURE_VERSION,
        "rows": len(samples),
        "feedback_rows": len(extra),
        "spam_rows": sum(labels),
        "c": config.c,
        "seed": config.seed,
        "features_kept": len(kept),
        "threshold_folds": config.threshold_folds,
        "cv_threshold": threshold,
    }
    return LinearModel(weights=kept, bias=bias, threshold=threshold, meta=meta)


def _cv_threshold(
    feature_sets: Sequence[set[str]],
    labels: Sequence[int],
    weights: Sequence[float],
    config: TrainConfig,
    progress: Progress | None,
) -> float:
    """The operating point from out-of-fold probabilities: each fold is scored by a model fitted on the
    others, and the threshold is chosen once over all of them."""
    probs = [0.0] * len(labels)
    folds = kfold(labels, config.threshold_folds, config.seed)
    for n, held in enumerate(folds):
        if progress is not None:
            progress("threshold", n, len(folds))
        held_set = set(held)
        train = [i for i in range(len(labels)) if i not in held_set]
        w, b = _fit_lr(
            [feature_sets[i] for i in train], [labels[i] for i in train], [weights[i] for i in train], config
        )
        probe = LinearModel(w, b)
        for i in held:
            probs[i] = _prob(probe, feature_sets[i])
    if progress is not None:
        progress("threshold", len(folds), len(folds))
    return choose_threshold(labels, probs, config.min_precision)


def _prob(model: LinearModel, grams: set[str]) -> float:
    z = model.bias + sum(model.weights[g] for g in grams & model.weights.keys())
    return float(1.0 / (1.0 + np.exp(-z)))
