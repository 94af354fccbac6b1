"""Measuring the ad detector on labelled rows: precision, recall, accuracy, F1, ROC AUC and throughput.

The full ``AdDetector.detect`` is measured (signals + model at the default thresholds), each row read as a
plain text message from an ordinary member: the strictest reading, with no context to help. AUC ranks rows by
the detector's evidence (``AdVerdict.score``, hard signals on top).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from bot.tools.detector.data import Sample
from rules.ads import AdDetector, AdVerdict, MessageFacts

__all__ = ["Judged", "Metrics", "evaluate", "judge", "metrics", "roc_auc", "verdict_rank"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Metrics:
    precision: float
    recall: float
    accuracy: float
    f1: float
    roc_auc: float
    n: int
    msgs_per_s: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve (Mann-Whitney U with tied ranks averaged); NaN when one class is missing."""
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def metrics(
    labels: Sequence[int], predicted: Sequence[bool], scores: Sequence[float], seconds: float
) -> Metrics:
    """Figures for one run; ``seconds`` is the time spent deciding, for the throughput."""
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    tp = int(np.sum(y & p))
    fp = int(np.sum(~y & p))
    fn = int(np.sum(y & ~p))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n = len(y)
    return Metrics(
        precision=precision,
        recall=recall,
        accuracy=float(np.mean(y == p)) if n else 0.0,
        f1=f1,
        roc_auc=roc_auc(labels, scores),
        n=n,
        msgs_per_s=n / seconds if seconds > 0 else 0.0,
    )


def verdict_rank(v: AdVerdict) -> float:
    """A number that orders verdicts by evidence: hard decisions above every soft score."""
    return v.score + (10.0 if v.hit and v.score < 1.0 else 0.0) + v.probability * 1e-3


@dataclass(frozen=True, slots=True)
class Judged:
    """The detector's answers on labelled rows: what ``metrics`` needs, kept so folds can be pooled."""

    labels: list[int]
    hits: list[bool]
    ranks: list[float]
    seconds: float

    def metrics(self) -> Metrics:
        return metrics(self.labels, self.hits, self.ranks, self.seconds)


def judge(samples: Sequence[Sample], detector: AdDetector, progress: Progress | None = None) -> Judged:
    """Run ``detector`` over ``samples`` (each a plain text message), timing only the decisions."""
    facts = [MessageFacts.from_text(text) for _, text in samples]
    verdicts: list[AdVerdict] = []
    elapsed = 0.0
    chunk = 500
    for start in range(0, len(facts), chunk):
        part = facts[start : start + chunk]
        t0 = time.perf_counter()
        verdicts.extend(detector.detect(f) for f in part)
        elapsed += time.perf_counter() - t0
        if progress is not None:
            progress(len(verdicts), len(facts))
    return Judged(
        [label for label, _ in samples],
        [v.hit for v in verdicts],
        [verdict_rank(v) for v in verdicts],
        elapsed,
    )


def evaluate(samples: Sequence[Sample], detector: AdDetector, progress: Progress | None = None) -> Metrics:
    """Run ``detector`` over ``samples`` (each a plain text message) and measure it."""
    return judge(samples, detector, progress).metrics()
