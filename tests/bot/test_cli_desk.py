"""``qunbot stats``: the numbers of a database copied off a server end at its last day, not at today;
an unknown group is an error, not a table of zeros."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.test_cli import run

DEMO = "console:group:demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("desk") / "demo.db"
    code, _, err = run("demo", "--db", str(db))
    assert code == 0, err
    return db


def _last_day(db: Path) -> str:
    _, out, _ = run("export", "--db", str(db), "--group", DEMO)
    last = max(json.loads(line)["ts"] for line in out.splitlines())
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(last).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_stats_end_at_the_last_day_with_data(demo_db: Path) -> None:
    code, out, err = run("stats", "--db", str(demo_db), "--group", DEMO, "--json")  # the demo has 2 groups
    assert code == 0, err
    data = next(d for d in json.loads(out) if d["group"] == DEMO)  # the demo also plays a WeCom group
    assert data["until"] == _last_day(demo_db) < "2026-12-01"
    assert len(data["days"]) == 7
    assert sum(d["speakers"] for d in data["days"]) > 0 and data["members"] > 0
    assert data["days"][-1]["speak_rate"] is not None


def test_stats_table_names_the_goal(demo_db: Path) -> None:
    code, out, err = run("stats", "--db", str(demo_db), "--group", DEMO, "--until", "2026-03-10")
    assert code == 0, err
    assert "2026-03-04" in out and "2026-03-10" in out and "2026-03-11" not in out
    assert "goal 20%" in out and "funnel: joined" in out


def test_definitions_come_from_the_config(demo_db: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    counts = []
    for silent_days in (1, 60):
        rules.write_text(f"[defaults.stats]\nsilent_days = {silent_days}\n", encoding="utf-8")
        code, out, err = run("stats", "--db", str(demo_db), "--group", DEMO, "--config", str(rules), "--json")
        assert code == 0, err
        counts.append(json.loads(out)[0]["silent"])
    assert counts[0] > counts[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "tg:group:-1"], "unknown group 'tg:group:-1'"),
        (["--from", "2026-03-10", "--until", "2026-03-01"], "--from 2026-03-10 is after --until 2026-03-01"),
        (["--until", "March"], "--until: expected a date"),
        (["--config", "/nonexistent/rules.toml"], "--config: no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(demo_db: Path, args: list[str], message: str) -> None:
    code, out, err = run("stats", "--db", str(demo_db), *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
