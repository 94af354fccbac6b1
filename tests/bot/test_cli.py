"""The command line as an operator uses it: exit codes, one-line errors, demo → export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    code, out, err = run("demo", "--db", str(db))
    assert code == 0, err
    assert "小王" in out and "duplicate delivery" in out and "Summary" in out
    return db


def test_demo_leaves_an_exportable_database(demo_db: Path) -> None:
    code, out, err = run("export", "--db", str(demo_db), "--format", "jsonl")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    kinds = {row["kind"] for row in rows}
    assert {"member_joined", "message"} <= kinds
    first = rows[0]
    assert set(first) == {"ts", "platform", "group", "user", "kind", "reason", "detail"}
    assert first["ts"].endswith("Z") and isinstance(first["detail"], dict)
    assert all("text" not in row["detail"] for row in rows if row["kind"] == "message")


def test_export_csv_filters_by_group_and_date(demo_db: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "log.csv"
    code, _, err = run(
        "export",
        "--db",
        str(demo_db),
        "--format",
        "csv",
        "--group",
        "console:group:demo",
        "--since",
        "2026-03-01",
        "--out",
        str(out_file),
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert rows and all(row["group"] == "console:group:demo" for row in rows)
    assert isinstance(json.loads(rows[0]["detail"]), dict)
    code, out, _ = run("export", "--db", str(demo_db), "--since", "2099-01-01")
    assert code == 0 and out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xml"], "--format: expected jsonl or csv"),
        (["export", "--since", "yesterday"], "--since: expected a date"),
        (["stats", "--group", "g", "--from", "yesterday"], "--from: expected a date"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    code, _, err = run(*args, "--db", str(tmp_path / "x.db"))
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_check_config(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[defaults]\nlanguage = "en"\n', encoding="utf-8")
    assert run("check-config", str(good))[0] == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[defaults]\nlanguage = "en"\nmood = "happy"\n', encoding="utf-8")
    code, _, err = run("check-config", str(bad))
    assert code == 2
    assert f"{bad}:3: defaults.mood: unknown key" in err


def test_run_without_a_platform_or_with_a_broken_config_exits_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("", encoding="utf-8")
    code, _, err = run(
        "run", "--config", str(rules), "--db", str(tmp_path / "r.db"), env={"QUNBOT_TELEGRAM__TOKEN": ""}
    )
    assert code == 2 and "no platform configured" in err
    rules.write_text("[defaults\n", encoding="utf-8")
    code, _, err = run("run", "--config", str(rules))
    assert code == 2 and "TOML syntax error" in err


def test_stats_json(demo_db: Path) -> None:
    code, out, err = run(
        "stats",
        "--db",
        str(demo_db),
        "--group",
        "console:group:demo",
        "--from",
        "2026-03-10",
        "--until",
        "2026-03-12",
        "--json",
    )
    assert code == 0, err
    (data,) = json.loads(out)
    assert data["members"] >= 2 and len(data["days"]) == 3


def test_member_export_and_erase(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(demo_db.read_bytes())
    code, out, _ = run("member", "export", "wang", "--db", str(db))
    assert code == 0
    data = json.loads(out)
    assert data["tables"]["members"][0]["display_name"] == "上海-互联网-小王"
    assert any(row["kind"] == "message" for row in data["events"])
    code, out, _ = run("member", "erase", "wang", "--db", str(db), "--yes")
    assert code == 0 and json.loads(out)["members"] == 1
    data = json.loads(run("member", "export", "wang", "--db", str(db))[1])
    assert data["tables"]["members"] == [] and data["events"] == []
    _, out, _ = run("export", "--db", str(db))
    assert "privacy.erased" in out and '"wang"' not in out


def test_db_upgrade(tmp_path: Path) -> None:
    code, out, _ = run("db", "upgrade", "--db", str(tmp_path / "new.db"))
    assert code == 0 and out.strip() == "ok"


def test_interactive_demo_reads_lines(tmp_path: Path) -> None:
    lines = "+amy 上海-运营-阿May\namy: 大家好\n>> 1h\namy ~ 北京-运营-阿May\nnonsense\n-amy\nquit\n"
    result = runner.invoke(app, ["demo", "--interactive", "--db", str(tmp_path / "i.db")], input=lines)
    assert result.exit_code == 0, result.stderr
    assert "阿May: 大家好" in result.stdout and "not understood" in result.stdout
    assert "上海-运营-阿May → 北京-运营-阿May" in result.stdout


def test_version() -> None:
    from importlib.metadata import version

    code, out, _ = run("--version")
    assert code == 0
    assert out.strip() == f"qunbot {version('qunbot')}"


@pytest.mark.parametrize(
    "command", [["export"], ["member", "export", "42"], ["stats", "--group", "tg:group:-1"]]
)
def test_a_read_never_creates_a_database(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    code, _, err = run(*command, "--db", str(missing))
    assert code == 2
    assert err.count("\n") == 1 and f"no database at {missing}" in err
    assert not missing.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("url", ["mysql://root@localhost/qunbot", "mongodb://x/y", "redis://localhost"])
def test_an_unsupported_database_is_one_line(url: str) -> None:
    code, _, err = run("export", "--db", url)
    assert code == 2
    assert err.count("\n") == 1 and "unsupported database" in err and "Traceback" not in err


def test_export_into_a_closed_pipe_is_not_an_error(demo_db: Path) -> None:
    """`qunbot export | head -1`: the reader stops early; the exporter ends quietly with exit 0."""
    import subprocess
    import sys

    exporter = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "export", "--db", str(demo_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert exporter.stdout is not None and exporter.stderr is not None
    first = exporter.stdout.readline()
    exporter.stdout.close()  # as `head -1` does
    err = exporter.stderr.read().decode()
    assert exporter.wait(timeout=60) == 0, err
    assert json.loads(first)["kind"]
    assert err == ""
