"""Writers on one SQLite file queue on the write lock (printops/core/sqlite_backend), inside a
process and across processes, instead of in SQLite's busy handler.

The run uses a real SQLite file in WAL mode, as `printops serve` does, in a fresh process
(the suite's own database is in memory). SQLite's busy timeout is set to 0 there: any writer
that reached SQLite while another held the write lock would fail at once with "database is
locked", so every consumption succeeding shows they queued on our lock.
"""

import json
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("sqlite_writers_script.py")
ROOT = Path(__file__).resolve().parents[2]


def _run(data_dir: Path, processes: int, threads: int, times: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        PRINTOPS_DATA_DIR=str(data_dir),  # migrated already: the script's migrate is a no-op
        PRINTOPS_TESTING="1",  # fast password hashing, inline tasks
        PRINTOPS_SQLITE_TIMEOUT_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(processes), str(threads), str(times)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("processes", "threads"), [(1, 8), (2, 4)])
def test_eight_writers_at_once_all_succeed_with_exact_grams(
    tmp_path, migrated_data_dir, processes, threads
):
    times = 5
    result = _run(migrated_data_dir(tmp_path / "data"), processes, threads, times)
    assert result["errors"] == []
    used = Decimal("1.25") * processes * threads * times  # 50 g
    assert Decimal(result["used"]) == used
    assert Decimal(result["remaining"]) == Decimal("1000") - used
    assert Decimal(result["ledger"]) == Decimal(result["remaining"])


def _wal_pages(database: Path) -> int:
    wal = Path(f"{database}-wal")
    return (wal.stat().st_size - 32) // (4096 + 24) if wal.exists() else 0


def test_the_checkpoint_thread_keeps_the_log_from_growing_under_steady_writes(tmp_path):
    """With SQLite's own checkpoints off (as on the app's connections), a checkpoint beside
    steady writers never lets the log restart; the long-log round finishes under the write lock
    and the next writer starts the log over."""
    from printops.core.sqlite_backend import base

    database, lock_path = tmp_path / "db.sqlite3", str(tmp_path / "db.sqlite3.write-lock")
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (payload BLOB)")
    checkpointer = sqlite3.connect(database, timeout=0, isolation_level=None)

    def write(pages: int) -> None:
        for _ in range(pages):
            writer.execute("INSERT INTO t VALUES (randomblob(4000))")

    write(300)
    base._checkpoint(checkpointer, lock_path)  # below the mark: beside the writers only
    write(10)
    assert _wal_pages(database) > 300  # the log was not restarted

    restart_at = base.RESTART_LOG_PAGES
    base.RESTART_LOG_PAGES = 100
    try:
        base._checkpoint(checkpointer, lock_path)
    finally:
        base.RESTART_LOG_PAGES = restart_at
    write(10)
    ((_, log_pages, _),) = checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    assert log_pages < 100  # started over: only the last 10 writes are in it, not 320


def test_app_connections_leave_checkpoints_to_the_thread(tmp_path):
    from django.db import connections

    from printops.core.sqlite_backend import base

    database = str(tmp_path / "app.sqlite3")
    params = {**connections["default"].settings_dict, "NAME": database, "WRITE_LOCK_SECONDS": 5}
    wrapper = base.DatabaseWrapper(params, alias="checkpoint-test")
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert database in base._CHECKPOINTED
    finally:
        raw.close()


def test_a_busy_database_is_not_a_checkpoint_failure_worth_a_warning(tmp_path):
    """At a first start the migrations' own connection holds the database for a moment; the
    checkpoint thread skips that round quietly instead of printing a warning."""
    from printops.core.sqlite_backend import base

    database = str(tmp_path / "busy.sqlite3")
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("SELECT * FROM t")
    assert base._is_busy(busy.value)
    with pytest.raises(sqlite3.OperationalError) as missing:
        holder.execute("SELECT * FROM no_such_table")
    assert not base._is_busy(missing.value)
    holder.execute("ROLLBACK")
