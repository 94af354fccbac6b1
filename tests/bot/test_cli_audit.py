"""``qunbot audit``: who did what, when and why, newest first, per group and since a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.test_cli import run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("audit") / "demo.db"
    code, _, err = run("demo", "--db", str(db))
    assert code == 0, err
    return db


def test_audit_lists_admin_actions_and_sanctions(demo_db: Path) -> None:
    code, out, err = run("audit", "--db", str(demo_db), "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    kinds = {row["kind"] for row in rows}
    assert {"admin.pardon", "strike", "action.remove"} <= kinds
    assert not kinds - {k for k in kinds if k.startswith(("admin.", "privacy.", "strike", "action."))}
    assert [r["ts"] for r in rows] == sorted((r["ts"] for r in rows), reverse=True)
    pardon = next(r for r in rows if r["kind"] == "admin.pardon")
    assert pardon["actor"] == "m_zhou" and pardon["target"] == "m_zhao" and pardon["reason"]
    later = [r for r in rows if r["ts"] >= "2026-03-02T01:30"]
    code, out, _ = run("audit", "--db", str(demo_db), "--json", "--since", "2026-03-02T01:30:00+00:00")
    assert code == 0 and len(out.splitlines()) == len(later) < len(rows)
    code, out, _ = run("audit", "--db", str(demo_db), "--group", "tg:group:-1", "--json")
    assert code == 0 and out == ""
    code, out, _ = run(
        "audit", "--db", str(demo_db), "--group", "console:group:demo"
    )  # the demo has two groups
    assert code == 0 and "admin.pardon" in out
