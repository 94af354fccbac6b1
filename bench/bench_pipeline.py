"""Decision-path benchmark: `python bench/bench_pipeline.py [N] [DB_URL]` prints the figures.

The same code runs as `qunbot bench`; see bot/tools/benchmarks/pipeline.py for what is measured.
"""

from __future__ import annotations

import sys

from bot.tools.benchmarks import pipeline

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    url = sys.argv[2] if len(sys.argv) > 2 else None
    figures = pipeline.run(n, db_url=url)
    print("pipeline: " + ", ".join(f"{k}={v:,.2f}" for k, v in figures.items()))
