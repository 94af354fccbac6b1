"""Instructions per message of the ad detector, a figure that a busy machine does not move.

Runs the benchmark mix through ``AdDetector.detect`` under callgrind twice — after the same warm-up, once with
no measured messages and once with N — and prints the difference divided by N:

    .venv/bin/python bench/count_detector_instructions.py [N]      (needs valgrind; N defaults to 4600)
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

WARM_UP = 2300


def detect(n: int) -> None:
    """The measured program: warm-up, then ``n`` more messages of the mix."""
    from bot.tools.benchmarks.detector import messages
    from handlers.ads.model_io import shipped_model
    from rules.ads import AdDetector, AdRules

    detector = AdDetector(AdRules(), shipped_model())
    for facts in messages(WARM_UP + n):
        detector.detect(facts)


def instructions(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--run",
                str(n),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        detect(int(sys.argv[2]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4600
    base, total = instructions(0), instructions(n)
    print(f"messages: {n:,}\ninstructions_per_message: {(total - base) / n:,.0f}")


if __name__ == "__main__":
    main()
