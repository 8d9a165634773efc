"""Writers on one SQLite file queue on the write lock (printops/core/sqlite_backend), inside a
process and across processes, instead of in SQLite's busy handler.

The run uses a real SQLite file in WAL mode, as `printops serve` does, in a fresh process
(the suite's own database is in memory). SQLite's busy timeout is set to 0 there: any writer
that reached SQLite while another held the write lock would fail at once with "database is
locked", so every consumption succeeding shows they queued on our lock.
"""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("sqlite_writers_script.py")
ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, processes: int, threads: int, times: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        PRINTOPS_DATA_DIR=str(tmp_path / "data"),
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
def test_eight_writers_at_once_all_succeed_with_exact_grams(tmp_path, processes, threads):
    times = 5
    result = _run(tmp_path, processes, threads, times)
    assert result["errors"] == []
    used = Decimal("1.25") * processes * threads * times  # 50 g
    assert Decimal(result["used"]) == used
    assert Decimal(result["remaining"]) == Decimal("1000") - used
    assert Decimal(result["ledger"]) == Decimal(result["remaining"])
