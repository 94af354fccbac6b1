"""``qunbot backup``: a consistent copy of the SQLite database taken while another connection writes."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from storage import migrate
from storage.backup import BackupError, backup_sqlite, rotate
from storage.db import Database
from tests.bot.test_cli import run


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "live.db"

    async def create() -> None:
        db = Database(str(path))
        await migrate.upgrade(db)
        await db.close()

    asyncio.run(create())
    return path


class Writer(threading.Thread):
    """Writes pairs of rows (an event-log row and a delivery) in one transaction each, as fast as it can."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        while not self.stop.is_set():
            with conn:
                n = self.written
                conn.execute(
                    "INSERT INTO event_log (ts, platform, group_key, kind, reason, detail) "
                    "VALUES ('2026-03-02 00:00:00', 'tg', 'tg:group:-1', 'message', '', '{}')"
                )
                conn.execute(
                    "INSERT INTO deliveries (delivery, seen_at) VALUES (?, '2026-03-02 00:00:00')", (f"d{n}",)
                )
            self.written += 1
        conn.close()


def _counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        (log,) = conn.execute("SELECT count(*) FROM event_log").fetchone()
        (deliveries,) = conn.execute("SELECT count(*) FROM deliveries").fetchone()
    return log, deliveries


def test_copies_are_consistent_while_writes_go_on(database: Path, tmp_path: Path) -> None:
    writer = Writer(database)
    writer.start()
    try:
        while writer.written < 50:
            threading.Event().wait(0.01)
        sizes = []
        for i in range(3):
            copy = tmp_path / f"copy{i}.db"
            sizes.append(backup_sqlite(database, copy))
            log, deliveries = _counts(copy)
            assert log == deliveries > 0  # never half a transaction
            with sqlite3.connect(copy) as conn:
                assert conn.execute("PRAGMA journal_mode").fetchone() == (
                    "delete",
                )  # one self-contained file
        code, out, err = run("backup", "--db", str(database), "--out", str(tmp_path / "cli.db"))
        assert code == 0, err
        assert out.startswith(str(tmp_path / "cli.db"))
        log, deliveries = _counts(tmp_path / "cli.db")
        assert log == deliveries > 0
    finally:
        writer.stop.set()
        writer.join()
    assert writer.written > log  # the writer was not held up for the copy
    assert not list(tmp_path.glob(".*.partial"))


def test_refusals(database: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database at"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "x.db")
    for args, message in (
        (["--db", str(database), "--out", str(database)], "--out is the database itself"),
        (["--db", "postgresql://u@127.0.0.1/x", "--out", str(tmp_path / "x.db")], "use pg_dump"),
        (["--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "x.db")], "no database at"),
    ):
        code, _, err = run("backup", *args)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    for day in ("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"):
        (tmp_path / f"qunbot-{day}.db").write_bytes(b"x")
    (tmp_path / "other.db").write_bytes(b"x")
    gone = rotate(tmp_path, "qunbot-", keep=2)
    assert sorted(p.name for p in gone) == ["qunbot-2026-03-01.db", "qunbot-2026-03-02.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other.db",
        "qunbot-2026-03-03.db",
        "qunbot-2026-03-04.db",
    ]
