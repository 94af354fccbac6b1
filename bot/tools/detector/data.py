"""Reading the labelled data: the CSV (``target,input``, 1 = ad) and one-message-a-line sample files.

The data set is not copied into the project: it is found through ``QUNBOT_ADS_DATA``, then
``../shared/data/ads`` from the working directory, then ``shared/data/ads`` beside the repository.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "CSV_NAME",
    "HAM_SAMPLES",
    "SPAM_SAMPLES",
    "DataError",
    "Sample",
    "community_dir",
    "find_data_dir",
    "read_community",
    "read_csv",
    "read_lines",
]

Sample = tuple[int, str]  # (label, text): 1 = ad / spam, 0 = ordinary message
CSV_NAME = "zh-train.csv"
SPAM_SAMPLES = "tgspam-spam-samples.txt"
HAM_SAMPLES = "tgspam-ham-samples.txt"
_ENV = "QUNBOT_ADS_DATA"
# The hand-written community sets (tests/data/hard): their tuned halves train the model, the untuned halves
# are never read here, so they stay an honest measure.
_COMMUNITY = Path(__file__).resolve().parents[3] / "tests" / "data" / "hard"
_TUNED = re.compile(r"tune\d*_(ham|spam)\.txt")


class DataError(ValueError):
    """Missing or malformed training / evaluation data; the message is one line for the CLI."""


def find_data_dir(explicit: Path | None = None) -> Path:
    """The folder holding ``zh-train.csv``; raises ``DataError`` naming every place that was tried."""
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(explicit)
    else:
        env = os.environ.get(_ENV)
        if env:
            candidates.append(Path(env))
        candidates.append(Path.cwd() / ".." / "shared" / "data" / "ads")
        candidates.append(Path(__file__).resolve().parents[4] / "shared" / "data" / "ads")
    for folder in candidates:
        if (folder / CSV_NAME).is_file():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise DataError(f"ad data not found: no {CSV_NAME} in {tried} (set {_ENV} or pass --data)")


def read_csv(path: Path) -> list[Sample]:
    """Rows of a ``target,input`` CSV. Extra columns are ignored; a bad label names its line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields: Sequence[str] = reader.fieldnames or ()
            missing = [c for c in ("target", "input") if c not in fields]
            if missing:
                raise DataError(
                    f"{path}: missing column(s) {', '.join(missing)}; expected a header 'target,input'"
                )
            rows: list[Sample] = []
            for row in reader:
                raw = (row.get("target") or "").strip()
                if raw not in ("0", "1"):
                    raise DataError(f"{path}:{reader.line_num}: target must be 0 or 1, got {raw!r}")
                rows.append((int(raw), row.get("input") or ""))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    if not rows:
        raise DataError(f"{path}: no rows")
    return rows


def read_lines(path: Path, label: int) -> list[Sample]:
    """Non-empty lines of a sample file, each with ``label``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
    return [(label, line.strip()) for line in text.splitlines() if line.strip()]


def community_dir() -> Path | None:
    """The repository's hand-written community sets, or None where the package runs without its tests."""
    return _COMMUNITY if _COMMUNITY.is_dir() else None


def read_community(folder: Path) -> list[Sample]:
    """The tuned halves (``tune*_ham.txt`` / ``tune*_spam.txt``) of the hand-written sets in ``folder``:
    honest community chat and the ads such groups get, which zh-train barely has. Untuned halves are skipped
    by name."""
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    samples: list[Sample] = []
    for path in sorted(folder.iterdir()):
        match = _TUNED.fullmatch(path.name)
        if match:
            samples.extend(read_lines(path, 1 if match.group(1) == "spam" else 0))
    if not samples:
        raise DataError(f"{folder}: no tune*_ham.txt / tune*_spam.txt files")
    return samples
