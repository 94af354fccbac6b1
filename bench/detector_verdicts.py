"""Hold an optimisation of the ad detector to the verdicts it replaces: every row of zh-train.csv and every
hard case of tests/data/hard, read as a plain text message and as a first message from a newcomer.

    .venv/bin/python bench/detector_verdicts.py save before.json     (on the old code)
    .venv/bin/python bench/detector_verdicts.py check before.json    (on the new code; exit 1 on a change)

A verdict is the same when its hit, category, hard / strong flags and every check's (name, hit, detail,
category, hard) are equal and its score and probability are within 1e-9.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.tools.detector.data import CSV_NAME, find_data_dir, read_csv
from handlers.ads.model_io import shipped_model
from rules.ads import AdDetector, AdRules, MessageFacts

HARD = Path(__file__).resolve().parents[1] / "tests" / "data" / "hard"
TOLERANCE = 1e-9

Row = list[object]


def texts() -> list[str]:
    rows = [text for _, text in read_csv(find_data_dir() / CSV_NAME)]
    for path in sorted(HARD.glob("*.txt")):
        rows.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return rows


def verdicts() -> list[Row]:
    detector = AdDetector(AdRules(), shipped_model())
    out: list[Row] = []
    for text in texts():
        for facts in (
            MessageFacts(text=text),
            MessageFacts(text=text, is_first_message=True, sender_known=True),
        ):
            v = detector.detect(facts)
            checks = [[r.name, r.hit, r.detail, r.category, r.hard, r.score] for r in v.verdict.results]
            out.append([text, v.hit, v.category, v.hard, v.strong, v.score, v.probability, checks])
    return out


def _same(a: Row, b: Row) -> bool:
    if a[:5] != b[:5] or abs(a[5] - b[5]) > TOLERANCE or abs(a[6] - b[6]) > TOLERANCE:  # type: ignore[operator]
        return False
    ca, cb = a[7], b[7]
    assert isinstance(ca, list) and isinstance(cb, list)
    return len(ca) == len(cb) and all(
        x[:5] == y[:5] and abs(x[5] - y[5]) <= TOLERANCE for x, y in zip(ca, cb, strict=True)
    )


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    now = verdicts()
    if mode == "save":
        path.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"saved {len(now):,} verdicts ({sum(bool(r[1]) for r in now):,} hits) to {path}")
        return
    before = json.loads(path.read_text(encoding="utf-8"))
    if len(before) != len(now):
        raise SystemExit(f"{len(before)} verdicts before, {len(now)} now: not the same inputs")
    changed = [(a, b) for a, b in zip(before, now, strict=True) if not _same(a, b)]
    hits = sum(bool(r[1]) for r in now)
    print(f"compared {len(now):,} verdicts ({hits:,} hits): {len(changed)} changed")
    for a, b in changed[:10]:
        print(f"  {a[0][:60]!r}\n    before {a[1:7]}\n    now    {b[1:7]}")
    if changed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
