"""``qunbot check-config`` is for CI jobs and pre-commit hooks: it loads pydantic and the rules, never the
database layer (which alone took most of its start time). Checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEMO_RULES = Path(__file__).resolve().parents[2] / "bot" / "tools" / "demo" / "rules.toml"
DATABASE_LAYER = {"sqlalchemy", "alembic", "aiosqlite", "asyncpg", "storage"}

# Runs the real entry point, then reports its exit code and the top-level packages it imported.
WRAPPER = """
import json, sys
from bot.cli import main
sys.argv = ["qunbot", "check-config", sys.argv[1]]
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "packages": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def check_config(rules: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(rules)], capture_output=True, text=True, timeout=120, check=False
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return int(report["code"]), set(report["packages"])


@pytest.mark.parametrize("broken", [False, True])
def test_check_config_never_imports_the_database_layer(broken: bool, tmp_path: Path) -> None:
    rules = DEMO_RULES
    if broken:  # the error path (locating every bad key) too
        rules = tmp_path / "rules.toml"
        rules.write_text(DEMO_RULES.read_text(encoding="utf-8") + '\n[groups."tg:grp:1"]\nmood = 1\n')
    code, packages = check_config(rules)
    assert code == (2 if broken else 0)
    assert "pydantic" in packages and "handlers" in packages  # it did validate the rules
    assert packages & DATABASE_LAYER == set()
