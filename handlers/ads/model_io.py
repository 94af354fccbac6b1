"""Load and save the ad model: a compressed ``.npz`` of n-gram keys and float32 weights (package data, < 5
MB).

NumPy's ``.npz`` loads without pickle and without scikit-learn; the shipped model is read lazily, once per
process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

from rules.ads.classifier import FEATURE_VERSION, LinearModel

__all__ = ["DEFAULT_MODEL_PATH", "FORMAT", "ModelFileError", "load_model", "save_model", "shipped_model"]

FORMAT = "qunbot-ads-linear"
DEFAULT_MODEL_PATH = Path(__file__).with_name("model") / "ads-model.npz"


class ModelFileError(ValueError):
    """The model file is missing, unreadable, or was made for other features."""


def save_model(model: LinearModel, path: Path) -> int:
    """Write ``model`` to ``path`` (keys sorted, so the same model gives the same bytes); returns the file
    size."""
    keys = sorted(model.weights)
    header = {
        "format": FORMAT,
        "feature_version": FEATURE_VERSION,
        "bias": model.bias,
        "threshold": model.threshold,
        "meta": dict(model.meta),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        header=np.array(json.dumps(header, ensure_ascii=False, sort_keys=True)),
        keys=np.array(keys, dtype=np.str_),
        weights=np.array([model.weights[k] for k in keys], dtype=np.float32),
    )
    tmp.replace(path)
    return path.stat().st_size


def load_model(path: Path) -> LinearModel:
    """Read a model written by ``save_model``; a clear ``ModelFileError`` for anything else."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            keys = data["keys"].tolist()
            weights = data["weights"].astype(np.float64).tolist()
    except (OSError, KeyError, ValueError) as exc:
        raise ModelFileError(f"{path}: cannot read ad model ({exc})") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a {FORMAT} file")
    if header.get("feature_version") != FEATURE_VERSION:
        raise ModelFileError(
            f"{path}: made for features v{header.get('feature_version')},"
            f" this code computes v{FEATURE_VERSION}; retrain with `qunbot train-detector`"
        )
    return LinearModel(
        weights=dict(zip(keys, weights, strict=True)),
        bias=float(header["bias"]),
        threshold=float(header["threshold"]),
        meta=dict(header.get("meta") or {}),
    )


@cache
def shipped_model() -> LinearModel:
    """The model that ships with qunbot, loaded on first use and kept for the life of the process."""
    return load_model(DEFAULT_MODEL_PATH)
