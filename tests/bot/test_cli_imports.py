"""``qunbot check-config`` is for CI jobs and pre-commit hooks: it loads pydantic and the rules, never the
database layer (which alone took most of its start time). Checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEMO_RULES = Path(__file__).resolve().parents[2] / "bot" / "tools" / "demo" / "rules.toml"
DATABASE_LAYER = {"sqlalchemy", "alembic", "aiosqlite", "asyncpg", "storage"}
# What other commands need and check-config does not: the training's numpy, the environment's settings, the
# logger (with rich's tracebacks behind it). Each was a tenth to a fifth of its start time (#18).
NOT_FOR_CHECKING = {"numpy", "pydantic_settings", "structlog"}

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
    assert packages & NOT_FOR_CHECKING == set()


# ``qunbot run`` with no platform configured: it gets as far as building the adapters (after importing
# everything the running bot needs), then exits 2 with a one-line reason. It reports every module's name.
RUN_WRAPPER = WRAPPER.replace('"check-config", sys.argv[1]', '"run", "--config", sys.argv[1]')
TOP_LEVEL = 'sorted({name.split(".")[0] for name in sys.modules})'
RUN_WRAPPER = RUN_WRAPPER.replace(TOP_LEVEL, "sorted(sys.modules)")
DASHBOARD_ONLY = {"bot.dashboard", "bot.report", "bot.report.page", "bot.report.svg"}


def test_run_leaves_the_dashboard_and_report_pages_unimported(tmp_path: Path) -> None:
    """The dashboard (and the report pages it draws with) is imported only when an admin token turns it on:
    start-up of ``qunbot run`` pays for what it runs."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QUNBOT_TELEGRAM", "QUNBOT_WECOM", "QUNBOT_HTTP"))
    }
    env["QUNBOT_DATABASE_URL"] = str(tmp_path / "q.db")
    done = subprocess.run(
        [sys.executable, "-c", RUN_WRAPPER, str(DEMO_RULES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    modules = set(report["packages"])
    assert report["code"] == 2  # no platform: the clear one-line exit, after the imports
    assert "bot.serve" in modules and "sqlalchemy" in modules  # it did get into serving
    assert modules & DASHBOARD_ONLY == set()
