"""An online, consistent copy of a SQLite database while the bot writes to it.

SQLite's backup API (``sqlite3.Connection.backup``) copies the pages of one read transaction: in WAL mode
writers go on meanwhile and the copy is the database as of one instant, never half a transaction. The
copy goes to a temporary file beside the target and is renamed into place when complete, so a crash or a
full disk never leaves a truncated file under the backup's name. PostgreSQL is backed up with pg_dump.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    """The copy could not be made or does not check out; nothing was left under the target's name."""


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` (replacing it); the copy's size in bytes."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as src:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # one step: all pages from one read transaction
                dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                (verdict,) = dst.execute("PRAGMA integrity_check").fetchone()
            finally:
                dst.close()
        if verdict != "ok":
            raise BackupError(f"the copy of {source} fails its integrity check: {verdict}")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {source}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def rotate(directory: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups named ``<prefix>*`` in ``directory``; the ones deleted."""
    backups = sorted(directory.glob(f"{prefix}*.db"), key=lambda p: p.name, reverse=True)
    gone = backups[keep:]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone
