"""Print the ad detector's throughput and latency: ``.venv/bin/python bench/bench_detector.py [N] [ROUNDS]``.

Throughput is shown as slowest / median / best round, with the machine's pure-Python reference
(``sum(range(1000))``) measured in the same run, so figures from a busy machine can be compared.
"""

from __future__ import annotations

import sys

from bot.tools.benchmarks.detector import run


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    figures = run(n, rounds)
    slowest, median, best = (
        figures.pop("slowest_round_msgs_per_s"),
        figures.pop("median_round_msgs_per_s"),
        figures.pop("msgs_per_s"),
    )
    print(
        f"{'msgs_per_s':>22}: {slowest:,.0f} / {median:,.0f} / {best:,.0f}  (min / median / max of {rounds})"
    )
    for name, value in figures.items():
        print(f"{name:>22}: {value:,.2f}")


if __name__ == "__main__":
    main()
