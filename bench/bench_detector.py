"""Print the ad detector's throughput and latency: ``.venv/bin/python bench/bench_detector.py [N]``."""

from __future__ import annotations

import sys

from bot.tools.benchmarks.detector import run


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    for name, value in run(n).items():
        print(f"{name:>14}: {value:,.2f}")


if __name__ == "__main__":
    main()
