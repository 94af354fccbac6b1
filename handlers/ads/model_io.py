"""Load and save the ad model: a compressed ``.npz`` of n-gram keys and float32 weights (package data, < 5
MB).

Saving uses NumPy (training has it anyway). Loading does not: an ``.npz`` is a zip of ``.npy`` files, whose
format is a short documented header and the raw array (numpy.lib.format), and the bot reads the three arrays
it writes with the standard library. Importing NumPy only to read them cost ~15 MB of resident memory and
~0.1 s at start-up in every bot process. Anything but those three arrays is a ``ModelFileError``. The shipped
model is read lazily, once per process.
"""

from __future__ import annotations

import ast
import json
import struct
import sys
import zipfile
from array import array
from functools import cache
from pathlib import Path
from typing import Any

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
    import numpy as np  # training and conversion only

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
        with zipfile.ZipFile(path) as archive:
            (header_text,) = _strings(archive.read("header.npy"))
            keys = _strings(archive.read("keys.npy"))
            weights = _floats(archive.read("weights.npy"))
        header = json.loads(header_text)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, struct.error, SyntaxError) as exc:
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


def _npy(raw: bytes) -> tuple[dict[str, Any], memoryview]:
    """The header dict and the data of one ``.npy`` file (format versions 1–3)."""
    if raw[:6] != b"\x93NUMPY":
        raise ValueError("not an .npy array")
    major = raw[6]
    if major == 1:
        (length,), start = struct.unpack_from("<H", raw, 8), 10
    elif major in (2, 3):
        (length,), start = struct.unpack_from("<I", raw, 8), 12
    else:
        raise ValueError(f".npy format version {major} is unknown")
    header = ast.literal_eval(raw[start : start + length].decode("latin-1" if major < 3 else "utf-8"))
    if not isinstance(header, dict) or header.get("fortran_order") or len(header.get("shape", ())) > 1:
        raise ValueError(f"unexpected .npy header {header!r}")
    return header, memoryview(raw)[start + length :]


def _strings(raw: bytes) -> list[str]:
    """A 0-d or 1-d array of fixed-width strings (``<U{n}``: UTF-32, NUL-padded)."""
    header, data = _npy(raw)
    descr = str(header["descr"])
    if not descr.startswith("<U"):
        raise ValueError(f"expected strings, got {descr}")
    step = int(descr[2:])  # characters per item, 4 bytes each
    text = bytes(data).decode("utf-32-le")
    return [text[i : i + step].rstrip("\x00") for i in range(0, len(text), step)] if step else []


def _floats(raw: bytes) -> list[float]:
    """A 1-d array of little-endian float32."""
    header, data = _npy(raw)
    if header["descr"] != "<f4":
        raise ValueError(f"expected float32, got {header['descr']}")
    values = array("f")
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values.tolist()


@cache
def shipped_model() -> LinearModel:
    """The model that ships with qunbot, loaded on first use and kept for the life of the process."""
    return load_model(DEFAULT_MODEL_PATH)
