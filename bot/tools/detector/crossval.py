"""k-fold cross-validation of the whole detector over zh-train: the figures ``qunbot eval-detector --folds``
reports.

Each outer fold is held out once; a model is trained on the other folds (its threshold chosen by its own inner
cross-validation over those rows, ``train.fit``) and the full detector (signals + model, default rules) judges
the held fold. So every figure comes from rows that neither the weights nor the operating point saw. One split
said recall 0.892 where an independent set said 0.826: the spread across folds is part of the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.tools.detector.data import Sample
from bot.tools.detector.evaluate import Judged, Metrics, judge, metrics
from bot.tools.detector.train import TrainConfig, fit, kfold
from rules.ads import AdDetector, AdRules

__all__ = ["CrossValidation", "cross_validate"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Figures of each held-out fold, the thresholds each fold's training chose, and all folds pooled."""

    folds: list[Metrics]
    thresholds: list[float]
    pooled: Metrics

    def as_dict(self) -> dict[str, object]:
        def spread(name: str) -> dict[str, float]:
            values = [float(getattr(m, name)) for m in self.folds]
            return {"min": round(min(values), 4), "mean": round(sum(values) / len(values), 4),
                    "max": round(max(values), 4)}  # fmt: skip

        return {
            "k": len(self.folds),
            "folds": [
                {**m.as_dict(), "threshold": t} for m, t in zip(self.folds, self.thresholds, strict=True)
            ],
            "pooled": self.pooled.as_dict(),
            **{name: spread(name) for name in ("precision", "recall", "accuracy")},
        }


def cross_validate(
    rows: Sequence[Sample],
    *,
    extra: Sequence[Sample] = (),
    community: Sequence[Sample] = (),
    k: int = 5,
    seed: int = 17,
    config: TrainConfig | None = None,
    rules: AdRules | None = None,
    progress: Progress | None = None,
) -> CrossValidation:
    """Hold out each of ``k`` stratified folds of ``rows`` in turn; ``extra`` rows (the English / Russian
    samples) and ``community`` rows (weighted like admins' corrections, as in the shipped model) only ever
    train."""
    folds = kfold([label for label, _ in rows], k, seed)
    judged: list[Judged] = []
    thresholds: list[float] = []
    for n, held in enumerate(folds):
        if progress is not None:
            progress("folds", n, k)
        held_set = set(held)
        train = [row for i, row in enumerate(rows) if i not in held_set]
        model = fit([*train, *extra], feedback=community, config=config)
        thresholds.append(model.threshold)
        judged.append(judge([rows[i] for i in held], AdDetector(rules or AdRules(), model)))
    if progress is not None:
        progress("folds", k, k)
    pooled = metrics(
        [y for j in judged for y in j.labels],
        [h for j in judged for h in j.hits],
        [r for j in judged for r in j.ranks],
        sum(j.seconds for j in judged),
    )
    return CrossValidation([j.metrics() for j in judged], thresholds, pooled)
