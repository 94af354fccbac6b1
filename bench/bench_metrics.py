"""Community numbers over a year of a 500-member group: `python bench/bench_metrics.py [DB_URL]`.

Prints min / median / max of three runs for a year (cold: rolled up from the event log; warm: read from
the roll-up), a month and a week. See bot/tools/benchmarks/metrics.py for the history it builds.
"""

from __future__ import annotations

import sys

from bot.tools.benchmarks import metrics

if __name__ == "__main__":
    figures = metrics.run(sys.argv[1] if len(sys.argv) > 1 else None)
    for name, value in figures.items():
        print(f"{name:>20}: {value:,}" if isinstance(value, int) else f"{name:>20}: {metrics.summary(value)}")
